import type {
  BedKind,
  CanLiveWith,
  ChildSex,
  CIN_CODES,
  FosterPlacementType,
  LegalStatusCode,
  MeetingDecision,
  PlaceCode,
  PlacementSetting,
  PlaceProviderCode,
  RiskToOthers,
  RiskToSelf,
  SettingType,
  SexesAccepted,
  Suitability,
  Urgency,
} from '@placement/domain';
import { someApprovalTerms } from '@placement/domain/testing';

/*
 * Request bodies the HTTP API takes, for a synthetic estate (no real child): each builder gives
 * one valid body and takes overrides, so a test, bench or seed names only what it is about.
 * Defaults are a Rotherham home for 11 to 17 year olds, an in-house foster household and a
 * girl born in 2012 wanting a planned long-term placement near S60. The bodies are types, not
 * interfaces, so that each is a `Record<string, unknown>` too.
 */

/** Rotherham's ONS code: the reference authority. */
export const LA = 'E08000018';

export type SettingBody = {
  settingId: string;
  name: string;
  urn: string | null;
  provider: { kind: 'in-house' | 'external'; name: string; code: PlaceProviderCode };
  type: SettingType;
  registration: { ageRange: { min: number; max: number }; sexes: SexesAccepted; maxChildren: number };
  postcode: string;
  localAuthority: string;
  registeredOn: string;
};

/** `POST /v1/settings`: `maxChildren` is the registration's, unless `registration` is given whole. */
export function aSetting(overrides: Partial<SettingBody> & { maxChildren?: number } = {}): SettingBody {
  const { maxChildren = 3, ...fields } = overrides;
  const settingId = fields.settingId ?? 'home-1';
  return {
    settingId,
    name: `Home ${settingId}`,
    urn: 'SC100001',
    provider: { kind: 'in-house', name: 'Rotherham MBC', code: 'PR1' },
    type: 'childrens-home',
    registration: { ageRange: { min: 11, max: 17 }, sexes: 'any', maxChildren },
    postcode: 'S60 1AA',
    localAuthority: LA,
    registeredOn: '2024-01-01',
    ...fields,
  };
}

export type BedBody = {
  bedId: string;
  kind: BedKind;
  label: string;
};

/** `POST /v1/settings/:id/beds`: bed `b3` is labelled `Room 3`. */
export function aBed(overrides: Partial<BedBody> = {}): BedBody {
  const bedId = overrides.bedId ?? 'b1';
  return { bedId, kind: 'residential', label: `Room ${bedId.replace(/^b/, '')}`, ...overrides };
}

export type HouseholdTermsBody = {
  ageRange: { min: number; max: number };
  maxChildren: number;
  siblingGroup: boolean;
  placementTypes: FosterPlacementType[];
  connectedPerson: boolean;
  provider: 'in-house' | 'ifa';
  agencyName: string | null;
  sexes: SexesAccepted;
  postcode: string;
};

export type HouseholdBody = {
  householdId: string;
  reference: string;
  terms: HouseholdTermsBody;
  approvedOn: string;
};

/** The approval terms of an in-house household for two children of any age. */
export function householdTerms(overrides: Partial<HouseholdTermsBody> = {}): HouseholdTermsBody {
  const terms = someApprovalTerms();
  return { ...terms, placementTypes: [...terms.placementTypes], ...overrides };
}

/** `POST /v1/foster-households`: `terms` overrides only the terms it names. */
export function aHousehold(
  overrides: Partial<Omit<HouseholdBody, 'terms'>> & { terms?: Partial<HouseholdTermsBody> } = {},
): HouseholdBody {
  const { terms, ...fields } = overrides;
  const householdId = fields.householdId ?? 'fh-1';
  return {
    householdId,
    reference: `FH-${householdId}`,
    terms: householdTerms(terms),
    approvedOn: '2023-06-01',
    ...fields,
  };
}

