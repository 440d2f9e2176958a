import { Logger } from '@nestjs/common';
import { aSetting } from '@placement/test-support';
import { openSqliteEventStore } from '@placement/event-store';
import { CapacityProjection } from './capacity-projection';
import { anEvent as event, openCapacityStore, type CapacityStore } from './testing/capacity-store';

describe('the capacity projection', () => {
  let home: CapacityStore;
  let store: CapacityStore['store'];
  let clock: CapacityStore['clock'];
  let projection: CapacityStore['projection'];

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    home = await openCapacityStore({
      at: '2026-11-27T10:00:00.000Z',
      setting: aSetting({ settingId: 'h1', maxChildren: 2 }),
      bedIds: ['b1'],
    });
    ({ store, clock, projection } = home);
  });

  afterEach(() => home.close());

  it('reuses the built index while nothing the engine reads changes, and rebuilds after a change', async () => {
    const first = await projection.current();
    expect(first.index.unitCount).toBe(1);
    expect(first.asAt).toBe('2026-11-27T10:00:00.000Z');
    // A later request, and an event the engine does not read: the same index, the same asAt.
    clock.at = new Date('2026-11-27T11:00:00.000Z');
    await store.append('referral-r1', [event('MatchesProposed', { referralId: 'r1' })]);
    expect(await projection.current()).toBe(first);

    await store.append('bed-h1.b2', [
      event('BedAdded', { settingId: 'h1', bedId: 'b2', kind: 'residential', label: 'Room 2' }),
    ]);
    const second = await projection.current();
    expect(second).not.toBe(first);
    expect(second.index.unitCount).toBe(2);
    expect(second.asAt).toBe('2026-11-27T11:00:00.000Z');
    expect(second.unitRefs.get('bed:h1.b2')).toEqual({ kind: 'bed', settingId: 'h1', bedId: 'b2' });
  });

  it('moves asAt to a hold the moment it lapses, and to the start of a new London day', async () => {
    await store.append(
      'bed-h1.b1',
      [
        event('BedHeld', {
          settingId: 'h1',
          bedId: 'b1',
          referralId: 'r1',
          childId: 'c1',
          until: '2026-11-27T12:00:00+00:00',
          at: '2026-11-27T10:00:00Z',
        }),
      ],
      {
        expectedRevision: 0n,
      },
    );
    const held = await projection.current();
    expect(held.asAt).toBe('2026-11-27T10:00:00.000Z');
    clock.at = new Date('2026-11-27T11:59:59.000Z');
    expect(await projection.current()).toBe(held);
    clock.at = new Date('2026-11-27T12:30:00.000Z');
    const lapsed = await projection.current();
    expect(lapsed.asAt).toBe('2026-11-27T12:00:00.000Z');
    // Ages are whole years on the London date, so a new day is a new snapshot (midnight GMT in November).
    clock.at = new Date('2026-11-28T08:00:00.000Z');
    expect((await projection.current()).asAt).toBe('2026-11-28T00:00:00.000Z');
  });

  it("is caught up with another process's writes at once, not at its subscription's next poll", async () => {
    // This process's store polls for other writers once an hour: only caughtUp itself can see them in time.
    const mine = await openSqliteEventStore({ path: home.path, clock, pollIntervalMs: 3_600_000 });
    const mineProjection = new CapacityProjection(mine, clock);
    mineProjection.onModuleInit();
    try {
      expect((await mineProjection.current()).index.unitCount).toBe(1);
      await store.append('bed-h1.b2', [
        event('BedAdded', { settingId: 'h1', bedId: 'b2', kind: 'residential', label: 'Room 2' }),
      ]);
      const caughtUp = await Promise.race([
        mineProjection.current(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 2_000).unref()),
      ]);
      expect(caughtUp?.index.unitCount).toBe(2);
    } finally {
      await mineProjection.onApplicationShutdown();
      await mine.close();
    }
  });
});
