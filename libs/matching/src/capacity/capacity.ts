import type {
  BedEvent,
  BedState,
  ContractEvent,
  ContractState,
  DomainEvent,
  HouseholdEvent,
  HouseholdState,
  Instant,
  SettingRegistered,
  SettingRegistration,
  StatementOfPurpose,
} from '@placement/domain';
import { bedDecider, contractDecider, householdDecider } from '@placement/domain';
import type { RiskToOthers, RiskToSelf, Sex } from '../model';
import { matchingRisksToOthers, matchingRisksToSelf } from './referral-needs';

/**
 * The capacity the matching engine reads, folded from the event log: settings with their
 * registration and beds, foster households with their approval terms and children,
 * block-booking contracts and their allocations, and each resident's profile (age on the
 * snapshot date, sex, and the risk flags of the referral they were placed from). No names.
 * `snapshotAt` (./snapshot.ts) turns it into the engine's `CapacitySnapshot`.
 *
 * `evolve` folds one event into the state and returns it. It updates the state's maps in place,
 * so catching up on a long log stays linear: the state belongs to whoever folds it.
 */
export interface CapacityState {
  readonly settings: Map<string, SettingEntry>;
  readonly households: Map<string, HouseholdState>;
  readonly contracts: Map<string, ContractState>;
  readonly children: Map<string, ChildEntry>;
  readonly referrals: Map<string, ReferralRisks>;
  /** Children with any booking in a unit's diary, past, present or planned: their facts feed residents. */
  readonly booked: Set<string>;
  readonly registrationByUrn: Map<string, SettingRegistration>;
  readonly districts: ReadonlyMap<string, DistrictCentroid>;
  readonly firstDistrictOfAuthority: ReadonlyMap<string, DistrictCentroid>;
  /**
   * Moves only when something the engine reads changed, so a snapshot, and the inputs hash,
   * stay the same while nothing relevant happens (a recorded proposal, a referral for another child).
   */
  version: number;
  /** `recordedAt` of the last change the engine would see. */
  changedAt: Instant | null;
}

/** A domain event, upcast to its current shape, and when the log recorded it. */
export type CapacityEvent = DomainEvent & { readonly recordedAt: Instant };

export interface DistrictCentroid {
  district: string;
  laCode: string;
  easting: number;
  northing: number;
}

export interface SettingEntry {
  facts: SettingRegistered['data'];
  registration: SettingRegistration;
  urn: string | null;
  closed: boolean;
  /** None recorded: every risk accepted, emergencies only into emergency beds. */
  statement: StatementOfPurpose | null;
  /** Each bed's diary, folded by the domain's own bed decider. */
  beds: Map<string, BedState>;
}

export interface ChildEntry {
  sex: Sex;
  dateOfBirth: string;
  latestReferralId: string | null;
}

export interface ReferralRisks {
  childId: string;
  risksToSelf: readonly RiskToSelf[];
  risksToOthers: readonly RiskToOthers[];
}

/** An empty estate, locating postcodes by the given district centroids. */
export function initialCapacity(districts: readonly DistrictCentroid[]): CapacityState {
  const firstDistrictOfAuthority = new Map<string, DistrictCentroid>();
  for (const d of [...districts].sort((a, b) => (a.district < b.district ? -1 : a.district > b.district ? 1 : 0))) {
    if (!firstDistrictOfAuthority.has(d.laCode)) firstDistrictOfAuthority.set(d.laCode, d);
  }
  return {
    settings: new Map(),
    households: new Map(),
    contracts: new Map(),
    children: new Map(),
    referrals: new Map(),
    booked: new Set(),
    registrationByUrn: new Map(),
    districts: new Map(districts.map((d) => [d.district, d])),
    firstDistrictOfAuthority,
    version: 0,
    changedAt: null,
  };
}

/** The centroid of a postcode's district (outward code), if the reference list has it. */
export function districtOf(state: CapacityState, postcodeOrDistrict: string): DistrictCentroid | undefined {
  return state.districts.get(postcodeOrDistrict.trim().toUpperCase().split(/\s+/)[0]);
}

/** Folds one event in; `version` and `changedAt` move only when it changed what the engine reads. */
export function evolve(state: CapacityState, event: CapacityEvent): CapacityState {
  if (!changes(state, event)) return state;
  state.version += 1;
  if (state.changedAt === null || Date.parse(event.recordedAt) > Date.parse(state.changedAt))
    state.changedAt = event.recordedAt;
  return state;
}

/** Live holds' ends: the snapshot's `asAt` passes each one as it lapses. */
export function holdEnds(state: CapacityState): Instant[] {
  const ends: Instant[] = [];
  for (const s of state.settings.values()) {
    for (const bed of s.beds.values()) if (bed.status === 'Added' && bed.hold) ends.push(bed.hold.until);
  }
  return ends;
}

