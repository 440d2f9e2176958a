import {
  AGE_BANDS,
  type BedUnit,
  type BlockBedUnit,
  type CapacityView,
  type HouseholdUnit,
} from '@placement/projections';
import type { KeyValue } from '@placement/projections';

export const CAPACITY_KINDS = ['residential-bed', 'emergency-bed', 'foster-household', 'block-booked-bed'] as const;
/** A unit's status that night (each kind has its own), or `free`: a child could take it that night. */
export const CAPACITY_STATES = [
  'free',
  'vacant',
  'reserved',
  'held',
  'occupied',
  'out-of-use',
  'approved',
  'suspended',
  'resigned',
  'allocated',
  'void',
] as const;
export const AGE_BAND_NAMES = AGE_BANDS.map((b) => b.band);
export const SEXES = ['M', 'F'] as const;

export interface CapacityFilter {
  /** The settings of the authority asked for (`?authority=`); households and block bookings record none. */
  readonly authoritySettings?: ReadonlySet<string>;
  readonly settingId?: string;
  readonly kind?: (typeof CAPACITY_KINDS)[number];
  readonly state?: (typeof CAPACITY_STATES)[number];
  readonly ageBand?: string;
  readonly sex?: (typeof SEXES)[number];
}

/**
 * The sort key of a unit in the one list a page is cut from: beds by setting and bed, then
 * households by id, then block-booked beds by contract and bed (the read model's own order).
 */
export type CapacityKey = readonly [group: number, first: string, second: string];
export const CAPACITY_KEY_TYPES = ['number', 'string', 'string'] as const;

export function compareKeys(a: readonly KeyValue[], b: readonly KeyValue[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

const bedKey = (b: BedUnit): CapacityKey => [0, b.settingId, b.bedId];
const householdKey = (h: HouseholdUnit): CapacityKey => [1, h.householdId, ''];
const blockBedKey = (b: BlockBedUnit): CapacityKey => [2, b.contractId, b.bedRef];

/** Free that night: what the totals count as free. */
const freeBed = (b: BedUnit) => b.settingOpen && (b.status === 'vacant' || b.status === 'reserved');
const freeHousehold = (h: HouseholdUnit) => h.freePlaces > 0;
const freeBlockBed = (b: BlockBedUnit) => b.contractActive && b.status !== 'allocated';

/** Registration or approval terms that take a child of that band and sex (as `freeByAgeBandAndSex` counts). */
function takes(filter: CapacityFilter, range: { min: number; max: number }, sexes: string): boolean {
  const band = AGE_BANDS.find((b) => b.band === filter.ageBand);
  if (band !== undefined && (range.max < band.min || range.min > band.max)) return false;
  return filter.sex === undefined || sexes === 'any' || sexes === filter.sex;
}

/** A block booking records no age or sex terms, setting or authority: only the kind and state filters keep it. */
const termsAsked = (f: CapacityFilter) =>
  f.ageBand !== undefined || f.sex !== undefined || f.settingId !== undefined || f.authoritySettings !== undefined;

/**
 * One page of the night's units, filtered, after the key `after`, at most `limit`; the totals,
 * by provision and by age band stay the whole estate's on every page.
 */
export function capacityPage(
  view: CapacityView,
  filter: CapacityFilter,
  after: readonly KeyValue[] | null,
  limit: number,
): { view: CapacityView; nextAfter: CapacityKey | null } {
  const { kind, state } = filter;
  const beds = view.units.beds.filter(
    (b) =>
      (kind === undefined || kind === `${b.kind}-bed`) &&
      (state === undefined || (state === 'free' ? freeBed(b) : b.status === state)) &&
      (filter.settingId === undefined || b.settingId === filter.settingId) &&
      (filter.authoritySettings === undefined || filter.authoritySettings.has(b.settingId)) &&
      takes(filter, b.ageRange, b.sexes),
  );
  const households = view.units.households.filter(
    (h) =>
      (kind === undefined || kind === 'foster-household') &&
      (state === undefined || (state === 'free' ? freeHousehold(h) : h.status === state)) &&
      filter.settingId === undefined &&
      filter.authoritySettings === undefined &&
      takes(filter, h.ageRange, h.sexes),
  );
  const blockBeds = view.units.blockBeds.filter(
    (b) =>
      (kind === undefined || kind === 'block-booked-bed') &&
      (state === undefined || (state === 'free' ? freeBlockBed(b) : b.status === state)) &&
      !termsAsked(filter),
  );
  const keyed = [
    ...beds.map((unit) => ({ key: bedKey(unit), put: (p: Units) => p.beds.push(unit) })),
    ...households.map((unit) => ({ key: householdKey(unit), put: (p: Units) => p.households.push(unit) })),
    ...blockBeds.map((unit) => ({ key: blockBedKey(unit), put: (p: Units) => p.blockBeds.push(unit) })),
  ];
  const from = after === null ? 0 : keyed.findIndex((u) => compareKeys(u.key, after) > 0);
  const page = from < 0 ? [] : keyed.slice(from, from + limit);
  const units: Units = { beds: [], households: [], blockBeds: [] };
  for (const u of page) u.put(units);
  const more = from >= 0 && from + limit < keyed.length;
  return { view: { ...view, units }, nextAfter: more ? page[page.length - 1].key : null };
}

interface Units {
  beds: BedUnit[];
  households: HouseholdUnit[];
  blockBeds: BlockBedUnit[];
}
