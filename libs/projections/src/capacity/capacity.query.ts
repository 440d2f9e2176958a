import { agedEighteenInHomeRegisteredTo17, compareDates, type BusinessDate } from '@placement/domain';
import type { ReadModelDb } from '../read-model-db';
import { londonDateOf } from '../calendar';

export type Provision = 'in-house' | 'external';

/** What needs an officer's attention about a bed's occupant (both false for a bed no child occupies). */
export interface BedFlags {
  /** Placed in an emergency before its matching meeting, and no matched meeting for this home recorded since. */
  readonly unmatchedEmergency: boolean;
  /** The occupant is 18 or over today (London) and the home's registration goes up to 17 at most. */
  readonly aged18InHomeRegisteredTo17: boolean;
}

export interface BedUnit {
  readonly settingId: string;
  readonly settingName: string;
  readonly bedId: string;
  readonly label: string;
  readonly kind: 'residential' | 'emergency';
  readonly provision: Provision;
  readonly settingOpen: boolean;
  readonly status: 'vacant' | 'held' | 'occupied' | 'out-of-use';
  /** Held: until when, for which referral; `lapsed` when the hold's time has passed (the bed is free again). */
  readonly hold: { readonly referralId: string; readonly until: string; readonly lapsed: boolean } | null;
  readonly occupied: { readonly placementId: string; readonly since: BusinessDate; readonly emergency: boolean } | null;
  readonly outOfUse: {
    readonly reason: string;
    readonly from: BusinessDate;
    readonly until: BusinessDate | null;
  } | null;
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
  readonly approvedPlaces: number;
  readonly usedPlaces: number;
  /** Places a child could take now: none while suspended or resigned. */
  readonly freePlaces: number;
  readonly ageRange: { readonly min: number; readonly max: number };
  readonly sexes: string;
  readonly connectedPerson: boolean;
}

export interface BlockBedUnit {
  readonly contractId: string;
  readonly bedRef: string;
  readonly providerName: string;
  readonly settingName: string;
  /** Within the contract's dates today and not ended. */
  readonly contractActive: boolean;
  readonly status: 'allocated' | 'void';
  readonly allocated: { readonly placementId: string; readonly since: BusinessDate } | null;
}

