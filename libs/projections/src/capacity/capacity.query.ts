import {
  agedEighteenInHomeRegisteredTo17,
  allocationsOfBed,
  bedDayOf,
  blockBedAllocationOn,
  compareDates,
  householdPlacementsOn,
  termsOn,
  type BedState,
  type BusinessDate,
  type ContractState,
  type HouseholdState,
  type Occupancy,
} from '@placement/domain';
import type { ReadModelDb } from '../read-model-db';
import { londonDateOf } from '../calendar';
import { householdProvision } from './capacity.projection';

export type Provision = 'in-house' | 'external';

/** What needs an officer's attention about a bed's occupant that night (both false for a bed no child occupies). */
export interface BedFlags {
  /** Placed in an emergency before its matching meeting, and no matched meeting for this home recorded since. */
  readonly unmatchedEmergency: boolean;
  /** The occupant is 18 or over that night (London) and the home's registration goes up to 17 at most. */
  readonly aged18InHomeRegisteredTo17: boolean;
}

/** The next change in a unit's diary after the night asked, and its date. */
export interface NextChange {
  readonly date: BusinessDate;
  readonly change: 'arrival' | 'departure' | 'out-of-use' | 'back-in-use';
}

export interface BedUnit {
  readonly settingId: string;
  readonly settingName: string;
  readonly bedId: string;
  readonly label: string;
  readonly kind: 'residential' | 'emergency';
  readonly provision: Provision;
  readonly settingOpen: boolean;
  /** That night: vacant, reserved (free that night, an arrival booked later), held, occupied or out of use. */
  readonly status: 'vacant' | 'reserved' | 'held' | 'occupied' | 'out-of-use';
  /** A hold on the bed: until when, for which referral; `lapsed` once its time has passed (it holds nothing then). */
  readonly hold: { readonly referralId: string; readonly until: string; readonly lapsed: boolean } | null;
  /** Occupied: the placement, since when, and its end (a planned departure when after the night asked). */
  readonly occupied: {
    readonly placementId: string;
    readonly since: BusinessDate;
    readonly until: BusinessDate | null;
    readonly emergency: boolean;
  } | null;
  /** Reserved: the placement booked to arrive, and when. */
  readonly reserved: { readonly placementId: string; readonly from: BusinessDate } | null;
  readonly outOfUse: {
    readonly reason: string;
    readonly from: BusinessDate;
    /** The first date back in use, or null until further notice. */
    readonly until: BusinessDate | null;
  } | null;
  readonly next: NextChange | null;
  readonly ageRange: { readonly min: number; readonly max: number };
  readonly sexes: string;
  readonly flags: BedFlags;
}

export interface HouseholdUnit {
  readonly householdId: string;
  readonly reference: string;
  readonly provision: Provision;
  readonly agencyName: string | null;
  readonly status: 'approved' | 'suspended' | 'resigned';
  /** Under the terms in force that night. */
  readonly approvedPlaces: number;
  readonly usedPlaces: number;
  /** Places a child could take that night: none while suspended or resigned. */
  readonly freePlaces: number;
  readonly next: NextChange | null;
  readonly ageRange: { readonly min: number; readonly max: number };
  readonly sexes: string;
  readonly connectedPerson: boolean;
}

export interface BlockBedUnit {
  readonly contractId: string;
  readonly bedRef: string;
  readonly providerName: string;
  readonly settingName: string;
  /** Within the contract's dates that night and not ended. */
  readonly contractActive: boolean;
  /** That night: allocated, void, or reserved (void that night, allocated from a later date). */
  readonly status: 'allocated' | 'void' | 'reserved';
  readonly allocated: {
    readonly placementId: string;
    readonly since: BusinessDate;
    readonly until: BusinessDate | null;
  } | null;
  readonly next: NextChange | null;
}

export interface BedTotals {
  readonly beds: number;
  readonly vacant: number;
  /** Free that night, booked from a later date. */
  readonly reserved: number;
  readonly held: number;
  readonly occupied: number;
  readonly outOfUse: number;
  /** Free that night: vacant or reserved (a lapsed hold holds nothing). */
  readonly free: number;
}

export interface CapacityTotals {
  readonly residential: BedTotals;
  readonly emergency: BedTotals;
  readonly foster: {
    readonly households: number;
    readonly suspendedHouseholds: number;
    readonly approvedPlaces: number;
    readonly usedPlaces: number;
    readonly freePlaces: number;
  };
  /** `void` counts every contracted bed empty that night, `reserved` the void ones booked later. */
  readonly blockBooked: {
    readonly contracted: number;
    readonly allocated: number;
    readonly void: number;
    readonly reserved: number;
  };
}