/** Applies the event; true when it changed what the engine reads. */
function changes(state: CapacityState, event: CapacityEvent): boolean {
  switch (event.type) {
    case 'SettingRegistered': {
      const d = event.data;
      if (state.settings.has(d.settingId)) return false;
      state.settings.set(d.settingId, {
        facts: d,
        registration: d.registration,
        urn: d.urn,
        closed: false,
        statement: null,
        beds: new Map(),
      });
      if (d.urn) state.registrationByUrn.set(d.urn, d.registration);
      return true;
    }
    case 'SettingRegistrationChanged': {
      const d = event.data;
      const s = state.settings.get(d.settingId);
      if (!s) return false;
      s.registration = d.registration;
      s.urn = d.urn;
      if (d.urn) state.registrationByUrn.set(d.urn, d.registration);
      return true;
    }
    case 'SettingClosed': {
      const s = state.settings.get(event.data.settingId);
      if (!s) return false;
      s.closed = true;
      return true;
    }
    case 'StatementOfPurposeRecorded': {
      const { settingId, ...statement } = event.data;
      const s = state.settings.get(settingId);
      if (!s) return false;
      s.statement = statement;
      return true;
    }
    case 'BedAdded':
    case 'BedHeld':
    case 'BedHoldReleased':
    case 'BedOccupied':
    case 'BedVacated':
    case 'BedDepartureWithdrawn':
    case 'BedOutOfUse':
    case 'BedBackInUse':
      return evolveBed(state, event);
    case 'FosterHouseholdApproved':
    case 'ApprovalTermsChanged':
    case 'ChildPlacedWithHousehold':
    case 'ChildLeftHousehold':
    case 'HouseholdDepartureWithdrawn':
    case 'HouseholdSuspended':
    case 'HouseholdReinstated':
    case 'HouseholdResigned':
    case 'HouseholdMembersRecorded':
      return evolveHousehold(state, event);
    case 'BlockBookingContracted':
    case 'BlockBedAllocated':
    case 'BlockBedReleased':
    case 'BlockBedDepartureWithdrawn':
    case 'BlockBookingEnded':
      return evolveContract(state, event);
    case 'ChildRegistered': {
      const d = event.data;
      const known = state.children.get(d.childId);
      state.children.set(d.childId, {
        sex: d.sex,
        dateOfBirth: d.dateOfBirth,
        latestReferralId: known?.latestReferralId ?? null,
      });
      return state.booked.has(d.childId);
    }
    case 'ReferralReceived': {
      const d = event.data;
      state.referrals.set(d.referralId, {
        childId: d.childId,
        risksToSelf: matchingRisksToSelf(d.needs.risksToSelf),
        risksToOthers: matchingRisksToOthers(d.needs.risksToOthers),
      });
      const child = state.children.get(d.childId);
      if (child) child.latestReferralId = d.referralId;
      return state.booked.has(d.childId);
    }
    case 'NeedsUpdated': {
      const d = event.data;
      const known = state.referrals.get(d.referralId);
      if (!known) return false;
      state.referrals.set(d.referralId, {
        childId: known.childId,
        risksToSelf: matchingRisksToSelf(d.needs.risksToSelf),
        risksToOthers: matchingRisksToOthers(d.needs.risksToOthers),
      });
      return state.booked.has(known.childId);
    }
    default:
      return false;
  }
}

function evolveBed(state: CapacityState, event: BedEvent): boolean {
  const setting = state.settings.get(event.data.settingId);
  if (!setting) return false;
  const bed = setting.beds.get(event.data.bedId) ?? bedDecider.initialState;
  setting.beds.set(event.data.bedId, bedDecider.evolve(bed, event));
  if (event.type === 'BedOccupied') state.booked.add(event.data.childId);
  return true;
}

function evolveHousehold(state: CapacityState, event: HouseholdEvent): boolean {
  const household = state.households.get(event.data.householdId) ?? householdDecider.initialState;
  if (event.type !== 'FosterHouseholdApproved' && household.status === 'NotApproved') return false;
  state.households.set(event.data.householdId, householdDecider.evolve(household, event));
  if (event.type === 'ChildPlacedWithHousehold') state.booked.add(event.data.childId);
  return true;
}

function evolveContract(state: CapacityState, event: ContractEvent): boolean {
  const contract = state.contracts.get(event.data.contractId) ?? contractDecider.initialState;
  if (event.type !== 'BlockBookingContracted' && contract.status === 'NotContracted') return false;
  state.contracts.set(event.data.contractId, contractDecider.evolve(contract, event));
  if (event.type === 'BlockBedAllocated') state.booked.add(event.data.childId);
  return true;
}
