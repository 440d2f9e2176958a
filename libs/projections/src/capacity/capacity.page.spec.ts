import type { KeyValue } from '../lists/page';
import { appendAll } from '../testing/append';
import { syntheticEvents } from '../testing/synthetic-events';
import { bed, contract, hold, household, occupy, setting } from '../testing/capacity-fixtures';
import { on, openStore, record, runToHead, tempFilesEachTest } from '../testing/harness';
import type { ReadModelDb } from '../read-model-db';
import { capacityProjection } from './capacity.projection';
import { readCapacity, type CapacityView } from './capacity.query';
import { readCapacityPage, type CapacityFilter } from './capacity.page';
import { CapacitySummary } from './capacity.summary';

const ids = (view: CapacityView) => [
  ...view.units.beds.map((b) => `${b.settingId}.${b.bedId}`),
  ...view.units.households.map((h) => h.householdId),
  ...view.units.blockBeds.map((b) => `${b.contractId}.${b.bedRef}`),
];

/**
 * Every page of a filter, `limit` at a time, by the cursor each page hands on;
 * `between` runs before each next page.
 */
async function allPages(
  db: ReadModelDb,
  summary: CapacitySummary,
  position: () => bigint,
  options: { now: Date; on?: string; filter: CapacityFilter; limit: number },
  between: (page: number) => Promise<void> = async () => undefined,
): Promise<string[][]> {
  const pages: string[][] = [];
  let after: readonly KeyValue[] | null = null;
  for (;;) {
    const page = readCapacityPage(db, summary, position(), { ...options, after });
    expect(ids(page.view).length).toBeLessThanOrEqual(options.limit);
    pages.push(ids(page.view));
    if (page.nextAfter === null || pages.length > 100) return pages;
    after = page.nextAfter;
    await between(pages.length);
  }
}