export interface ProvisionTotals {
  /** Beds in open settings, approved foster places and beds in active block bookings. */
  readonly units: number;
  readonly free: number;
}

export interface AgeBandFree {
  readonly band: string;
  readonly minAge: number;
  readonly maxAge: number;
  /** Free units whose registration or approval terms take a boy / a girl of this band. */
  readonly male: number;
  readonly female: number;
}

export interface CapacityView {
  /** The read model's checkpoint: every event up to this position is reflected. */
  readonly position: string;
  /** The instant asked at (holds are live or lapsed at it). */
  readonly asOf: string;
  /** The night the units are read for (London date): today unless asked otherwise. */
  readonly on: BusinessDate;
  /** On a midnight rollover: the night the units changed from. */
  readonly rolledOverFrom?: BusinessDate;
  readonly totals: CapacityTotals;
  readonly byProvision: { readonly inHouse: ProvisionTotals; readonly external: ProvisionTotals };
  /** Beds and foster places only: a block booking records no age or sex terms. */
  readonly freeByAgeBandAndSex: readonly AgeBandFree[];
  readonly units: {
    readonly beds: readonly BedUnit[];
    readonly households: readonly HouseholdUnit[];
    readonly blockBeds: readonly BlockBedUnit[];
  };
}

/** Age bands of the sufficiency statement (completed years). */
export const AGE_BANDS: readonly { readonly band: string; readonly min: number; readonly max: number }[] = [
  { band: '0-4', min: 0, max: 4 },
  { band: '5-10', min: 5, max: 10 },
  { band: '11-15', min: 11, max: 15 },
  { band: '16-17', min: 16, max: 17 },
];

export interface BedRow {
  setting_id: string;
  setting_name: string;
  bed_id: string;
  label: string;
  bed_kind: 'residential' | 'emergency';
  provision: Provision;
  closed_on: string | null;
  diary: string;
  age_min: number;
  age_max: number;
  sexes: string;
  position: number;
}

export interface HouseholdRow {
  household_id: string;
  reference: string;
  diary: string;
  position: number;
}

export interface BlockBedRow {
  contract_id: string;
  bed_ref: string;
  diary: string;
  position: number;
}

/** What a unit is read for: the night (London date), the instant (it decides lapsed holds) and a bed's flags' facts. */
export interface UnitNight {
  readonly on: BusinessDate;
  readonly nowIso: string;
  readonly facts: FlagFacts;
}

/**
 * One kind of unit's table: the SELECT of its rows, with what its unit reads (a bed its setting's,
 * a block-booked bed its contract's diary), for a WHERE and an ORDER BY to follow; its key columns
 * (`alias.name`, the order every list of units is in); the column of the position that last changed
 * a row; and the unit a row is on a night, read from its diary (null: no unit yet).
 */
export interface UnitTable<R, U> {
  readonly select: string;
  readonly key: readonly string[];
  readonly position: string;
  unitOf(row: R, night: UnitNight): U | null;
}

export const BEDS: UnitTable<BedRow, BedUnit> = {
  select: `SELECT b.*, s.name AS setting_name, s.provision, s.closed_on, s.age_min, s.age_max, s.sexes
  FROM capacity_beds b JOIN capacity_settings s ON s.setting_id = b.setting_id`,
  key: ['b.setting_id', 'b.bed_id'],
  position: 'b.position',
  unitOf: (row, night) => toBed(row, JSON.parse(row.diary) as BedState, night.nowIso, night.on, night.facts),
};
export const HOUSEHOLDS: UnitTable<HouseholdRow, HouseholdUnit> = {
  select: 'SELECT * FROM capacity_households h',
  key: ['h.household_id'],
  position: 'h.position',
  unitOf: (row, night) => toHousehold(row, JSON.parse(row.diary) as HouseholdState, night.on),
};
export const BLOCK_BEDS: UnitTable<BlockBedRow, BlockBedUnit> = {
  select: `SELECT k.contract_id, k.bed_ref, k.position, c.diary FROM capacity_block_beds k
  JOIN capacity_contracts c ON c.contract_id = k.contract_id`,
  key: ['k.contract_id', 'k.bed_ref'],
  position: 'k.position',
  unitOf: (row, night) => toBlockBed(row, JSON.parse(row.diary) as ContractState, night.on),
};

/** A table's rows in key order, after a WHERE (none when `where` is empty). */
export const inKeyOrder = (table: UnitTable<unknown, unknown>, where = '') =>
  `${table.select}${where === '' ? '' : ` WHERE ${where}`} ORDER BY ${table.key.join(', ')}`;

