import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { openSqliteEventStore, type EventStore } from '@placement/event-store';
import { UnitDirectory } from './unit-directory';

const metadata = (commandId: string) => ({
  commandId,
  correlationId: commandId,
  causationId: commandId,
  actor: { id: 'admin-1', role: 'admin' },
  commandDigest: { settingId: '0123456789abcdef' },
});

/** Bed `bedId` added to the setting s1, by its own command. */
const bedAdded = (bedId: string, label: string) => ({
  id: randomUUID(),
  type: 'BedAdded',
  data: { settingId: 's1', bedId, kind: 'residential', label },
  metadata: metadata(`add-bed:s1.${bedId}`),
});

describe('the unit directory', () => {
  let dir: string;
  const opened: EventStore[] = [];
  let directory: UnitDirectory | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'unit-directory-'));
  });
  afterEach(async () => {
    await directory?.onApplicationShutdown();
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is caught up with another process's writes at once, not at its subscription's next poll", async () => {
    const file = path.join(dir, 'events.db');
    // This process's store polls for other writers once an hour: only caughtUp itself can see them in time.
    const mine = await openSqliteEventStore({ path: file, pollIntervalMs: 3_600_000 });
    const other = await openSqliteEventStore({ path: file });
    opened.push(mine, other);
    directory = new UnitDirectory(mine);
    directory.onModuleInit();
    await directory.caughtUp();

    await other.append('setting-s1', [
      { id: randomUUID(), type: 'SettingRegistered', data: { settingId: 's1' }, metadata: metadata('register:s1') },
    ]);
    await other.append('bed-s1.b1', [bedAdded('b1', 'Room 1')]);
    await directory.caughtUp();
    expect(directory.bedsOf('s1')).toEqual(['b1']);
    expect(directory.streamOfCommand('add-bed:s1.b1')).toBe('bed-s1.b1');

    // A write of this process wakes its subscription, which delivers the same events again: applied once.
    await mine.append('bed-s1.b2', [bedAdded('b2', 'Room 2')]);
    await directory.caughtUp();
    expect(directory.bedsOf('s1')).toEqual(['b1', 'b2']);
    expect(directory.streamOfCommand('register:s1')).toBe('setting-s1');
  }, 30_000);

  // The only units with anything to reconcile.
  it('lists the beds and households ever held or taken by a child', async () => {
    const store = await openSqliteEventStore({ path: path.join(dir, 'events.db') });
    opened.push(store);
    const event = (type: string, data: Record<string, unknown>) => ({
      id: randomUUID(),
      type,
      data,
      metadata: metadata(randomUUID()),
    });
    for (const bedId of ['b1', 'b2', 'b3']) await store.append(`bed-s1.${bedId}`, [bedAdded(bedId, bedId)]);
    await store.append('bed-s1.b3', [
      event('BedOccupied', { settingId: 's1', bedId: 'b3', placementId: 'p1', childId: 'c1', referralId: null }),
    ]);
    await store.append('bed-s1.b2', [
      event('BedHeld', {
        settingId: 's1',
        bedId: 'b2',
        referralId: 'r1',
        childId: 'c2',
        until: '2026-01-02T00:00:00Z',
      }),
    ]);
    for (const householdId of ['h1', 'h2'])
      await store.append(`household-${householdId}`, [event('FosterHouseholdApproved', { householdId })]);
    await store.append('household-h2', [
      event('ChildPlacedWithHousehold', { householdId: 'h2', placementId: 'p2', childId: 'c3' }),
    ]);
    directory = new UnitDirectory(store);
    directory.onModuleInit();
    await directory.caughtUp();

    expect(directory.householdIds()).toEqual(['h1', 'h2']);
    expect(directory.bedsEverTaken()).toEqual([
      { settingId: 's1', bedId: 'b2' },
      { settingId: 's1', bedId: 'b3' },
    ]);
    expect(directory.householdsEverTaken()).toEqual(['h2']);
  });
});
