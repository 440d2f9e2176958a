import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bedStreamId, childStreamId, referralStreamId } from '@placement/domain';
import { aBedOccupied, aChildRegistered, aPlacementStarted, writtenBy } from '@placement/test-support';
import { openSqliteEventStore, type Clock, type EventStore } from '@placement/event-store';
import { openReadModelDb, type ReadModelDb } from '@placement/projections';
import type { Environment } from '../config/environment';
import { UnitDirectory } from '../directory/unit-directory';
import { ReconcileCheckpoints } from './reconcile-checkpoints';
import { Reconciler } from './reconciler';

const env = {
  RECONCILE_STARTUP_GRACE_SECONDS: 0,
  RECONCILE_GRACE_SECONDS: 120,
  RECONCILE_INTERVAL_SECONDS: 0,
} as Environment;

const ADMIN = { id: 'admin-1', role: 'admin' };
const event = (type: string, data: object) => writtenBy(ADMIN, [{ type, data }])[0];
const bedAdded = (bedId: string) => event('BedAdded', { settingId: 's1', bedId, kind: 'residential', label: bedId });
const bedOf = (bedId: string) => ({ kind: 'bed', settingId: 's1', bedId }) as const;
/** The bed taken for `placementId`, as the first step of a placement appends it. */
const taken = (bedId: string, placementId: string, childId: string) =>
  writtenBy(ADMIN, [aBedOccupied({ settingId: 's1', bedId, placementId, childId })]);

/** `units` beds of the setting s1, each with a child placed in it: nothing is half done. */
async function settledEstate(store: EventStore, units: number): Promise<void> {
  for (let i = 1; i <= units; i++) {
    const [bedId, childId, placementId] = [`b${i}`, `c${i}`, `p${i}`];
    await store.append(bedStreamId('s1', bedId), [bedAdded(bedId), ...taken(bedId, placementId, childId)]);
    await store.append(
      childStreamId(childId),
      writtenBy(ADMIN, [
        aChildRegistered({ childId }),
        aPlacementStarted({ childId, placementId, unit: bedOf(bedId) }),
      ]),
    );
  }
}

/** The store, with the streams it loads (read whole, to check a unit or a child) counted. */
function counting(store: EventStore): { store: EventStore; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    store: {
      append: (streamId, events, options) => store.append(streamId, events, options),
      readStream: (streamId, options) => {
        if (options === undefined) reads.push(streamId);
        return store.readStream(streamId, options);
      },
      readAll: (options) => store.readAll(options),
      subscribeToAll: (options) => store.subscribeToAll(options),
      headPosition: () => store.headPosition(),
      verify: (options) => store.verify(options),
      close: () => store.close(),
    },
  };
}

const lastType = async (store: EventStore, streamId: string) => (await store.readStream(streamId)).at(-1)?.type;

