import type { BedUnit, BlockBedUnit, CapacityView, HouseholdUnit } from '@placement/projections';
import { capacityPage, compareKeys } from './capacity-page';

const bed = (settingId: string, bedId: string, status: BedUnit['status'] = 'vacant') =>
  ({
    settingId,
    bedId,
    kind: 'residential',
    status,
    settingOpen: true,
    ageRange: { min: 11, max: 17 },
    sexes: 'any',
  }) as BedUnit;
const household = (householdId: string, freePlaces: number) =>
  ({ householdId, status: 'approved', freePlaces, ageRange: { min: 0, max: 10 }, sexes: 'F' }) as HouseholdUnit;
const blockBed = (contractId: string, bedRef: string) =>
  ({ contractId, bedRef, status: 'void', contractActive: true }) as BlockBedUnit;

const view = {
  position: '9',
  totals: {},
  units: {
    beds: [bed('h-1', 'b1'), bed('h-1', 'b2', 'occupied'), bed('h-2', 'b1')],
    households: [household('fh-1', 0), household('fh-2', 2)],
    blockBeds: [blockBed('k-1', 'x'), blockBed('k-1', 'y')],
  },
} as unknown as CapacityView;

const ids = (v: CapacityView) => [
  ...v.units.beds.map((b) => `${b.settingId}.${b.bedId}`),
  ...v.units.households.map((h) => h.householdId),
  ...v.units.blockBeds.map((b) => `${b.contractId}.${b.bedRef}`),
];

describe('capacityPage', () => {
  it('cuts the beds, then the households, then the block-booked beds into pages after a key, each unit once', () => {
    const seen: string[] = [];
    let after: readonly (string | number)[] | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page = capacityPage(view, {}, after, 3);
      expect(ids(page.view).length).toBeLessThanOrEqual(3);
      seen.push(...ids(page.view));
      if (page.nextAfter === null) break;
      after = page.nextAfter;
    }
    expect(seen).toEqual(['h-1.b1', 'h-1.b2', 'h-2.b1', 'fh-1', 'fh-2', 'k-1.x', 'k-1.y']);
  });

  it('resumes after a key whose unit has gone, and keeps the totals whatever the filter', () => {
    const page = capacityPage(view, { state: 'free' }, [0, 'h-1', 'b2'], 10);
    expect(ids(page.view)).toEqual(['h-2.b1', 'fh-2', 'k-1.x', 'k-1.y']);
    expect(page.view.totals).toBe(view.totals);
    expect(page.nextAfter).toBeNull();
  });

  it('leaves out what records no setting when a setting or age band is asked for', () => {
    expect(ids(capacityPage(view, { settingId: 'h-2' }, null, 10).view)).toEqual(['h-2.b1']);
    expect(ids(capacityPage(view, { ageBand: '5-10', sex: 'F' }, null, 10).view)).toEqual(['fh-1', 'fh-2']);
  });

  it('orders keys by group, then by each id in turn', () => {
    expect(compareKeys([0, 'b', ''], [1, 'a', ''])).toBe(-1);
    expect(compareKeys([1, 'a', 'z'], [1, 'b', 'a'])).toBe(-1);
    expect(compareKeys([2, 'k', 'y'], [2, 'k', 'x'])).toBe(1);
    expect(compareKeys([2, 'k', 'x'], [2, 'k', 'x'])).toBe(0);
  });
});
