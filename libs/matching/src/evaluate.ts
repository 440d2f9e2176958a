import { ageOn } from './age';
import type {
  CapacityUnit,
  PlacementCategory,
  ReferralNeeds,
  ResidentProfile,
  RiskToOthers,
  RiskToSelf,
  Setting,
} from './model';
import type { MatchingPolicy } from './policy';
import type { Caution, Reason } from './result';

/** Everything about one request that every unit's evaluation shares. */
export interface MatchContext {
  needs: ReferralNeeds;
  policy: MatchingPolicy;
  childAge: number;
  asAtMs: number;
  risksToSelf: ReadonlySet<RiskToSelf>;
  risksToOthers: ReadonlySet<RiskToOthers>;
}

export function matchContext(needs: ReferralNeeds, asAt: string, policy: MatchingPolicy): MatchContext {
  return {
    needs,
    policy,
    childAge: ageOn(needs.dateOfBirth, needs.startDate),
    asAtMs: Date.parse(asAt),
    risksToSelf: new Set(needs.risksToSelf),
    risksToOthers: new Set(needs.risksToOthers),
  };
}

export interface Evaluation {
  reasons: Reason[];
  cautions: Caution[];
  distanceKm: number | null;
  category: PlacementCategory;
  siblingsSplit: boolean;
}

/** The unit could be offered if the child's needs allowed: vacant, or its hold has ended. */
export function isOpen(unit: CapacityUnit, asAtMs: number): boolean {
  switch (unit.state.status) {
    case 'vacant':
      return true;
    case 'held':
      return Date.parse(unit.state.until) <= asAtMs;
    case 'occupied':
    case 'out-of-use':
      return false;
    default: {
      const _exhaustive: never = unit.state;
      return _exhaustive;
    }
  }
}

export function placementCategory(unit: CapacityUnit, setting: Setting): PlacementCategory {
  switch (unit.kind) {
    case 'foster-household':
      return setting.terms.connectedPersonFor ? 'connected-person' : 'foster';
    case 'residential-bed':
    case 'emergency-bed':
      return 'residential';
    case 'supported-accommodation':
      return 'supported-accommodation';
    default: {
      const _exhaustive: never = unit.kind;
      return _exhaustive;
    }
  }
}

export function distanceKm(a: { easting: number; northing: number }, b: { easting: number; northing: number }): number {
  // Grid coordinates are metres (data/README.md); round so the figure is stable in JSON.
  return Math.round(Math.hypot(a.easting - b.easting, a.northing - b.northing) / 10) / 100;
}

/**
 * Every reason `unit` cannot be offered for this referral, and the cautions if it can.
 * `openPlacesInSetting` counts the setting's units that could take a child now (vacant,
 * hold ended, or held for this referral), for keeping siblings together.
 */
