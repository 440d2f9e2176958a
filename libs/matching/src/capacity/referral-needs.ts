import type {
  ReferralFacts,
  RiskToOthers as DomainRiskToOthers,
  RiskToSelf as DomainRiskToSelf,
  PlacementSetting,
} from '@placement/domain';
import type { GridLocation, PlacementCategory, ReferralNeeds, RiskToOthers, RiskToSelf, Suitability } from '../model';

// The domain records a referral in the placements data standard's words; the engine has
// its own, slightly shorter vocabulary. These maps are the one place the two meet.

const RISK_TO_SELF: Record<DomainRiskToSelf, RiskToSelf> = {
  'self-harm': 'self-harm',
  cse: 'cse',
  cce: 'cce',
  'drugs-alcohol': 'drugs-alcohol',
  'eating-disorder': 'eating-disorder',
  'going-missing': 'missing',
};

const RISK_TO_OTHERS: Record<DomainRiskToOthers, RiskToOthers> = {
  'physical-harm': 'physical-harm',
  'sexual-harm': 'sexual-harm',
  'sexual-harm-to-younger-children': 'sexual-harm-to-younger-children',
  'fire-setting': 'fire-setting',
  'harm-to-animals': 'harm-to-animals',
  'criminal-exploitation-of-others': 'criminal-exploitation-of-others',
};

/** `secure` has no counterpart: the estate holds no secure children's homes, so the rating is not used. */
const CATEGORY: Record<PlacementSetting, PlacementCategory | null> = {
  foster: 'foster',
  'connected-person': 'connected-person',
  'childrens-home': 'residential',
  'supported-accommodation': 'supported-accommodation',
  secure: null,
};

export function matchingRisksToSelf(risks: readonly string[]): RiskToSelf[] {
  return risks.flatMap((r) => (r in RISK_TO_SELF ? [RISK_TO_SELF[r as DomainRiskToSelf]] : []));
}

export function matchingRisksToOthers(risks: readonly string[]): RiskToOthers[] {
  return risks.flatMap((r) => (r in RISK_TO_OTHERS ? [RISK_TO_OTHERS[r as DomainRiskToOthers]] : []));
}

/**
 * Who the child can live alongside. `solo` alone means nobody; `with-others` means anyone;
 * otherwise `older` / `younger` say which residents are fine.
 */
export function canLiveWith(codes: readonly string[]): ReferralNeeds['canLiveWith'] {
  if (codes.includes('with-others')) return { others: true, older: true, younger: true };
  const older = codes.includes('older');
  const younger = codes.includes('younger');
  if (older || younger) return { others: true, older, younger };
  return codes.includes('solo')
    ? { others: false, older: false, younger: false }
    : { others: true, older: true, younger: true };
}

export interface ChildForMatching {
  dateOfBirth: string;
  /** The responsible authority (ONS code): the placing authority. */
  localAuthority: string;
}

/**
 * The engine's view of a referral. The date of birth comes from the child's stream and
 * never leaves the engine (results carry only ages); the preferred area is the centroid of
 * its postcode district, or absent when the district is not in the reference list.
 */
export function matchingNeeds(
  referral: ReferralFacts,
  child: ChildForMatching,
  preferredArea: GridLocation | undefined,
): ReferralNeeds {
  const n = referral.needs;
  const placementTypes: Partial<Record<PlacementCategory, Suitability>> = {};
  for (const [setting, suitability] of Object.entries(n.placementTypeSuitability) as [
    PlacementSetting,
    Suitability | undefined,
  ][]) {
    const category = CATEGORY[setting];
    if (category && suitability) placementTypes[category] = suitability;
  }
  return {
    referralId: referral.referralId,
    childId: referral.childId,
    sex: n.sex,
    dateOfBirth: child.dateOfBirth,
    startDate: referral.startDate,
    urgency: referral.urgency,
    siblingGroupSize: n.siblingGroup?.size ?? 1,
    // The domain records a sibling group's id and size, not its members.
    siblingChildIds: [],
    placingAuthorityCode: child.localAuthority,
    preferredArea,
    maxDistanceKm: preferredArea ? (n.preferredArea.maxDistanceKm ?? undefined) : undefined,
    placementTypes,
    risksToSelf: matchingRisksToSelf(n.risksToSelf),
    risksToOthers: matchingRisksToOthers(n.risksToOthers),
    canLiveWith: canLiveWith(n.canLiveWith),
    adaptationsNeeded: n.adaptations,
    budgetWeeklyPence: n.weeklyBudget ?? undefined,
  };
}
