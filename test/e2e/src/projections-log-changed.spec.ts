import type { CapacityBody } from '@placement/api';
import { allProjections } from '@placement/projections';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '@placement/event-store';
import { aHold, aReferral, aSetting } from '@placement/test-support';
import { api, LogCapture, startServer, TestServer, TOKENS } from './support/server';
import { expectCreated } from './support/fixtures';
import type { Answer } from './support/bodies';

/*
 * The event log shrinks or is replaced under the API (its tail cut; an older backup restored
 * under the existing read-model file). New events then reuse positions the read models have
 * passed. Before the fix they were skipped, across restarts, while /health said ok: capacity
 * showed a held bed as vacant. Now each read model notices its checkpoint's event is gone or
 * differs, reports DOWN and rebuilds from zero.
 */

const NOW = new Date('2026-11-30T10:00:00.000Z');
const clock: Clock = { now: () => NOW };
const HOLD_UNTIL = '2026-12-02T10:00:00.000Z';
const LOG_CHANGED = 'the event log no longer holds the event a read model last applied';

interface HealthBody {
  status: string;
  details: { projections: { projections: { name: string; state: string }[] } };
}

/** Keeps what the app logs, to find the runner's line (and check it carries no child data). */
class KeptLog extends LogCapture {
  logChanged() {
    return this.entries().filter((e) => String(e['msg']).startsWith(LOG_CHANGED));
  }
}

async function post(server: TestServer, route: string, token: string, body: unknown): Promise<bigint> {
  const res = await api<Answer>(server, 'POST', route, { token, body });
  if (res.status !== 201) throw new Error(`POST ${route} → ${res.status}: ${JSON.stringify(res.body)}`);
  return BigInt(res.body.position);
}

/** Oak's bed `bedId` held for `referralId` until HOLD_UNTIL; the hold's position. */
function hold(server: TestServer, referralId: string, bedId: string): Promise<bigint> {
  return post(
    server,
    `/v1/referrals/${referralId}/holds`,
    TOKENS.placement,
    aHold({ settingId: 'oak', bedId, until: HOLD_UNTIL }),
  );
}

async function bedsAt(server: TestServer, position: bigint): Promise<Record<string, string>> {
  const res = await api<CapacityBody>(server, 'GET', `/v1/capacity?minPosition=${position}`, {
    token: TOKENS.auditor,
  });
  expect(res.status).toBe(200);
  return Object.fromEntries(
    res.body.units.beds.map((b) => [`${b.settingId}.${b.bedId}`, b.hold ? `held for ${b.hold.referralId}` : b.status]),
  );
}

