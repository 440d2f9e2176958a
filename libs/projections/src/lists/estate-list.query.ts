import type {
  ApprovalTerms,
  BusinessDate,
  FosterPlacementType,
  HouseholdMember,
  ProviderRef,
  SettingProvider,
  SettingRegistered,
  SettingRegistration,
  SettingType,
} from '@placement/domain';
import type { ReadModelDb } from '../read-model-db';
import { childrenLivingIn } from './child-list.query';
import { inSettings, keysetPage, listPage, type ListScope, type Page, type PageRequest, type Where } from './page';

export interface BedCounts {
  readonly total: number;
  readonly residential: number;
  readonly emergency: number;
  /** Vacant, or held by a hold whose time has passed. */
  readonly vacant: number;
  readonly held: number;
  readonly occupied: number;
  readonly outOfUse: number;
}

/** A home as it was registered (with its registration and URN as last changed). */
type RegisteredSetting = SettingRegistered['data'];

export interface SettingListItem extends RegisteredSetting {
  /** Open today: not closed, or closing on a later date. */
  readonly open: boolean;
  readonly closed: { readonly on: BusinessDate; readonly reason: string } | null;
  readonly beds: BedCounts;
  /** Children living there today (an occupied bed whose placement has started). */
  readonly residents: number;
}

export type HouseholdStatus = 'approved' | 'suspended' | 'resigned';

export interface HouseholdListItem {
  readonly householdId: string;
  /** A household reference, never a carer's name. */
  readonly reference: string;
  readonly status: HouseholdStatus;
  readonly statusSince: BusinessDate;
  readonly statusReason: string | null;
  readonly approvedOn: BusinessDate;
  readonly terms: ApprovalTerms;
  readonly childrenPlaced: number;
  /** Places a child could take now: none while suspended or resigned. */
  readonly freePlaces: number;
}

export interface HouseholdRecord extends HouseholdListItem {
  /** Who else lives with the carers (their own children, other adults), as last recorded: no names. */
  readonly members: readonly HouseholdMember[];
  /** The children placed now; `childId` is null where the reader may not know the child. */
  readonly children: readonly {
    readonly placementId: string;
    readonly childId: string | null;
    readonly placementType: FosterPlacementType;
    readonly startDate: BusinessDate;
    readonly emergency: boolean;
    readonly emergencyOutsideTerms: boolean;
  }[];
}

export interface ContractListItem {
  readonly contractId: string;
  readonly provider: ProviderRef;
  readonly settingName: string;
  readonly settingUrn: string | null;
  readonly settingPostcode: string;
  readonly startDate: BusinessDate;
  readonly endDate: BusinessDate;
  /** Pence per bed per week. */
  readonly weeklyPricePerBed: number;
  readonly ended: { readonly on: BusinessDate; readonly reason: string } | null;
  /** Within its dates today and not ended. */
  readonly active: boolean;
  readonly beds: { readonly contracted: number; readonly allocated: number; readonly void: number };
}

export interface ContractRecord extends ContractListItem {
  /** In contract order; `childId` is null where the reader may not know the child. */
  readonly bedAllocations: readonly {
    readonly bedRef: string;
    readonly allocated: {
      readonly placementId: string;
      readonly childId: string | null;
      readonly since: string;
    } | null;
  }[];
}

export interface ReadContext {
  /** The current instant: decides lapsed holds. */
  readonly now: Date;
  /** Today's London date: decides what is open and who lives where. */
  readonly today: BusinessDate;
  readonly scope: ListScope;
}

interface SettingRow {
  setting_id: string;
  name: string;
  urn: string | null;
  provider: string;
  setting_type: SettingType;
  registration: string;
  postcode: string;
  local_authority: string;
  registered_on: string;
  closed_on: string | null;
  close_reason: string | null;
}

interface BedRow {
  setting_id: string;
  kind: 'residential' | 'emergency';
  status: 'vacant' | 'held' | 'occupied' | 'out-of-use';
  held_until: string | null;
  occupied_from: string | null;
}

