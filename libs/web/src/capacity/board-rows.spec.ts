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
      ['Foster household', '1 of 2 free', true],
      ['Block-booked bed p1', 'Void (paid for, empty)', true],
    ]);
    expect(rows[1].next).toBe('Held for referral r-1 until at 2026-12-01T10:00:00Z');
    expect(rows[2].next).toBe('A hold lapsed at 2026-11-29T10:00:00Z');
  });

  it('filters by kind, provider, age band and sex; a block booking has no age or sex terms to match', () => {
    const ids = (f: Parameters<typeof filterRows>[2]) => filterRows(VIEW, rows, f).map((r) => r.id);
    expect(ids({ kind: 'emergency' })).toEqual(['bed-h2-e1']);
    expect(ids({ provision: 'external' })).toEqual(['block-c-1-p1']);
    expect(ids({ ageBand: '0-4' })).toEqual(['household-fh-1']);
    expect(ids({ ageBand: '5-10', sex: 'M' })).toEqual([]);
    expect(ids({ ageBand: '5-10', sex: 'F' })).toEqual(['bed-h2-e1']);
  });
});
