import { DomainError, require_ } from '../shared/errors';
import { exhaustive } from '../shared/exhaustive';
import { ageOn, compareDates, isBefore, type BusinessDate } from '../shared/dates';
import { changePoints, describeSpan, spanContains, type DateSpan } from '../shared/diary';
import {
  acceptsSex,
  isValidAgeRange,
  withinAgeRange,
  type ChildFacts,
  type FosterPlacementType,
} from '../shared/types';
import type { ApprovalTerms, DatedTerms, HouseholdState } from './types';

/** The usual fostering limit (Fostering Services (England) Regulations 2011, sch. 7). */
export const USUAL_FOSTERING_LIMIT = 3;

/** Another child's booking with the household, as the fit check needs it. */
export interface HouseholdBooking extends DateSpan {
  readonly childId: string;
  readonly siblingGroupId: string | null;
}

export interface HouseholdFitInput {
  readonly status: HouseholdState['status'];
  readonly termsHistory: readonly DatedTerms[];
  readonly bookings: readonly HouseholdBooking[];
  readonly child: ChildFacts;
  readonly siblingGroupId: string | null;
  /** The new placement's nights: from its start, to its planned end or open-ended. */
  readonly span: DateSpan;
  readonly placementType: FosterPlacementType;
  readonly emergency: boolean;
}

export function validateTerms(terms: ApprovalTerms): void {
  require_(isValidAgeRange(terms.ageRange), 'INVALID_INPUT', 'age range must be whole years, min ≤ max');
  require_(
    Number.isInteger(terms.maxChildren) && terms.maxChildren >= 1,
    'INVALID_INPUT',
    'max children must be a positive whole number',
  );
  require_(terms.placementTypes.length > 0, 'INVALID_INPUT', 'at least one placement type is approved');
  require_(
    terms.provider === 'in-house' || terms.agencyName !== null,
    'INVALID_INPUT',
    'an IFA household names its agency',
  );
}

/** The terms in force on `date`: the latest to take effect by then (the first approval's before it). */
export function termsOn(history: readonly DatedTerms[], date: BusinessDate): ApprovalTerms {
  let current = history[0];
  for (const entry of history) if (!isBefore(date, entry.from)) current = entry;
  if (current === undefined) throw new DomainError('NOT_FOUND', 'household not approved');
  return current.terms;
}

/** Adds terms taking effect on `from`; on one date the later recorded wins. */
export function withTerms(history: readonly DatedTerms[], from: BusinessDate, terms: ApprovalTerms): DatedTerms[] {
  return [...history, { from, terms }].sort((a, b) => compareDates(a.from, b.from));
}

/** Count and sibling-group limits on one night, given the children living there (not counting a newcomer). */
function checkNight(
  terms: ApprovalTerms,
  date: BusinessDate,
  living: readonly HouseholdBooking[],
  newcomer: { readonly siblingGroupId: string | null } | null,
): void {
  const count = living.length + (newcomer ? 1 : 0);
  require_(
    count <= terms.maxChildren,
    newcomer ? 'HOUSEHOLD_FULL' : 'APPROVAL_TERMS_EXCEEDED',
    newcomer
      ? `the household's ${terms.maxChildren} approved place(s) are taken on ${date} by placements ` +
          living.map(describeSpan).join('; ')
      : `the terms approve ${terms.maxChildren} place(s) but ${count} children live there on ${date} ` +
          `(${living.map((c) => c.childId).join(', ')})`,
  );
  const groups = new Set([...living.map((c) => c.siblingGroupId), ...(newcomer ? [newcomer.siblingGroupId] : [])]);
  const allOneSiblingGroup = groups.size === 1 && !groups.has(null);
  require_(
    count <= USUAL_FOSTERING_LIMIT || allOneSiblingGroup || terms.siblingGroup,
    'APPROVAL_TERMS_EXCEEDED',
    `more than 3 foster children on ${date} who are not one sibling group needs the sibling-group exemption`,
  );
}

/**
 * Whether a household may take this child over the new placement's nights. Count is a hard
 * limit on every night (the place is taken: a conflict naming who holds it); age, sex and
 * placement type are checked on the start date and may be stretched only for an emergency,
 * which is then flagged and limited to 6 working days.
 */
export function checkHouseholdFit(input: HouseholdFitInput): { readonly emergencyOutsideTerms: boolean } {
  switch (input.status) {
    case 'NotApproved':
      throw new DomainError('NOT_FOUND', 'household not approved');
    case 'Suspended':
    case 'Resigned':
      throw new DomainError('HOUSEHOLD_NOT_AVAILABLE', `household is ${input.status.toLowerCase()}`);
    case 'Approved':
      break;
    default:
      return exhaustive(input.status);
  }
  const { child, span } = input;
  const others = input.bookings.filter((b) => b.childId !== child.childId);
  const termsChanges = input.termsHistory.map((t) => t.from);
  for (const date of changePoints(span, others, termsChanges)) {
    const living = others.filter((b) => spanContains(b, date));
    checkNight(termsOn(input.termsHistory, date), date, living, { siblingGroupId: input.siblingGroupId });
  }

  const terms = termsOn(input.termsHistory, span.from);
  const age = ageOn(child.dateOfBirth, span.from);
  const fits =
    withinAgeRange(terms.ageRange, age) &&
    acceptsSex(terms.sexes, child.sex) &&
    terms.placementTypes.includes(input.placementType);
  require_(
    fits || input.emergency,
    'APPROVAL_TERMS_EXCEEDED',
    "the child's age, sex or placement type is outside the approval terms",
  );
  return { emergencyOutsideTerms: !fits };
}

/** New terms from `from` must hold for every child already booked on every night from then. */
export function checkTermsHold(
  history: readonly DatedTerms[],
  bookings: readonly HouseholdBooking[],
  from: BusinessDate,
): void {
  for (const date of changePoints(
    { from, to: null },
    bookings,
    history.map((t) => t.from),
  )) {
    checkNight(
      termsOn(history, date),
      date,
      bookings.filter((b) => spanContains(b, date)),
      null,
    );
  }
}

/** A child placed with the household, as the terms check reads them. */
export interface PlacedChild extends HouseholdBooking {
  readonly childSex: ChildFacts['sex'];
  readonly childDateOfBirth: BusinessDate;
  readonly placementType: FosterPlacementType;
  /** Placed in an emergency outside the terms already: the emergency allowance covers them, not the terms. */
  readonly emergencyOutsideTerms: boolean;
}

/**
 * The children who would be outside new terms taking effect on `from`: each child placed on or
 * after that date, on the first night the new terms apply to them, by age, sex and placement type.
 */
export function childrenOutsideTerms(
  terms: ApprovalTerms,
  placed: readonly PlacedChild[],
  from: BusinessDate,
): string[] {
  const outside = placed.filter((p) => {
    if (p.emergencyOutsideTerms || (p.to !== null && !isBefore(from, p.to))) return false;
    const firstNight = isBefore(p.from, from) ? from : p.from;
    return !(
      withinAgeRange(terms.ageRange, ageOn(p.childDateOfBirth, firstNight)) &&
      acceptsSex(terms.sexes, p.childSex) &&
      terms.placementTypes.includes(p.placementType)
    );
  });
  return [...new Set(outside.map((p) => p.childId))].sort();
}
