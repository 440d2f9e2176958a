import type { BusinessDate } from '@placement/domain';
import type { SqlValue, ReadModelDb } from '../read-model-db';
import type { KeyValue } from '../lists/page';
import { londonDateOf } from '../calendar';
import {
  AGE_BANDS,
  BEDS,
  BLOCK_BEDS,
  HOUSEHOLDS,
  flagFactsOf,
  inKeyOrder,
  type BedUnit,
  type BlockBedUnit,
  type CapacityView,
  type HouseholdUnit,
  type UnitNight,
  type UnitTable,
} from './capacity.query';
import type { CapacitySummary } from './capacity.summary';

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
  /** The settings registered in this local authority (ONS code); households and block bookings record none. */
  readonly authority?: string;
  readonly settingId?: string;
  readonly kind?: (typeof CAPACITY_KINDS)[number];
  readonly state?: (typeof CAPACITY_STATES)[number];
  readonly ageBand?: string;
  readonly sex?: (typeof SEXES)[number];
}

/**
 * The sort key of a unit in the one list a page is cut from: beds by setting and bed, then
 * households by id, then block-booked beds by contract and bed (each table's primary key).
 */
export type CapacityKey = readonly [group: number, first: string, second: string];
export const CAPACITY_KEY_TYPES = ['number', 'string', 'string'] as const;

/** A page of units with the whole estate's figures, and the key to read the next page after (null on the last). */
export interface CapacityPage {
  readonly view: CapacityView;
  readonly nextAfter: CapacityKey | null;
}

export interface CapacityPageOptions {
  /** The current instant: decides lapsed holds. */
  readonly now: Date;
  /** The night to read (London date); today by default. */
  readonly on?: BusinessDate;
  readonly filter: CapacityFilter;
  /** The key of the last unit of the page before, or null for the first page. */
  readonly after: readonly KeyValue[] | null;
  readonly limit: number;
}

/** Free that night: what the totals count as free. */
const freeBed = (b: BedUnit) => b.settingOpen && (b.status === 'vacant' || b.status === 'reserved');
const freeHousehold = (h: HouseholdUnit) => h.freePlaces > 0;
const freeBlockBed = (b: BlockBedUnit) => b.contractActive && b.status !== 'allocated';

/** A block booking records no age or sex terms, setting or authority: only the kind and state filters keep it. */
const termsAsked = (f: CapacityFilter) =>
  f.ageBand !== undefined || f.sex !== undefined || f.settingId !== undefined || f.authority !== undefined;

/**
 * One page of the night's units, filtered, after the key `after`, at most `limit`, read from the
 * tables in key order: what the filters say of a unit's setting (authority, setting, kind, a
 * bed's age range and sexes) is a WHERE on indexed columns, and what depends on the night (its
 * state, a household's terms that night) is decided unit by unit on the rows read, a chunk at a
 * time, until the page is full. The totals, by provision and by age band are the whole estate's
 * on every page, from the summary kept between reads.
 */
export function readCapacityPage(
  db: ReadModelDb,
  summary: CapacitySummary,
  position: bigint,
  options: CapacityPageOptions,
): CapacityPage {
  const night: UnitNight = {
    on: options.on ?? londonDateOf(options.now),
    nowIso: options.now.toISOString(),
    facts: flagFactsOf(db),
  };
  const { filter, limit } = options;
  const after = options.after as CapacityKey | null;
  // One more than the page, to know whether a page follows.
  const wanted = limit + 1;
  return db.snapshot(() => {
    const beds: BedUnit[] = [];
    const households: HouseholdUnit[] = [];
    const blockBeds: BlockBedUnit[] = [];
    let last: CapacityKey | null = null;
    let found = 0;
    const keep = <T>(list: T[], unit: T, key: CapacityKey): boolean => {
      found += 1;
      if (found > limit) return false;
      list.push(unit);
      last = key;
      return true;
    };
    // A group before the cursor's is done; the cursor's own resumes after its key; a later one starts at its first.
    const reads = (group: number) => after === null || after[0] <= group;
    const from = (group: number, columns: number): readonly string[] | null =>
      after !== null && after[0] === group ? after.slice(1, 1 + columns).map(String) : null;

    if (reads(0) && bedsAsked(filter)) {
      for (const row of chunks(db, BEDS, bedWhere(filter), from(0, 2), wanted)) {
        const unit = BEDS.unitOf(row, night);
        if (unit === null || !stateIs(filter, unit.status, freeBed(unit))) continue;
        if (!keep(beds, unit, [0, unit.settingId, unit.bedId])) break;
      }
    }
    if (found <= limit && reads(1) && householdsAsked(filter)) {
      for (const row of chunks(db, HOUSEHOLDS, NO_WHERE, from(1, 1), wanted)) {
        const unit = HOUSEHOLDS.unitOf(row, night);
        if (unit === null || !stateIs(filter, unit.status, freeHousehold(unit)) || !takes(filter, unit)) continue;
        if (!keep(households, unit, [1, unit.householdId, ''])) break;
      }
    }
    if (found <= limit && reads(2) && blockBedsAsked(filter)) {
      for (const row of chunks(db, BLOCK_BEDS, NO_WHERE, from(2, 2), wanted)) {
        const unit = BLOCK_BEDS.unitOf(row, night);
        if (unit === null || !stateIs(filter, unit.status, freeBlockBed(unit))) continue;
        if (!keep(blockBeds, unit, [2, unit.contractId, unit.bedRef])) break;
      }
    }
    return {
      view: {
        position: position.toString(),
        asOf: night.nowIso,
        on: night.on,
        ...summary.figures(position, options.now, night.on),
        units: { beds, households, blockBeds },
      },
      nextAfter: found > limit ? last : null,
    };
  });
}

