import { require_, DomainError } from '../shared/errors';
import { isBefore, isBusinessDate, type BusinessDate } from '../shared/dates';
import { spanContains } from '../shared/diary';
import type { ChildFile, ChildPlacement, ChildState, StepDown } from './types';

/** The child's file, or NOT_FOUND: every command but RegisterChild needs a registered child. */
export function registered(state: ChildState): ChildFile {
  if (state.status === 'Unknown') throw new DomainError('NOT_FOUND', 'child not registered');
  return state.child;
}

/** The placement with no end date yet (the latest; it may start in the future). */
export function openPlacement(child: ChildFile): ChildPlacement | undefined {
  return child.placements.find((p) => p.endDate === null);
}

/** Where the child lives on the night of `date`. */
export function placementOn(child: ChildFile, date: BusinessDate): ChildPlacement | undefined {
  return child.placements.find((p) => spanContains({ from: p.startDate, to: p.endDate }, date));
}

export function lastPlacement(child: ChildFile): ChildPlacement | undefined {
  return child.placements[child.placements.length - 1];
}

export function activeStepDown(child: ChildFile): StepDown | undefined {
  return child.stepDowns.find((s) => s.status === 'planned');
}

/** The planned step-down `stepDownId`: NOT_FOUND when there is none, STEP_DOWN_NOT_ACTIVE once it is over. */
export function stepDownOf(child: ChildFile, stepDownId: string): StepDown {
  const stepDown = child.stepDowns.find((s) => s.stepDownId === stepDownId);
  require_(stepDown !== undefined, 'NOT_FOUND', 'no such step-down');
  require_(stepDown.status === 'planned', 'STEP_DOWN_NOT_ACTIVE', `step-down is ${stepDown.status}`);
  return stepDown;
}

/** `date` is a YYYY-MM-DD date on or after `start`; `message` says which. */
export function requireOnOrAfter(date: string, start: BusinessDate, message: string): void {
  require_(isBusinessDate(date) && !isBefore(date, start), 'INVALID_DATES', message);
}

/** A new placement id is new to the child. */
export function requireNewPlacement(child: ChildFile, placementId: string): void {
  require_(
    !child.placements.some((p) => p.placementId === placementId),
    'ALREADY_EXISTS',
    'placement already recorded',
  );
}