/** Polls /health until it answers 200; the bound only means "hung". */
async function healthOk(server: TestServer): Promise<HealthBody> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await api<HealthBody>(server, 'GET', '/health');
    if (res.status === 200) return res.body;
    if (Date.now() > deadline) throw new Error(`/health still ${res.status}: ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function cutTail(sqlitePath: string, after: bigint): void {
  const db = new Database(sqlitePath);
  try {
    db.prepare('DELETE FROM events WHERE position > ?').run(after);
  } finally {
    db.close();
  }
}

async function homeWithTwoBedsAndReferrals(server: TestServer): Promise<bigint> {
  await expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'oak' }));
  for (const bedId of ['b1', 'b2'])
    await expectCreated(server, '/v1/settings/oak/beds', TOKENS.admin, { bedId, kind: 'residential', label: bedId });
  await post(server, '/v1/referrals', TOKENS.placement, aReferral({ referralId: 'r-amy', childId: 'amy' }));
  return post(
    server,
    '/v1/referrals',
    TOKENS.placement,
    aReferral({ referralId: 'r-ben', childId: 'ben', child: { sex: 'M' } }),
  );
}

/** The capacity stream as a dashboard keeps it: a snapshot replaces every unit, a delta updates the ones it lists. */
async function followCapacity(server: TestServer) {
  const res = await fetch(`${server.baseUrl}/v1/capacity/stream`, {
    headers: { authorization: `Bearer ${TOKENS.auditor}`, accept: 'text/event-stream' },
  });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const beds = new Map<string, string>();
  const seen: string[] = [];
  let position = -1n;
  const nextEvent = async (): Promise<void> => {
    for (;;) {
      const end = buffered.indexOf('\n\n');
      if (end >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        if (type !== 'snapshot' && type !== 'delta') return;
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        const view = JSON.parse(data) as CapacityBody;
        seen.push(type);
        if (type === 'snapshot') beds.clear();
        for (const b of view.units.beds)
          beds.set(`${b.settingId}.${b.bedId}`, b.hold ? `held for ${b.hold.referralId}` : b.status);
        position = BigInt(view.position);
        return;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffered += decoder.decode(value, { stream: true });
    }
  };
  return {
    beds,
    seen,
    /** Reads events until one reaches `reached` (at least one more when `fresh`: positions can be reused). */
    async until(reached: bigint, fresh = false): Promise<void> {
      if (fresh) await nextEvent();
      while (position < reached) await nextEvent();
    },
    cancel: () => reader.cancel(),
  };
}

describe('read models when the event log changes under the API', () => {
  jest.setTimeout(60_000);

  it('a running server whose log tail is cut: a bed held afterwards shows held, not vacant', async () => {
    const logs = new KeptLog();
    const server = await startServer({}, { clock, logger: logs });
    try {
      const kept = await homeWithTwoBedsAndReferrals(server);
      // Two more events the cut will take away: b2 out of use, then back.
      await post(server, '/v1/settings/oak/beds/b2/out-of-use', TOKENS.admin, {
        reason: 'maintenance',
        from: '2026-11-30',
        to: null,
      });
      const checkpoint = await post(server, '/v1/settings/oak/beds/b2/back-in-use', TOKENS.admin, {
        date: '2026-11-30',
      });
      expect(await bedsAt(server, checkpoint)).toEqual({ 'oak.b1': 'vacant', 'oak.b2': 'vacant' });

      cutTail(server.sqlitePath, kept);
      const held = await hold(server, 'r-amy', 'b1');
      // The hold took a position the read models had already passed.
      expect(held).toBeLessThanOrEqual(checkpoint);

      expect(await bedsAt(server, held)).toEqual({ 'oak.b1': 'held for r-amy', 'oak.b2': 'vacant' });
      const health = await healthOk(server);
      expect(health.details.projections.projections.every((p) => p.state === 'caught-up')).toBe(true);
      const noticed = logs.logChanged();
      expect(noticed).toEqual([
        expect.objectContaining({
          level: 'error',
          // Every read model the API keeps stood on the lost tail.
          projections: allProjections().map((p) => p.name),
          checkpoints: expect.any(Object),
        }),
      ]);
      // Names of read models and positions only: no child's id or date of birth.
      expect(JSON.stringify(noticed)).not.toMatch(/amy|ben|2012-03-04/);
    } finally {
      await server.close();
    }
  });

  it('an open capacity stream is sent a new snapshot after the cut, without the units the log lost', async () => {
    const server = await startServer({}, { clock });
    try {
      const kept = await homeWithTwoBedsAndReferrals(server);
      const added = await post(server, '/v1/settings/oak/beds', TOKENS.admin, {
        bedId: 'b3',
        kind: 'residential',
        label: 'b3',
      });
      const stream = await followCapacity(server);
      await stream.until(added);
      expect(Object.fromEntries(stream.beds)).toEqual({ 'oak.b1': 'vacant', 'oak.b2': 'vacant', 'oak.b3': 'vacant' });

      // The cut takes b3 away; a hold then lands at the position b3's event had.
      cutTail(server.sqlitePath, kept);
      const held = await hold(server, 'r-amy', 'b1');
      expect(held).toBe(added);
      await stream.until(held, true);
      expect(Object.fromEntries(stream.beds)).toEqual({ 'oak.b1': 'held for r-amy', 'oak.b2': 'vacant' });
      expect(stream.seen.slice(1)).toContain('snapshot');
      await stream.cancel();
    } finally {
      await server.close();
    }
  });

  it('an older backup restored under the existing read-model file: noticed on start and after', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'placement-e2e-restore-'));
    const sqlitePath = path.join(dir, 'events.db');
    const backup = path.join(dir, 'events-backup.db');
    try {
      const before = await startServer({}, { dir, clock });
      await homeWithTwoBedsAndReferrals(before);
      // The nightly backup (SQLite's online backup, as `placement-cli backup` takes it) while the API runs.
      const live = new Database(sqlitePath, { readonly: true });
      await live.backup(backup);
      live.close();
      await hold(before, 'r-amy', 'b1');
      const last = await hold(before, 'r-ben', 'b2');
      expect(await bedsAt(before, last)).toEqual({ 'oak.b1': 'held for r-amy', 'oak.b2': 'held for r-ben' });
      await before.close({ keepFiles: true });

      // The operator restores last night's log; the read-model file (READ_MODEL_PATH) stays where it is.
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlitePath}${suffix}`, { force: true });
      copyFileSync(backup, sqlitePath);

      const logs = new KeptLog();
      const restored = await startServer({}, { dir, clock, logger: logs });
      try {
        // In the restored log neither bed is held; Ben's referral now holds b1, at a reused position.
        const held = await hold(restored, 'r-ben', 'b1');
        expect(held).toBeLessThanOrEqual(last);
        expect(await bedsAt(restored, held)).toEqual({ 'oak.b1': 'held for r-ben', 'oak.b2': 'vacant' });
        await healthOk(restored);
        expect(logs.logChanged()).toHaveLength(1);
      } finally {
        await restored.close({ keepFiles: true });
      }

      const logsAgain = new KeptLog();
      const again = await startServer({}, { dir, clock, logger: logsAgain });
      try {
        const head = await api<CapacityBody>(again, 'GET', '/v1/capacity', { token: TOKENS.auditor });
        expect(await bedsAt(again, BigInt(head.body.position))).toEqual({
          'oak.b1': 'held for r-ben',
          'oak.b2': 'vacant',
        });
        expect((await healthOk(again)).status).toBe('ok');
        expect(logsAgain.logChanged()).toEqual([]);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
