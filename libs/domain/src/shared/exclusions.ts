/**
 * Exclusions that bind. The matching engine (libs/matching) excludes a unit for many reasons;
 * those about keeping children safe or keeping a setting within its registration or approval
 * bind a placement too: placing into such a unit is `EXCLUDED_BY_MATCHING` unless the matching
 * meeting recorded an override of that very code, with a reason and the role that authorised it.
 *
 * Not binding here, because another rule already decides them or they are the officer's own
 * preference: availability (`OUT_OF_USE`, `OCCUPIED`, `HELD`, `SETTING_FULL`, `HOUSEHOLD_FULL`,
 * `BOOKED_FROM`: the unit's diary refuses with `BED_NOT_VACANT`, `HOUSEHOLD_FULL` and the like),
 * the officer's search limits (`OUT_OF_DISTANCE`, `OVER_BUDGET`), the plan's preferences
 * (`PLACEMENT_TYPE_UNSUITABLE`, `SIBLING_GROUP_SPLIT`), and the emergency routes
 * (`EMERGENCY_BED_PLANNED_REFERRAL`, `NOT_EMERGENCY_APPROVED`: where an emergency may go first is
 * the emergency rules' business, and its meeting follows the placement, so nothing could override).
 */
export const BINDING_EXCLUSIONS = [
  'AGE_OUTSIDE_REGISTRATION',
  'SEX_OUTSIDE_REGISTRATION',
  'APPROVAL_TERMS',
  'SIBLINGS_NOT_APPROVED',
  'SUPPORTED_ACCOMMODATION_UNDER_16',
  'RESIDENT_RISK',
  'HOUSEHOLD_MEMBER_RISK',
  'RISK_NOT_ACCEPTED',
  'CANNOT_LIVE_WITH',
  'ADAPTATIONS_MISSING',
] as const;
export type BindingExclusion = (typeof BINDING_EXCLUSIONS)[number];

/** The law allows no exception: supported accommodation is unlawful for a child under 16. */
export const NEVER_OVERRIDDEN: readonly BindingExclusion[] = ['SUPPORTED_ACCOMMODATION_UNDER_16'];

export const isBindingExclusion = (code: string): code is BindingExclusion =>
  (BINDING_EXCLUSIONS as readonly string[]).includes(code);

/** One reason the engine gave for excluding the unit (its code and plain words). */
export interface ExclusionFound {
  readonly code: string;
  readonly message: string;
}

/** The binding codes among the engine's reasons that no override covers, each once, in the engine's order. */
export function unoverriddenExclusions(
  found: readonly ExclusionFound[],
  overridden: readonly string[],
): BindingExclusion[] {
  const codes: BindingExclusion[] = [];
  for (const { code } of found) {
    if (!isBindingExclusion(code) || codes.includes(code)) continue;
    if (NEVER_OVERRIDDEN.includes(code) || !overridden.includes(code)) codes.push(code);
  }
  return codes;
}