export function evaluateUnit(
  ctx: MatchContext,
  unit: CapacityUnit,
  setting: Setting,
  openPlacesInSetting: number,
): Evaluation {
  const { needs, policy, childAge } = ctx;
  const reasons: Reason[] = [];
  const cautions: Caution[] = [];
  const terms = setting.terms;
  const isHousehold = setting.kind === 'foster-household';
  const category = placementCategory(unit, setting);

  const state = unit.state;
  switch (state.status) {
    case 'vacant':
      break;
    case 'occupied':
      reasons.push({ code: 'OCCUPIED', message: isHousehold ? 'household has no vacancy' : 'bed is occupied' });
      break;
    case 'out-of-use':
      reasons.push({ code: 'OUT_OF_USE', message: `out of use: ${state.reason}` });
      break;
    case 'held':
      if (state.referralId === needs.referralId) {
        cautions.push({ code: 'HELD_FOR_THIS_REFERRAL', message: `held for this referral until ${state.until}` });
      } else if (Date.parse(state.until) > ctx.asAtMs) {
        reasons.push({ code: 'HELD', message: `held for referral ${state.referralId} until ${state.until}` });
      }
      break;
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }

  if (unit.kind === 'emergency-bed' && needs.urgency === 'planned') {
    reasons.push({ code: 'EMERGENCY_BED_PLANNED_REFERRAL', message: 'emergency beds are kept for emergency referrals; this referral is planned' });
  }
  if (needs.urgency === 'emergency' && unit.kind !== 'emergency-bed' && !terms.emergencyApproved) {
    reasons.push({
      code: 'NOT_EMERGENCY_APPROVED',
      message: isHousehold ? 'household is not approved for emergency placements' : 'setting does not take emergency admissions',
    });
  }

  if ((needs.placementTypes[category] ?? 'suitable') === 'unsuitable') {
    reasons.push({ code: 'PLACEMENT_TYPE_UNSUITABLE', message: `${category} placements are marked unsuitable for this child` });
  }
  if (unit.kind === 'supported-accommodation' && childAge < 16) {
    reasons.push({ code: 'SUPPORTED_ACCOMMODATION_UNDER_16', message: `supported accommodation is for 16–17 year olds; child is ${childAge} on the start date` });
  }

  // Registration (homes, supported accommodation) or approval terms (households).
  const ageFits = childAge >= terms.ageMin && childAge <= terms.ageMax;
  const sexFits = terms.sexes.includes(needs.sex);
  if (isHousehold) {
    const misfits: string[] = [];
    if (!ageFits) misfits.push(`household approved for ${terms.ageMin}–${terms.ageMax}, child is ${childAge} on the start date`);
    if (!sexFits) misfits.push(`household approved for ${sexesInWords(terms.sexes)} only`);
    const relax = needs.urgency === 'emergency' && policy.emergencyOutsideApprovalTerms === 'caution';
    for (const message of misfits) {
      if (relax) cautions.push({ code: 'OUTSIDE_APPROVAL_TERMS_EMERGENCY', message: `${message}; an emergency placement outside terms is limited to 6 working days` });
      else reasons.push({ code: 'APPROVAL_TERMS', message });
    }
    if (terms.connectedPersonFor && !terms.connectedPersonFor.includes(needs.childId)) {
      reasons.push({ code: 'APPROVAL_TERMS', message: 'connected-person carer is approved for another named child' });
    }
  } else {
    const what = setting.kind === 'childrens-home' ? 'home' : 'service';
    if (!ageFits) reasons.push({ code: 'AGE_OUTSIDE_REGISTRATION', message: `${what} registered for ${terms.ageMin}–${terms.ageMax}, child is ${childAge} on the start date` });
    if (!sexFits) reasons.push({ code: 'SEX_OUTSIDE_REGISTRATION', message: `${what} registered for ${sexesInWords(terms.sexes)} only` });
  }

  // Room for the child, the sibling group, and the fostering limit.
  const residents = setting.residents;
  const groupSize = Math.max(1, needs.siblingGroupSize);
  let siblingsSplit = false;
  if (residents.length >= terms.maxChildren) {
    reasons.push(
      isHousehold
        ? { code: 'HOUSEHOLD_FULL', message: `household approved for ${terms.maxChildren} children and has ${residents.length}` }
        : { code: 'SETTING_FULL', message: `registered for ${terms.maxChildren} children and ${residents.length} live here` },
    );
  } else if (groupSize > 1) {
    if (!terms.siblings.accepted) {
      reasons.push({ code: 'SIBLINGS_NOT_APPROVED', message: `not approved for sibling groups; group of ${groupSize}` });
    } else if (groupSize > terms.siblings.maxGroupSize) {
      reasons.push({ code: 'SIBLINGS_NOT_APPROVED', message: `approved for sibling groups of up to ${terms.siblings.maxGroupSize}; group of ${groupSize}` });
    } else {
      // A household's room is its approved number (which carries any exemption from the
      // usual limit of 3); a home also needs that many beds open.
      const room = Math.min(terms.maxChildren - residents.length, isHousehold ? Infinity : openPlacesInSetting);
      if (room < groupSize) {
        siblingsSplit = true;
        const message = `room for ${room} of a sibling group of ${groupSize}`;
        if (policy.siblingGroupSplit === 'exclude') reasons.push({ code: 'SIBLING_GROUP_SPLIT', message });
        else cautions.push({ code: 'SIBLING_GROUP_SPLIT', message: `${message}; the group would be split` });
      }
    }
  }

  // Who already lives here (reg 14 impact assessment): the child's wishes and both directions of risk.
  const livesWith = needs.canLiveWith;
  if (!livesWith.others && residents.length > 0) {
    reasons.push({ code: 'CANNOT_LIVE_WITH', message: `child needs a solo placement; ${residents.length} ${residents.length === 1 ? 'child lives' : 'children live'} here` });
  } else {
    if (!livesWith.older && residents.some((r) => r.age > childAge)) {
      reasons.push({ code: 'CANNOT_LIVE_WITH', message: `child cannot live with older children; an older child (${oldest(residents)}) lives here` });
    }
    if (!livesWith.younger && residents.some((r) => r.age < childAge)) {
      reasons.push({ code: 'CANNOT_LIVE_WITH', message: `child cannot live with younger children; a younger child (${youngest(residents)}) lives here` });
    }
  }
  const seen = new Set<string>();
  for (const resident of residents) {
    for (const rule of RESIDENT_RISK_RULES) {
      const message = rule(ctx, resident);
      if (message && !seen.has(message)) {
        seen.add(message);
        reasons.push({ code: 'RESIDENT_RISK', message });
      }
    }
  }
  for (const risk of terms.risksNotAccepted) {
    if (ctx.risksToOthers.has(risk)) {
      reasons.push({ code: 'RISK_NOT_ACCEPTED', message: `${isHousehold ? 'approval' : 'statement of purpose'} does not cover a ${risk} risk` });
    }
  }

  const missing = needs.adaptationsNeeded.filter((a) => !setting.adaptations.includes(a));
  if (missing.length > 0) {
    reasons.push({ code: 'ADAPTATIONS_MISSING', message: `needs ${missing.join(', ')}; not available here` });
  }

  const distance = needs.preferredArea ? distanceKm(needs.preferredArea, setting.location) : null;
  if (distance !== null && needs.maxDistanceKm !== undefined && distance > needs.maxDistanceKm) {
    reasons.push({
      code: 'OUT_OF_DISTANCE',
      message: `${distance.toFixed(1)} km from ${needs.preferredArea?.postcodeDistrict}; limit ${needs.maxDistanceKm} km`,
    });
  }

  if (needs.budgetWeeklyPence !== undefined && unit.weeklyCostPence > needs.budgetWeeklyPence) {
    const message = `£${pounds(unit.weeklyCostPence)} a week is over the budget of £${pounds(needs.budgetWeeklyPence)}`;
    if (policy.overBudget === 'exclude') reasons.push({ code: 'OVER_BUDGET', message });
    else cautions.push({ code: 'OVER_BUDGET', message });
  }

  if (setting.localAuthorityCode !== needs.placingAuthorityCode && !needs.outOfAreaApproved) {
    cautions.push({ code: 'OUT_OF_AREA', message: `outside the authority (${setting.localAuthorityCode}); needs the nominated officer's approval` });
  }

  return { reasons, cautions, distanceKm: distance, category, siblingsSplit };
}

