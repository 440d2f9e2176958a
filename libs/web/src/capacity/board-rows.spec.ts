import type { CapacityView } from '@placement/projections';
import { boardRows, filterRows } from './board-rows';

const bed = (settingId: string, bedId: string, over: Record<string, unknown> = {}) => ({
  settingId,
  settingName: `Home ${settingId}`,
  bedId,
  label: `Room ${bedId}`,
  kind: 'residential',
  provision: 'in-house',
  settingOpen: true,
  status: 'vacant',
  hold: null,
  occupied: null,
  outOfUse: null,
  ageRange: { min: 11, max: 17 },
  sexes: 'any',
  flags: { unmatchedEmergency: false, aged18InHomeRegisteredTo17: false },
  reserved: null,
  next: null,
  ...over,
});

const VIEW = {
  position: '9',
  asOf: '2026-11-30T10:00:00Z',
  units: {
    beds: [
      bed('h1', 'b1'),
      bed('h1', 'b2', { status: 'held', hold: { referralId: 'r-1', until: '2026-12-01T10:00:00Z', lapsed: false } }),
      bed('h1', 'b3', { status: 'held', hold: { referralId: 'r-2', until: '2026-11-29T10:00:00Z', lapsed: true } }),
      bed('h2', 'e1', { kind: 'emergency', sexes: 'F', ageRange: { min: 8, max: 12 } }),
      bed('h2', 'r1', {
        status: 'reserved',
        reserved: { placementId: 'p-9', from: '2026-12-03' },
        next: { date: '2026-12-03', change: 'arrival' },
      }),
      bed('h2', 'o1', {
        status: 'occupied',
        occupied: { placementId: 'p-1', since: '2026-10-01', until: '2026-12-05', emergency: false },
        next: { date: '2026-12-05', change: 'departure' },
      }),
      bed('h2', 'x1', {
        status: 'out-of-use',
        outOfUse: { reason: 'maintenance', from: '2026-11-20', until: '2026-12-10' },
        next: { date: '2026-12-10', change: 'back-in-use' },
      }),
    ],
    households: [
      {
        householdId: 'fh-1',
        reference: 'FH 1',
        provision: 'in-house',
        agencyName: null,
        status: 'approved',
        approvedPlaces: 2,
        usedPlaces: 1,
        freePlaces: 1,
        ageRange: { min: 0, max: 4 },
        sexes: 'any',
        connectedPerson: false,
        next: { date: '2026-12-14', change: 'departure' },
      },
    ],
    blockBeds: [
      {
        contractId: 'c-1',
        bedRef: 'p1',
        providerName: 'Acme',
        settingName: 'Acme House',
        contractActive: true,
        status: 'void',
        allocated: null,
        next: null,
      },
      {
        contractId: 'c-1',
        bedRef: 'p2',
        providerName: 'Acme',
        settingName: 'Acme House',
        contractActive: true,
        status: 'reserved',
        allocated: null,
        next: { date: '2026-12-07', change: 'arrival' },
      },
    ],
  },
} as unknown as CapacityView;

const rows = boardRows(
  VIEW,
  (i) => `at ${i}`,
  (d) => `on ${d}`,
);

describe('the capacity board rows', () => {
  it('says each unit in words: a live hold is held, a lapsed one is free again', () => {
    expect(rows.map((r) => [r.unit, r.state.text, r.free])).toEqual([
      ['Bed Room b1', 'Vacant', true],
      ['Bed Room b2', 'Held', false],
      ['Bed Room b3', 'Vacant', true],
      ['Bed Room e1', 'Vacant', true],
      ['Bed Room r1', 'Reserved', true],
      ['Bed Room o1', 'Occupied', false],
      ['Bed Room x1', 'Out of use', false],
      ['Foster household', '1 of 2 free', true],
      ['Block-booked bed p1', 'Void (paid for, empty)', true],
      ['Block-booked bed p2', 'Reserved (void, booked later)', true],
    ]);
    expect(rows[1].detail).toBe('Held for referral r-1 until at 2026-12-01T10:00:00Z');
    expect(rows[2].detail).toBe('A hold lapsed at 2026-11-29T10:00:00Z');
  });

  it("says each unit's next change with its date: a planned arrival, a planned departure, back in use", () => {
    expect(rows.map((r) => [r.id, r.detail, r.next])).toEqual([
      ['bed-h1-b1', '', ''],
      ['bed-h1-b2', 'Held for referral r-1 until at 2026-12-01T10:00:00Z', ''],
      ['bed-h1-b3', 'A hold lapsed at 2026-11-29T10:00:00Z', ''],
      ['bed-h2-e1', '', ''],
      ['bed-h2-r1', 'Free that night, booked from a later date', 'Planned arrival on 2026-12-03'],
      ['bed-h2-o1', 'Occupied since on 2026-10-01', 'Planned departure on 2026-12-05'],
      ['bed-h2-x1', 'Out of use since on 2026-11-20', 'Back in use on 2026-12-10'],
      ['household-fh-1', '1 of 2 places used', 'Planned departure on 2026-12-14'],
      ['block-c-1-p1', '', ''],
      ['block-c-1-p2', '', 'Planned arrival on 2026-12-07'],
    ]);
  });

  it('filters by kind, provider, age band and sex; a block booking has no age or sex terms to match', () => {
    const ids = (f: Parameters<typeof filterRows>[2]) => filterRows(VIEW, rows, f).map((r) => r.id);
    expect(ids({ kind: 'emergency' })).toEqual(['bed-h2-e1']);
    expect(ids({ provision: 'external' })).toEqual(['block-c-1-p1', 'block-c-1-p2']);
    expect(ids({ ageBand: '0-4' })).toEqual(['household-fh-1']);
    expect(ids({ ageBand: '5-10', sex: 'M' })).toEqual([]);
    expect(ids({ ageBand: '5-10', sex: 'F' })).toEqual(['bed-h2-e1']);
  });
});
