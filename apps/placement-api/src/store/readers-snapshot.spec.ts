import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bedStreamId, childStreamId, referralStreamId } from '@placement/domain';
import { openSqliteEventStore, type EventStore, type SqliteEventStore } from '@placement/event-store';
import { filter, tap } from 'rxjs';
import { bootstrapApplication } from '../bootstrap';
import { UnitDirectory } from '../directory/unit-directory';
import { CapacityProjection } from '../matching/capacity-projection';
import { anEvent, FixedClock } from '../matching/testing/capacity-store';
import { LogTail } from './log-tail';
import { ReadersSnapshotFile, type SnapshotPart } from './readers-snapshot';

/** The app's two in-memory readers on one tail, as the store module wires them. */
interface Readers {
  tail: LogTail;
  directory: UnitDirectory;
  capacity: CapacityProjection;
  /** How many of the log's events the store handed the tail (read or delivered, each counted once). */
  handed: () => number;
}

const clock = new FixedClock(new Date('2026-11-27T10:00:00.000Z'));

/** The store as far as `upTo` only (the log as it was then), counting what it hands over. */
function storeView(
  store: EventStore,
  upTo = BigInt(Number.MAX_SAFE_INTEGER),
): { view: EventStore; handed: () => number } {
  const handed = new Set<bigint>();
  const view = Object.create(store) as EventStore;
  view.headPosition = async () => {
    const head = await store.headPosition();
    return head < upTo ? head : upTo;
  };
  view.readAll = async (options) => {
    const page = (await store.readAll(options)).filter((e) => e.position <= upTo);
    for (const e of page) handed.add(e.position);
    return page;
  };
  view.subscribeToAll = (options) =>
    store.subscribeToAll(options).pipe(
      filter((e) => e.position <= upTo),
      tap((e) => handed.add(e.position)),
    );
  return { view, handed: () => handed.size };
}

/** Both readers caught up with `store` (up to `upTo`), from the snapshot in `file` when it fits. */
async function readersOn(store: EventStore, file?: string, upTo?: bigint): Promise<Readers> {
  const { view, handed } = storeView(store, upTo);
  const snapshot = file === undefined ? undefined : new ReadersSnapshotFile(file);
  const tail = new LogTail(view, LogTail.name, undefined, -1n, snapshot);
  const readers = {
    tail,
    directory: new UnitDirectory(view, tail),
    capacity: new CapacityProjection(view, clock, tail),
  };
  tail.start();
  await tail.caughtUp();
  return { ...readers, handed };
}

async function stop({ tail, capacity }: Readers): Promise<void> {
  await tail.stop();
  await capacity.onApplicationShutdown();
}

/** Everything the readers folded: the directory's every field, and the capacity's whole state. */
function stateOf({ directory, capacity }: Readers): unknown {
  return { directory: { ...directory, tail: undefined }, capacity: capacity['state'] };
}

