import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { Clock, EventStore, RecordedEvent } from '@placement/event-store';
import { openSqliteEventStore, type SqliteEventStore } from '@placement/event-store';
import { readEveryEvent } from '@placement/event-store/testing';
import { openReadModelDb, type ReadModelDb } from '../read-model-db';
import { ProjectionRunner } from '../runner';
import { appendAll } from '../testing/append';
import { syntheticEvents, type StreamEvent } from '../testing/synthetic-events';
import { dumpTables, runToHead, tempFiles, type TempFiles } from '../testing/harness';
import { childRegistered, placementStarted, referralReceived } from '../testing/audit-fixtures';
import { auditIndexProjection } from './audit-index.projection';
import { readChildAudit, readReferralAudit, type AsOfOptions } from './replay';

/**
 * A clock that moves on every reading by a pseudo-random step, now and then back (as a
 * corrected server clock does), so recorded instants vary and are not in commit order.
 */
class SteppingClock implements Clock {
  private ms: number;
  private state: number;
  constructor(start: string, seed: number) {
    this.ms = Date.parse(start);
    this.state = seed;
  }
  now(): Date {
    this.state = (Math.imul(this.state, 1103515245) + 12345) >>> 0;
    const roll = this.state % 100;
    this.ms += roll < 8 ? -((this.state >>> 8) % 7_200_000) : (this.state >>> 8) % 3_600_000;
    return new Date(this.ms);
  }
}

