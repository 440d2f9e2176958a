import { DomainError, require_ } from '../shared/errors';
import { ageOn, type BusinessDate } from '../shared/dates';
import {
  acceptsSex,
  isValidAgeRange,
  withinAgeRange,
  type ChildFacts,
  type FosterPlacementType,
} from '../shared/types';
import type { ApprovalTerms, HouseholdState } from './types';

/** The usual fostering limit (Fostering Services (England) Regulations 2011, sch. 7). */
export const USUAL_FOSTERING_LIMIT = 3;

export interface HouseholdFitInput {
  readonly status: HouseholdState['status'];
  readonly terms: ApprovalTerms;
  readonly currentChildren: readonly { readonly childId: string; readonly siblingGroupId: string | null }[];
  readonly child: ChildFacts;
  readonly siblingGroupId: string | null;
  readonly startDate: BusinessDate;
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

/**
 * Whether a household may take this child. Count is a hard limit (the place is taken: a
 * conflict); age, sex and placement type may be stretched only for an emergency, which is
 * then flagged and limited to 6 working days.
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
    default: {
      const _exhaustive: never = input.status;
      return _exhaustive;
    }
  }
  const { terms, child } = input;
  const others = input.currentChildren.filter((c) => c.childId !== child.childId);
  require_(others.length + 1 <= terms.maxChildren, 'HOUSEHOLD_FULL', 'the household has no approved place left');

  const groups = new Set([...others.map((c) => c.siblingGroupId), input.siblingGroupId]);
  const allOneSiblingGroup = groups.size === 1 && input.siblingGroupId !== null;
  require_(
    others.length + 1 <= USUAL_FOSTERING_LIMIT || allOneSiblingGroup || terms.siblingGroup,
    'APPROVAL_TERMS_EXCEEDED',
    'more than 3 foster children who are not one sibling group needs the sibling-group exemption',
  );

  const age = ageOn(child.dateOfBirth, input.startDate);
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
