import type { BlockBookingContracted } from '@placement/domain';
import { utilisationProjection } from './utilisation.projection';
import { readUtilisation, type UtilisationRow } from './utilisation.query';
import { on, openStore, record, runToHead, tempFilesEachTest } from '../testing/harness';

const contract = (
  contractId: string,
  beds: string[],
  startDate: string,
  endDate: string,
  weeklyPricePerBed: number,
): BlockBookingContracted => ({
  type: 'BlockBookingContracted',
  data: {
    contractId,
    provider: { name: `Provider of ${contractId}`, code: 'PR4' },
    settingName: 'Hill House',
    settingUrn: 'SC300001',
    settingPostcode: 'S66 1AA',
    beds,
    startDate,
    endDate,
    weeklyPricePerBed,
  },
});
const allocated = (contractId: string, bedRef: string, placementId: string, date: string) =>
  on(`contract-${contractId}`, {
    type: 'BlockBedAllocated',
    data: {
      contractId,
      bedRef,
      placementId,
      childId: `child-${placementId}`,
      referralId: null,
      date,
      at: `${date}T12:00:00Z`,
    },
  });
const released = (
  contractId: string,
  bedRef: string,
  placementId: string,
  date: string,
  reason: 'placement-ended' | 'compensation' = 'placement-ended',
) =>
  on(`contract-${contractId}`, {
    type: 'BlockBedReleased',
    data: { contractId, bedRef, placementId, childId: `child-${placementId}`, date, reason },
  });

/** A month's figures in the order the hand-worked tables give them. */
const nights = (r: UtilisationRow) => [
  r.contractedBedNights,
  r.occupiedBedNights,
  r.voidBedNights,
  r.voidCost,
  r.utilisationPercent,
];

describe('block-booking utilisation (nights on London dates; figures worked by hand)', () => {
  const files = tempFilesEachTest('utilisation');

  async function model(...events: Parameters<typeof record>[1][]) {
    const store = await openStore(files);
    await record(store, ...events);
    const { db, runner } = await runToHead(store, files.readModelsPath(), [utilisationProjection]);
    const position = runner.status()[0].position;
    return {
      read: (from: string, to: string) => readUtilisation(db, position, from, to),
      close: async () => {
        await runner.stop();
        db.close();
        await store.close();
      },
    };
  }

  it('counts a stay across the spring clock change and the March/April boundary', async () => {
    // 2 beds, 1 Mar – 30 Apr 2026, £3,829.99 a bed a week. Clocks go forward on Sunday 29 March 2026.
    // Bed A: 27 Mar → 2 Apr = nights of 27, 28, 29 (a 23-hour day), 30, 31 Mar and 1 Apr: 5 in March, 1 in April.
    // Bed B: allocated 10 Mar and compensated the same day (no night), then from 31 Mar, still there:
    //        1 night in March, 30 in April.
    const m = await model(
      on('contract-bb-1', contract('bb-1', ['A', 'B'], '2026-03-01', '2026-04-30', 382_999)),
      allocated('bb-1', 'B', 'p-0', '2026-03-10'),
      released('bb-1', 'B', 'p-0', '2026-03-10', 'compensation'),
      allocated('bb-1', 'A', 'p-1', '2026-03-27'),
      allocated('bb-1', 'B', 'p-2', '2026-03-31'),
      released('bb-1', 'A', 'p-1', '2026-04-02'),
    );
    const report = m.read('2026-03-01', '2026-04-30');
    expect(
      report.rows.map(
        ({ month, from, to, contractedBedNights, occupiedBedNights, voidBedNights, voidCost, utilisationPercent }) => ({
          month,
          from,
          to,
          contractedBedNights,
          occupiedBedNights,
          voidBedNights,
          voidCost,
          utilisationPercent,
        }),
      ),
    ).toEqual([
      // March: 2 × 31 = 62 contracted, 5 + 1 = 6 occupied, 56 void; 56 × 382,999 / 7 = 3,063,992p exactly;
      // 6/62 = 9.68 %.
      {
        month: '2026-03',
        from: '2026-03-01',
        to: '2026-03-31',
        contractedBedNights: 62,
        occupiedBedNights: 6,
        voidBedNights: 56,
        voidCost: 3_063_992,
        utilisationPercent: 9.7,
      },
      // April: 2 × 30 = 60, 1 + 30 = 31, 29 void; 29 × 382,999 / 7 = 1,586,710.14p → 1,586,710; 31/60 = 51.67 %.
      {
        month: '2026-04',
        from: '2026-04-01',
        to: '2026-04-30',
        contractedBedNights: 60,
        occupiedBedNights: 31,
        voidBedNights: 29,
        voidCost: 1_586_710,
        utilisationPercent: 51.7,
      },
    ]);
    expect(report.rows[0].provider).toEqual({ name: 'Provider of bb-1', code: 'PR4' });
    // Rounded once at the end: 85 × 382,999 / 7 = 4,650,702.14p (the months' rounded sum would be 4,650,702 too,
    // by luck of .00 + .14).
    expect(report.totals).toEqual({
      contractedBedNights: 122,
      occupiedBedNights: 37,
      voidBedNights: 85,
      voidCost: 4_650_702,
      utilisationPercent: 30.3,
    });

    // A window inside the months: 28 Mar – 1 Apr. March part 28–31: 8 contracted; A 4 + B 1 = 5; 3 void
    // → 1,148,997/7 = 164,142.43 → 164,142.
    const narrow = m.read('2026-03-28', '2026-04-01');
    expect(narrow.rows.map((r) => [r.month, ...nights(r)])).toEqual([
      ['2026-03', 8, 5, 3, 164_142, 62.5],
      ['2026-04', 2, 2, 0, 0, 100],
    ]);
    await m.close();
  });

  it('counts the autumn clock change and a contract ended early', async () => {
    // 1 bed, 20 Oct – 10 Nov 2026, £700 a week (£100 a night), ended early on 5 Nov (no night of the 5th).
    // Allocated 24 Oct → 27 Oct across Sunday 25 Oct (a 25-hour day): nights of 24, 25, 26 = 3.
    const m = await model(
      on('contract-bb-2', contract('bb-2', ['X'], '2026-10-20', '2026-11-10', 70_000)),
      allocated('bb-2', 'X', 'p-3', '2026-10-24'),
      released('bb-2', 'X', 'p-3', '2026-10-27'),
      on('contract-bb-2', {
        type: 'BlockBookingEnded',
        data: { contractId: 'bb-2', date: '2026-11-05', reason: 'terminated' },
      }),
    );
    const report = m.read('2026-10-01', '2026-11-30');
    expect(report.rows.map((r) => [r.month, r.from, r.to, ...nights(r)])).toEqual([
      // October 20–31: 12 nights, 3 used, 9 void × £100.
      ['2026-10', '2026-10-20', '2026-10-31', 12, 3, 9, 90_000, 25],
      // November 1–4: 4 nights, none used.
      ['2026-11', '2026-11-01', '2026-11-04', 4, 0, 4, 40_000, 0],
    ]);
    // Outside the contract: no rows at all.
    expect(m.read('2026-12-01', '2026-12-31').rows).toEqual([]);
    await m.close();
  });
});