const bedsAsked = (f: CapacityFilter) =>
  f.kind === undefined || f.kind === 'residential-bed' || f.kind === 'emergency-bed';
const householdsAsked = (f: CapacityFilter) =>
  (f.kind === undefined || f.kind === 'foster-household') && f.settingId === undefined && f.authority === undefined;
const blockBedsAsked = (f: CapacityFilter) => (f.kind === undefined || f.kind === 'block-booked-bed') && !termsAsked(f);

interface Where {
  readonly clauses: readonly string[];
  readonly params: readonly SqlValue[];
}
const NO_WHERE: Where = { clauses: [], params: [] };

/** What the filters ask of a bed's own row and its setting's, on indexed columns. */
function bedWhere(filter: CapacityFilter): Where {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  const and = (clause: string, ...values: SqlValue[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (filter.settingId !== undefined) and('b.setting_id = ?', filter.settingId);
  if (filter.authority !== undefined) and('s.local_authority = ?', filter.authority);
  if (filter.kind !== undefined) and('b.bed_kind = ?', filter.kind === 'emergency-bed' ? 'emergency' : 'residential');
  // Registration that takes a child of the band (as `freeByAgeBandAndSex` counts) and of the sex.
  const band = AGE_BANDS.find((b) => b.band === filter.ageBand);
  if (band !== undefined) and('s.age_max >= ? AND s.age_min <= ?', band.min, band.max);
  if (filter.sex !== undefined) and("s.sexes IN ('any', ?)", filter.sex);
  return { clauses, params };
}

function stateIs(filter: CapacityFilter, status: string, free: boolean): boolean {
  return filter.state === undefined || (filter.state === 'free' ? free : status === filter.state);
}

/** A household's terms that night take a child of that band and sex (as `freeByAgeBandAndSex` counts). */
function takes(filter: CapacityFilter, unit: HouseholdUnit): boolean {
  const band = AGE_BANDS.find((b) => b.band === filter.ageBand);
  if (band !== undefined && (unit.ageRange.max < band.min || unit.ageRange.min > band.max)) return false;
  return filter.sex === undefined || unit.sexes === 'any' || unit.sexes === filter.sex;
}

/**
 * The rows of one table in key order after `start` (the key's values, or null from the first), a
 * chunk at a time: the first the size of a page, each next twice the last, up to 1,000, so a filter
 * that keeps few of them costs the rows it reads and no more.
 */
function* chunks<R>(
  db: ReadModelDb,
  table: UnitTable<R, unknown>,
  where: Where,
  start: readonly string[] | null,
  first: number,
): Generator<R> {
  const columns = table.key;
  const sql = (keyed: boolean) => {
    const clauses = [
      ...(keyed ? [`(${columns.join(', ')}) > (${columns.map(() => '?').join(', ')})`] : []),
      ...where.clauses,
    ];
    return `${inKeyOrder(table, clauses.join(' AND '))} LIMIT ?`;
  };
  let key: readonly string[] | null = start;
  for (let size = first; ; size = Math.min(size * 2, 1000)) {
    const rows = db.all<R & Record<string, unknown>>(sql(key !== null), ...(key ?? []), ...where.params, size);
    yield* rows;
    if (rows.length < size) return;
    const lastRow = rows[rows.length - 1];
    key = columns.map((c) => String(lastRow[c.slice(c.indexOf('.') + 1)]));
  }
}
