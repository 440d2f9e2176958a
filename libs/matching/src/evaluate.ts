import { exhaustive } from '@placement/domain';
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
import type { Caution, CautionCode, ExclusionCode, Reason } from './result';

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

export interface Evaluation extends UnitFacts {
  reasons: Reason[];
  cautions: Caution[];
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
    default:
      return exhaustive(unit.state);
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
    default:
      return exhaustive(unit.kind);
  }
}

export function distanceKm(a: { easting: number; northing: number }, b: { easting: number; northing: number }): number {
  // Grid coordinates are metres (data/README.md); round so the figure is stable in JSON.
  return Math.round(Math.hypot(a.easting - b.easting, a.northing - b.northing) / 10) / 100;
}

/** Where the rules report what they find; messages are thunks so a screen pays only for codes. */
export interface Findings {
  /** False when only the exclusions matter, so caution messages need not even be described. */
  readonly wantsCautions: boolean;
  exclude(code: ExclusionCode, message: () => string): void;
  caution(code: CautionCode, message: () => string): void;
}

/** What ranking needs besides the findings. */
export interface UnitFacts {
  distanceKm: number | null;
  category: PlacementCategory;
  siblingsSplit: boolean;
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
  const reasons: Reason[] = [];
  const cautions: Caution[] = [];
  const facts = inspectUnit(ctx, unit, setting, openPlacesInSetting, {
    wantsCautions: true,
    exclude: (code, message) => reasons.push({ code, message: message() }),
    caution: (code, message) => cautions.push({ code, message: message() }),
  });
  return { reasons, cautions, ...facts };
}

/** A screen for the index: the first exclusion found (or none), without building any message. */
export class Screen implements Findings {
  first: ExclusionCode | null = null;
  readonly wantsCautions = false;
  exclude(code: ExclusionCode): void {
    if (this.first === null) this.first = code;
  }
  caution(): void {
    // Cautions are built only for the units a result lists.
  }
  run(ctx: MatchContext, unit: CapacityUnit, setting: Setting, openPlacesInSetting: number): UnitFacts {
    this.first = null;
    return inspectUnit(ctx, unit, setting, openPlacesInSetting, this);
  }
}

