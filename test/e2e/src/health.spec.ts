import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ProjectionsService } from '@placement/api';
import { openSqliteEventStore, type Clock } from '@placement/event-store';
import { appendAll, syntheticEvents } from '@placement/projections/testing';
import { aSetting } from '@placement/test-support';
import { eventually } from './support/eventually';

import { api, startServer, withServer, TestServer, TOKENS } from './support/server';

/*
 * Issue 17 §2: liveness and readiness apart, so an orchestrator restarts a process only when
 * it stops answering, and holds traffic back from one whose read models are failed or behind.
 */
interface Check {
  status: 'ok' | 'error';
  info?: Record<string, { status: string } & Record<string, unknown>>;
  error?: Record<string, { status: string } & Record<string, unknown>>;
  details: Record<string, { status: string } & Record<string, unknown>>;
}

class SetClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return this.at;
  }
}

const health = (server: TestServer, route: string) => api<Check>(server, 'GET', route);

describe('health probes on a working server', () => {
  const server = withServer();

  it('answers live with no checks, ready with the store and the read models, and the summary as before', async () => {
    await api(server, 'POST', '/v1/settings', { token: TOKENS.admin, body: aSetting({ settingId: 'hp-1' }) });
    expect(await health(server, '/health/live')).toMatchObject({ status: 200, body: { status: 'ok', details: {} } });

    const ready = await health(server, '/health/ready');
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.details).sort()).toEqual(['eventStore', 'projectionsCaughtUp', 'readersCaughtUp']);
    expect(ready.body.details['projectionsCaughtUp']).toMatchObject({
      status: 'up',
      maxLagSeconds: 30,
      lagSeconds: expect.any(Number),
    });

    const summary = await health(server, '/health');
    expect(summary.status).toBe(200);
    expect(Object.keys(summary.body.details).sort()).toEqual(['eventStore', 'projections']);
  });

  it('needs no token: an orchestrator has none', async () => {
    for (const route of ['/health', '/health/live', '/health/ready'])
      expect((await api(server, 'GET', route, { headers: { authorization: 'Bearer nonsense' } })).status).toBe(200);
  });
});

describe('health probes when a projection has failed', () => {
  const server = withServer();

  it('keeps live UP, and makes ready and the summary DOWN naming the projection', async () => {
    await api(server, 'POST', '/v1/settings', { token: TOKENS.admin, body: aSetting({ settingId: 'hp-2' }) });
    const outside = new Database(path.join(server.dir, 'read-models.db'));
    outside.exec('DROP TABLE capacity_beds');
    outside.close();
    const added = await api(server, 'POST', '/v1/settings/hp-2/beds', {
      token: TOKENS.admin,
      body: { bedId: 'b1', kind: 'residential', label: 'Room 1' },
    });
    expect(added.status).toBe(201);

    // The runner fails on the event in its own time: wait for it (the bound means "hung").
    const ready = await eventually(
      () => health(server, '/health/ready'),
      (res) => res.status !== 200,
      'ready to go DOWN after the projection failed',
    );
    expect(ready.status).toBe(503);
    expect(ready.body.error?.['projectionsCaughtUp']).toMatchObject({ status: 'down', failed: ['capacity'] });
    expect(ready.body.details['eventStore']).toMatchObject({ status: 'up' });
    expect((await health(server, '/health')).status).toBe(503);
    expect((await health(server, '/health/live')).status).toBe(200);
  });
});

describe('health probes when the read models fall behind the log', () => {
  const t0 = new Date('2026-11-30T09:00:00.000Z');
  const clock = new SetClock(t0);
  const server = withServer({ READY_MAX_PROJECTION_LAG_SECONDS: '30' }, { clock });

  it('is not ready while an unapplied event is older than the bound, stays live, is ready once caught up', async () => {
    // The runner stops (as if stuck on an outage); commands still succeed and the log moves on.
    const runner = server.app.get(ProjectionsService).runner;
    await runner.stop();
    const written = await api<{ position: string }>(server, 'POST', '/v1/settings', {
      token: TOKENS.admin,
      body: aSetting({ settingId: 'hp-3' }),
    });
    expect(written.status).toBe(201);

    clock.at = new Date(t0.getTime() + 29_000);
    expect((await health(server, '/health/ready')).status).toBe(200);

    clock.at = new Date(t0.getTime() + 31_000);
    const behind = await health(server, '/health/ready');
    expect(behind.status).toBe(503);
    expect(behind.body.error?.['projectionsCaughtUp']).toMatchObject({
      status: 'down',
      maxLagSeconds: 30,
      lagSeconds: 31,
      oldestUnappliedPosition: written.body.position,
    });
    expect((await health(server, '/health/live')).status).toBe(200);
    // Behind is not broken: the summary stays UP, so nothing pages anyone for a slow projection.
    expect((await health(server, '/health')).status).toBe(200);

    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(true);
    expect((await health(server, '/health/ready')).status).toBe(200);
  });
});

describe('readiness on a long log', () => {
  let server: TestServer;
  afterAll(async () => {
    await server.close();
  });

  it('waits until the in-memory readers (unit directory, matching capacity) have read up to the head', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'placement-e2e-'));
    const store = await openSqliteEventStore({ path: path.join(dir, 'events.db') });
    await appendAll(store, syntheticEvents({ count: 5_000, seed: 18 }), { groupSize: 1000 });
    const head = (await store.headPosition()).toString();
    await store.close();

    server = await startServer({}, { dir });
    const ready = await eventually(
      () => health(server, '/health/ready'),
      (res) => res.status === 200,
      'ready on the pre-filled store',
    );
    // The first 200: every in-memory reader had folded the whole log by then.
    expect(ready.body.details['readersCaughtUp']).toEqual({
      status: 'up',
      head,
      positions: { UnitDirectory: head, CapacityProjection: head },
    });
  });
});
