// The matching engine's own input model: plain data with string codes, so the API can
// fill it from projections without the engine knowing about events. Where a code list is
// the referral's own (the risks to others), it is the domain's list, not a copy.
import { RISKS_TO_OTHERS, type RiskToOthers } from '@placement/domain';

export { RISKS_TO_OTHERS, type RiskToOthers };

/** SSDA903 SEX: M, F, U (unknown / indeterminate, from 2024/25). */
export type Sex = 'M' | 'F' | 'U';

export type Urgency = 'emergency' | 'planned';

/** How a unit is bought: already ours, already paid for, a framework call-off, or a new spot purchase. */
export type ProviderRoute = 'in-house' | 'block-booked' | 'framework' | 'spot';

/**
 * What a unit is. A block-booked bed is a `residential-bed` with route `block-booked`;
 * a framework or spot offer is any kind with that route (an IFA household is a
 * `foster-household` with route `framework`).
 */
export type UnitKind = 'residential-bed' | 'emergency-bed' | 'foster-household' | 'supported-accommodation';

/** The placement-type families a referral rates as preferred / suitable / unsuitable. */
export type PlacementCategory = 'foster' | 'connected-person' | 'residential' | 'supported-accommodation';

export type Suitability = 'preferred' | 'suitable' | 'unsuitable';

/** Every risk to self the engine reads, in one order (the synthetic estates draw over it). */
export const RISKS_TO_SELF = ['self-harm', 'cse', 'cce', 'drugs-alcohol', 'eating-disorder', 'missing'] as const;
export type RiskToSelf = (typeof RISKS_TO_SELF)[number];

/** A point on the British National Grid (metres). */
export interface GridLocation {
  /** Postcode outward code, e.g. `S60`. */
  postcodeDistrict: string;
  easting: number;
  northing: number;
}

/** Who the child can live alongside. `others: false` means a solo placement. */
export interface CanLiveWith {
  others: boolean;
  older: boolean;
  younger: boolean;
}

export interface ReferralNeeds {
  referralId: string;
  childId: string;
  sex: Sex;
  /** YYYY-MM-DD. Only the age on the start date is used; it never leaves the engine. */
  dateOfBirth: string;
  /** YYYY-MM-DD, the day the placement should start. */
  startDate: string;
  /** YYYY-MM-DD, the day a short placement (a short break, respite) would end; absent for open-ended. */
  endDate?: string;
  urgency: Urgency;
  /** Including this child; 1 when the child has no siblings to place with. */
  siblingGroupSize: number;
  siblingChildIds: readonly string[];
  /** The placing authority (ONS code), for out-of-area cautions. */
  placingAuthorityCode: string;
  /** Centroid of the preferred area (school, family); absent means no distance preference. */
  preferredArea?: GridLocation;
  /** A hard limit: units further than this from the preferred area are excluded. */
  maxDistanceKm?: number;
  /** Missing categories count as `suitable`. */
  placementTypes: Partial<Record<PlacementCategory, Suitability>>;
  risksToSelf: readonly RiskToSelf[];
  risksToOthers: readonly RiskToOthers[];
  canLiveWith: CanLiveWith;
  /** e.g. `wheelchair`, `ground-floor-bedroom`; every one must be available. */
  adaptationsNeeded: readonly string[];
  budgetWeeklyPence?: number;
  /** The nominated officer has already approved a placement outside the authority. */
  outOfAreaApproved?: boolean;
}

/** A child already living in a setting: no names, an id at most. */
export interface ResidentProfile {
  childId?: string;
  /** Whole years on the snapshot date. */
  age: number;
  sex: Sex;
  risksToSelf: readonly RiskToSelf[];
  risksToOthers: readonly RiskToOthers[];
}

/**
 * Someone who lives in a foster household besides its carers and the children placed there (a
 * carer's own child, another adult): no name, no id, only the age in whole years on the
 * snapshot date, for the risk rules.
 */
export interface HouseholdMemberProfile {
  age: number;
}

export type SiblingTerms = { accepted: false } | { accepted: true; maxGroupSize: number };

/**
 * A children's home's registration, or a foster household's approval terms, or a
 * supported-accommodation provider's category terms.
 */
export interface SettingTerms {
  ageMin: number;
  ageMax: number;
  sexes: readonly Sex[];
  /** Registered maximum children (homes) or approved number of children (households). */
  maxChildren: number;
  /** SSDA903 PLACE codes the setting offers, e.g. `K2`, `U4`, `U6`, `K3`. */
  placeCodes: readonly string[];
  siblings: SiblingTerms;
  emergencyApproved: boolean;
  /**
   * A children's home whose statement of purpose takes no emergency admissions at all, not even
   * in an emergency bed (`emergencyApproved` false alone keeps emergencies to its emergency beds).
   */
  noEmergencyAdmissions?: boolean;
  /** Connected-person (family and friends) carers are approved for named children only. */
  connectedPersonFor?: readonly string[];
  /**
   * Risks the statement of purpose or approval cannot manage (e.g. fire-setting, harm-to-animals
   * where there are pets, a child at risk of sexual exploitation): a risk to others or to self.
   */
  risksNotAccepted: readonly (RiskToOthers | RiskToSelf)[];
}

export type SettingKind = 'childrens-home' | 'foster-household' | 'supported-accommodation';

/** A home, a household or a supported-accommodation service: where residents live together. */
export interface Setting {
  settingId: string;
  kind: SettingKind;
  terms: SettingTerms;
  residents: readonly ResidentProfile[];
  /** A foster household's members other than its carers and the children placed (absent: none recorded). */
  householdMembers?: readonly HouseholdMemberProfile[];
  location: GridLocation;
  localAuthorityCode: string;
  adaptations: readonly string[];
  /** Ofsted URN (SC + 6 digits) for registered settings. */
  urn?: string;
}

export type UnitState =
  /** Free from the start date on; `freeUntil` when a booking (an arrival, a period out of use) begins later. */
  | { status: 'vacant'; freeUntil?: string }
  | { status: 'held'; referralId: string; until: string }
  | { status: 'occupied' }
  | { status: 'out-of-use'; reason: string };

/** One thing the panel can offer: a bed, a household, a supported-accommodation place. */
export interface CapacityUnit {
  unitId: string;
  settingId: string;
  kind: UnitKind;
  route: ProviderRoute;
  state: UnitState;
  weeklyCostPence: number;
}

export interface CapacitySnapshot {
  /** ISO 8601 instant the snapshot describes; holds that ended by then are released. */
  asAt: string;
  settings: readonly Setting[];
  units: readonly CapacityUnit[];
}