export interface BedTotals {
  readonly beds: number;
  readonly vacant: number;
  readonly held: number;
  readonly occupied: number;
  readonly outOfUse: number;
  /** Vacant, or held by a lapsed hold. */
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
  readonly blockBooked: { readonly contracted: number; readonly allocated: number; readonly void: number };
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
  readonly asOf: string;
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

interface BedRow {
  setting_id: string;
  setting_name: string;
  bed_id: string;
  label: string;
  bed_kind: 'residential' | 'emergency';
  provision: Provision;
  closed_on: string | null;
  status: BedUnit['status'];
  held_for_referral: string | null;
  held_until: string | null;
  placement_id: string | null;
  occupied_since: string | null;
  emergency_placement: number | null;
  out_of_use_reason: string | null;
  out_of_use_from: string | null;
  out_of_use_until: string | null;
  age_min: number;
  age_max: number;
  sexes: string;
  position: number;
  unmatched_emergency: number | null;
  occupant_date_of_birth: string | null;
  matched: number;
}

interface HouseholdRow {
  household_id: string;
  reference: string;
  provision: Provision;
  agency_name: string | null;
  status: HouseholdUnit['status'];
  approved_places: number;
  used_places: number;
  age_min: number;
  age_max: number;
  sexes: string;
  connected_person: number;
  position: number;
}

interface BlockBedRow {
  contract_id: string;
  bed_ref: string;
  provider_name: string;
  setting_name: string;
  start_date: string;
  end_date: string;
  ended_on: string | null;
  placement_id: string | null;
  allocated_on: string | null;
  position: number;
}

export interface CapacityQueryOptions {
  /** The current instant: decides lapsed holds, closed settings and active contracts. */
  readonly now: Date;
  /** When given, `units` lists only the units changed by events in (after, through]. */
  readonly changed?: { readonly after: bigint; readonly through: bigint };
}

export function readCapacity(db: ReadModelDb, position: bigint, options: CapacityQueryOptions): CapacityView {
  const nowIso = options.now.toISOString();
  const today = londonDateOf(options.now);
  const bedRows = db.all<BedRow>(
    `SELECT b.*, s.name AS setting_name, s.provision, s.closed_on, s.age_min, s.age_max, s.sexes,
            c.date_of_birth AS occupant_date_of_birth,
            EXISTS (SELECT 1 FROM capacity_matched_meetings m
                     WHERE m.referral_id = b.occupant_referral_id AND m.setting_id = b.setting_id) AS matched
       FROM capacity_beds b JOIN capacity_settings s ON s.setting_id = b.setting_id
       LEFT JOIN capacity_children c ON c.child_id = b.occupant_child_id
      ORDER BY b.setting_id, b.bed_id`,
  );
  const householdRows = db.all<HouseholdRow>('SELECT * FROM capacity_households ORDER BY household_id');
  const blockRows = db.all<BlockBedRow>(
    `SELECT k.*, c.provider_name, c.setting_name, c.start_date, c.end_date, c.ended_on
       FROM capacity_block_beds k JOIN capacity_contracts c ON c.contract_id = k.contract_id ORDER BY k.contract_id, k.bed_ref`,
  );

  const beds = bedRows.map((r) => toBed(r, nowIso, today));
  const households = householdRows.map(toHousehold);
  const blockBeds = blockRows.map((r) => toBlockBed(r, today));

  const bedTotals = (kind: BedUnit['kind']): BedTotals => {
    const open = beds.filter((b) => b.kind === kind && b.settingOpen);
    return {
      beds: open.length,
      vacant: open.filter((b) => b.status === 'vacant').length,
      held: open.filter((b) => b.status === 'held').length,
      occupied: open.filter((b) => b.status === 'occupied').length,
      outOfUse: open.filter((b) => b.status === 'out-of-use').length,
      free: open.filter(isFreeBed).length,
    };
  };
  const current = households.filter((h) => h.status !== 'resigned');
  const activeBlock = blockBeds.filter((b) => b.contractActive);
  const totals: CapacityTotals = {
    residential: bedTotals('residential'),
    emergency: bedTotals('emergency'),
    foster: {
      households: current.length,
      suspendedHouseholds: current.filter((h) => h.status === 'suspended').length,
      approvedPlaces: sum(current.map((h) => h.approvedPlaces)),
      usedPlaces: sum(current.map((h) => h.usedPlaces)),
      freePlaces: sum(current.map((h) => h.freePlaces)),
    },
    blockBooked: {
      contracted: activeBlock.length,
      allocated: activeBlock.filter((b) => b.status === 'allocated').length,
      void: activeBlock.filter((b) => b.status === 'void').length,
    },
  };

  const provisionTotals = (provision: Provision): ProvisionTotals => {
    const openBeds = beds.filter((b) => b.settingOpen && b.provision === provision);
    const homes = current.filter((h) => h.provision === provision);
    const block = provision === 'external' ? activeBlock : [];
    return {
      units: openBeds.length + sum(homes.map((h) => h.approvedPlaces)) + block.length,
      free:
        openBeds.filter(isFreeBed).length +
        sum(homes.map((h) => h.freePlaces)) +
        block.filter((b) => b.status === 'void').length,
    };
  };

  const freeByAgeBandAndSex = AGE_BANDS.map(({ band, min, max }) => {
    let male = 0;
    let female = 0;
    const count = (range: { min: number; max: number }, sexes: string, free: number) => {
      if (free <= 0 || range.max < min || range.min > max) return;
      if (sexes === 'M' || sexes === 'any') male += free;
      if (sexes === 'F' || sexes === 'any') female += free;
    };
    for (const bed of beds) if (bed.settingOpen && isFreeBed(bed)) count(bed.ageRange, bed.sexes, 1);
    for (const home of current) count(home.ageRange, home.sexes, home.freePlaces);
    return { band, minAge: min, maxAge: max, male, female };
  });

  const changed = options.changed;
  const inRange = (rowPosition: number) =>
    changed === undefined || (BigInt(rowPosition) > changed.after && BigInt(rowPosition) <= changed.through);
  return {
    position: position.toString(),
    asOf: nowIso,
    totals,
    byProvision: { inHouse: provisionTotals('in-house'), external: provisionTotals('external') },
    freeByAgeBandAndSex,
    units: {
      beds: beds.filter((_, i) => inRange(bedRows[i].position)),
      households: households.filter((_, i) => inRange(householdRows[i].position)),
      blockBeds: blockBeds.filter((_, i) => inRange(blockRows[i].position)),
    },
  };
}

function isFreeBed(bed: BedUnit): boolean {
  return bed.status === 'vacant' || (bed.status === 'held' && bed.hold !== null && bed.hold.lapsed);
}

function toBed(r: BedRow, nowIso: string, today: BusinessDate): BedUnit {
  return {
    settingId: r.setting_id,
    settingName: r.setting_name,
    bedId: r.bed_id,
    label: r.label,
    kind: r.bed_kind,
    provision: r.provision,
    settingOpen: r.closed_on === null || compareDates(today, r.closed_on) < 0,
    status: r.status,
    hold:
      r.status === 'held' && r.held_for_referral !== null && r.held_until !== null
        ? {
            referralId: r.held_for_referral,
            until: r.held_until,
            lapsed: Date.parse(r.held_until) <= Date.parse(nowIso),
          }
        : null,
    occupied:
      r.status === 'occupied' && r.placement_id !== null && r.occupied_since !== null
        ? { placementId: r.placement_id, since: r.occupied_since, emergency: r.emergency_placement === 1 }
        : null,
    outOfUse:
      r.status === 'out-of-use' && r.out_of_use_reason !== null && r.out_of_use_from !== null
        ? { reason: r.out_of_use_reason, from: r.out_of_use_from, until: r.out_of_use_until }
        : null,
    ageRange: { min: r.age_min, max: r.age_max },
    sexes: r.sexes,
    flags: bedFlags(r, today),
  };
}

function bedFlags(r: BedRow, today: BusinessDate): BedFlags {
  const occupied = r.status === 'occupied';
  return {
    unmatchedEmergency: occupied && r.unmatched_emergency === 1 && r.matched === 0,
    aged18InHomeRegisteredTo17:
      occupied &&
      r.occupant_date_of_birth !== null &&
      agedEighteenInHomeRegisteredTo17(r.occupant_date_of_birth, { min: r.age_min, max: r.age_max }, today),
  };
}

function toHousehold(r: HouseholdRow): HouseholdUnit {
  return {
    householdId: r.household_id,
    reference: r.reference,
    provision: r.provision,
    agencyName: r.agency_name,
    status: r.status,
    approvedPlaces: r.approved_places,
    usedPlaces: r.used_places,
    freePlaces: r.status === 'approved' ? Math.max(0, r.approved_places - r.used_places) : 0,
    ageRange: { min: r.age_min, max: r.age_max },
    sexes: r.sexes,
    connectedPerson: r.connected_person === 1,
  };
}

function toBlockBed(r: BlockBedRow, today: BusinessDate): BlockBedUnit {
  const active =
    compareDates(r.start_date, today) <= 0 &&
    compareDates(today, r.end_date) <= 0 &&
    (r.ended_on === null || compareDates(today, r.ended_on) < 0);
  return {
    contractId: r.contract_id,
    bedRef: r.bed_ref,
    providerName: r.provider_name,
    settingName: r.setting_name,
    contractActive: active,
    status: r.placement_id === null ? 'void' : 'allocated',
    allocated:
      r.placement_id !== null && r.allocated_on !== null
        ? { placementId: r.placement_id, since: r.allocated_on }
        : null,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