function inspectUnit(
  ctx: MatchContext,
  unit: CapacityUnit,
  setting: Setting,
  openPlacesInSetting: number,
  out: Findings,
): UnitFacts {
  const { needs, policy, childAge } = ctx;
  const terms = setting.terms;
  const isHousehold = setting.kind === 'foster-household';
  const category = placementCategory(unit, setting);

  const state = unit.state;
  switch (state.status) {
    case 'vacant':
      // Free only until a later booking: offered for a placement that ends by then, never for an open-ended one.
      if (state.freeUntil !== undefined) {
        const until = state.freeUntil;
        if (needs.endDate !== undefined && needs.endDate <= until)
          out.caution('FREE_UNTIL', () => `free only until ${until}: the placement must end by then`);
        else out.exclude('BOOKED_FROM', () => `booked from ${until}: free only for a placement that ends by then`);
      }
      break;
    case 'occupied':
      out.exclude('OCCUPIED', () => (isHousehold ? 'household has no vacancy' : 'bed is occupied'));
      break;
    case 'out-of-use':
      out.exclude('OUT_OF_USE', () => `out of use: ${state.reason}`);
      break;
    case 'held':
      if (state.referralId === needs.referralId) {
        out.caution('HELD_FOR_THIS_REFERRAL', () => `held for this referral until ${state.until}`);
      } else if (Date.parse(state.until) > ctx.asAtMs) {
        out.exclude('HELD', () => `held for referral ${state.referralId} until ${state.until}`);
      }
      break;
    default:
      return exhaustive(state);
  }

  if (unit.kind === 'emergency-bed' && needs.urgency === 'planned') {
    out.exclude(
      'EMERGENCY_BED_PLANNED_REFERRAL',
      () => 'emergency beds are kept for emergency referrals; this referral is planned',
    );
  }
  if (needs.urgency === 'emergency' && terms.noEmergencyAdmissions) {
    out.exclude('NOT_EMERGENCY_APPROVED', () => 'setting takes no emergency admissions (its statement of purpose)');
  } else if (needs.urgency === 'emergency' && unit.kind !== 'emergency-bed' && !terms.emergencyApproved) {
    out.exclude('NOT_EMERGENCY_APPROVED', () =>
      isHousehold ? 'household is not approved for emergency placements' : 'setting does not take emergency admissions',
    );
  }

  if ((needs.placementTypes[category] ?? 'suitable') === 'unsuitable') {
    out.exclude('PLACEMENT_TYPE_UNSUITABLE', () => `${category} placements are marked unsuitable for this child`);
  }
  if (unit.kind === 'supported-accommodation' && childAge < 16) {
    out.exclude(
      'SUPPORTED_ACCOMMODATION_UNDER_16',
      () => `supported accommodation is for 16–17 year olds; child is ${childAge} on the start date`,
    );
  }

  // Registration (homes, supported accommodation) or approval terms (households).
  const ageFits = childAge >= terms.ageMin && childAge <= terms.ageMax;
  const sexFits = terms.sexes.includes(needs.sex);
  if (isHousehold) {
    const relax = needs.urgency === 'emergency' && policy.emergencyOutsideApprovalTerms === 'caution';
    const misfit = (message: () => string): void => {
      if (relax)
        out.caution(
          'OUTSIDE_APPROVAL_TERMS_EMERGENCY',
          () => `${message()}; an emergency placement outside terms is limited to 6 working days`,
        );
      else out.exclude('APPROVAL_TERMS', message);
    };
    if (!ageFits)
      misfit(() => `household approved for ${terms.ageMin}–${terms.ageMax}, child is ${childAge} on the start date`);
    if (!sexFits) misfit(() => `household approved for ${sexesInWords(terms.sexes)} only`);
    if (terms.connectedPersonFor && !terms.connectedPersonFor.includes(needs.childId)) {
      out.exclude('APPROVAL_TERMS', () => 'connected-person carer is approved for another named child');
    }
  } else {
    const what = setting.kind === 'childrens-home' ? 'home' : 'service';
    if (!ageFits)
      out.exclude(
        'AGE_OUTSIDE_REGISTRATION',
        () => `${what} registered for ${terms.ageMin}–${terms.ageMax}, child is ${childAge} on the start date`,
      );
    if (!sexFits)
      out.exclude('SEX_OUTSIDE_REGISTRATION', () => `${what} registered for ${sexesInWords(terms.sexes)} only`);
  }

  // Room for the child, the sibling group, and the fostering limit. A child is never their own
  // co-resident (one moving beds within a home is still listed there on the start date).
  const residents = setting.residents.some((r) => r.childId === needs.childId)
    ? setting.residents.filter((r) => r.childId !== needs.childId)
    : setting.residents;
  const groupSize = Math.max(1, needs.siblingGroupSize);
  let siblingsSplit = false;
  if (residents.length >= terms.maxChildren) {
    if (isHousehold)
      out.exclude(
        'HOUSEHOLD_FULL',
        () => `household approved for ${terms.maxChildren} children and has ${residents.length}`,
      );
    else
      out.exclude(
        'SETTING_FULL',
        () => `registered for ${terms.maxChildren} children and ${residents.length} live here`,
      );
  } else if (groupSize > 1) {
    if (!terms.siblings.accepted) {
      out.exclude('SIBLINGS_NOT_APPROVED', () => `not approved for sibling groups; group of ${groupSize}`);
    } else if (groupSize > terms.siblings.maxGroupSize) {
      const maxGroup = terms.siblings.maxGroupSize;
      out.exclude(
        'SIBLINGS_NOT_APPROVED',
        () => `approved for sibling groups of up to ${maxGroup}; group of ${groupSize}`,
      );
    } else {
      // A household's room is its approved number (which carries any exemption from the
      // usual limit of 3); a home also needs that many beds open.
      const room = Math.min(terms.maxChildren - residents.length, isHousehold ? Infinity : openPlacesInSetting);
      if (room < groupSize) {
        siblingsSplit = true;
        const message = (): string => `room for ${room} of a sibling group of ${groupSize}`;
        if (policy.siblingGroupSplit === 'exclude') out.exclude('SIBLING_GROUP_SPLIT', message);
        else out.caution('SIBLING_GROUP_SPLIT', () => `${message()}; the group would be split`);
      }
    }
  }

  // Who already lives here (reg 14 impact assessment): the child's wishes and both directions of risk.
  const livesWith = needs.canLiveWith;
  if (!livesWith.others && residents.length > 0) {
    out.exclude(
      'CANNOT_LIVE_WITH',
      () =>
        `child needs a solo placement; ` +
        `${residents.length} ${residents.length === 1 ? 'child lives' : 'children live'} here`,
    );
  } else {
    if (!livesWith.older && residents.some((r) => r.age > childAge)) {
      out.exclude(
        'CANNOT_LIVE_WITH',
        () => `child cannot live with older children; an older child (${oldest(residents)}) lives here`,
      );
    }
    if (!livesWith.younger && residents.some((r) => r.age < childAge)) {
      out.exclude(
        'CANNOT_LIVE_WITH',
        () => `child cannot live with younger children; a younger child (${youngest(residents)}) lives here`,
      );
    }
  }
  let seen: Set<string> | undefined;
  for (const resident of residents) {
    for (const rule of RESIDENT_RISK_RULES) {
      const message = rule(ctx, resident);
      if (message === null) continue;
      seen ??= new Set<string>();
      if (!seen.has(message)) {
        seen.add(message);
        out.exclude('RESIDENT_RISK', () => message);
      }
    }
  }
  // A foster household's own members (a carer's children, other adults): this child's risk to them.
  const members = setting.householdMembers ?? [];
  if (ctx.risksToOthers.has('sexual-harm-to-younger-children') && members.some((m) => m.age < childAge)) {
    const age = Math.min(...members.map((m) => m.age));
    out.exclude(
      'HOUSEHOLD_MEMBER_RISK',
      () => `child has a sexual-harm-to-younger-children flag; a younger member of the household (${age}) lives here`,
    );
  }
  for (const risk of terms.risksNotAccepted) {
    if (ctx.risksToOthers.has(risk as RiskToOthers) || ctx.risksToSelf.has(risk as RiskToSelf)) {
      out.exclude(
        'RISK_NOT_ACCEPTED',
        () => `${isHousehold ? 'approval' : 'statement of purpose'} does not cover a ${risk} risk`,
      );
    }
  }

  const lacks = (a: string): boolean => !setting.adaptations.includes(a);
  if (needs.adaptationsNeeded.length > 0 && needs.adaptationsNeeded.some(lacks)) {
    out.exclude(
      'ADAPTATIONS_MISSING',
      () => `needs ${needs.adaptationsNeeded.filter(lacks).join(', ')}; not available here`,
    );
  }

  const distance = needs.preferredArea ? distanceKm(needs.preferredArea, setting.location) : null;
  if (distance !== null && needs.maxDistanceKm !== undefined && distance > needs.maxDistanceKm) {
    out.exclude(
      'OUT_OF_DISTANCE',
      () => `${distance.toFixed(1)} km from ${needs.preferredArea?.postcodeDistrict}; limit ${needs.maxDistanceKm} km`,
    );
  }

  if (needs.budgetWeeklyPence !== undefined && unit.weeklyCostPence > needs.budgetWeeklyPence) {
    const budget = needs.budgetWeeklyPence;
    const message = (): string => `£${pounds(unit.weeklyCostPence)} a week is over the budget of £${pounds(budget)}`;
    if (policy.overBudget === 'exclude') out.exclude('OVER_BUDGET', message);
    else out.caution('OVER_BUDGET', message);
  }

  if (out.wantsCautions && setting.localAuthorityCode !== needs.placingAuthorityCode && !needs.outOfAreaApproved) {
    out.caution(
      'OUT_OF_AREA',
      () => `outside the authority (${setting.localAuthorityCode}); needs the nominated officer's approval`,
    );
  }

  return { distanceKm: distance, category, siblingsSplit };
}

type ResidentRiskRule = (ctx: MatchContext, resident: ResidentProfile) => string | null;

/** A flag against a risk, both ways round: a resident's flag and this child's risk, this child's flag and theirs. */
function eitherWay(flag: RiskToOthers, risk: RiskToSelf, exploitation: string): ResidentRiskRule[] {
  return [
    (ctx, r) =>
      r.risksToOthers.includes(flag) && ctx.risksToSelf.has(risk)
        ? `a current resident has a ${flag} flag; child is at risk of ${exploitation}`
        : null,
    (ctx, r) =>
      ctx.risksToOthers.has(flag) && r.risksToSelf.includes(risk)
        ? `child has a ${flag} flag; a current resident is at risk of ${exploitation}`
        : null,
  ];
}

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
  ...eitherWay('sexual-harm', 'cse', 'sexual exploitation'),
  ...eitherWay('criminal-exploitation-of-others', 'cce', 'criminal exploitation'),
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
