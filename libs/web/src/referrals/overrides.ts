import { isBindingExclusion, NEVER_OVERRIDDEN, type BindingExclusion } from '@placement/domain';
import type { MatchesPage } from '../board.port';

/** Each binding exclusion of the matching engine in plain English. */
export const EXCLUSION_NAMES: Record<BindingExclusion, string> = {
  AGE_OUTSIDE_REGISTRATION: "the child's age is outside the home's registration",
  SEX_OUTSIDE_REGISTRATION: "the child's sex is outside the home's registration",
  APPROVAL_TERMS: "the child is outside the foster household's approval terms",
  SIBLINGS_NOT_APPROVED: 'the household is not approved to take the sibling group',
  SUPPORTED_ACCOMMODATION_UNDER_16: 'supported accommodation for a child under 16, which the law never allows',
  RESIDENT_RISK: 'a risk between the child and a child living there',
  HOUSEHOLD_MEMBER_RISK: "a risk the child presents to a member of the foster carers' household",
  RISK_NOT_ACCEPTED: 'the home does not accept a risk the child presents',
  CANNOT_LIVE_WITH: 'the child cannot live with those living there',
  ADAPTATIONS_MISSING: 'the home lacks an adaptation the child needs',
};

/** A binding exclusion the meeting could set aside for the home it considered, with the beds it excludes. */
export interface BindingExclusionFound {
  readonly code: BindingExclusion;
  readonly name: string;
  /** The engine's own words for it, from its first bed. */
  readonly message: string;
  readonly beds: readonly string[];
  /** False for a code no meeting may override (the law allows no exception). */
  readonly overridable: boolean;
}

/**
 * The binding exclusions the engine gives for the beds of one home, each code once, in the
 * engine's order: what a placement there would be refused for (EXCLUDED_BY_MATCHING) unless the
 * matched meeting overrides it.
 */
export function bindingExclusionsAt(matches: MatchesPage, settingId: string): BindingExclusionFound[] {
  const found = new Map<BindingExclusion, { message: string; beds: string[] }>();
  for (const unit of matches.excluded) {
    if (unit.settingId !== settingId || unit.unit.kind !== 'bed') continue;
    for (const reason of unit.reasons) {
      if (!isBindingExclusion(reason.code)) continue;
      const entry = found.get(reason.code) ?? { message: reason.message, beds: [] };
      if (!entry.beds.includes(unit.unit.bedId)) entry.beds.push(unit.unit.bedId);
      found.set(reason.code, entry);
    }
  }
  return [...found].map(([code, { message, beds }]) => ({
    code,
    name: EXCLUSION_NAMES[code],
    message,
    beds,
    overridable: !NEVER_OVERRIDDEN.includes(code),
  }));
}

/** The codes of an EXCLUDED_BY_MATCHING refusal in words, each with its code: "the child's age is … (AGE_…)". */
export function exclusionsInWords(codes: readonly string[]): string {
  return codes.map((code) => (isBindingExclusion(code) ? `${EXCLUSION_NAMES[code]} (${code})` : code)).join('; ');
}
