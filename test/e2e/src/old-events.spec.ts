import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteEventStore } from '@placement/event-store';

import { aSetting } from '@placement/test-support';
import { TestClock } from './support/clock';
import { api, startServer, TestServer, TOKENS } from './support/server';

/**
 * A log written by the build before diaries still loads: its events carry no schemaVersion
 * (version 1), and its BedOutOfUse named `until`, the last day out of use. Every reader (the
 * stream loads behind commands and GET /v1/settings, the capacity read model, the audit)
 * reads it through the domain's upcaster, as out of use `[from, until + 1 day)`.
 */
describe('events in the shapes written before diaries', () => {
  const clock = new TestClock('2026-11-20T10:00:00Z');
  let server: TestServer;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'placement-e2e-'));
    const store = await openSqliteEventStore({ path: path.join(dir, 'events.db') });
    const metadata = (commandId: string) => ({
      commandId,
      correlationId: commandId,
      causationId: commandId,
      actor: { id: 'admin-1', role: 'admin' },
    });
    const setting = aSetting({ settingId: 'old-home', urn: 'SC100055' });
    await store.append('setting-old-home', [
      { id: randomUUID(), type: 'SettingRegistered', data: setting, metadata: metadata('register') },
    ]);
    await store.append('bed-old-home.b1', [
      {
        id: randomUUID(),
        type: 'BedAdded',
        data: { settingId: 'old-home', bedId: 'b1', kind: 'residential', label: 'Room 1' },
        metadata: metadata('add-bed'),
      },
      {
        id: randomUUID(),
        type: 'BedOutOfUse',
        data: { settingId: 'old-home', bedId: 'b1', reason: 'maintenance', from: '2026-11-18', until: '2026-11-22' },
        metadata: metadata('out-of-use'),
      },
    ]);
    expect((await store.readStream('bed-old-home.b1')).map((e) => e.schemaVersion)).toEqual([1, 1]);
    await store.close();
    server = await startServer({}, { dir, clock });
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('reads the old period through the upcaster, on the command side and in the read models', async () => {
    const setting = await api<{ beds: { diary: { outOfUse: unknown[] }; state: { status: string } }[] }>(
      server,
      'GET',
      '/v1/settings/old-home',
      { token: TOKENS.auditor },
    );
    expect(setting.body.beds[0].state.status).toBe('OutOfUse');
    expect(setting.body.beds[0].diary.outOfUse).toEqual([
      { reason: 'maintenance', from: '2026-11-18', to: '2026-11-23' },
    ]);

    const capacity = await api<{ units: { beds: { bedId: string; outOfUse: unknown }[] } }>(
      server,
      'GET',
      '/v1/capacity?on=2026-11-22',
      { token: TOKENS.auditor },
    );
    expect(capacity.body.units.beds.find((b) => b.bedId === 'b1')?.outOfUse).toEqual({
      reason: 'maintenance',
      from: '2026-11-18',
      until: '2026-11-23',
    });

    const audit = await api<{ entries: { type: string; decision: string }[] }>(
      server,
      'GET',
      '/v1/audit/beds/old-home/b1',
      { token: TOKENS.auditor },
    );
    expect(audit.status).toBe(200);
    expect(audit.body.entries.find((e) => e.type === 'BedOutOfUse')?.decision).toBe(
      'Bed old-home.b1 out of use from 2026-11-18, back in use on 2026-11-23',
    );
  });

  it('decides new commands on the old period, and writes the new version', async () => {
    const back = await api<{ events: string[] }>(server, 'POST', '/v1/settings/old-home/beds/b1/back-in-use', {
      token: TOKENS.admin,
      body: { date: '2026-11-21' },
    });
    expect(back.status).toBe(201);
    const again = await api(server, 'POST', '/v1/settings/old-home/beds/b1/out-of-use', {
      token: TOKENS.admin,
      body: { reason: 'damage', from: '2026-12-01', to: '2026-12-05' },
    });
    expect(again.status).toBe(201);
    const store = await openSqliteEventStore({ path: server.sqlitePath, readonly: true });
    try {
      const written = (await store.readStream('bed-old-home.b1')).filter((e) => e.type === 'BedOutOfUse');
      expect(written.map((e) => [e.schemaVersion, e.data])).toEqual([
        [1, expect.objectContaining({ until: '2026-11-22' })],
        [2, expect.objectContaining({ from: '2026-12-01', to: '2026-12-05' })],
      ]);
    } finally {
      await store.close();
    }
  });
});
