import { allProjections } from './all';
import { capacityProjection } from './capacity/capacity.projection';
import type { Projection } from './projection';
import { openReadModelDb } from './read-model-db';
import { ProjectionRunner, type BatchApplied } from './runner';
import { appendAll } from './testing/append';
import { syntheticEvents } from './testing/synthetic-events';
import { ledgerProjection } from './testing/ledger';
import { dumpTables, openStore, runToHead, tempFiles, tempFilesEachTest } from './testing/harness';

/** The test ledger among the app's projections, however many those are. */
const ledgerOf = (projections: readonly Projection[]): Projection => {
  const ledger = projections.find((p) => p.name === 'ledger');
  if (!ledger) throw new Error('no ledger projection');
  return ledger;
};

// Thousands of events through every read model: on a shared machine that is seconds, not the default 5 s.
jest.setTimeout(60_000);

describe('projection runner', () => {
  const files = tempFilesEachTest();

  it('gives the same tables live as rebuilt from zero on the same events', async () => {
    const store = await openStore(files);
    const projections = allProjections();
    const db = openReadModelDb({ path: files.readModelsPath('live') });
    const runner = new ProjectionRunner({ store, db, projections });
    await runner.start();
    // Live: events arrive in many small appends while the runner is running.
    const events = [...syntheticEvents({ count: 6000, seed: 7 })];
    for (let i = 0; i < events.length; i += 250) {
      await appendAll(store, events.slice(i, i + 250), { idPrefix: `live-${i}` });
      if (i % 1000 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await runner.whenCaughtUp()).toBe(true);
    const live = dumpTables(db, projections);

    // Rebuilt in place by the same runner…
    await runner.rebuild();
    expect(await runner.whenCaughtUp()).toBe(true);
    expect(dumpTables(db, projections)).toEqual(live);
    // …and from zero on a fresh file.
    const fresh = await runToHead(store, files.readModelsPath('fresh'), projections);
    expect(dumpTables(fresh.db, projections)).toEqual(live);

    expect(live['capacity_beds'].length).toBe(20);
    expect(live['sufficiency_placements'].length).toBeGreaterThan(300);
    expect(live['utilisation_allocations'].length).toBeGreaterThan(10);
    expect(live['list_placements'].length).toBe(live['sufficiency_placements'].length);
    expect(live['list_referrals'].length).toBeGreaterThan(100);
    expect(live['list_step_downs'].length).toBeGreaterThan(5);
    expect(live['list_beds'].length).toBe(20);
    expect(runner.status().every((s) => s.state === 'caught-up' && s.position === 5999n)).toBe(true);
    await runner.stop();
    await fresh.runner.stop();
    db.close();
    fresh.db.close();
    await store.close();
  }, 60_000);

  it('catches up in batches, never one transaction per event', async () => {
    const store = await openStore(files);
    await appendAll(store, syntheticEvents({ count: 3000 }));
    const db = openReadModelDb({ path: files.readModelsPath() });
    const runner = new ProjectionRunner({ store, db, projections: allProjections(), catchUpBatchSize: 1000 });
    const batches: BatchApplied[] = [];
    runner.batches$.subscribe((b) => batches.push(b));
    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(true);
    expect(batches.length).toBeLessThanOrEqual(4);
    expect(batches[batches.length - 1].projections.map((p) => p.through)).toEqual(allProjections().map(() => 2999n));
    await runner.stop();
    db.close();
    await store.close();
  }, 60_000);

  it('stops a failing projection at its event, runs the rest, resumes: none skipped or run twice', async () => {
    const store = await openStore(files);
    await appendAll(store, syntheticEvents({ count: 4000, seed: 3 }));
    const all = await store.readAll();
    const failing = all.filter((e) => e.type === 'PlacementStarted')[60].position;
    let broken = true;
    const db = openReadModelDb({ path: files.readModelsPath() });
    const projections = [...allProjections(), ledgerProjection({ throwAt: () => (broken ? failing : null) })];
    const runner = new ProjectionRunner({ store, db, projections, catchUpBatchSize: 700 });
    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(false);
    await runner.waitFor(3999n, { names: ['capacity', 'sufficiency', 'block-booking-utilisation'], timeoutMs: 10_000 });

    const ledger = runner.status().find((s) => s.name === 'ledger');
    expect(ledger).toEqual({
      name: 'ledger',
      position: failing - 1n,
      state: 'failed',
      error: { type: 'RangeError', code: null, position: failing },
    });
    expect(
      runner
        .status()
        .filter((s) => s.name !== 'ledger')
        .every((s) => s.state === 'caught-up' && s.position === 3999n),
    ).toBe(true);
    // Everything before the failing event was applied, nothing from it on.
    const applied = db
      .all<{ position: number }>('SELECT position FROM ledger ORDER BY position')
      .map((r) => BigInt(r.position));
    const expectedBefore = all
      .filter((e) => ledgerOf(projections).eventTypes.has(e.type) && e.position < failing)
      .map((e) => e.position);
    expect(applied).toEqual(expectedBefore);
    // More events while it is failed: the others take them, it does not.
    await appendAll(store, syntheticEvents({ count: 200, seed: 99 }), { idPrefix: 'more' });
    expect(await runner.waitFor(4199n, { names: ['capacity'], timeoutMs: 10_000 })).toBe(true);
    expect(runner.status().find((s) => s.name === 'ledger')?.position).toBe(failing - 1n);
    await runner.stop();

    // Restart with the bug fixed: it resumes from its checkpoint.
    broken = false;
    const restarted = new ProjectionRunner({ store, db, projections });
    await restarted.start();
    expect(await restarted.whenCaughtUp()).toBe(true);
    const clean = await runToHead(
      store,
      files.readModelsPath('clean'),
      projections.map((p) => (p.name === 'ledger' ? ledgerProjection() : p)),
    );
    expect(dumpTables(db, projections)).toEqual(dumpTables(clean.db, projections));
    await restarted.stop();
    await clean.runner.stop();
    db.close();
    clean.db.close();
    await store.close();
  }, 60_000);

  it('waitFor resolves once a position is applied, and false after its timeout', async () => {
    const store = await openStore(files);
    const db = openReadModelDb({ path: files.readModelsPath() });
    const runner = new ProjectionRunner({ store, db, projections: allProjections() });
    await runner.start();
    expect(await runner.waitFor(0n, { timeoutMs: 50 })).toBe(false);
    const [head] = await Promise.all([
      appendAll(store, syntheticEvents({ count: 50 })),
      runner.waitFor(49n, { timeoutMs: 5000 }),
    ]).then(async ([, reached]) => [reached]);
    expect(head).toBe(true);
    expect(runner.status().map((s) => s.position)).toEqual(allProjections().map(() => 49n));
    await runner.stop();
    db.close();
    await store.close();
  });

  it('rebuilds one projection alone, and a projection whose version changed on start', async () => {
    const store = await openStore(files);
    await appendAll(store, syntheticEvents({ count: 1500 }));
    const path = files.readModelsPath();
    const first = await runToHead(store, path, allProjections());
    const before = dumpTables(first.db, allProjections());
    first.db.run('DELETE FROM capacity_beds');
    first.db.run('DELETE FROM sufficiency_step_downs');
    await first.runner.rebuild(['capacity']);
    expect(await first.runner.whenCaughtUp()).toBe(true);
    const after = dumpTables(first.db, allProjections());
    expect(after['capacity_beds']).toEqual(before['capacity_beds']);
    expect(after['sufficiency_step_downs']).toEqual([]);
    await first.runner.stop();
    first.db.close();

    // A new version of the sufficiency projection: rebuilt on open.
    const bumped = allProjections().map((p) => (p.name === 'sufficiency' ? { ...p, version: p.version + 1 } : p));
    const second = await runToHead(store, path, bumped);
    expect(dumpTables(second.db, bumped)).toEqual(before);
    await second.runner.stop();
    second.db.close();
    await store.close();
  });

  it('a second runner on the same file (the CLI rebuilding while the API runs) neither skips nor repeats', async () => {
    const store = await openStore(files);
    await appendAll(store, syntheticEvents({ count: 2000 }));
    const path = files.readModelsPath();
    const projections = [...allProjections(), ledgerProjection()];
    const api = await runToHead(store, path, projections);
    const cli = await runToHead(store, path, projections);
    await cli.runner.rebuild();
    await appendAll(store, syntheticEvents({ count: 300, seed: 5 }), { idPrefix: 'during' });
    expect(await cli.runner.whenCaughtUp()).toBe(true);
    expect(await api.runner.whenCaughtUp()).toBe(true);
    const clean = await runToHead(store, files.readModelsPath('clean'), projections);
    expect(dumpTables(api.db, projections)).toEqual(dumpTables(clean.db, projections));
    for (const r of [api, cli, clean]) {
      await r.runner.stop();
      r.db.close();
    }
    await store.close();
  }, 60_000);

  it('rebuilds read models that were built from another event log', async () => {
    const first = await openStore(files);
    await appendAll(first, syntheticEvents({ count: 1200, seed: 1 }), { idPrefix: 'first-log' });
    const shared = files.readModelsPath('shared');
    const built = await runToHead(first, shared, allProjections());
    await built.runner.stop();
    built.db.close();
    await first.close();

    // Another log (a different file given to --db), longer than the first: positions overlap.
    const other = tempFiles('other-log');
    const second = await openStore(other);
    await appendAll(second, syntheticEvents({ count: 1500, seed: 2 }), { idPrefix: 'second-log' });
    const reused = await runToHead(second, shared, allProjections());
    const clean = await runToHead(second, files.readModelsPath('clean'), allProjections());
    expect(dumpTables(reused.db, allProjections())).toEqual(dumpTables(clean.db, allProjections()));
    for (const r of [reused, clean]) {
      await r.runner.stop();
      r.db.close();
    }
    await second.close();
    other.remove();
  }, 60_000);

  it('keeps capacity deltas addressable by position', async () => {
    const store = await openStore(files);
    const db = openReadModelDb({ path: files.readModelsPath() });
    const runner = new ProjectionRunner({ store, db, projections: [capacityProjection] });
    const seen: BatchApplied[] = [];
    runner.batches$.subscribe((b) => seen.push(b));
    await runner.start();
    await appendAll(store, syntheticEvents({ count: 30 }));
    expect(await runner.waitFor(29n, { timeoutMs: 5000 })).toBe(true);
    const covered = seen.flatMap((b) => b.projections);
    expect(covered[0].after).toBe(-1n);
    for (let i = 1; i < covered.length; i += 1) expect(covered[i].after).toBe(covered[i - 1].through);
    expect(covered[covered.length - 1].through).toBe(29n);
    await runner.stop();
    db.close();
    await store.close();
  });
});
