import { join } from 'node:path';
import { openSqliteEventStore, type EventStore } from '@placement/event-store';
import {
  auditIndexProjection,
  openReadModelDb,
  ProjectionRunner,
  readChildAudit,
  type ReadModelDb,
} from '@placement/projections';
import { appendAll, syntheticEvents, type StreamEvent } from '@placement/projections/testing';
import { timeIt, type Bench, type BenchContext } from '../harness';

/** The log's length for `audit.child`; 1,000,000 unless BENCH_AUDIT_EVENTS says otherwise (2,000 at smoke size). */
function auditEventCount(size: BenchContext['size']): number {
  if (size === 'smoke') return 2_000;
  const raw = process.env['BENCH_AUDIT_EVENTS'];
  const n = raw === undefined ? 1_000_000 : Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error('BENCH_AUDIT_EVENTS must be a positive whole number');
  return n;
}

/** The baseline's length: 100,000 events, or a tenth of a shorter log. */
const BASELINE_EVENTS = 100_000;
/**
 * Events per authority: the log is authorities one after another (about 2,000 children and two
 * years each), so a longer log is more of England. A unit's own history stays an authority's, as
 * in life; one authority's 18 beds for a million events would be nine centuries of them.
 */
const AUTHORITY_EVENTS = 20_000;
/** Children timed through the index (after a warm-up), and by a scan of the whole log (slow: fewer). */
const INDEXED_SAMPLES = 300;
const WARM_UP = 30;
const SCAN_SAMPLES = 10;

/** The same pseudo-random children on every run. */
function sample<T>(items: readonly T[], count: number, seed: number): T[] {
  let state = seed >>> 0;
  const picked: T[] = [];
  for (let i = 0; i < count; i += 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    picked.push(items[state % items.length]);
  }
  return picked;
}

function p99(ms: readonly number[]): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)];
}

async function timedMs(body: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await body();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function* take<T>(items: Iterator<T>, count: number): Generator<T> {
  for (let i = 0; i < count; i += 1) {
    const next = items.next();
    if (next.done) return;
    yield next.value;
  }
}

/** The audit index brought up to the log's head (a runner started on the file, then stopped); seconds taken. */
async function catchUp(store: EventStore, db: ReadModelDb): Promise<number> {
  const runner = new ProjectionRunner({ store, db, projections: [auditIndexProjection], catchUpBatchSize: 10_000 });
  const seconds = await timeIt(async () => {
    await runner.start();
    if (!(await runner.whenCaughtUp())) throw new Error('the audit index failed during the bench');
  });
  await runner.stop();
  return seconds;
}

/** p99 ms of one child's history (as it stands), through the index and by a scan, over children of the whole log. */
async function measure(store: EventStore, db: ReadModelDb): Promise<{ indexed: number; scanned: number }> {
  const children = db
    .all<{ id: string }>('SELECT DISTINCT child_id AS id FROM audit_child_events')
    .map((row) => row.id);
  const chosen = sample(children, WARM_UP + INDEXED_SAMPLES, 2026);
  const indexed: number[] = [];
  for (const [i, childId] of chosen.entries()) {
    const ms = await timedMs(() => readChildAudit(store, childId, { index: db }));
    if (i >= WARM_UP) indexed.push(ms);
  }
  const scanned: number[] = [];
  for (const childId of sample(children, SCAN_SAMPLES, 1903))
    scanned.push(await timedMs(() => readChildAudit(store, childId)));
  return { indexed: p99(indexed), scanned: p99(scanned) };
}

/**
 * `audit.index.build`: events/s the audit index applies catching up from 100,000 to the full log.
 * `audit.child`: p99 ms of one child's audit history read through the audit index on a log of
 * BENCH_AUDIT_EVENTS synthetic events, against the same at 100,000 events in the same run (the
 * log grown in place); flat in the log's length is a ratio near 1. `audit.child.scan`: the same
 * by a scan of the whole log, as every history was read before the index (fewer samples: slow).
 */
async function timelines({ emit, tmpDir, size }: BenchContext): Promise<void> {
  const count = auditEventCount(size);
  const baselineCount = Math.min(BASELINE_EVENTS, Math.max(1, Math.floor(count / 10)));
  const store = await openSqliteEventStore({ path: join(tmpDir, 'audit-events.db') });
  const db = openReadModelDb({ path: join(tmpDir, 'audit-read-models.db') });
  try {
    const events: Iterator<StreamEvent> = syntheticEvents({ count, seed: 2026, authorityEvents: AUTHORITY_EVENTS })[
      Symbol.iterator
    ]();
    await appendAll(store, take(events, baselineCount), { groupSize: 10_000, idPrefix: 'first' });
    await catchUp(store, db);
    const baseline = await measure(store, db);
    await appendAll(store, take(events, count - baselineCount), { groupSize: 10_000, idPrefix: 'rest' });
    const buildSeconds = await catchUp(store, db);
    const full = await measure(store, db);
    // What the index costs to build: a first start on an existing log applies the whole log to it.
    emit({ bench: 'audit.index.build', value: (count - baselineCount) / buildSeconds, unit: 'events/s' });
    emit({ bench: 'audit.child', value: full.indexed, unit: 'ms', baseline: baseline.indexed });
    emit({ bench: 'audit.child.scan', value: full.scanned, unit: 'ms', baseline: baseline.scanned });
  } finally {
    db.close();
    await store.close();
  }
}

export const auditBench: Bench = {
  name: 'audit',
  figures: ['audit.index.build', 'audit.child', 'audit.child.scan'],
  run: timelines,
};