export interface CapacityQueryOptions {
  /** The current instant: decides lapsed holds. */
  readonly now: Date;
  /** The night to read every diary for (London date); today (the London date of `now`) by default. */
  readonly on?: BusinessDate;
  /** When given, `units` lists only the units changed by events in (after, through]. */
  readonly changed?: { readonly after: bigint; readonly through: bigint };
  /** When given, `units` lists only the units whose night differs from this earlier night (a rollover). */
  readonly comparedWith?: BusinessDate;
}

export function readCapacity(db: ReadModelDb, position: bigint, options: CapacityQueryOptions): CapacityView {
  const nowIso = options.now.toISOString();
  const on = options.on ?? londonDateOf(options.now);
  const bedRows = db.all<BedRow>(inKeyOrder(BEDS));
  const householdRows = db.all<HouseholdRow>(inKeyOrder(HOUSEHOLDS));
  const blockRows = db.all<BlockBedRow>(inKeyOrder(BLOCK_BEDS));
  const diaries = {
    beds: bedRows.map((r) => JSON.parse(r.diary) as BedState),
    households: householdRows.map((r) => JSON.parse(r.diary) as HouseholdState),
    blockBeds: blockRows.map((r) => JSON.parse(r.diary) as ContractState),
  };
  const flagFacts = flagFactsOf(db);
  // One entry per row (null for a row with no unit yet), so a unit's row position stays at its index.
  const unitsOn = (night: BusinessDate) => ({
    beds: bedRows.map((r, i) => toBed(r, diaries.beds[i], nowIso, night, flagFacts)),
    households: householdRows.map((r, i) => toHousehold(r, diaries.households[i], night)),
    blockBeds: blockRows.map((r, i) => toBlockBed(r, diaries.blockBeds[i], night)),
  });
  const night = unitsOn(on);
  const tally = new CapacityTally();
  for (const bed of night.beds) if (bed !== null) tally.addBed(bed, 1);
  for (const home of night.households) if (home !== null) tally.addHousehold(home, 1);
  for (const block of night.blockBeds) if (block !== null) tally.addBlockBed(block, 1);

  const changed = options.changed;
  const inRange = (rowPosition: number) =>
    changed === undefined || (BigInt(rowPosition) > changed.after && BigInt(rowPosition) <= changed.through);
  const before = options.comparedWith === undefined ? null : unitsOn(options.comparedWith);
  const pick = <T>(
    list: readonly (T | null)[],
    earlier: readonly (T | null)[] | undefined,
    rows: readonly { position: number }[],
  ): T[] =>
    list.filter(
      (unit, i): unit is T =>
        unit !== null &&
        inRange(rows[i].position) &&
        (earlier === undefined || JSON.stringify(unit) !== JSON.stringify(earlier[i])),
    );
  return {
    position: position.toString(),
    asOf: nowIso,
    on,
    ...(options.comparedWith === undefined ? {} : { rolledOverFrom: options.comparedWith }),
    ...tally.figures(),
    units: {
      beds: pick(night.beds, before?.beds, bedRows),
      households: pick(night.households, before?.households, householdRows),
      blockBeds: pick(night.blockBeds, before?.blockBeds, blockRows),
    },
  };
}

type Counts<K extends string> = Record<K, number>;
type BedCount = keyof BedTotals;
type FosterCount = keyof CapacityTotals['foster'];
type BlockCount = keyof CapacityTotals['blockBooked'];
const zero = <K extends string>(keys: readonly K[]): Counts<K> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Counts<K>;
const BED_COUNTS: readonly BedCount[] = ['beds', 'vacant', 'reserved', 'held', 'occupied', 'outOfUse', 'free'];
const BED_STATUS_COUNT = {
  vacant: 'vacant',
  reserved: 'reserved',
  held: 'held',
  occupied: 'occupied',
  'out-of-use': 'outOfUse',
} as const satisfies Record<BedUnit['status'], BedCount>;

/**
 * The totals, by provision and by age band and sex, as running counts: each unit is added (or,
 * with `sign` -1, taken away) on its own, so a summary kept between reads changes only by the
 * units that changed. Beds count in open settings, households unless resigned, block-booked beds
 * while their contract is active.
 */
export class CapacityTally {
  private readonly beds = { residential: zero(BED_COUNTS), emergency: zero(BED_COUNTS) };
  private readonly foster = zero<FosterCount>([
    'households',
    'suspendedHouseholds',
    'approvedPlaces',
    'usedPlaces',
    'freePlaces',
  ]);
  private readonly block = zero<BlockCount>(['contracted', 'allocated', 'void', 'reserved']);
  private readonly provision = { 'in-house': zero(['units', 'free']), external: zero(['units', 'free']) };
  private readonly bands = AGE_BANDS.map(() => zero(['male', 'female']));

