import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { bootstrapApplication, LOG_TAIL, type LogTail } from '@placement/api';
import { addDays } from '@placement/domain';
import { openSqliteEventStore } from '@placement/event-store';
import type { EstateScale } from '@placement/matching';
import { aBed, aReferral, aSetting, TOKENS } from '@placement/test-support';
// The store is written by `seed national`'s own code (the CLI is an app, with no package name to import it by).
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  ENGLAND_CHILDREN_IN_CARE,
  englandDistricts,
  seedNational,
} from '../../../../apps/placement-cli/src/commands/seed-national';
import type { Bench, BenchContext } from '../harness';

/**
 * The reads around the engine at England's scale, through HTTP on a store written by `seed
 * national`: a referral's default matches (the summary), one authority's capacity page, and a
 * capacity stream resumed with Last-Event-ID after it missed `missed` changes; and how long writing
 * the readers' snapshot of that estate holds the event loop (`snapshot.held`).
 *
 * Then `startup.national`: seconds from starting the API's own process (the built `main.js`) to
 * `/health/ready` on that store, its read models present and caught up, after a stop of the same
 * build (when the bench runs from its TypeScript source, as at smoke, a second app in this process
 * stands in: no process start); and `startup.national.first-match`, ms of the first match asked of
 * it once ready (what the first placement officer after a restart waits).
 *
 * BENCH_SCALE_ESTATE picks the estate (`national`, the default, or `rotherham`: a hundredth of
 * it, a modest run, and every figure is that estate's); BENCH_SCALE_CHILDREN the children in
 * care (84,000 by default, 600 at smoke). Smoke runs the Rotherham-scale estate with a few requests.
 */
const SIZES = {
  full: { requests: 200, missed: 1_000 },
  smoke: { requests: 3, missed: 20 },
} as const;

function percentile(sortedMs: readonly number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)];
}

function estateOf(size: BenchContext['size']): { scale: EstateScale; childrenInCare: number } {
  if (size === 'smoke') return { scale: 'rotherham', childrenInCare: 600 };
  const scale = process.env['BENCH_SCALE_ESTATE'] ?? 'national';
  if (scale !== 'national' && scale !== 'rotherham')
    throw new Error('BENCH_SCALE_ESTATE must be national or rotherham');
  const children = Number(process.env['BENCH_SCALE_CHILDREN'] ?? ENGLAND_CHILDREN_IN_CARE);
  if (!Number.isInteger(children) || children <= 0)
    throw new Error('BENCH_SCALE_CHILDREN must be a positive whole number');
  return { scale, childrenInCare: children };
}

/** Writes `seed national`'s store, at the estate and children BENCH_SCALE_* pick, to `sqlitePath`. */
export async function seedNationalStore(sqlitePath: string, size: BenchContext['size']): Promise<void> {
  const store = await openSqliteEventStore({ path: sqlitePath });
  try {
    await seedNational(store, { seed: 18, districts: englandDistricts(), ...estateOf(size) });
  } finally {
    await store.close();
  }
}