/** Homes by id, each with its bed counts and residents today. A residential manager sees the homes they keep. */
export function readSettingList(
  db: ReadModelDb,
  position: bigint,
  context: ReadContext,
  request: PageRequest,
): Page<SettingListItem> {
  const where: Where[] = [];
  if (context.scope !== null) where.push(inSettings('s.setting_id', context.scope.settingIds));
  const page = keysetPage<SettingRow>(
    db,
    position,
    { select: 'SELECT s.* FROM list_settings s', where, keys: ['s.setting_id'], keyOf: (row) => [row.setting_id] },
    request,
  );
  const ids = page.rows.map((r) => r.setting_id);
  const bedsOf = new Map<string, BedRow[]>(ids.map((id) => [id, []]));
  const inPage = inSettings('setting_id', ids);
  for (const bed of db.all<BedRow>(
    `SELECT setting_id, kind, status, held_until, occupied_from FROM list_beds WHERE ${inPage.sql}`,
    ...inPage.params,
  ))
    bedsOf.get(bed.setting_id)?.push(bed);
  const nowMs = context.now.getTime();
  return {
    position: page.position,
    nextAfter: page.nextAfter,
    items: page.rows.map((r) => {
      const beds = bedsOf.get(r.setting_id) ?? [];
      const lapsed = (b: BedRow) => b.status === 'held' && b.held_until !== null && Date.parse(b.held_until) <= nowMs;
      return {
        settingId: r.setting_id,
        name: r.name,
        urn: r.urn,
        provider: JSON.parse(r.provider) as SettingProvider,
        type: r.setting_type,
        registration: JSON.parse(r.registration) as SettingRegistration,
        postcode: r.postcode,
        localAuthority: r.local_authority,
        registeredOn: r.registered_on,
        open: r.closed_on === null || r.closed_on > context.today,
        closed: r.closed_on !== null ? { on: r.closed_on, reason: r.close_reason ?? 'other' } : null,
        beds: {
          total: beds.length,
          residential: beds.filter((b) => b.kind === 'residential').length,
          emergency: beds.filter((b) => b.kind === 'emergency').length,
          vacant: beds.filter((b) => b.status === 'vacant' || lapsed(b)).length,
          held: beds.filter((b) => b.status === 'held' && !lapsed(b)).length,
          occupied: beds.filter((b) => b.status === 'occupied').length,
          outOfUse: beds.filter((b) => b.status === 'out-of-use').length,
        },
        residents: beds.filter(
          (b) => b.status === 'occupied' && b.occupied_from !== null && b.occupied_from <= context.today,
        ).length,
      };
    }),
  };
}

interface HouseholdRow {
  household_id: string;
  reference: string;
  status: HouseholdStatus;
  status_since: string;
  status_reason: string | null;
  terms: string;
  approved_on: string;
  members: string;
  children_placed: number;
}

const HOUSEHOLD_SELECT = `SELECT h.*, (SELECT COUNT(*) FROM list_household_children c
  WHERE c.household_id = h.household_id)
  AS children_placed FROM list_households h`;

function toHousehold(r: HouseholdRow): HouseholdListItem {
  const terms = JSON.parse(r.terms) as ApprovalTerms;
  return {
    householdId: r.household_id,
    reference: r.reference,
    status: r.status,
    statusSince: r.status_since,
    statusReason: r.status_reason,
    approvedOn: r.approved_on,
    terms,
    childrenPlaced: r.children_placed,
    freePlaces: r.status === 'approved' ? Math.max(0, terms.maxChildren - r.children_placed) : 0,
  };
}

/** Foster households by id, with their terms and how many children are placed. */
export function readHouseholdList(
  db: ReadModelDb,
  position: bigint,
  filter: { readonly status?: HouseholdStatus },
  request: PageRequest,
): Page<HouseholdListItem> {
  const where = filter.status === undefined ? [] : [{ sql: 'h.status = ?', params: [filter.status] }];
  return listPage<HouseholdRow, HouseholdListItem>(
    db,
    position,
    { select: HOUSEHOLD_SELECT, where, keys: ['h.household_id'], keyOf: (row) => [row.household_id] },
    request,
    toHousehold,
  );
}