  addBed(bed: BedUnit, sign: 1 | -1): void {
    if (!bed.settingOpen) return;
    const counts = this.beds[bed.kind];
    const free = isFreeBed(bed) ? 1 : 0;
    counts.beds += sign;
    counts[BED_STATUS_COUNT[bed.status]] += sign;
    counts.free += sign * free;
    this.provision[bed.provision].units += sign;
    this.provision[bed.provision].free += sign * free;
    this.addFree(bed.ageRange, bed.sexes, sign * free);
  }

  addHousehold(home: HouseholdUnit, sign: 1 | -1): void {
    if (home.status === 'resigned') return;
    this.foster.households += sign;
    if (home.status === 'suspended') this.foster.suspendedHouseholds += sign;
    this.foster.approvedPlaces += sign * home.approvedPlaces;
    this.foster.usedPlaces += sign * home.usedPlaces;
    this.foster.freePlaces += sign * home.freePlaces;
    this.provision[home.provision].units += sign * home.approvedPlaces;
    this.provision[home.provision].free += sign * home.freePlaces;
    this.addFree(home.ageRange, home.sexes, sign * home.freePlaces);
  }

  addBlockBed(block: BlockBedUnit, sign: 1 | -1): void {
    if (!block.contractActive) return;
    const empty = block.status === 'allocated' ? 0 : 1;
    this.block.contracted += sign;
    this.block.allocated += sign * (1 - empty);
    this.block.void += sign * empty;
    if (block.status === 'reserved') this.block.reserved += sign;
    this.provision.external.units += sign;
    this.provision.external.free += sign * empty;
  }

  figures(): Pick<CapacityView, 'totals' | 'byProvision' | 'freeByAgeBandAndSex'> {
    const provision = (p: Provision): ProvisionTotals => ({ ...(this.provision[p] as ProvisionTotals) });
    return {
      totals: {
        residential: { ...this.beds.residential },
        emergency: { ...this.beds.emergency },
        foster: { ...this.foster },
        blockBooked: { ...this.block },
      },
      byProvision: { inHouse: provision('in-house'), external: provision('external') },
      freeByAgeBandAndSex: AGE_BANDS.map(({ band, min, max }, i) => ({
        band,
        minAge: min,
        maxAge: max,
        male: this.bands[i].male,
        female: this.bands[i].female,
      })),
    };
  }

  /** Free places counted in every band the terms reach, for each sex they take. */
  private addFree(range: { min: number; max: number }, sexes: string, free: number): void {
    if (free === 0) return;
    AGE_BANDS.forEach(({ min, max }, i) => {
      if (range.max < min || range.min > max) return;
      if (sexes === 'M' || sexes === 'any') this.bands[i].male += free;
      if (sexes === 'F' || sexes === 'any') this.bands[i].female += free;
    });
  }
}

function isFreeBed(bed: BedUnit): boolean {
  return bed.status === 'vacant' || bed.status === 'reserved';
}

const STATUS_OF = {
  Vacant: 'vacant',
  Reserved: 'reserved',
  Held: 'held',
  Occupied: 'occupied',
  OutOfUse: 'out-of-use',
} as const;

function nextOf(next: { date: BusinessDate; change: NextChange['change'] } | null): NextChange | null {
  return next === null ? null : { date: next.date, change: next.change };
}

export interface FlagFacts {
  dateOfBirth(childId: string): BusinessDate | null;
  matched(referralId: string, settingId: string): boolean;
}

/** The flags read each occupant's date of birth and the homes a referral has a matched meeting for. */
export function flagFactsOf(db: ReadModelDb): FlagFacts {
  return {
    dateOfBirth: (childId) =>
      db.get<{ date_of_birth: string }>('SELECT date_of_birth FROM capacity_children WHERE child_id = ?', childId)
        ?.date_of_birth ?? null,
    matched: (referralId, settingId) =>
      db.get(
        'SELECT 1 FROM capacity_matched_meetings WHERE referral_id = ? AND setting_id = ?',
        referralId,
        settingId,
      ) !== undefined,
  };
}

/** What counts need of a bed: its flags do not count, so a summary reads no child's facts. */
export const NO_FLAG_FACTS: FlagFacts = { dateOfBirth: () => null, matched: () => false };

const NO_FLAGS: BedFlags = { unmatchedEmergency: false, aged18InHomeRegisteredTo17: false };