describe('a page of capacity, filtered in SQL', () => {
  const files = tempFilesEachTest('capacity-page');

  const now = new Date('2026-06-01T10:00:00Z');

  it("keeps what each filter asks for, in key order, and the totals stay the whole estate's", async () => {
    const store = await openStore(files);
    await record(
      store,
      on('setting-r1', setting('r1', 'in-house', [11, 17], 'any', 'E08000018')),
      bed('r1', 'b1'),
      bed('r1', 'b2'),
      bed('r1', 'e1', 'emergency'),
      on('setting-s1', setting('s1', 'in-house', [5, 10], 'F', 'E08000019')),
      bed('s1', 'b1'),
      on('setting-s2', setting('s2', 'in-house', [16, 17], 'M', 'E08000019')),
      bed('s2', 'b1'),
      occupy('r1', 'b2', 'p-1'),
      on('household-fh-1', household('fh-1', 'in-house', 2, [0, 4], 'any')),
      on('household-fh-2', household('fh-2', 'in-house', 2, [11, 15], 'M')),
      on('contract-k1', contract('k1', ['x', 'y'])),
    );
    const { db, runner } = await runToHead(store, files.readModelsPath(), [capacityProjection]);
    const position = runner.status()[0].position;
    const summary = new CapacitySummary(db);
    const pageOf = (filter: CapacityFilter) =>
      readCapacityPage(db, summary, position, { now, filter, after: null, limit: 50 });

    expect(ids(pageOf({}).view)).toEqual(['r1.b1', 'r1.b2', 'r1.e1', 's1.b1', 's2.b1', 'fh-1', 'fh-2', 'k1.x', 'k1.y']);
    // An authority and a setting are recorded by beds alone.
    expect(ids(pageOf({ authority: 'E08000019' }).view)).toEqual(['s1.b1', 's2.b1']);
    expect(ids(pageOf({ settingId: 'r1' }).view)).toEqual(['r1.b1', 'r1.b2', 'r1.e1']);
    expect(ids(pageOf({ kind: 'emergency-bed' }).view)).toEqual(['r1.e1']);
    expect(ids(pageOf({ kind: 'residential-bed', authority: 'E08000018' }).view)).toEqual(['r1.b1', 'r1.b2']);
    expect(ids(pageOf({ kind: 'foster-household' }).view)).toEqual(['fh-1', 'fh-2']);
    expect(ids(pageOf({ kind: 'block-booked-bed', state: 'void' }).view)).toEqual(['k1.x', 'k1.y']);
    // The state is the night's: occupied, or free (vacant or reserved).
    expect(ids(pageOf({ state: 'occupied' }).view)).toEqual(['r1.b2']);
    expect(ids(pageOf({ state: 'free', settingId: 'r1' }).view)).toEqual(['r1.b1', 'r1.e1']);
    // Age band and sex: registration or approval terms that take such a child; block bookings record none.
    expect(ids(pageOf({ ageBand: '11-15' }).view)).toEqual(['r1.b1', 'r1.b2', 'r1.e1', 'fh-2']);
    expect(ids(pageOf({ sex: 'F' }).view)).toEqual(['r1.b1', 'r1.b2', 'r1.e1', 's1.b1', 'fh-1']);
    expect(ids(pageOf({ ageBand: '16-17', sex: 'M' }).view)).toEqual(['r1.b1', 'r1.b2', 'r1.e1', 's2.b1']);

    const whole = readCapacity(db, position, { now });
    const page = pageOf({ authority: 'E08000019', state: 'free' });
    expect(page.view.totals).toEqual(whole.totals);
    expect(page.view.byProvision).toEqual(whole.byProvision);
    expect(page.view.freeByAgeBandAndSex).toEqual(whole.freeByAgeBandAndSex);
    expect(page.view.totals.residential).toMatchObject({ beds: 4, occupied: 1, free: 3 });
    await runner.stop();
    db.close();
    await store.close();
  });

  it('pages the synthetic estate as the whole view lists it, each unit once, the last page saying so', async () => {
    const store = await openStore(files);
    await appendAll(store, syntheticEvents({ count: 600 }));
    const { db, runner } = await runToHead(store, files.readModelsPath(), [capacityProjection]);
    const position = runner.status()[0].position;
    const summary = new CapacitySummary(db);
    const at = new Date('2024-01-01T12:00:00Z');
    const whole = readCapacity(db, position, { now: at });
    const pages = await allPages(db, summary, () => position, { now: at, filter: {}, limit: 13 });
    expect(pages.flat()).toEqual(ids(whole));
    expect(pages.slice(0, -1).every((p) => p.length === 13)).toBe(true);

    const free = await allPages(db, summary, () => position, { now: at, filter: { state: 'free' }, limit: 13 });
    const freeWhole = [
      ...whole.units.beds
        .filter((b) => b.settingOpen && (b.status === 'vacant' || b.status === 'reserved'))
        .map((b) => `${b.settingId}.${b.bedId}`),
      ...whole.units.households.filter((h) => h.freePlaces > 0).map((h) => h.householdId),
      ...whole.units.blockBeds
        .filter((b) => b.contractActive && b.status !== 'allocated')
        .map((b) => `${b.contractId}.${b.bedRef}`),
    ];
    expect(free.flat()).toEqual(freeWhole);
    await runner.stop();
    db.close();
    await store.close();
  });

  it('pages without gaps or repeats while units are added and change between pages', async () => {
    const store = await openStore(files);
    await record(
      store,
      on('setting-h2', setting('h2', 'in-house', [11, 17], 'any', 'E08000018')),
      ...['b1', 'b2', 'b3', 'b4', 'b5', 'b6'].map((b) => bed('h2', b)),
      on('household-fh-1', household('fh-1', 'in-house', 2, [0, 17], 'any')),
    );
    const { db, runner } = await runToHead(store, files.readModelsPath(), [capacityProjection]);
    const summary = new CapacitySummary(db);
    const position = () => runner.status()[0].position;
    const change = async (...events: Parameters<typeof record>[1][]) => {
      expect(await runner.waitFor(await record(store, ...events), { timeoutMs: 5000 })).toBe(true);
    };
    const pages = await allPages(db, summary, position, { now, filter: {}, limit: 2 }, async (page) => {
      // After the first page (h2.b1, h2.b2): a home sorted before the cursor, a bed after it, and a page's bed taken.
      if (page === 1)
        await change(
          on('setting-h1', setting('h1', 'in-house', [11, 17], 'any', 'E08000018')),
          bed('h1', 'a1'),
          bed('h2', 'b35'),
        );
      if (page === 2) await change(occupy('h2', 'b1', 'p-9'), occupy('h2', 'b5', 'p-8'));
    });
    // What was there from the start is listed once, in order; the bed added after the cursor too; not the one before.
    expect(pages.flat()).toEqual(['h2.b1', 'h2.b2', 'h2.b3', 'h2.b35', 'h2.b4', 'h2.b5', 'h2.b6', 'fh-1']);
    await runner.stop();
    db.close();
    await store.close();
  });

  it('keeps the totals the whole view counts while units change, holds lapse and other nights are asked', async () => {
    const store = await openStore(files);
    await appendAll(store, syntheticEvents({ count: 400 }));
    await record(
      store,
      on('setting-t1', setting('t1', 'in-house', [11, 17], 'any', 'E08000018')),
      bed('t1', 'b1'),
      bed('t1', 'b2'),
      bed('t1', 'b3'),
      on('contract-k9', contract('k9', ['x'])),
    );
    const { db, runner } = await runToHead(store, files.readModelsPath(), [capacityProjection]);
    const summary = new CapacitySummary(db);
    const figuresAgree = (at: Date, night?: string) => {
      const position = runner.status()[0].position;
      const page = readCapacityPage(db, summary, position, { now: at, on: night, filter: {}, after: null, limit: 1 });
      const whole = readCapacity(db, position, { now: at, on: night });
      expect([page.view.totals, page.view.byProvision, page.view.freeByAgeBandAndSex]).toEqual([
        whole.totals,
        whole.byProvision,
        whole.freeByAgeBandAndSex,
      ]);
      return page.view.totals;
    };
    const change = async (...events: Parameters<typeof record>[1][]) => {
      expect(await runner.waitFor(await record(store, ...events), { timeoutMs: 5000 })).toBe(true);
    };
    const before = figuresAgree(now);
    await change(hold('t1', 'b1', '2026-06-01T12:00:00Z'), occupy('t1', 'b2', 'p-1', '2026-06-10'));
    const held = figuresAgree(now);
    expect(held.residential.held).toBe(before.residential.held + 1);
    expect(held.residential.reserved).toBe(before.residential.reserved + 1);
    // The hold lapses at noon: no event, the clock alone frees the bed.
    expect(figuresAgree(new Date('2026-06-01T12:00:01Z')).residential.held).toBe(before.residential.held);
    figuresAgree(now, '2026-06-12');
    await change(
      on('setting-t1', {
        type: 'SettingClosed',
        data: { settingId: 't1', date: '2026-06-01', reason: 'decommissioned' },
      }),
      on('contract-k9', {
        type: 'BlockBedAllocated',
        data: {
          contractId: 'k9',
          bedRef: 'x',
          placementId: 'p-k',
          childId: 'c-k',
          referralId: null,
          date: '2026-05-01',
          at: '2026-05-01T10:00:00Z',
        },
      }),
    );
    expect(figuresAgree(now).residential.beds).toBe(before.residential.beds - 3);
    figuresAgree(now, '2026-06-12');
    // A rebuilt read model is counted again from its rows.
    summary.reset();
    figuresAgree(now);
    await runner.stop();
    db.close();
    await store.close();
  });
});
