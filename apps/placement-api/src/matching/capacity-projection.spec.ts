import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { openSqliteEventStore, type Clock, type SqliteEventStore } from '@placement/event-store';
import { CapacityProjection } from './capacity-projection';

class FixedClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return new Date(this.at.getTime());
  }
}

const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { id: 'test', role: 'admin' } };
const event = (type: string, data: unknown) => ({
  id: randomUUID(),
  type,
  data,
  metadata: { ...metadata, commandId: randomUUID() },
});

describe('the capacity projection', () => {
  let dir: string;
  let store: SqliteEventStore;
  let clock: FixedClock;
  let projection: CapacityProjection;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'capacity-projection-'));
    clock = new FixedClock(new Date('2026-11-27T10:00:00.000Z'));
    store = await openSqliteEventStore({ path: join(dir, 'events.db'), clock, pollIntervalMs: 20 });
    await store.append('setting-h1', [
      event('SettingRegistered', {
        settingId: 'h1',
        name: 'Home',
        urn: 'SC100001',
        provider: { kind: 'in-house', name: 'LA', code: 'PR1' },
        type: 'childrens-home',
        registration: { ageRange: { min: 11, max: 17 }, sexes: 'any', maxChildren: 2 },
        postcode: 'S60 1AA',
        localAuthority: 'E08000018',
        registeredOn: '2024-01-01',
      }),
    ]);
    await store.append('bed-h1.b1', [
      event('BedAdded', { settingId: 'h1', bedId: 'b1', kind: 'residential', label: 'Room 1' }),
    ]);
    projection = new CapacityProjection(store, clock);
    projection.onModuleInit();
  });

  afterEach(async () => {
    projection.onApplicationShutdown();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

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
    const mine = await openSqliteEventStore({ path: join(dir, 'events.db'), clock, pollIntervalMs: 3_600_000 });
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
      mineProjection.onApplicationShutdown();
      await mine.close();
    }
  });
});