export type ChildBody = {
  sex: ChildSex;
  dateOfBirth: string;
  localAuthority: string;
  homePostcode: string;
  categoryOfNeed: (typeof CIN_CODES)[number];
  ethnicity?: string | null;
  upn?: string | null;
  mother?: '0' | '1' | null;
  motherChildDateOfBirth?: string | null;
};

/** A referral's `child`: the facts a child's record starts from. */
export function aChild(overrides: Partial<ChildBody> = {}): ChildBody {
  return {
    sex: 'F',
    dateOfBirth: '2012-03-04',
    localAuthority: LA,
    homePostcode: 'S61 1AA',
    categoryOfNeed: 'N1',
    ...overrides,
  };
}

export type NeedsBody = {
  siblingGroup?: { id: string; size: number } | null;
  preferredArea: { postcodeDistrict: string | null; maxDistanceKm: number | null };
  schoolPostcode?: string | null;
  familyContactPostcode?: string | null;
  communicationNeeds: string[];
  adaptations: string[];
  canLiveWith: CanLiveWith[];
  placementTypeSuitability: Partial<Record<PlacementSetting, Suitability>>;
  fosterPlacementType: FosterPlacementType;
  risksToSelf: RiskToSelf[];
  risksToOthers: RiskToOthers[];
  deprivationOfLiberty: boolean;
  weeklyBudget?: number | null;
};

/** A referral's `needs`: a child who can live with others, foster preferred, within 30 km of S60. */
export function someNeeds(overrides: Partial<NeedsBody> = {}): NeedsBody {
  return {
    siblingGroup: null,
    preferredArea: { postcodeDistrict: 'S60', maxDistanceKm: 30 },
    communicationNeeds: [],
    adaptations: [],
    canLiveWith: ['with-others'],
    placementTypeSuitability: { foster: 'preferred', 'childrens-home': 'suitable' },
    fosterPlacementType: 'long-term',
    risksToSelf: [],
    risksToOthers: [],
    deprivationOfLiberty: false,
    weeklyBudget: null,
    ...overrides,
  };
}

export type ReferralBody = {
  referralId: string;
  childId: string;
  child: ChildBody;
  urgency: Urgency;
  startDate: string;
  needs: NeedsBody;
  requestedBy: { role: string; team: string };
};

/** `POST /v1/referrals`: `child` and `needs` override only the facts they name. */
export function aReferral(
  overrides: Partial<Omit<ReferralBody, 'child' | 'needs'>> & {
    child?: Partial<ChildBody>;
    needs?: Partial<NeedsBody>;
  } = {},
): ReferralBody {
  const { child, needs, ...fields } = overrides;
  return {
    referralId: 'r-1',
    childId: 'child-1',
    child: aChild(child),
    urgency: 'planned',
    startDate: '2026-11-30',
    needs: someNeeds(needs),
    requestedBy: { role: 'social-worker', team: 'children-in-care' },
    ...fields,
  };
}

export type MeetingBody = {
  meetingId: string;
  heldOn: string;
  attendees: { role: 'registered-manager' | 'social-worker' | 'placement-officer' }[];
  unitConsidered: { kind: 'setting'; settingId: string } | { kind: 'household'; householdId: string };
  impactAssessments: { residentChildId: string; outcome: 'no-concerns'; risksConsidered: string[] }[];
  decision: MeetingDecision;
  reasons: { code: string; text: string }[];
};

/**
 * `POST /v1/referrals/:id/matching-meetings`: a meeting that matched the child to `settingId`
 * (unless `unitConsidered` says otherwise), with no concerns about each of its `residents`.
 */
export function aMeeting(
  overrides: Partial<MeetingBody> & { settingId?: string; residents?: readonly string[] } = {},
): MeetingBody {
  const { settingId = 'home-1', residents = [], ...fields } = overrides;
  return {
    meetingId: 'm-1',
    heldOn: '2026-11-27',
    attendees: [{ role: 'registered-manager' }, { role: 'social-worker' }, { role: 'placement-officer' }],
    unitConsidered: { kind: 'setting', settingId },
    impactAssessments: residents.map((residentChildId) => ({
      residentChildId,
      outcome: 'no-concerns',
      risksConsidered: ['physical-harm'],
    })),
    decision: 'matched',
    reasons: [{ code: 'NEEDS_MET', text: 'The home meets the assessed needs.' }],
    ...fields,
  };
}

