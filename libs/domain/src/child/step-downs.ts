import { require_ } from '../shared/errors';
import { isBusinessDate, requireDate } from '../shared/dates';
import { requireNotInFuture } from '../shared/past';
import type { UnitRef } from '../shared/types';
import { isFosterPlaceCode } from '../ssda903-codes';
import { checkHouseholdFit } from '../household/terms';
import { checkPlaceFitsUnit, checkPlaceProvider, legalStatusFor } from './codes';
import { activeStepDown, openPlacement, registered, requireNewPlacement, requireOnOrAfter, stepDownOf } from './file';
import { placementEnded, placementStarted } from './placements';
import type {
  AbandonStepDown,
  ChildEvent,
  ChildState,
  CompleteStepDown,
  PlanStepDown,
  RecordStepDownMilestone,
} from './types';

export function planStepDown(command: PlanStepDown, state: ChildState): ChildEvent[] {
  const d = command.data;
  const child = registered(state);
  const from = openPlacement(child);
  require_(
    from !== undefined && from.placementId === d.fromPlacementId,
    'NOT_FOUND',
    'no such open placement to step down from',
  );
  require_(from.unit.kind !== 'household', 'NOT_RESIDENTIAL', 'a step-down starts from a residential placement');
  require_(!child.stepDowns.some((s) => s.stepDownId === d.stepDownId), 'ALREADY_EXISTS', 'step-down already planned');
  require_(activeStepDown(child) === undefined, 'ALREADY_EXISTS', 'another step-down is in progress');
  require_(
    d.safetyPlan !== null && d.safetyPlan.summaryProvided && isBusinessDate(d.safetyPlan.reviewDate),
    'SAFETY_PLAN_REQUIRED',
    'a step-down needs a safety plan with a review date',
  );
  requireOnOrAfter(d.plannedDate, from.startDate, 'the step-down is planned on or after the placement start');
  require_(
    d.milestones.every((m) => isBusinessDate(m.dueDate)),
    'INVALID_DATES',
    'milestone due dates must be YYYY-MM-DD',
  );
  require_(
    new Set(d.milestones.map((m) => m.milestoneId)).size === d.milestones.length,
    'INVALID_INPUT',
    'milestone ids are distinct',
  );
  checkHouseholdFit({
    status: d.toHousehold.status,
    termsHistory: d.toHousehold.termsHistory,
    bookings: d.toHousehold.bookings,
    child: { childId: child.childId, dateOfBirth: child.dateOfBirth, sex: child.sex },
    siblingGroupId: d.siblingGroupId,
    span: { from: d.plannedDate, to: null },
    placementType: d.placementType,
    emergency: false,
  });
  return [
    {
      type: 'StepDownPlanned',
      data: {
        childId: child.childId,
        stepDownId: d.stepDownId,
        fromPlacementId: d.fromPlacementId,
        toHouseholdId: d.toHousehold.householdId,
        plannedDate: d.plannedDate,
        safetyPlan: d.safetyPlan,
        milestones: d.milestones,
      },
    },
  ];
}

export function recordStepDownMilestone(command: RecordStepDownMilestone, state: ChildState): ChildEvent[] {
  const d = command.data;
  const stepDown = stepDownOf(registered(state), d.stepDownId);
  require_(
    stepDown.milestones.some((m) => m.milestoneId === d.milestoneId),
    'NOT_FOUND',
    'no such milestone',
  );
  requireDate(d.date, 'date');
  // A milestone met or missed happened; a rescheduled one names its new date, which may be ahead.
  if (d.outcome !== 'rescheduled') requireNotInFuture(d.date, command.at, `a milestone ${d.outcome}`);
  return [{ type: 'StepDownMilestoneRecorded', data: d }];
}

/** The child-stream half of a step-down: end the residential placement, start the household one, complete. */
export function completeStepDown(command: CompleteStepDown, state: ChildState): ChildEvent[] {
  const d = command.data;
  const child = registered(state);
  const stepDown = stepDownOf(child, d.stepDownId);
  const from = openPlacement(child);
  require_(
    from !== undefined && from.placementId === stepDown.fromPlacementId,
    'STEP_DOWN_NOT_ACTIVE',
    'the placement stepped down from is not open',
  );
  requireOnOrAfter(d.date, from.startDate, 'a step-down completes on or after the placement start');
  requireNotInFuture(d.date, command.at, 'completing a step-down');
  const unit: UnitRef = { kind: 'household', householdId: stepDown.toHouseholdId };
  checkPlaceFitsUnit(unit, d.place);
  require_(isFosterPlaceCode(d.place), 'INVALID_CODE', 'a step-down is to a foster placement (U1–U6)');
  checkPlaceProvider(d.placeProvider);
  requireNewPlacement(child, d.newPlacementId);
  const legalStatus = legalStatusFor(child, null);
  const ended = placementEnded(child, from, d.date, { reasonForChange: 'LAREQ', rec: null, next: 'placement' });
  const started = placementStarted(
    child,
    {
      childId: child.childId,
      placementId: d.newPlacementId,
      unit,
      place: d.place,
      placeProvider: d.placeProvider,
      legalStatus,
      startDate: d.date,
      emergency: false,
      unmatchedEmergency: false,
      referralId: null,
      placementPostcode: d.placementPostcode,
      urn: null,
      stepDownId: stepDown.stepDownId,
    },
    { endDate: d.date, unit: from.unit, reasonEpisodeCeased: null },
  );
  return [
    ended,
    started,
    {
      type: 'StepDownCompleted',
      data: {
        childId: child.childId,
        stepDownId: stepDown.stepDownId,
        fromPlacementId: from.placementId,
        newPlacementId: d.newPlacementId,
        toHouseholdId: stepDown.toHouseholdId,
        date: d.date,
      },
    },
  ];
}

export function abandonStepDown(command: AbandonStepDown, state: ChildState): ChildEvent[] {
  stepDownOf(registered(state), command.data.stepDownId);
  requireDate(command.data.date, 'date');
  return [{ type: 'StepDownAbandoned', data: command.data }];
}
