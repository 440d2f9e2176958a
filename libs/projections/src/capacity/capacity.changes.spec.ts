import { appendAll } from '../testing/append';
import { syntheticEvents } from '../testing/synthetic-events';
import { bed, setting } from '../testing/capacity-fixtures';
import { on, openStore, record, runToHead, tempFilesEachTest } from '../testing/harness';
import { capacityProjection } from './capacity.projection';
import { readCapacity } from './capacity.query';
import { CapacitySummary, readCapacityChanges } from './capacity.summary';

describe('capacity changed since a position', () => {
  const files = tempFilesEachTest('capacity-changes');
  const now = new Date('2024-01-01T12:00:00Z');

  /** A synthetic estate of `count` events, its read model caught up, and a summary to read totals from. */
  async function estate(count: number) {
    const store = await openStore(files);
    await appendAll(store, syntheticEvents({ count }));
    const { db, runner } = await runToHead(store, files.readModelsPath(), [capacityProjection]);
    const close = async () => {
      await runner.stop();
      db.close();
      await store.close();
    };
    return { store, db, runner, summary: new CapacitySummary(db), position: runner.status()[0].position, close };
  }

  it('is the delta the whole read gives: the same units in the same order, the same totals', async () => {
    const { db, summary, position, close } = await estate(600);
    for (const after of [position, position - 1n, position - 40n, position - 250n, -1n]) {
      const changed = { after, through: position };
      expect(readCapacityChanges(db, summary, changed, now)).toEqual(readCapacity(db, position, { now, changed }));
    }
    await close();
  });

  it('lists only the units changed after the position, with the whole estate in the totals', async () => {
    const { store, db, runner, summary, position: seen, close } = await estate(300);
    const before = readCapacityChanges(db, summary, { after: seen, through: seen }, now);
    expect(before.units).toEqual({ beds: [], households: [], blockBeds: [] });

    const next = await record(
      store,
      on('setting-z1', setting('z1', 'in-house', [11, 17], 'any')),
      bed('z1', 'b2'),
      bed('z1', 'b1'),
    );
    expect(await runner.waitFor(next, { timeoutMs: 5000 })).toBe(true);
    const delta = readCapacityChanges(db, summary, { after: seen, through: next }, now);
    expect(delta.position).toBe(next.toString());
    expect(delta.units.beds.map((b) => `${b.settingId}.${b.bedId}`)).toEqual(['z1.b1', 'z1.b2']);
    expect(delta.units.households).toEqual([]);
    expect(delta.totals.residential.beds).toBe(before.totals.residential.beds + 2);
    await close();
  });
});
