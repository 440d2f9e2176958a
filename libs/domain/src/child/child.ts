import { DomainError, require_ } from '../shared/errors';
import type { Decider } from '../shared/decider';
import { ageOn, isAfter, isBefore, isBusinessDate, type BusinessDate, type Instant } from '../shared/dates';
import { requireNotInFuture, todayAt } from '../shared/past';
import { spanContains } from '../shared/diary';
import { sameCarer, type UnitRef } from '../shared/types';
import { checkHouseholdFit } from '../household/terms';
import {
  endsPeriodOfCare,
  isCinCode,
  isContinuingRneCode,
  isFosterPlaceCode,
  isHouseholdPlaceCode,
  isLegalStatusCode,
  isPlaceCode,
  isPlaceProviderCode,
  isReasonPlaceChangeCode,
  isRecCode,
  type LegalStatusCode,
  type ReasonPlaceChangeCode,
  type RecCode,
} from '../ssda903-codes';
import {
  AFTER_PLACEMENT,
  CARE_LEAVER_ACCOMMODATION,
  type CareLeaverAccommodation,
  type AfterPlacement,
  type ChildCommand,
  type ChildEvent,
  type ChildFile,
  type ChildPlacement,
  type ChildState,
  type CompleteStepDown,
  type EndPlacement,
  type PlacementEnded,
  type PlacementStarted,
  type PlanStepDown,
  type RecordCareLeaver,
  type RevisePlacementEnd,
  type StartPlacement,
  type StepDown,
  type UpdateChildDetails,
  type WithdrawPlacementEnd,
} from './types';
import { childDetailsProblems, type ChildDetails } from './details';

export const streamId = (childId: string): string => `child-${childId}`;

export const initialState: ChildState = { status: 'Unknown' };

