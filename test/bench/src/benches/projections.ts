import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { bootstrapApplication } from '@placement/api';
import { openSqliteEventStore } from '@placement/event-store';
import { allProjections, openReadModelDb, ProjectionRunner } from '@placement/projections';
import { appendAll, syntheticEvents } from '@placement/projections/testing';
import { aBed, aSetting, TOKENS } from '@placement/test-support';
import { timeIt, type Bench, type BenchContext } from '../harness';

/** Events in the rebuild bench; 1,000,000 unless BENCH_REBUILD_EVENTS says otherwise (2,000 at smoke size). */
function rebuildEventCount(size: BenchContext['size']): number {
  if (size === 'smoke') return 2_000;
  const raw = process.env['BENCH_REBUILD_EVENTS'];
  const n = raw === undefined ? 1_000_000 : Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error('BENCH_REBUILD_EVENTS must be a positive whole number');
  return n;
}

/** `rebuild`: every read model rebuilt from zero, against reading the same log raw (readAll pages) in the same run. */
async function rebuildBench({ emit, tmpDir, size }: BenchContext): Promise<void> {
  const count = rebuildEventCount(size);
  const store = await openSqliteEventStore({ path: join(tmpDir, 'events.db') });
  const loadSeconds = await timeIt(() =>
    appendAll(store, syntheticEvents({ count, seed: 2026 }), { groupSize: 10_000 }),
  );
  emit({ bench: 'rebuild.load', value: count / loadSeconds, unit: 'events/s' });

  const readAllRates: number[] = [];
  const rebuildRates: number[] = [];
  // Interleaved, best of two: a neighbour's burst should not land on one side alone.
  for (let round = 0; round < 2; round += 1) {
    const readSeconds = await timeIt(async () => {
      let after = -1n;
      for (;;) {
        const page = await store.readAll({ after, maxCount: 5000 });
        if (page.length === 0) break;
        after = page[page.length - 1].position;
      }
    });
    readAllRates.push(count / readSeconds);
    const db = openReadModelDb({ path: join(tmpDir, `read-models-${round}.db`) });
    const runner = new ProjectionRunner({ store, db, projections: allProjections(), catchUpBatchSize: 10_000 });
    const rebuildSeconds = await timeIt(async () => {
      await runner.start();
      if (!(await runner.whenCaughtUp())) throw new Error('a projection failed during the rebuild bench');
    });
    await runner.stop();
    db.close();
    rebuildRates.push(count / rebuildSeconds);
  }
  await store.close();
  emit({ bench: 'rebuild.readAll', value: Math.max(...readAllRates), unit: 'events/s' });
  emit({ bench: 'rebuild', value: Math.max(...rebuildRates), unit: 'events/s', baseline: Math.max(...readAllRates) });
}

/** A real server on a store of its own in `tmpDir` (files named after `name`): no demo estate, no reconciler. */
function bootServer(tmpDir: string, name: string) {
  return bootstrapApplication({
    nestFactory: NestFactory,
    logger: false,
    env: {
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      SQLITE_PATH: join(tmpDir, `${name}-events.db`),
      READ_MODEL_PATH: join(tmpDir, `${name}-read-models.db`),
      SEED_DEMO_ESTATE: 'false',
      RECONCILE_INTERVAL_SECONDS: '0',
    },
  });
}

/**
 * `sse.lag.p99`: ms from a command's 201 to the capacity SSE delta that includes its position,
 * on a real server on loopback.
 */