describe('the reconciler on start-up', () => {
  let dir: string;
  let db: ReadModelDb;
  const opened: EventStore[] = [];
  const directories: UnitDirectory[] = [];
  let now: Date;
  const clock: Clock = { now: () => now };

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'reconciler-'));
    db = openReadModelDb({ path: path.join(dir, 'read-models.db') });
    now = new Date('2026-04-01T09:00:00.000Z');
  });
  afterEach(async () => {
    for (const directory of directories.splice(0)) await directory.onApplicationShutdown();
    for (const store of opened.splice(0)) await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openStore(name = 'events.db'): Promise<EventStore> {
    const store = await openSqliteEventStore({ path: path.join(dir, name) });
    opened.push(store);
    return store;
  }

  /** A process starting on `store` with the read models in `db`: its reconciler's start-up pass, and what it read. */
  async function startUp(store: EventStore): Promise<string[]> {
    const counted = counting(store);
    const directory = new UnitDirectory(store);
    directories.push(directory);
    directory.onModuleInit();
    const reconciler = new Reconciler(counted.store, clock, env, directory, new ReconcileCheckpoints(() => db));
    await reconciler.onApplicationBootstrap();
    reconciler.onApplicationShutdown();
    return counted.reads;
  }

  it('reads no unit or child on a settled estate it has checked before', async () => {
    const store = await openStore();
    await settledEstate(store, 12);
    // The log's last events are no unit's: children registered, not placed anywhere yet.
    for (const childId of ['c20', 'c21', 'c22'])
      await store.append(childStreamId(childId), writtenBy(ADMIN, [aChildRegistered({ childId })]));

    // The first start finds no checkpoint: it checks every unit a child took, and each child it holds.
    expect((await startUp(store)).length).toBeGreaterThanOrEqual(24);
    expect(await startUp(store)).toEqual([]);
  });

  it('still finishes what a crash left half done since the last pass, reading only those streams', async () => {
    const store = await openStore();
    await settledEstate(store, 12);
    await startUp(store);

    // A placement crashed after taking its bed, before the child's record.
    await store.append(bedStreamId('s1', 'b13'), [bedAdded('b13'), ...taken('b13', 'p13', 'c13')]);
    await store.append(childStreamId('c13'), writtenBy(ADMIN, [aChildRegistered({ childId: 'c13' })]));
    // An end of placement crashed after the child's record, before the bed was freed.
    await store.append(childStreamId('c2'), [
      event('PlacementEnded', {
        childId: 'c2',
        placementId: 'p2',
        unit: bedOf('b2'),
        endDate: '2026-03-20',
        reasonForChange: null,
        reasonEpisodeCeased: null,
        next: null,
      }),
    ]);

    const reads = await startUp(store);
    expect(await lastType(store, bedStreamId('s1', 'b13'))).toBe('BedVacated');
    expect(await lastType(store, bedStreamId('s1', 'b2'))).toBe('BedVacated');
    expect(new Set(reads)).toEqual(
      new Set([bedStreamId('s1', 'b13'), childStreamId('c13'), bedStreamId('s1', 'b2'), childStreamId('c2')]),
    );
    // Repaired and checked again: nothing left to read on the next start.
    await startUp(store);
    expect(await startUp(store)).toEqual([]);
  });

  it('looks at a held bed again on every start until its hold lapses', async () => {
    const store = await openStore();
    await settledEstate(store, 3);
    await store.append(bedStreamId('s1', 'b9'), [
      bedAdded('b9'),
      event('BedHeld', {
        settingId: 's1',
        bedId: 'b9',
        referralId: 'r1',
        childId: 'c9',
        until: '2026-04-01T10:00:00.000Z',
        at: '2026-04-01T08:00:00.000Z',
      }),
    ]);
    await store.append(referralStreamId('r1'), [
      event('ReferralReceived', {
        referralId: 'r1',
        childId: 'c9',
        urgency: 'planned',
        startDate: '2026-04-10',
        needs: {},
        requestedBy: { role: 'social-worker', team: 'east' },
        at: '2026-03-30T09:00:00.000Z',
      }),
    ]);
    await store.append(childStreamId('c9'), writtenBy(ADMIN, [aChildRegistered({ childId: 'c9' })]));
    await startUp(store);
    expect(await lastType(store, bedStreamId('s1', 'b9'))).toBe('BedHeld');

    now = new Date('2026-04-01T11:00:00.000Z');
    await startUp(store);
    expect(await lastType(store, bedStreamId('s1', 'b9'))).toBe('BedHoldReleased');
  });

  it('checks every unit again when the log is not the one it checked (put back from a backup, replaced)', async () => {
    await settledEstate(await openStore('first.db'), 12);
    await startUp(opened[0]);

    // Another log, as long, whose first placement crashed after taking its bed: before the checkpoint's position.
    const other = await openStore('other.db');
    await other.append(bedStreamId('s1', 'b40'), [bedAdded('b40'), ...taken('b40', 'p40', 'c40')]);
    await settledEstate(other, 12);
    await startUp(other);
    expect(await lastType(other, bedStreamId('s1', 'b40'))).toBe('BedVacated');
  });
});
