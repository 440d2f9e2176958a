import { require_ } from '../shared/errors';
import { isAfter, isBefore, requireDate, type Instant } from '../shared/dates';
import { todayAt } from '../shared/past';
import { sameCarer, type UnitRef } from '../shared/types';
import { endsPeriodOfCare, isCinCode, isContinuingRneCode, type RecCode } from '../ssda903-codes';
import { checkEndCodes, checkPlaceFitsUnit, checkPlaceProvider, legalStatusFor, type EndCodes } from './codes';
import {
  activeStepDown,
  lastPlacement,
  openPlacement,
  registered,
  requireNewPlacement,
  requireOnOrAfter,
} from './file';
import type {
  ChildEvent,
  ChildFile,
  ChildPlacement,
  ChildState,
  EndPlacement,
  PlacementEnded,
  PlacementEndWithdrawn,
  PlacementStarted,
  RevisePlacementEnd,
  StartPlacement,
  WithdrawPlacementEnd,
} from './types';

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

/** A child has at most one open placement and placements never overlap. */
function checkNoOverlap(child: ChildFile, placementId: string, startDate: string): void {
  requireNewPlacement(child, placementId);
  require_(openPlacement(child) === undefined, 'OVERLAPPING_PLACEMENT', 'the child already has an open placement');
  const last = lastPlacement(child);
  require_(
    last === undefined || last.endDate === null || !isBefore(startDate, last.endDate),
    'OVERLAPPING_PLACEMENT',
    'the placement starts before the previous one ended',
  );
}

/** A placement starting after `previous` (if any): whether it starts a period of care or keeps the carer. */
export function placementStarted(
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

/** `placement` ends on `endDate` for the (checked) codes. */
export function placementEnded(
  child: ChildFile,
  placement: ChildPlacement,
  endDate: string,
  codes: EndCodes,
): PlacementEnded {
  return {
    type: 'PlacementEnded',
    data: {
      childId: child.childId,
      placementId: placement.placementId,
      unit: placement.unit,
      endDate,
      reasonForChange: codes.reasonForChange,
      reasonEpisodeCeased: codes.rec,
      next: codes.next,
    },
  };
}

function placementEndWithdrawn(child: ChildFile, placement: ChildPlacement): PlacementEndWithdrawn {
  return {
    type: 'PlacementEndWithdrawn',
    data: { childId: child.childId, placementId: placement.placementId, unit: placement.unit },
  };
}

export function startPlacement(command: StartPlacement, state: ChildState): ChildEvent[] {
  const d = command.data;
  const child = registered(state);
  requireDate(d.startDate, 'startDate');
  require_(!isBefore(d.startDate, child.dateOfBirth), 'INVALID_DATES', 'a placement cannot start before birth');
  checkPlaceFitsUnit(d.unit, d.place);
  checkPlaceProvider(d.placeProvider);
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

export function endPlacement(command: EndPlacement, state: ChildState): ChildEvent[] {
  const d = command.data;
  const child = registered(state);
  const placement = openPlacement(child);
  require_(placement !== undefined && placement.placementId === d.placementId, 'NOT_FOUND', 'no such open placement');
  requireOnOrAfter(d.endDate, placement.startDate, 'a placement ends on or after it starts');
  const codes = checkEndCodes(d.reasonForChange, d.reasonEpisodeCeased, d.next ?? null);
  const events: ChildEvent[] = [placementEnded(child, placement, d.endDate, codes)];
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

export function revisePlacementEnd(command: RevisePlacementEnd, state: ChildState): ChildEvent[] {
  const d = command.data;
  const child = registered(state);
  const placement = plannedEnd(child, d.placementId, command.at);
  requireOnOrAfter(d.endDate, placement.startDate, 'a placement ends on or after it starts');
  const codes = checkEndCodes(d.reasonForChange, d.reasonEpisodeCeased, d.next ?? null);
  if (
    d.endDate === placement.endDate &&
    codes.rec === placement.reasonEpisodeCeased &&
    codes.reasonForChange === placement.reasonForChange &&
    codes.next === placement.next
  ) {
    return [];
  }
  return [placementEndWithdrawn(child, placement), placementEnded(child, placement, d.endDate, codes)];
}

export function withdrawPlacementEnd(command: WithdrawPlacementEnd, state: ChildState): ChildEvent[] {
  const child = registered(state);
  return [placementEndWithdrawn(child, plannedEnd(child, command.data.placementId, command.at))];
}
