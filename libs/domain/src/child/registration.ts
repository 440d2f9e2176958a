import { requireDate } from '../shared/dates';
import { DomainError, require_ } from '../shared/errors';
import { isCinCode } from '../ssda903-codes';
import { childDetailsProblems, type ChildDetails } from './details';
import { registered } from './file';
import type { ChildEvent, ChildFile, ChildState, RegisterChild, UpdateChildDetails } from './types';

/** Throws the first of childDetailsProblems as a DomainError naming the field. */
function checkDetails(child: { sex: ChildFile['sex']; dateOfBirth: string }, details: ChildDetails): void {
  const [problem] = childDetailsProblems(child, details);
  if (problem !== undefined) throw new DomainError(problem.code, `${problem.field}: ${problem.message}`);
}

export function registerChild(command: RegisterChild, state: ChildState): ChildEvent[] {
  const d = command.data;
  require_(state.status === 'Unknown', 'ALREADY_EXISTS', 'child already registered');
  requireDate(d.dateOfBirth, 'dateOfBirth');
  require_(d.sex === 'M' || d.sex === 'F' || d.sex === 'U', 'INVALID_CODE', 'SEX is M, F or U');
  require_(isCinCode(d.categoryOfNeed), 'INVALID_CODE', 'unknown CIN code');
  checkDetails(d, {
    upn: d.upn,
    mother: d.mother ?? null,
    motherChildDateOfBirth: d.motherChildDateOfBirth ?? null,
  });
  return [{ type: 'ChildRegistered', data: d }];
}

export function updateChildDetails(command: UpdateChildDetails, state: ChildState): ChildEvent[] {
  const child = registered(state);
  const d = command.data;
  const given = (['upn', 'mother', 'motherChildDateOfBirth'] as const).filter((key) => d[key] !== undefined);
  require_(given.length > 0, 'INVALID_INPUT', 'give at least one of upn, mother, motherChildDateOfBirth');
  const next: ChildDetails = {
    upn: d.upn === undefined ? child.upn : d.upn,
    mother: d.mother === undefined ? child.mother : d.mother,
    motherChildDateOfBirth:
      d.motherChildDateOfBirth === undefined ? child.motherChildDateOfBirth : d.motherChildDateOfBirth,
  };
  checkDetails(child, next);
  // Nothing changes, nothing is recorded: a repeated update is harmless.
  if (
    next.upn === child.upn &&
    next.mother === child.mother &&
    next.motherChildDateOfBirth === child.motherChildDateOfBirth
  )
    return [];
  return [{ type: 'ChildDetailsUpdated', data: { childId: child.childId, ...next } }];
}