function bedFlags(r: BedRow, occupant: Occupancy | undefined, on: BusinessDate, facts: FlagFacts): BedFlags {
  if (occupant === undefined) return NO_FLAGS;
  const dateOfBirth = facts.dateOfBirth(occupant.childId);
  return {
    unmatchedEmergency:
      occupant.unmatchedEmergency &&
      !(occupant.referralId !== null && facts.matched(occupant.referralId, r.setting_id)),
    aged18InHomeRegisteredTo17:
      dateOfBirth !== null && agedEighteenInHomeRegisteredTo17(dateOfBirth, { min: r.age_min, max: r.age_max }, on),
  };
}

export function toBed(r: BedRow, state: BedState, nowIso: string, on: BusinessDate, facts: FlagFacts): BedUnit | null {
  const day = bedDayOf(state, on, nowIso);
  if (day === null || state.status !== 'Added') return null;
  const hold = state.hold;
  return {
    settingId: r.setting_id,
    settingName: r.setting_name,
    bedId: r.bed_id,
    label: r.label,
    kind: r.bed_kind,
    provision: r.provision,
    settingOpen: r.closed_on === null || compareDates(on, r.closed_on) < 0,
    status: STATUS_OF[day.status],
    hold:
      hold === null
        ? null
        : { referralId: hold.referralId, until: hold.until, lapsed: Date.parse(hold.until) <= Date.parse(nowIso) },
    occupied:
      day.status === 'Occupied'
        ? {
            placementId: day.occupant.placementId,
            since: day.occupant.from,
            until: day.occupant.to,
            emergency: day.occupant.emergency,
          }
        : null,
    reserved:
      day.status === 'Reserved' && day.next.placementId !== null
        ? { placementId: day.next.placementId, from: day.next.date }
        : null,
    outOfUse:
      day.status === 'OutOfUse' ? { reason: day.period.reason, from: day.period.from, until: day.period.to } : null,
    next: nextOf(day.next),
    ageRange: { min: r.age_min, max: r.age_max },
    sexes: r.sexes,
    flags: bedFlags(r, day.status === 'Occupied' ? day.occupant : undefined, on, facts),
  };
}

/** The first date after `on` on which any of these bookings begins or ends. */
function nextBooking(
  spans: readonly { from: BusinessDate; to: BusinessDate | null }[],
  on: BusinessDate,
): NextChange | null {
  const changes: NextChange[] = spans.flatMap((s) => [
    ...(compareDates(s.from, on) > 0 ? [{ date: s.from, change: 'arrival' as const }] : []),
    ...(s.to !== null && compareDates(s.to, on) > 0 ? [{ date: s.to, change: 'departure' as const }] : []),
  ]);
  changes.sort((a, b) => compareDates(a.date, b.date) || (a.change === 'departure' ? -1 : 1));
  return changes[0] ?? null;
}

export function toHousehold(r: HouseholdRow, state: HouseholdState, on: BusinessDate): HouseholdUnit | null {
  if (state.status === 'NotApproved') return null;
  const terms = termsOn(state.termsHistory, on);
  const status = state.status === 'Approved' ? 'approved' : state.status === 'Suspended' ? 'suspended' : 'resigned';
  const used = householdPlacementsOn(state, on).length;
  return {
    householdId: r.household_id,
    reference: r.reference,
    provision: householdProvision(terms),
    agencyName: terms.agencyName,
    status,
    approvedPlaces: terms.maxChildren,
    usedPlaces: used,
    freePlaces: status === 'approved' ? Math.max(0, terms.maxChildren - used) : 0,
    next: nextBooking(state.placements, on),
    ageRange: terms.ageRange,
    sexes: terms.sexes,
    connectedPerson: terms.connectedPerson,
  };
}

export function toBlockBed(r: BlockBedRow, state: ContractState, on: BusinessDate): BlockBedUnit | null {
  if (state.status === 'NotContracted') return null;
  const k = state.contract;
  const active =
    compareDates(k.startDate, on) <= 0 &&
    compareDates(on, k.endDate) <= 0 &&
    (state.status !== 'Ended' || compareDates(on, state.endedOn) < 0);
  const bookings = allocationsOfBed(state, r.bed_ref);
  const allocation = blockBedAllocationOn(state, r.bed_ref, on);
  const later = bookings.some((a) => compareDates(a.from, on) > 0);
  return {
    contractId: r.contract_id,
    bedRef: r.bed_ref,
    providerName: k.provider.name,
    settingName: k.settingName,
    contractActive: active,
    status: allocation ? 'allocated' : later ? 'reserved' : 'void',
    allocated: allocation
      ? { placementId: allocation.placementId, since: allocation.from, until: allocation.to }
      : null,
    next: nextBooking(bookings, on),
  };
}