async function sseLagBench({ emit, tmpDir, size }: BenchContext): Promise<void> {
  const { app } = await bootServer(tmpDir, 'sse');
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let pump: Promise<void> | undefined;
  const lags: number[] = [];
  // However it ends, the stream and the server are closed: a failed bench must not hang its process.
  try {
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const headers = { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' };
    const post = async (route: string, body: unknown): Promise<bigint> => {
      const res = await fetch(`${base}${route}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`POST ${route} → ${res.status}`);
      return BigInt(((await res.json()) as { position: string }).position);
    };
    // A home is registered for at most 50 children and never has more beds than that (the
    // registration rule), so the beds are spread over as many homes as the rounds need.
    const HOME_BEDS = 50;
    const registerHome = (n: number) =>
      post(
        '/v1/settings',
        aSetting({
          settingId: `lag-home-${n}`,
          name: `Lag Home ${n}`,
          urn: `SC9${String(n).padStart(5, '0')}`,
          maxChildren: HOME_BEDS,
        }),
      );

    const stream = await fetch(`${base}/v1/capacity/stream`, {
      headers: { authorization: `Bearer ${TOKENS.admin}`, accept: 'text/event-stream' },
    });
    const open = (stream.body as ReadableStream<Uint8Array>).getReader();
    reader = open;
    const decoder = new TextDecoder();
    let seenPosition = -1n;
    const waiting: { current: { position: bigint; resolve: () => void } | null } = { current: null };
    let buffered = '';
    // Reads the stream in the background, noting the highest position a delta carried.
    pump = (async () => {
      for (;;) {
        const { value, done } = await open.read();
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(block)?.[1];
          if (id !== undefined && BigInt(id) > seenPosition) seenPosition = BigInt(id);
          const current = waiting.current;
          if (current && seenPosition >= current.position) {
            waiting.current = null;
            current.resolve();
          }
        }
      }
    })();

    const rounds = size === 'smoke' ? 60 : 300;
    for (let i = 0; i < rounds; i += 1) {
      const home = Math.floor(i / HOME_BEDS);
      if (i % HOME_BEDS === 0) await registerHome(home);
      const position = await post(`/v1/settings/lag-home-${home}/beds`, aBed({ bedId: `b${i}` }));
      const acknowledged = process.hrtime.bigint();
      if (seenPosition < position) {
        await new Promise<void>((resolve, reject) => {
          // Only a bound on "hung": a slow machine is measured, not failed.
          const timer = setTimeout(() => reject(new Error(`no SSE message for position ${position} in 60 s`)), 60_000);
          waiting.current = {
            position,
            resolve: () => {
              clearTimeout(timer);
              resolve();
            },
          };
        });
      }
      // Arrived before the acknowledgement was read: counted as 0 ms.
      lags.push(Math.max(0, Number(process.hrtime.bigint() - acknowledged) / 1e6));
    }
  } finally {
    await reader?.cancel().catch(() => undefined);
    await pump?.catch(() => undefined);
    await app.close();
  }
  lags.sort((a, b) => a - b);
  const at = (q: number) => lags[Math.min(lags.length - 1, Math.ceil(q * lags.length) - 1)];
  emit({ bench: 'sse.lag.p50', value: at(0.5), unit: 'ms' });
  emit({ bench: 'sse.lag.p99', value: at(0.99), unit: 'ms' });
}

/**
 * `shutdown.openStreams`: ms for the server to shut down while clients hold capacity streams
 * open (keep-alive connections). The e2e test checks that the streams are ended; how fast is
 * a figure, not a test (it was about 4 s when the ended streams held their connections).
 */
async function shutdownWithOpenStreamsBench({ emit, tmpDir }: BenchContext): Promise<void> {
  const { app } = await bootServer(tmpDir, 'shutdown');
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const streams = 10;
  const readers = await Promise.all(
    Array.from({ length: streams }, async () => {
      const res = await fetch(`${base}/v1/capacity/stream`, {
        headers: { authorization: `Bearer ${TOKENS.auditor}`, accept: 'text/event-stream' },
      });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read(); // the snapshot: the stream is open
      return reader;
    }),
  );
  const started = process.hrtime.bigint();
  await app.close();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await Promise.all(readers.map((reader) => reader.cancel().catch(() => undefined)));
  emit({ bench: 'shutdown.openStreams', value: ms, unit: 'ms' });
}

export const projectionsBench: Bench = {
  name: 'projections',
  figures: ['shutdown.openStreams', 'sse.lag.p50', 'sse.lag.p99', 'rebuild.load', 'rebuild.readAll', 'rebuild'],
  async run(context) {
    await shutdownWithOpenStreamsBench(context);
    await sseLagBench(context);
    await rebuildBench(context);
  },
};