export type UnitBody =
  | { kind: 'bed'; settingId: string; bedId: string }
  | { kind: 'household'; householdId: string }
  | { kind: 'block-bed'; contractId: string; bedRef: string };

export type PlacementBody = {
  placementId: string;
  childId: string;
  referralId: string | null;
  unit: UnitBody;
  place: PlaceCode;
  placeProvider: PlaceProviderCode;
  legalStatus: LegalStatusCode;
  startDate: string;
  emergency: boolean;
  placementType?: FosterPlacementType;
  siblingGroupId?: string | null;
  placementPostcode?: string | null;
};

/** `POST /v1/placements`: into bed `bedId` of `settingId` (K2, in-house, C2) unless `unit` is given. */
export function aPlacement(
  overrides: Partial<PlacementBody> & { settingId?: string; bedId?: string } = {},
): PlacementBody {
  const { settingId = 'home-1', bedId = 'b1', ...fields } = overrides;
  return {
    placementId: 'p-1',
    childId: 'child-1',
    referralId: 'r-1',
    unit: { kind: 'bed', settingId, bedId },
    place: 'K2',
    placeProvider: 'PR1',
    legalStatus: 'C2',
    startDate: '2026-11-30',
    emergency: false,
    ...fields,
  };
}

export type HoldBody = {
  settingId: string;
  bedId: string;
  until: string;
};

/** `POST /v1/referrals/:id/holds` (and `/holds/release`): bed `b1` of `home-1`, held until 2099. */
export function aHold(overrides: Partial<HoldBody> = {}): HoldBody {
  return { settingId: 'home-1', bedId: 'b1', until: '2099-01-01T00:00:00.000Z', ...overrides };
}

export type ContractBody = {
  contractId: string;
  provider: { name: string; code: 'PR2' | 'PR3' | 'PR4' | 'PR5' };
  settingName: string;
  settingUrn: string | null;
  settingPostcode: string;
  beds: string[];
  startDate: string;
  endDate: string;
  weeklyPricePerBed: number;
};

/** `POST /v1/block-bookings`: two beds at a private provider's home for 2026, in pence a week. */
export function aContract(overrides: Partial<ContractBody> = {}): ContractBody {
  return {
    contractId: 'contract-1',
    provider: { name: 'Acme Care', code: 'PR4' },
    settingName: 'Acme House',
    settingUrn: 'SC200001',
    settingPostcode: 'S66 1AA',
    beds: ['x1', 'x2'],
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    weeklyPricePerBed: 383000,
    ...overrides,
  };
}

export type StepDownBody = {
  stepDownId: string;
  childId: string;
  toHouseholdId: string;
  placementType: FosterPlacementType;
  siblingGroupId?: string | null;
  plannedDate: string;
  safetyPlan: { summaryProvided: boolean; reviewDate: string; contingencyAgreed: boolean; leadRole: string };
  milestones: { milestoneId: string; kind: string; dueDate: string }[];
};

/** `POST /v1/step-downs`: a planned long-term move into a household, introductions first. */
export function aStepDown(overrides: Partial<StepDownBody> = {}): StepDownBody {
  return {
    stepDownId: 'sd-1',
    childId: 'child-1',
    toHouseholdId: 'fh-1',
    placementType: 'long-term',
    siblingGroupId: null,
    plannedDate: '2027-01-15',
    safetyPlan: {
      summaryProvided: true,
      reviewDate: '2027-02-01',
      contingencyAgreed: true,
      leadRole: 'supervising-social-worker',
    },
    milestones: [{ milestoneId: 'ms-1', kind: 'introductions', dueDate: '2026-12-10' }],
    ...overrides,
  };
}