/** One household's record with the children placed now, or null if it was never approved. */
export function readHousehold(db: ReadModelDb, householdId: string, context: ReadContext): HouseholdRecord | null {
  const row = db.get<HouseholdRow>(`${HOUSEHOLD_SELECT} WHERE h.household_id = ?`, householdId);
  if (row === undefined) return null;
  const visible = visibility(db, context);
  const children = db.all<{
    placement_id: string;
    child_id: string;
    placement_type: FosterPlacementType;
    start_date: string;
    emergency: number;
    emergency_outside_terms: number;
  }>('SELECT * FROM list_household_children WHERE household_id = ? ORDER BY start_date, placement_id', householdId);
  return {
    ...toHousehold(row),
    members: JSON.parse(row.members) as HouseholdMember[],
    children: children.map((c) => ({
      placementId: c.placement_id,
      childId: visible(c.child_id),
      placementType: c.placement_type,
      startDate: c.start_date,
      emergency: c.emergency === 1,
      emergencyOutsideTerms: c.emergency_outside_terms === 1,
    })),
  };
}

interface ContractRow {
  contract_id: string;
  provider: string;
  setting_name: string;
  setting_urn: string | null;
  setting_postcode: string;
  start_date: string;
  end_date: string;
  weekly_price_per_bed: number;
  ended_on: string | null;
  end_reason: string | null;
  contracted: number;
  allocated: number;
}

const CONTRACT_SELECT = `SELECT k.*,
  (SELECT COUNT(*) FROM list_contract_beds b WHERE b.contract_id = k.contract_id) AS contracted,
  (SELECT COUNT(*) FROM list_contract_beds b WHERE b.contract_id = k.contract_id
    AND b.placement_id IS NOT NULL) AS allocated
  FROM list_contracts k`;

function toContract(r: ContractRow, today: BusinessDate): ContractListItem {
  return {
    contractId: r.contract_id,
    provider: JSON.parse(r.provider) as ProviderRef,
    settingName: r.setting_name,
    settingUrn: r.setting_urn,
    settingPostcode: r.setting_postcode,
    startDate: r.start_date,
    endDate: r.end_date,
    weeklyPricePerBed: r.weekly_price_per_bed,
    ended: r.ended_on !== null ? { on: r.ended_on, reason: r.end_reason ?? 'terminated' } : null,
    active: r.start_date <= today && today <= r.end_date && (r.ended_on === null || today < r.ended_on),
    beds: { contracted: r.contracted, allocated: r.allocated, void: r.contracted - r.allocated },
  };
}

/** Block-booking contracts by id, with their beds allocated and void. */
export function readContractList(
  db: ReadModelDb,
  position: bigint,
  today: BusinessDate,
  request: PageRequest,
): Page<ContractListItem> {
  return listPage(
    db,
    position,
    { select: CONTRACT_SELECT, where: [], keys: ['k.contract_id'], keyOf: (row: ContractRow) => [row.contract_id] },
    request,
    (r) => toContract(r, today),
  );
}

/** One contract's record with each bed's allocation, or null if it was never contracted. */
export function readContract(db: ReadModelDb, contractId: string, context: ReadContext): ContractRecord | null {
  const row = db.get<ContractRow>(`${CONTRACT_SELECT} WHERE k.contract_id = ?`, contractId);
  if (row === undefined) return null;
  const visible = visibility(db, context);
  const beds = db.all<{
    bed_ref: string;
    placement_id: string | null;
    child_id: string | null;
    allocated_on: string | null;
  }>(
    `SELECT bed_ref, placement_id, child_id, allocated_on FROM list_contract_beds
      WHERE contract_id = ? ORDER BY ordinal`,
    contractId,
  );
  return {
    ...toContract(row, context.today),
    bedAllocations: beds.map((b) => ({
      bedRef: b.bed_ref,
      allocated:
        b.placement_id !== null && b.child_id !== null && b.allocated_on !== null
          ? { placementId: b.placement_id, childId: visible(b.child_id), since: b.allocated_on }
          : null,
    })),
  };
}

/** A child id as the reader may see it: a residential manager only knows the children living in their homes. */
function visibility(db: ReadModelDb, context: ReadContext): (childId: string) => string | null {
  if (context.scope === null) return (childId) => childId;
  const known = childrenLivingIn(db, context.scope.settingIds, context.today);
  return (childId) => (known.has(childId) ? childId : null);
}