function registered(state: ChildState): ChildFile {
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

function lastPlacement(child: ChildFile): ChildPlacement | undefined {
  return child.placements[child.placements.length - 1];
}

function activeStepDown(child: ChildFile): StepDown | undefined {
  return child.stepDowns.find((s) => s.status === 'planned');
}

/**
 * A household fosters (U1–U6) or adopts the child it fosters (A3/A5, with the current foster carers);
 * nothing else is a household.
 */
function checkPlaceFitsUnit(unit: UnitRef, place: string): void {
  require_(isPlaceCode(place), 'INVALID_CODE', 'unknown PLACE code');
  require_(
    (unit.kind === 'household') === isHouseholdPlaceCode(place),
    'INVALID_CODE',
    unit.kind === 'household'
      ? 'a household placement has a foster PLACE code (U1–U6) or A3/A5 (adoption by the current foster carers)'
      : 'a foster PLACE code (U1–U6, A3, A5) needs a household',
  );
}

/** The optional period facts of StartPlacement, checked; only present keys reach the event. */
function periodFacts(
  period: StartPlacement['data']['periodOfCare'],
  startsPeriodOfCare: boolean,
): Pick<PlacementStarted['data'], 'categoryOfNeed' | 'homePostcode' | 'importedReasonNewEpisode'> {
  const d = period ?? {};
  const given =
    (d.categoryOfNeed ?? null) !== null ||
    (d.homePostcode ?? null) !== null ||
    (d.importedReasonNewEpisode ?? null) !== null;
  if (!given) return {};
  require_(
    startsPeriodOfCare,
    'INVALID_INPUT',
    'CIN, home postcode and an imported RNE belong to the placement that starts a period of care',
  );
  const facts: {
    categoryOfNeed?: PlacementStarted['data']['categoryOfNeed'];
    homePostcode?: string;
    importedReasonNewEpisode?: PlacementStarted['data']['importedReasonNewEpisode'];
  } = {};
  if (d.categoryOfNeed !== undefined && d.categoryOfNeed !== null) {
    const cin = d.categoryOfNeed;
    require_(isCinCode(cin), 'INVALID_CODE', 'unknown CIN code');
    facts.categoryOfNeed = cin;
  }
  if (d.homePostcode !== undefined && d.homePostcode !== null) {
    require_(d.homePostcode.trim().length > 0, 'INVALID_INPUT', 'home postcode is blank');
    facts.homePostcode = d.homePostcode;
  }
  if (d.importedReasonNewEpisode !== undefined && d.importedReasonNewEpisode !== null) {
    const rne = d.importedReasonNewEpisode;
    require_(isContinuingRneCode(rne), 'INVALID_CODE', 'an imported first episode has RNE L, P, T, B or U');
    facts.importedReasonNewEpisode = rne;
  }
  return facts;
}

function legalStatusFor(child: ChildFile, given: string | null): LegalStatusCode {
  const legalStatus = given ?? child.legalStatus;
  require_(
    legalStatus !== null && isLegalStatusCode(legalStatus),
    'INVALID_CODE',
    'unknown or missing legal status (LS) code',
  );
  return legalStatus;
}

/** A child has at most one open placement and placements never overlap. */
function checkNoOverlap(child: ChildFile, placementId: string, startDate: string): void {
  require_(
    !child.placements.some((p) => p.placementId === placementId),
    'ALREADY_EXISTS',
    'placement already recorded',
  );
  require_(openPlacement(child) === undefined, 'OVERLAPPING_PLACEMENT', 'the child already has an open placement');
  const last = lastPlacement(child);
  require_(
    last === undefined || last.endDate === null || !isBefore(startDate, last.endDate),
    'OVERLAPPING_PLACEMENT',
    'the placement starts before the previous one ended',
  );
}

function placementStarted(
  child: ChildFile,
  data: Omit<PlacementStarted['data'], 'sameCarerAsPrevious' | 'startsPeriodOfCare'>,
  previous: { endDate: string; unit: UnitRef; reasonEpisodeCeased: RecCode | null } | undefined,
): PlacementStarted {
  // RNE needs to know whether this continues the period of care and whether the carer changed.
  const continuing =
    previous !== undefined && previous.endDate === data.startDate && !endsPeriodOfCare(previous.reasonEpisodeCeased);
  return {
    type: 'PlacementStarted',
    data: {
      ...data,
      childId: child.childId,
      sameCarerAsPrevious: continuing && sameCarer(previous.unit, data.unit),
      startsPeriodOfCare: !continuing,
    },
  };
}

function start(command: StartPlacement, state: ChildState): ChildEvent[] {
  const d = command.data;
  const child = registered(state);
  require_(isBusinessDate(d.startDate), 'INVALID_DATES', 'startDate must be YYYY-MM-DD');
  require_(!isBefore(d.startDate, child.dateOfBirth), 'INVALID_DATES', 'a placement cannot start before birth');
  checkPlaceFitsUnit(d.unit, d.place);
  require_(isPlaceCode(d.place), 'INVALID_CODE', 'unknown PLACE code');
  require_(isPlaceProviderCode(d.placeProvider), 'INVALID_CODE', 'unknown PLACE_PROVIDER code');
  const legalStatus = legalStatusFor(child, d.legalStatus);
  checkNoOverlap(child, d.placementId, d.startDate);
  const last = lastPlacement(child);
  const started = placementStarted(
    child,
    {
      childId: child.childId,
      placementId: d.placementId,
      unit: d.unit,
      place: d.place,
      placeProvider: d.placeProvider,
      legalStatus,
      startDate: d.startDate,
      emergency: d.emergency,
      unmatchedEmergency: d.emergency && d.unmatchedEmergency,
      referralId: d.referralId,
      placementPostcode: d.placementPostcode,
      urn: d.urn,
      stepDownId: null,
    },
    last && last.endDate !== null
      ? { endDate: last.endDate, unit: last.unit, reasonEpisodeCeased: last.reasonEpisodeCeased }
      : undefined,
  );
  return [{ ...started, data: { ...started.data, ...periodFacts(d.periodOfCare, started.data.startsPeriodOfCare) } }];
}

const isAfterPlacement = (value: unknown): value is AfterPlacement =>
  (AFTER_PLACEMENT as readonly unknown[]).includes(value);

function checkEndCodes(
  reasonForChange: string | null,
  rec: string | null,
  next: string | null = null,
): { reasonForChange: ReasonPlaceChangeCode | null; rec: RecCode | null; next: AfterPlacement | null } {
  require_(rec === null || isRecCode(rec), 'INVALID_CODE', 'unknown reason episode ceased (REC) code');
  require_(
    reasonForChange === null || isReasonPlaceChangeCode(reasonForChange),
    'INVALID_CODE',
    'unknown REASON_PLACE_CHANGE code',
  );
  // A child who stays looked after moves for a recorded reason; leaving care is explained by the REC code.
  require_(
    endsPeriodOfCare(rec) || reasonForChange !== null,
    'INVALID_CODE',
    'reasonForChange: a placement change while still looked after needs REASON_PLACE_CHANGE',
  );
  // Saying what follows binds the codes to it: a move keeps the period of care, leaving care ends it.
  require_(
    next === null || isAfterPlacement(next),
    'INVALID_CODE',
    'next: another placement (placement) or leaving care (leaves-care)',
  );
  require_(
    next !== 'leaves-care' || endsPeriodOfCare(rec),
    'INVALID_CODE',
    'reasonEpisodeCeased: leaving care needs the E-code REC saying why care ceased',
  );
  require_(
    next !== 'placement' || !endsPeriodOfCare(rec),
    'INVALID_CODE',
    'reasonEpisodeCeased: an E-code ends the period of care, so no placement follows within it',
  );
  require_(
    next !== 'placement' || reasonForChange !== null,
    'INVALID_CODE',
    'reasonForChange: a move to another placement needs REASON_PLACE_CHANGE',
  );
  // An E-code says by itself that the child leaves care.
  return { reasonForChange, rec, next: next ?? (endsPeriodOfCare(rec) ? 'leaves-care' : null) };
}

function end(command: EndPlacement, state: ChildState): ChildEvent[] {
  const d = command.data;
  const child = registered(state);
  const placement = openPlacement(child);
  require_(placement !== undefined && placement.placementId === d.placementId, 'NOT_FOUND', 'no such open placement');
  require_(
    isBusinessDate(d.endDate) && !isBefore(d.endDate, placement.startDate),
    'INVALID_DATES',
    'a placement ends on or after it starts',
  );
  const codes = checkEndCodes(d.reasonForChange, d.reasonEpisodeCeased, d.next ?? null);
  const events: ChildEvent[] = [
    {
      type: 'PlacementEnded',
      data: {
        childId: child.childId,
        placementId: d.placementId,
        unit: placement.unit,
        endDate: d.endDate,
        reasonForChange: codes.reasonForChange,
        reasonEpisodeCeased: codes.rec,
        next: codes.next,
      },
    },
  ];
  // A step-down from a placement that has ended can no longer complete.
  const stepDown = activeStepDown(child);
  if (stepDown && stepDown.fromPlacementId === d.placementId) {
    events.push({
      type: 'StepDownAbandoned',
      data: { childId: child.childId, stepDownId: stepDown.stepDownId, reason: 'placement-ended', date: d.endDate },
    });
  }
  return events;
}

/** The last placement's end that has not happened yet: the only end that may still change. */
function plannedEnd(child: ChildFile, placementId: string, at: Instant): ChildPlacement & { endDate: string } {
  const placement = child.placements.find((p) => p.placementId === placementId);
  require_(placement !== undefined, 'NOT_FOUND', 'no such placement');
  require_(placement.endDate !== null, 'INVALID_STATE', 'the placement has no end date to change');
  const today = todayAt(at);
  require_(
    isAfter(placement.endDate, today),
    'END_HAS_HAPPENED',
    `the placement ended on ${placement.endDate}: an end that has happened is a fact, not a plan`,
  );
  const later = child.placements.find((p) => !isBefore(p.startDate, placement.endDate ?? '') && p !== placement);
  require_(
    later === undefined,
    'INVALID_STATE',
    `the child's next placement starts on ${later?.startDate ?? ''}: change or end that first`,
  );
  return { ...placement, endDate: placement.endDate };
}

function revise(command: RevisePlacementEnd, state: ChildState): ChildEvent[] {
  const d = command.data;
  const child = registered(state);
  const placement = plannedEnd(child, d.placementId, command.at);
  require_(
    isBusinessDate(d.endDate) && !isBefore(d.endDate, placement.startDate),
    'INVALID_DATES',
    'a placement ends on or after it starts',
  );
  const codes = checkEndCodes(d.reasonForChange, d.reasonEpisodeCeased, d.next ?? null);
  if (
    d.endDate === placement.endDate &&
    codes.rec === placement.reasonEpisodeCeased &&
    codes.reasonForChange === placement.reasonForChange &&
    codes.next === placement.next
  ) {
    return [];
  }
  return [
    {
      type: 'PlacementEndWithdrawn',
      data: { childId: child.childId, placementId: d.placementId, unit: placement.unit },
    },
    {
      type: 'PlacementEnded',
      data: {
        childId: child.childId,
        placementId: d.placementId,
        unit: placement.unit,
        endDate: d.endDate,
        reasonForChange: codes.reasonForChange,
        reasonEpisodeCeased: codes.rec,
        next: codes.next,
      },
    },
  ];
}

function withdraw(command: WithdrawPlacementEnd, state: ChildState): ChildEvent[] {
  const child = registered(state);
  const placement = plannedEnd(child, command.data.placementId, command.at);
  return [
    {
      type: 'PlacementEndWithdrawn',
      data: { childId: child.childId, placementId: placement.placementId, unit: placement.unit },
    },
  ];
}

function planStepDown(command: PlanStepDown, state: ChildState): ChildEvent[] {
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
  require_(
    isBusinessDate(d.plannedDate) && !isBefore(d.plannedDate, from.startDate),
    'INVALID_DATES',
    'the step-down is planned on or after the placement start',
  );
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

function stepDownOf(child: ChildFile, stepDownId: string): StepDown {
  const stepDown = child.stepDowns.find((s) => s.stepDownId === stepDownId);
  require_(stepDown !== undefined, 'NOT_FOUND', 'no such step-down');
  require_(stepDown.status === 'planned', 'STEP_DOWN_NOT_ACTIVE', `step-down is ${stepDown.status}`);
  return stepDown;
}

/** The child-stream half of a step-down: end the residential placement, start the household one, complete. */
function completeStepDown(command: CompleteStepDown, state: ChildState): ChildEvent[] {
  const d = command.data;
  const child = registered(state);
  const stepDown = stepDownOf(child, d.stepDownId);
  const from = openPlacement(child);
  require_(
    from !== undefined && from.placementId === stepDown.fromPlacementId,
    'STEP_DOWN_NOT_ACTIVE',
    'the placement stepped down from is not open',
  );
  require_(
    isBusinessDate(d.date) && !isBefore(d.date, from.startDate),
    'INVALID_DATES',
    'a step-down completes on or after the placement start',
  );
  requireNotInFuture(d.date, command.at, 'completing a step-down');
  const unit: UnitRef = { kind: 'household', householdId: stepDown.toHouseholdId };
  checkPlaceFitsUnit(unit, d.place);
  require_(isFosterPlaceCode(d.place), 'INVALID_CODE', 'a step-down is to a foster placement (U1–U6)');
  require_(isPlaceCode(d.place), 'INVALID_CODE', 'unknown PLACE code');
  require_(isPlaceProviderCode(d.placeProvider), 'INVALID_CODE', 'unknown PLACE_PROVIDER code');
  require_(
    !child.placements.some((p) => p.placementId === d.newPlacementId),
    'ALREADY_EXISTS',
    'placement already recorded',
  );
  const legalStatus = legalStatusFor(child, null);
  const ended: PlacementEnded = {
    type: 'PlacementEnded',
    data: {
      childId: child.childId,
      placementId: from.placementId,
      unit: from.unit,
      endDate: d.date,
      reasonForChange: 'LAREQ',
      reasonEpisodeCeased: null,
      next: 'placement',
    },
  };
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

/** Throws the first of childDetailsProblems as a DomainError naming the field. */
function checkDetails(child: { sex: ChildFile['sex']; dateOfBirth: string }, details: ChildDetails): void {
  const [problem] = childDetailsProblems(child, details);
  if (problem !== undefined) throw new DomainError(problem.code, `${problem.field}: ${problem.message}`);
}

function updateDetails(command: UpdateChildDetails, state: ChildState): ChildEvent[] {
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

/** REC codes for leaving care at 16–17 to independent living (with or without formalised support). */
const TO_INDEPENDENCE: readonly RecCode[] = ['E5', 'E6'];

/**
 * A care leaver ceased care at 18 or over, or at 16–17 to independent living; the care that ceased
 * is the last placement's, ended with an E-code, and no placement has started since.
 */
function recordCareLeaver(command: RecordCareLeaver, state: ChildState): ChildEvent[] {
  const d = command.data;
  const child = registered(state);
  require_(
    (CARE_LEAVER_ACCOMMODATION as readonly string[]).includes(d.accommodation),
    'INVALID_INPUT',
    `accommodation: one of ${CARE_LEAVER_ACCOMMODATION.join(', ')}`,
  );
  const accommodation = d.accommodation as CareLeaverAccommodation;
  const last = lastPlacement(child);
  const ceased = last?.endDate != null && endsPeriodOfCare(last.reasonEpisodeCeased) ? last : undefined;
  require_(
    ceased?.endDate != null && ceased.reasonEpisodeCeased !== null,
    'NOT_A_CARE_LEAVER',
    'the child is still looked after (no period of care has ceased since the last placement)',
  );
  const ceasedCareOn = ceased.endDate;
  const rec = ceased.reasonEpisodeCeased;
  const age = ageOn(child.dateOfBirth, ceasedCareOn);
  require_(
    age >= 18 || (age >= 16 && TO_INDEPENDENCE.includes(rec)),
    'NOT_A_CARE_LEAVER',
    `care ceased on ${ceasedCareOn} aged ${age} (${rec}): a care leaver ceased care at 18 or over, ` +
      'or at 16–17 to independent living (E5, E6)',
  );
  // Staying put (Children and Families Act 2014, s.98) is living on with the former foster carer.
  require_(
    accommodation !== 'staying-put' || isFosterPlaceCode(ceased.place),
    'INVALID_INPUT',
    `accommodation: staying put is with a former foster carer; the care that ceased was not foster care (${ceased.place})`,
  );
  require_(isBusinessDate(d.from), 'INVALID_DATES', 'from must be YYYY-MM-DD');
  require_(!isBefore(d.from, ceasedCareOn), 'INVALID_DATES', `from: on or after care ceased (${ceasedCareOn})`);
  requireNotInFuture(d.from, command.at, 'a care leaver’s accommodation');
  if (child.careLeaver?.accommodation === accommodation && child.careLeaver.from === d.from) return [];
  return [
    {
      type: 'CareLeaverRecorded',
      data: { childId: child.childId, accommodation, from: d.from, ceasedCareOn, reasonEpisodeCeased: rec },
    },
  ];
}

export function decide(command: ChildCommand, state: ChildState): ChildEvent[] {
  switch (command.type) {
    case 'RegisterChild': {
      const d = command.data;
      require_(state.status === 'Unknown', 'ALREADY_EXISTS', 'child already registered');
      require_(isBusinessDate(d.dateOfBirth), 'INVALID_DATES', 'dateOfBirth must be YYYY-MM-DD');
      require_(d.sex === 'M' || d.sex === 'F' || d.sex === 'U', 'INVALID_CODE', 'SEX is M, F or U');
      require_(isCinCode(d.categoryOfNeed), 'INVALID_CODE', 'unknown CIN code');
      checkDetails(d, {
        upn: d.upn,
        mother: d.mother ?? null,
        motherChildDateOfBirth: d.motherChildDateOfBirth ?? null,
      });
      return [{ type: 'ChildRegistered', data: d }];
    }
    case 'UpdateChildDetails':
      return updateDetails(command, state);
    case 'RecordCareLeaver':
      return recordCareLeaver(command, state);
    case 'StartPlacement':
      return start(command, state);
    case 'EndPlacement':
      return end(command, state);
    case 'RevisePlacementEnd':
      return revise(command, state);
    case 'WithdrawPlacementEnd':
      return withdraw(command, state);
    case 'ChangeLegalStatus': {
      const child = registered(state);
      require_(isLegalStatusCode(command.data.legalStatus), 'INVALID_CODE', 'unknown legal status (LS) code');
      require_(isBusinessDate(command.data.date), 'INVALID_DATES', 'date must be YYYY-MM-DD');
      if (command.at !== undefined) requireNotInFuture(command.data.date, command.at, 'a change of legal status');
      require_(
        child.legalStatus !== command.data.legalStatus,
        'INVALID_STATE',
        'the child already has this legal status',
      );
      return [
        {
          type: 'LegalStatusChanged',
          data: { childId: child.childId, legalStatus: command.data.legalStatus, date: command.data.date },
        },
      ];
    }
    case 'PlanStepDown':
      return planStepDown(command, state);
    case 'RecordStepDownMilestone': {
      const d = command.data;
      const stepDown = stepDownOf(registered(state), d.stepDownId);
      require_(
        stepDown.milestones.some((m) => m.milestoneId === d.milestoneId),
        'NOT_FOUND',
        'no such milestone',
      );
      require_(isBusinessDate(d.date), 'INVALID_DATES', 'date must be YYYY-MM-DD');
      // A milestone met or missed happened; a rescheduled one names its new date, which may be ahead.
      if (d.outcome !== 'rescheduled') requireNotInFuture(d.date, command.at, `a milestone ${d.outcome}`);
      return [{ type: 'StepDownMilestoneRecorded', data: d }];
    }
    case 'CompleteStepDown':
      return completeStepDown(command, state);
    case 'AbandonStepDown': {
      stepDownOf(registered(state), command.data.stepDownId);
      require_(isBusinessDate(command.data.date), 'INVALID_DATES', 'date must be YYYY-MM-DD');
      return [{ type: 'StepDownAbandoned', data: command.data }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function updateStepDown(child: ChildFile, stepDownId: string, change: (s: StepDown) => StepDown): ChildFile {
  return { ...child, stepDowns: child.stepDowns.map((s) => (s.stepDownId === stepDownId ? change(s) : s)) };
}

export function evolve(state: ChildState, event: ChildEvent): ChildState {
  if (event.type === 'ChildRegistered') {
    const { childId, sex, dateOfBirth, localAuthority, homePostcode, upn } = event.data;
    return {
      status: 'Registered',
      child: {
        childId,
        sex,
        dateOfBirth,
        localAuthority,
        homePostcode,
        upn,
        mother: event.data.mother ?? null,
        motherChildDateOfBirth: event.data.motherChildDateOfBirth ?? null,
        legalStatus: null,
        placements: [],
        stepDowns: [],
        careLeaver: null,
      },
    };
  }
  if (state.status === 'Unknown') return state;
  const child = state.child;
  switch (event.type) {
    case 'ChildDetailsUpdated': {
      const { upn, mother, motherChildDateOfBirth } = event.data;
      return { status: 'Registered', child: { ...child, upn, mother, motherChildDateOfBirth } };
    }
    case 'PlacementStarted': {
      const { placementId, unit, place, placeProvider, startDate, emergency, referralId, legalStatus } = event.data;
      const placement: ChildPlacement = {
        placementId,
        unit,
        place,
        placeProvider,
        startDate,
        endDate: null,
        emergency,
        referralId,
        reasonForChange: null,
        reasonEpisodeCeased: null,
        next: null,
      };
      return { status: 'Registered', child: { ...child, legalStatus, placements: [...child.placements, placement] } };
    }
    case 'PlacementEnded': {
      const { placementId, endDate, reasonForChange, reasonEpisodeCeased, next } = event.data;
      const placements = child.placements.map((p) =>
        p.placementId === placementId ? { ...p, endDate, reasonForChange, reasonEpisodeCeased, next } : p,
      );
      return { status: 'Registered', child: { ...child, placements } };
    }
    case 'PlacementEndWithdrawn': {
      const placements = child.placements.map((p) =>
        p.placementId === event.data.placementId
          ? { ...p, endDate: null, reasonForChange: null, reasonEpisodeCeased: null, next: null }
          : p,
      );
      return { status: 'Registered', child: { ...child, placements } };
    }
    case 'LegalStatusChanged':
      return { status: 'Registered', child: { ...child, legalStatus: event.data.legalStatus } };
    case 'CareLeaverRecorded': {
      const { accommodation, from } = event.data;
      return { status: 'Registered', child: { ...child, careLeaver: { accommodation, from } } };
    }
    case 'StepDownPlanned': {
      const { stepDownId, fromPlacementId, toHouseholdId, plannedDate, milestones } = event.data;
      const stepDown: StepDown = {
        stepDownId,
        fromPlacementId,
        toHouseholdId,
        plannedDate,
        status: 'planned',
        milestones: milestones.map((m) => ({ ...m, outcome: null })),
        newPlacementId: null,
      };
      return { status: 'Registered', child: { ...child, stepDowns: [...child.stepDowns, stepDown] } };
    }
    case 'StepDownMilestoneRecorded':
      return {
        status: 'Registered',
        child: updateStepDown(child, event.data.stepDownId, (s) => ({
          ...s,
          milestones: s.milestones.map((m) =>
            m.milestoneId === event.data.milestoneId ? { ...m, outcome: event.data.outcome } : m,
          ),
        })),
      };
    case 'StepDownCompleted':
      return {
        status: 'Registered',
        child: updateStepDown(child, event.data.stepDownId, (s) => ({
          ...s,
          status: 'completed',
          newPlacementId: event.data.newPlacementId,
        })),
      };
    case 'StepDownAbandoned':
      return {
        status: 'Registered',
        child: updateStepDown(child, event.data.stepDownId, (s) => ({ ...s, status: 'abandoned' })),
      };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const childDecider: Decider<ChildCommand, ChildEvent, ChildState> = { decide, evolve, initialState };