describe("the in-memory readers' snapshot", () => {
  let dir: string;
  let store: SqliteEventStore;
  /** The demo estate seeded through the app: every kind of fact the readers keep but holds and step-downs. */
  let seeded: bigint;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dir = mkdtempSync(path.join(tmpdir(), 'readers-snapshot-'));
    const files = {
      SQLITE_PATH: path.join(dir, 'events.db'),
      READ_MODEL_PATH: path.join(dir, 'app', 'read-models.db'),
    };
    const env = { NODE_ENV: 'test', PORT: '0', SEED_DEMO_ESTATE: 'true', ...files };
    await (await bootstrapApplication({ nestFactory: NestFactory, logger: false, env })).app.close();
    store = await openSqliteEventStore({ path: path.join(dir, 'events.db'), pollIntervalMs: 20 });
    seeded = await store.headPosition();
    // What the seed never writes: a hold and a step-down for seeded children, then a withdrawal.
    const c = await readersOn(store);
    const [referralId, referral] = [...c.directory['referrals'].entries()][0];
    const [placementId, placement] = [...c.directory['placements'].entries()][0];
    const settingId = c.directory.settingIds()[0];
    const bedId = c.directory.bedsOf(settingId)[0];
    await stop(c);
    await store.append(bedStreamId(settingId, bedId), [
      anEvent('BedHeld', {
        settingId,
        bedId,
        referralId,
        childId: referral.childId,
        until: '2026-11-28T10:00:00.000Z',
        at: '2026-11-27T10:00:00.000Z',
      }),
    ]);
    await store.append(childStreamId(placement.childId), [
      anEvent('StepDownPlanned', {
        childId: placement.childId,
        stepDownId: 'sd-1',
        fromPlacementId: placementId,
        toHouseholdId: 'h-1',
        plannedDate: '2026-12-20',
        safetyPlan: { summary: 'plan' },
        milestones: [],
      }),
    ]);
    await store.append(referralStreamId(referralId), [
      anEvent('ReferralWithdrawn', { referralId, reason: 'duplicate', at: '2026-11-27T10:00:00.000Z' }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const snapshotFile = () => path.join(mkdtempSync(path.join(dir, 'snapshot-')), 'readers.snapshot');

  it.each([
    ['midway through the seed', () => seeded / 2n],
    ['after the seed, before the hold, the step-down and the withdrawal', () => seeded],
    ['after the hold, before the step-down and the withdrawal', () => seeded + 1n],
    ['after the step-down, before the withdrawal (every field filled: see below)', () => seeded + 2n],
  ])('from a snapshot taken %s, then the rest of the log: as if folded from the start', async (_, at) => {
    const file = snapshotFile();
    const first = await readersOn(store, file, at());
    expect(first.tail.position).toBe(at());
    await stop(first);

    const resumed = await readersOn(store, file);
    const folded = await readersOn(store);
    const head = await store.headPosition();
    expect(resumed.tail.position).toBe(head);
    // Only the snapshot's own event (to check it is this log's) and the rest were read; the same came out.
    expect(resumed.handed()).toBe(Number(head - at()) + 1);
    expect(stateOf(resumed)).toStrictEqual(stateOf(folded));
    await stop(resumed);
    await stop(folded);
  });

  it('fills every field of both readers before the last snapshot above, so none can be left out unseen', async () => {
    const file = snapshotFile();
    const readers = await readersOn(store, file, seeded + 2n);
    await stop(readers);
    const filled = (value: unknown) =>
      value !== null && (typeof value !== 'object' || (value as { size?: number }).size !== 0);
    const { directory, capacity } = stateOf(readers) as Record<string, Record<string, unknown>>;
    const empty = [...Object.entries({ ...directory, tail: 'not state' }), ...Object.entries(capacity)]
      .filter(([, value]) => !filled(value))
      .map(([name]) => name);
    expect(empty).toEqual([]);
  });

  it('folds from the start on a log that is not the one the snapshot was taken on', async () => {
    // A store restored from a backup older than the snapshot, and another store as long as it.
    for (const events of [Number(seeded / 2n), Number(seeded) + 1]) {
      const file = snapshotFile();
      await stop(await readersOn(store, file, seeded));
      const other = await openSqliteEventStore({ path: path.join(mkdtempSync(path.join(dir, 'other-')), 'events.db') });
      for (let i = 0; i < events; i += 500)
        await other.append(
          `bed-s1.b${i}`,
          Array.from({ length: Math.min(500, events - i) }, (_, j) =>
            anEvent('BedAdded', { settingId: 's1', bedId: `b${i + j}`, kind: 'residential', label: 'Room' }),
          ),
        );
      const resumed = await readersOn(other, file);
      const folded = await readersOn(other);
      expect(resumed.handed()).toBe(events);
      expect(stateOf(resumed)).toStrictEqual(stateOf(folded));
      await stop(folded);
      await stop(resumed);
      await other.close();
    }
  });
  it('applies what arrives while the state is taken once it is taken; the snapshot is of where it began', async () => {
    const file = snapshotFile();
    const readers = await readersOn(store, file);
    const began = readers.tail.position;
    const written = readers.tail.writeSnapshot();
    await store.append('bed-s-late.b1', [
      anEvent('BedAdded', { settingId: 's-late', bedId: 'b1', kind: 'residential', label: 'Room' }),
    ]);
    await readers.tail.caughtUp();
    expect(readers.tail.position).toBe(began + 1n);
    expect(readers.directory.bedsOf('s-late')).toEqual(['b1']);
    await written;
    expect(new ReadersSnapshotFile(file).read(readers.tail['parts'])?.position).toBe(began);

    await stop(readers);
    const resumed = await readersOn(store, file);
    const folded = await readersOn(store);
    expect(resumed.handed()).toBe(1);
    expect(stateOf(resumed)).toStrictEqual(stateOf(folded));
    await stop(resumed);
    await stop(folded);
  });
});

describe('the snapshot file', () => {
  let dir: string;
  const part = (code: string, state: { beds: Map<string, Set<string>>; count: number }): SnapshotPart => ({
    name: 'Reader',
    code,
    save: () => state,
    fits: (s) => typeof s === 'object' && s !== null && 'beds' in s && 'count' in s,
    restore: () => undefined,
  });

  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'snapshot-file-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("gives back what was written, at its position; another build's code or a torn file is not read", async () => {
    const file = new ReadersSnapshotFile(path.join(dir, 'readers.snapshot'));
    const state = { beds: new Map([['s1', new Set(['b1', 'b2'])]]), count: 7 };
    await file.write([part('v1', state)], { position: 41n, hash: 'ab' });

    const read = file.read([part('v1', { beds: new Map(), count: 0 })]);
    expect(read?.position).toBe(41n);
    expect(read?.hash).toBe('ab');
    expect(read?.parts.get('Reader')).toStrictEqual(state);
    expect(file.read([part('v2', state)])).toBeUndefined();

    truncateSync(file.file, statSync(file.file).size - 5);
    expect(file.read([part('v1', state)])).toBeUndefined();
  });

  it("clears what a writer killed mid-write left behind, never a live writer's file", async () => {
    const file = new ReadersSnapshotFile(path.join(dir, 'readers.snapshot'));
    // No process has this id (above Linux's largest pid); the test runner's parent is alive.
    const left = `${file.file}.4194305.tmp`;
    const live = `${file.file}.${process.ppid}.tmp`;
    const other = path.join(dir, 'other.snapshot.4194305.tmp');
    for (const name of [left, live, other]) writeFileSync(name, 'half a snapshot');
    await file.write([part('v1', { beds: new Map(), count: 1 })], { position: 3n, hash: 'cd' });
    expect(readdirSync(dir).sort()).toEqual(
      ['other.snapshot.4194305.tmp', `readers.snapshot`, path.basename(live)].sort(),
    );
  });
  it('takes the state slice by slice while the event loop runs; a reader meanwhile reads the old one', async () => {
    const file = new ReadersSnapshotFile(path.join(dir, 'readers.snapshot'));
    const beds = new Map(Array.from({ length: 5_000 }, (_, i) => [`s${i}`, new Set([`b${i}`])]));
    const state = { beds, count: 1 };
    await file.write([part('v1', state)], { position: 1n, hash: 'a1' });

    const order: string[] = [];
    setImmediate(() => order.push('the event loop ran'));
    const written = file.write([part('v1', state)], { position: 2n, hash: 'a2' }, () => {
      order.push('taken');
      // Changed once taken: not in this snapshot.
      state.count = 2;
      beds.get('s0')?.add('b-later');
    });
    expect(file.read([part('v1', state)])?.position).toBe(1n);
    await written;

    expect(order).toEqual(['the event loop ran', 'taken']);
    const read = file.read([part('v1', state)]);
    expect(read?.position).toBe(2n);
    const expected = new Map(Array.from({ length: 5_000 }, (_, i) => [`s${i}`, new Set([`b${i}`])]));
    expect(read?.parts.get('Reader')).toStrictEqual({ beds: expected, count: 1 });
  });
});
