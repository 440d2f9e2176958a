import type { ProviderRoute } from './model';

/** The criteria a ranked list is ordered by, compared in the policy's order, then by unit id. */
export type RankingCriterion =
  'placement-preference' | 'family-based' | 'route' | 'siblings-together' | 'distance' | 'cost';

export interface MatchingPolicy {
  order: readonly RankingCriterion[];
  /** Earlier is better: a bed we already pay for beats a new purchase at any price. */
  routeOrder: readonly ProviderRoute[];
  /** Distances inside one band rank equal, so later criteria (cost) still decide between near units. */
  distanceBandKm: number;
  /** A budget is a guide the panel may exceed with sign-off, so by default it ranks rather than hides. */
  overBudget: 'exclude' | 'caution';
  /** Siblings are kept together by excluding units that would split them; `rank` lists splits last. */
  siblingGroupSplit: 'exclude' | 'rank';
  /**
   * Fostering regulations allow an emergency placement with an approved carer whose terms
   * do not fit, for up to 6 working days; `caution` ranks such households with a warning.
   */
  emergencyOutsideApprovalTerms: 'exclude' | 'caution';
}

export const DEFAULT_MATCHING_POLICY: MatchingPolicy = {
  // The child's care plan first, then the authority's family approach; siblings together is
  // a statutory duty (Children Act 1989 s22C(8)(c)) so it outranks distance and cost.
  order: ['placement-preference', 'family-based', 'route', 'siblings-together', 'distance', 'cost'],
  routeOrder: ['in-house', 'block-booked', 'framework', 'spot'],
  distanceBandKm: 10,
  overBudget: 'caution',
  siblingGroupSplit: 'exclude',
  emergencyOutsideApprovalTerms: 'exclude',
};

/** Fill a partial policy from the defaults (the API takes overrides from configuration). */
export function matchingPolicy(overrides: Partial<MatchingPolicy> = {}): MatchingPolicy {
  return { ...DEFAULT_MATCHING_POLICY, ...overrides };
}