type ResidentRiskRule = (ctx: MatchContext, resident: ResidentProfile) => string | null;

// Each rule reads both ways round where the regulation's impact assessment would: the
// resident's risk to this child, and this child's risk to the resident.
const RESIDENT_RISK_RULES: readonly ResidentRiskRule[] = [
  (ctx, r) =>
    r.risksToOthers.includes('sexual-harm-to-younger-children') && ctx.childAge < r.age
      ? `a current resident (${r.age}) has a sexual-harm-to-younger-children flag; child is ${ctx.childAge}`
      : null,
  (ctx, r) =>
    ctx.risksToOthers.has('sexual-harm-to-younger-children') && r.age < ctx.childAge
      ? `child has a sexual-harm-to-younger-children flag; a younger child (${r.age}) lives here`
      : null,
  (ctx, r) =>
    r.risksToOthers.includes('sexual-harm') && ctx.risksToSelf.has('cse')
      ? 'a current resident has a sexual-harm flag; child is at risk of sexual exploitation'
      : null,
  (ctx, r) =>
    ctx.risksToOthers.has('sexual-harm') && r.risksToSelf.includes('cse')
      ? 'child has a sexual-harm flag; a current resident is at risk of sexual exploitation'
      : null,
  (ctx, r) =>
    r.risksToOthers.includes('criminal-exploitation-of-others') && ctx.risksToSelf.has('cce')
      ? 'a current resident has a criminal-exploitation-of-others flag; child is at risk of criminal exploitation'
      : null,
  (ctx, r) =>
    ctx.risksToOthers.has('criminal-exploitation-of-others') && r.risksToSelf.includes('cce')
      ? 'child has a criminal-exploitation-of-others flag; a current resident is at risk of criminal exploitation'
      : null,
];

function sexesInWords(sexes: readonly string[]): string {
  const words = sexes.map((s) => (s === 'M' ? 'boys' : s === 'F' ? 'girls' : 'children of unknown sex'));
  return words.length > 0 ? words.join(' and ') : 'no children';
}

function oldest(residents: readonly ResidentProfile[]): number {
  return Math.max(...residents.map((r) => r.age));
}

function youngest(residents: readonly ResidentProfile[]): number {
  return Math.min(...residents.map((r) => r.age));
}

function pounds(pence: number): string {
  return (pence / 100).toFixed(2);
}