async function run({ emit, size, tmpDir }: BenchContext): Promise<void> {
  const { requests, missed } = SIZES[size];
  const sqlitePath = join(tmpDir, 'events.db');
  await seedNationalStore(sqlitePath, size);

  const env = {
    NODE_ENV: 'test',
    SQLITE_PATH: sqlitePath,
    READ_MODEL_PATH: join(tmpDir, 'read-models.db'),
    SEED_DEMO_ESTATE: 'false',
    RECONCILE_INTERVAL_SECONDS: '0',
  };
  const { app } = await bootstrapApplication({ nestFactory: NestFactory, logger: false, env });
  try {
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${TOKENS.placement}`,
      'content-type': 'application/json',
    };
    const call = async (method: string, route: string, body?: unknown, as = headers): Promise<Response> => {
      const res = await fetch(`${base}${route}`, {
        method,
        headers: as,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
      return res;
    };
    // The read models catch up with the seeded log first: every read below is answered from them.
    await whenReady(base, 250);

    // A referral from the authority of the first home listed, for a child who lives there.
    const settings = (await (await call('GET', '/v1/settings?limit=1')).json()) as {
      items: { localAuthority: string; postcode: string }[];
    };
    const { localAuthority, postcode } = settings.items[0];
    const district = postcode.split(' ')[0];
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    await call(
      'POST',
      '/v1/referrals',
      aReferral({
        referralId: 'bench-scale-ref',
        childId: 'bench-scale-child',
        child: { dateOfBirth: '2012-05-14', localAuthority, homePostcode: postcode },
        startDate: addDays(today, 7),
        needs: { preferredArea: { postcodeDistrict: district, maxDistanceKm: 50 } },
        requestedBy: { role: 'social-worker', team: 'bench' },
      }),
    );

    const timed = async (route: string): Promise<{ sorted: number[]; bytes: number }> => {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < requests + 3; i++) {
        const start = process.hrtime.bigint();
        const body = await (await call('GET', route)).arrayBuffer();
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        // The first three warm the route up.
        if (i >= 3) times.push(ms);
        bytes = body.byteLength;
      }
      return { sorted: times.sort((a, b) => a - b), bytes };
    };
    const matches = await timed('/v1/referrals/bench-scale-ref/matches');
    emit({ bench: 'match.api.national', value: percentile(matches.sorted, 99), unit: 'ms' });
    emit({ bench: 'match.api.national.bytes', value: matches.bytes / 1024, unit: 'KiB' });
    const capacity = await timed(`/v1/capacity?authority=${localAuthority}&limit=50`);
    emit({ bench: 'capacity.api.national', value: percentile(capacity.sorted, 99), unit: 'ms' });

    emit({ bench: 'sse.resume', value: await resumeMs(base, call, missed, today), unit: 'ms' });

    // A match first: the changes above have the matching index rebuilt, which is not the snapshot's time.
    await call('GET', '/v1/referrals/bench-scale-ref/matches');
    const snapshot = await snapshotHeld(app.get<LogTail>(LOG_TAIL));
    emit({ bench: 'snapshot.held', value: snapshot.heldMs, unit: 'ms', baseline: snapshot.totalMs });
  } finally {
    await app.close();
  }
  // The store and its read models are on disk, caught up: the next start finds them so.
  const startup = await restart(env);
  emit({ bench: 'startup.national', value: startup.seconds, unit: 's' });
  emit({ bench: 'startup.national.first-match', value: startup.firstMatchMs, unit: 'ms' });
}

/**
 * `snapshot.held`: the longest the event loop was held (no request answered) while the readers'
 * snapshot of the whole estate was written, against the whole write's ms as the baseline.
 */
async function snapshotHeld(tail: LogTail): Promise<{ heldMs: number; totalMs: number }> {
  await tail.caughtUp();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const start = process.hrtime.bigint();
  await tail.writeSnapshot();
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
  delay.disable();
  return { heldMs: delay.max / 1e6, totalMs };
}

/** Waits for `/health/ready` to answer 200; a socket closed or refused meanwhile is tried again. */
async function whenReady(base: string, everyMs: number): Promise<void> {
  for (let ready = false; !ready;) {
    ready = await fetch(`${base}/health/ready`).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status === 200;
      },
      () => false,
    );
    if (!ready) await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** What a start of the API costs: seconds to its first 200 from `/health/ready`, then ms of the first match. */
interface Startup {
  seconds: number;
  firstMatchMs: number;
}

/** Ms of the first `GET` of the bench referral's matches on a server that has just said it is ready. */
async function firstMatchMs(base: string): Promise<number> {
  const start = process.hrtime.bigint();
  const res = await fetch(`${base}/v1/referrals/bench-scale-ref/matches`, {
    headers: { authorization: `Bearer ${TOKENS.placement}` },
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`first match after start: ${res.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * A start of the API on `env`'s store: a node process of the built API when there is one beside
 * this bench, else a second app in this process. Stopped with SIGTERM, as a council's service
 * manager stops it, so it leaves what a stop leaves (its readers' snapshot) for the next start.
 */
async function startOnce(env: Record<string, string>): Promise<Startup> {
  const built = join(__dirname, '../../../../apps/placement-api/src/main.js');
  const register = join(__dirname, '../../../../../tools/register-paths.js');
  const start = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - start) / 1e9;
  if (!__filename.endsWith('.js') || !existsSync(built)) {
    const { app } = await bootstrapApplication({ nestFactory: NestFactory, logger: false, env });
    try {
      await app.listen(0, '127.0.0.1');
      const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      await whenReady(base, 20);
      return { seconds: seconds(), firstMatchMs: await firstMatchMs(base) };
    } finally {
      await app.close();
    }
  }
  const child = spawn(process.execPath, ['-r', register, built], {
    env: { PATH: process.env['PATH'] ?? '', ...env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'log' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    // The API names the port it bound in its `listening` line.
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const line = output.split('\n').find((l) => l.includes('"msg":"listening"'));
        if (line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('exit', () => reject(new Error(`the API exited before it listened:\n${output.slice(-2000)}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    await whenReady(base, 20);
    return { seconds: seconds(), firstMatchMs: await firstMatchMs(base) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/**
 * `startup.national`: a restart of the API as a council would restart it, on a store whose read
 * models are present and caught up. The first start here follows the bench's own in-process app,
 * whose stop leaves state written by a different program (this bench's process): it is not
 * measured; the second, after the same build's own stop, is.
 */
async function restart(env: Record<string, string>): Promise<Startup> {
  await startOnce(env);
  return startOnce(env);
}

/**
 * A capacity stream's last event id, `missed` changes (a bed's out-of-use periods) while it is
 * away, then ms from the reconnect with Last-Event-ID to the first event it is sent.
 */
async function resumeMs(
  base: string,
  call: (method: string, route: string, body?: unknown, as?: Record<string, string>) => Promise<Response>,
  missed: number,
  today: string,
): Promise<number> {
  const admin = { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' };
  await call(
    'POST',
    '/v1/settings',
    aSetting({
      settingId: 'bench-scale-home',
      name: 'Bench home',
      provider: { kind: 'in-house', name: 'Bench', code: 'PR1' },
    }),
    admin,
  );
  await call('POST', '/v1/settings/bench-scale-home/beds', aBed({ bedId: 'b1', label: 'b1' }), admin);

  const lastId = await firstEventId(base, {});
  let position = '';
  for (let i = 0; i < missed; i++) {
    const from = addDays(today, 30 + 2 * i);
    const res = await call(
      'POST',
      '/v1/settings/bench-scale-home/beds/b1/out-of-use',
      { reason: 'maintenance', from, to: addDays(from, 1) },
      admin,
    );
    position = ((await res.json()) as { position: string }).position;
  }
  // The read model has every missed change before the reconnect: what is timed is the resumption alone.
  await call('GET', `/v1/capacity?minPosition=${position}&limit=1`);
  const start = process.hrtime.bigint();
  await firstEventId(base, { 'last-event-id': lastId });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Opens the capacity stream, reads up to its first event's id, and closes it. */
async function firstEventId(base: string, extra: Record<string, string>): Promise<string> {
  const abort = new AbortController();
  const res = await fetch(`${base}/v1/capacity/stream`, {
    headers: { authorization: `Bearer ${TOKENS.placement}`, accept: 'text/event-stream', ...extra },
    signal: abort.signal,
  });
  if (!res.body) throw new Error('the stream has no body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const id = /^id: (\d+)$/m.exec(buffered)?.[1];
      if (id !== undefined) return id;
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended before its first event');
      buffered += decoder.decode(value, { stream: true });
    }
  } finally {
    abort.abort();
  }
}

export const scaleBench: Bench = {
  name: 'scale',
  figures: [
    'match.api.national',
    'match.api.national.bytes',
    'capacity.api.national',
    'sse.resume',
    'snapshot.held',
    'startup.national',
    'startup.national.first-match',
  ],
  run,
};