/** The real store, counting the events each kind of read hands back: how much of the log a history costs. */
class CountingStore {
  readAllEvents = 0;
  readStreamEvents = 0;
  constructor(private readonly inner: EventStore) {}
  get store(): EventStore {
    return new Proxy(this.inner, {
      get: (target, name, receiver) => {
        if (name === 'readAll')
          return async (...args: Parameters<EventStore['readAll']>) => {
            const page = await target.readAll(...args);
            this.readAllEvents += page.length;
            return page;
          };
        if (name === 'readStream')
          return async (...args: Parameters<EventStore['readStream']>) => {
            const events = await target.readStream(...args);
            this.readStreamEvents += events.length;
            return events;
          };
        const value: unknown = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}

const idsOf = (events: readonly RecordedEvent[], prefix: string): string[] => [
  ...new Set(events.filter((e) => e.streamId.startsWith(prefix)).map((e) => e.streamId.slice(prefix.length))),
];

/** As-of instants that cut the log at awkward places: exactly an event's recorded instant, and 1 ms either side. */
function cuts(events: readonly RecordedEvent[], count: number): string[] {
  const instants: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const at = Date.parse(events[Math.floor((i * events.length) / (count + 1))].metadata.recordedAt);
    instants.push(new Date(at).toISOString(), new Date(at - 1).toISOString(), new Date(at + 1).toISOString());
  }
  return instants;
}

/**
 * Every child's and referral's history read through the index and by a scan of the whole log,
 * as JSON (what the API sends): the subjects whose two readings differ, with both readings of the first.
 */
async function differences(
  store: EventStore,
  db: ReadModelDb,
  subjects: { children: readonly string[]; referrals: readonly string[] },
  instants: readonly (string | null)[],
): Promise<{ subjects: string[]; first: { indexed: unknown; scanned: unknown } | null; found: number }> {
  const differing: string[] = [];
  let first: { indexed: unknown; scanned: unknown } | null = null;
  let found = 0;
  const compare = (label: string, indexed: unknown, scanned: unknown) => {
    if (indexed !== null) found += 1;
    if (JSON.stringify(indexed) === JSON.stringify(scanned)) return;
    differing.push(label);
    first ??= { indexed, scanned };
  };
  for (const asOf of instants) {
    const withIndex: AsOfOptions = { asOf, index: db };
    for (const childId of subjects.children)
      compare(
        `child ${childId} as of ${asOf}`,
        await readChildAudit(store, childId, withIndex),
        await readChildAudit(store, childId, { asOf }),
      );
    for (const referralId of subjects.referrals)
      compare(
        `referral ${referralId} as of ${asOf}`,
        await readReferralAudit(store, referralId, withIndex),
        await readReferralAudit(store, referralId, { asOf }),
      );
  }
  return { subjects: differing, first, found };
}

/** No subject differs; on failure, the subjects that do and a readable diff of the first. */
function expectNoDifference(result: { subjects: string[]; first: { indexed: unknown; scanned: unknown } | null }) {
  if (result.first !== null) expect(result.first.indexed).toEqual(result.first.scanned);
  expect(result.subjects).toEqual([]);
}

describe('audit index: the same histories as a scan of the log', () => {
  let files: TempFiles;
  let store: SqliteEventStore;
  let events: RecordedEvent[];
  let db: ReadModelDb;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    files = tempFiles('audit-index');
    store = await openSqliteEventStore({
      path: files.eventsPath,
      clock: new SteppingClock('2025-01-01T00:00:00Z', 7),
      pollIntervalMs: 20,
    });
    // Small groups: each transaction takes its own instant from the clock.
    await appendAll(store, syntheticEvents({ count: 800, seed: 11 }), { groupSize: 3 });
    events = await readEveryEvent(store);
    ({ db, runner } = await runToHead(store, files.readModelsPath(), [auditIndexProjection]));
  });

  afterAll(async () => {
    await runner.stop();
    db.close();
    await store.close();
    files.remove();
  });

  it('has recorded instants out of commit order (the as-of cases below depend on it)', () => {
    const stepsBack = events.filter(
      (e, i) => i > 0 && Date.parse(e.metadata.recordedAt) < Date.parse(events[i - 1].metadata.recordedAt),
    );
    expect(stepsBack.length).toBeGreaterThan(10);
  });

  it('gives every child and referral of a synthetic log the scan’s history, now and as of instants', async () => {
    const subjects = { children: [...idsOf(events, 'child-'), 'nobody'], referrals: [...idsOf(events, 'referral-')] };
    expect(subjects.children.length).toBeGreaterThan(50);
    const result = await differences(store, db, subjects, [null, ...cuts(events, 2)]);
    expect(result.found).toBeGreaterThan(subjects.children.length);
    expectNoDifference(result);
  });

  it('reads only the streams a child’s history draws on, none of the rest of the log', async () => {
    const counting = new CountingStore(store);
    const childId = idsOf(events, 'child-')[40];
    const audit = await readChildAudit(counting.store, childId, { index: db });
    expect(audit?.entries.length).toBeGreaterThan(3);
    // At the index's checkpoint there is nothing after it to pass over.
    expect(counting.readAllEvents).toBe(0);
    const streams = new Set(audit?.streams);
    const drawnOn = events.filter((e) => streams.has(e.streamId)).length;
    expect(counting.readStreamEvents).toBeLessThanOrEqual(drawnOn + 1);
  });

  it('takes the events the index has not applied yet from the log after its checkpoint', async () => {
    await runner.stop();
    const childId = idsOf(events, 'child-')[3];
    // A new referral and placement for a child already indexed, and a new child: none applied.
    const more: StreamEvent[] = [
      { streamId: 'referral-late-1', event: referralReceived('late-1', childId, '2025-06-01T10:00:00Z') },
      {
        streamId: `child-${childId}`,
        event: placementStarted(childId, 'late-p1', 'home-1', 'b1', 'late-1', '2025-06-01'),
      },
      { streamId: 'child-late-child', event: childRegistered('late-child') },
    ];
    await appendAll(store, more, { groupSize: 1, idPrefix: 'late' });
    const all = await readEveryEvent(store);
    const counting = new CountingStore(store);
    await readChildAudit(counting.store, childId, { index: db });
    // Only what the index has not applied is passed over, not the log before it.
    expect(counting.readAllEvents).toBe(more.length);
    expectNoDifference(
      await differences(store, db, { children: [childId, 'late-child'], referrals: ['late-1'] }, [
        null,
        ...cuts(all, 2),
      ]),
    );
    const now = await readChildAudit(store, childId, { index: db });
    expect(now?.entries.filter((e) => e.decision.includes('late-p1') || e.streamId === 'referral-late-1')).toHaveLength(
      2,
    );
    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(true);
  });
});

describe('audit index: as of an instant', () => {
  let files: TempFiles;

  beforeEach(() => {
    files = tempFiles('audit-index-as-of');
  });
  afterEach(() => files.remove());

  it('never shows an event as of an instant before the event that ties it to the child was recorded', async () => {
    let now = '2026-03-01T09:00:00.000Z';
    const store = await openSqliteEventStore({ path: files.eventsPath, clock: { now: () => new Date(now) } });
    const append = (streamId: string, type: string, data: unknown) =>
      appendAll(store, [{ streamId, event: { type, data } as StreamEvent['event'] }], {
        idPrefix: `${streamId}-${type}`,
      });
    await append('child-c1', 'ChildRegistered', childRegistered('c1').data);
    // The placement is recorded on day 3 ...
    now = '2026-03-03T09:00:00.000Z';
    await append('child-c1', 'PlacementStarted', placementStarted('c1', 'p1', 'oak', 'b1', null, '2026-03-01').data);
    // ... and, after the server's clock was set back, a unit event of it is stamped day 2.
    now = '2026-03-02T09:00:00.000Z';
    await append('household-h1', 'ChildLeftHousehold', {
      householdId: 'h1',
      placementId: 'p1',
      date: '2026-03-02',
      reason: 'placement-ended',
    });
    const { db, runner } = await runToHead(store, files.readModelsPath(), [auditIndexProjection]);
    try {
      const typesAsOf = async (asOf: string | null, index: ReadModelDb | null) =>
        (await readChildAudit(store, 'c1', { asOf, index }))?.entries.map((e) => e.type);
      // On day 2½ the record held the unit's event, but nothing yet said p1 was c1's placement.
      expect(await typesAsOf('2026-03-02T12:00:00Z', db)).toEqual(['ChildRegistered']);
      expect(await typesAsOf('2026-03-02T12:00:00Z', null)).toEqual(['ChildRegistered']);
      for (const asOf of ['2026-03-03T09:00:00.000Z', null]) {
        expect(await typesAsOf(asOf, db)).toEqual(['ChildRegistered', 'PlacementStarted', 'ChildLeftHousehold']);
        expect(await typesAsOf(asOf, db)).toEqual(await typesAsOf(asOf, null));
      }
    } finally {
      await runner.stop();
      db.close();
      await store.close();
    }
  });
});

describe('audit index: built live or rebuilt from zero', () => {
  let files: TempFiles;
  beforeEach(() => {
    files = tempFiles('audit-index-rebuild');
  });
  afterEach(() => files.remove());

  it('holds the same rows whether it followed the log live or was rebuilt from zero', async () => {
    const store = await openSqliteEventStore({
      path: files.eventsPath,
      clock: new SteppingClock('2025-01-01T00:00:00Z', 3),
      pollIntervalMs: 5,
    });
    const live = openReadModelDb({ path: files.readModelsPath('live') });
    const runner = new ProjectionRunner({ store, db: live, projections: [auditIndexProjection] });
    await runner.start();
    // Live: the runner applies what arrives, a few events at a time, as the log grows.
    const generated = [...syntheticEvents({ count: 900, seed: 5 })];
    for (let i = 0; i < generated.length; i += 30) {
      await appendAll(store, generated.slice(i, i + 30), { groupSize: 4, idPrefix: `live-${i}` });
      if (i % 90 === 0) expect(await runner.whenCaughtUp()).toBe(true);
    }
    expect(await runner.whenCaughtUp()).toBe(true);
    await runner.stop();
    const rebuilt = await runToHead(store, files.readModelsPath('rebuilt'), [auditIndexProjection], {
      catchUpBatchSize: 10_000,
    });
    try {
      const liveRows = dumpTables(live, [auditIndexProjection]);
      expect(liveRows['audit_child_events'].length).toBeGreaterThan(500);
      expect(dumpTables(rebuilt.db, [auditIndexProjection])).toEqual(liveRows);
    } finally {
      await rebuilt.runner.stop();
      rebuilt.db.close();
      live.close();
      await store.close();
    }
  });
});

describe('audit index: a log that changed under it', () => {
  let files: TempFiles;
  beforeEach(() => {
    files = tempFiles('audit-index-cut');
  });
  afterEach(() => files.remove());

  it('is not trusted once the log no longer holds the event it stands on: the history is the new log’s', async () => {
    const store = await openSqliteEventStore({ path: files.eventsPath, pollIntervalMs: 20 });
    await appendAll(store, syntheticEvents({ count: 400, seed: 9 }), { idPrefix: 'first' });
    const { db, runner } = await runToHead(store, files.readModelsPath(), [auditIndexProjection]);
    await runner.stop();
    const childId = idsOf(await readEveryEvent(store), 'child-')[5];
    const before = await readChildAudit(store, childId, { index: db });
    // An older copy put back, then other events written at the reused positions.
    const raw = new Database(files.eventsPath);
    raw.prepare('DELETE FROM events WHERE position > 199').run();
    raw.close();
    await store.close();
    const reopened = await openSqliteEventStore({ path: files.eventsPath });
    await appendAll(reopened, syntheticEvents({ count: 400, seed: 10 }), { idPrefix: 'second' });
    try {
      const after = await readChildAudit(reopened, childId, { index: db });
      expect(after).toEqual(await readChildAudit(reopened, childId));
      expect(after).not.toEqual(before);
    } finally {
      db.close();
      await reopened.close();
    }
  });
});

/** Ids from small pools, so that random events keep naming the same children, referrals and placements. */
const CHILDREN = ['c1', 'c2'];
const REFERRALS = ['r1', 'r2'];
const PLACEMENTS = ['p1', 'p2'];
/** Unit streams twice: their events reach a child only through the links, the case most worth trying. */
const STREAMS = [
  ...CHILDREN.map((c) => `child-${c}`),
  ...REFERRALS.map((r) => `referral-${r}`),
  'bed-s1.b1',
  'bed-s1.b1',
  'household-h1',
  'household-h1',
  'contract-k1',
  'setting-s1',
  'note-x',
];

/**
 * An event of any shape on any stream: a referral received (naming a child), or an event of a
 * type this build does not know carrying any mix of child, referral and placement ids (empty ones
 * too), recorded at any hour of a short day: the clock goes back as often as forward.
 */
const randomEvent = fc.record({
  streamId: fc.constantFrom(...STREAMS),
  received: fc.boolean(),
  childId: fc.option(fc.constantFrom(...CHILDREN, ''), { nil: undefined }),
  referralId: fc.option(fc.constantFrom(...REFERRALS, ''), { nil: undefined }),
  placementId: fc.option(fc.constantFrom(...PLACEMENTS, ''), { nil: undefined }),
  hour: fc.integer({ min: 0, max: 12 }),
});

describe('audit index: property', () => {
  it('lists what the scan picks for any log, now and as of every instant on it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(randomEvent, { minLength: 10, maxLength: 30 }), async (generated) => {
        const files = tempFiles('audit-index-property');
        let hour = 0;
        const store = await openSqliteEventStore({
          path: files.eventsPath,
          clock: { now: () => new Date(Date.UTC(2026, 0, 1, hour)) },
        });
        try {
          for (const [i, g] of generated.entries()) {
            hour = g.hour;
            const data =
              g.received && g.childId !== undefined && g.referralId !== undefined
                ? referralReceived(g.referralId, g.childId, '2026-01-01T00:00:00Z').data
                : {
                    ...(g.childId === undefined ? {} : { childId: g.childId }),
                    ...(g.referralId === undefined ? {} : { referralId: g.referralId }),
                    ...(g.placementId === undefined ? {} : { placementId: g.placementId }),
                  };
            const type =
              g.received && g.childId !== undefined && g.referralId !== undefined ? 'ReferralReceived' : 'Noted';
            await appendAll(store, [{ streamId: g.streamId, event: { type, data } as StreamEvent['event'] }], {
              idPrefix: `e${i}`,
            });
          }
          const { db, runner } = await runToHead(store, files.readModelsPath(), [auditIndexProjection]);
          try {
            // Every hour an event may be recorded at: an as-of instant includes its own hour.
            const instants = [
              null,
              ...Array.from({ length: 13 }, (_, h) => new Date(Date.UTC(2026, 0, 1, h)).toISOString()),
            ];
            expectNoDifference(await differences(store, db, { children: CHILDREN, referrals: REFERRALS }, instants));
          } finally {
            await runner.stop();
            db.close();
          }
        } finally {
          await store.close();
          files.remove();
        }
      }),
      { numRuns: 100 },
    );
  });
});
