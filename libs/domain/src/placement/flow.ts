import { DomainError, require_ } from '../shared/errors';
import { exhaustive } from '../shared/exhaustive';
import type { BusinessDate, Instant } from '../shared/dates';
import type { DateSpan } from '../shared/diary';
import { sameUnit, unitRefOf, type FosterPlacementType } from '../shared/types';
import * as Bed from '../bed/bed';
import * as Household from '../household/household';
import * as Contract from '../contract/contract';
import * as Child from '../child/child';
import { meetingFor, overriddenBy } from '../referral/referral';
import { unoverriddenExclusions } from '../shared/exclusions';
import { requireReferralOpen, unitConsideredFor } from './referral-open';
import { occupyFactsOf } from '../setting/setting';
import type { BedEvent, BedState } from '../bed/types';
import type { ContractEvent, ContractState } from '../contract/types';
import type { HouseholdEvent, HouseholdState } from '../household/types';
import type { ChildEvent, ChildFile, ChildState, EndPlacement, StartPlacement } from '../child/types';
import type { ReferralFacts, ReferralState } from '../referral/types';
import type {
  PlacementFlow,
  PlacementInputs,
  PlacementRequest,
  StreamAppend,
  UnitStreamState,
  UnitView,
} from './types';

/** A placement's booking of the unit, as the unit's own diary holds it. */
export interface UnitHolding extends DateSpan {
  readonly placementId: string;
  readonly childId: string;
  /** When the unit was taken (the reconciler leaves an in-flight take alone). */
  readonly at: Instant;
  /** Only a bed records it; elsewhere it is worked out from the referral. */
  readonly unmatchedEmergency: boolean | null;
}

/** Every booking the unit's diary holds. */
export function holdingsOf(unit: UnitView): UnitHolding[] {
  switch (unit.kind) {
    case 'bed':
      return unit.state.status === 'Added'
        ? unit.state.occupancies.map((o) => ({ ...o, unmatchedEmergency: o.unmatchedEmergency }))
        : [];
    case 'household':
      return unit.state.status === 'NotApproved'
        ? []
        : unit.state.placements.map((p) => ({ ...p, unmatchedEmergency: null }));
    case 'block-bed':
      return Contract.allocationsOfBed(unit.state, unit.bedRef).map((a) => ({ ...a, unmatchedEmergency: null }));
    case 'external':
      return [];
    default:
      return exhaustive(unit);
  }
}

export const holdingOf = (unit: UnitView, placementId: string): UnitHolding | undefined =>
  holdingsOf(unit).find((h) => h.placementId === placementId);

/** A flow's change to each kind of unit that has a stream: its events, from the unit's keys and loaded state. */
interface UnitChange {
  readonly bed: (keys: { readonly settingId: string; readonly bedId: string }, state: BedState) => readonly BedEvent[];
  readonly household: (keys: { readonly householdId: string }, state: HouseholdState) => readonly HouseholdEvent[];
  readonly blockBed: (
    keys: { readonly contractId: string; readonly bedRef: string },
    state: ContractState,
  ) => readonly ContractEvent[];
}

/** The append `change` makes to the unit's own stream; an external unit has none (null). */
function changeUnit(unit: UnitView, change: UnitChange): StreamAppend | null {
  switch (unit.kind) {
    case 'bed': {
      const events = change.bed({ settingId: unit.settingId, bedId: unit.bedId }, unit.state);
      return { kind: 'bed', streamId: Bed.streamId(unit.settingId, unit.bedId), events };
    }
    case 'household': {
      const events = change.household({ householdId: unit.householdId }, unit.state);
      return { kind: 'household', streamId: Household.streamId(unit.householdId), events };
    }
    case 'block-bed': {
      const events = change.blockBed({ contractId: unit.contractId, bedRef: unit.bedRef }, unit.state);
      return { kind: 'contract', streamId: Contract.streamId(unit.contractId), events };
    }
    case 'external':
      return null;
    default:
      return exhaustive(unit);
  }
}

function registeredChild(state: ChildState): ChildFile {
  if (state.status === 'Unknown') throw new DomainError('NOT_FOUND', 'child not registered');
  return state.child;
}

/** The referral a placement names: received, and about this child. */
function referralOf(
  request: PlacementRequest,
  referral: ReferralState | null,
  child: ChildState,
): ReferralFacts | null {
  if (request.referralId === null) return null;
  require_(
    referral !== null && referral.status !== 'NotReceived' && referral.referral.referralId === request.referralId,
    'NOT_FOUND',
    `referral ${request.referralId} was not received`,
  );
  require_(referral.referral.childId === request.childId, 'INVALID_INPUT', 'the referral is for another child');
  // A referral already placed under (closed, or not yet: a crash before its closing append) takes no other placement.
  return requireReferralOpen(referral, child, { retryOf: request.placementId });
}

function referralState(referral: ReferralFacts | null): ReferralState | null {
  return referral === null ? null : { status: 'Open', referral };
}

/** The foster placement type asked for: given, else an emergency's, else the referral's. */
function fosterTypeOf(request: PlacementRequest, referral: ReferralFacts | null): FosterPlacementType {
  return (
    request.placementType ?? (request.emergency ? 'emergency' : (referral?.needs.fosterPlacementType ?? 'short-term'))
  );
}

/** The unit's postcode and Ofsted URN, for SSDA903 PL_POST and URN. */
function whereIs(inputs: PlacementInputs): { postcode: string | null; urn: string | null } {
  const unit = inputs.unit;
  switch (unit.kind) {
    case 'bed': {
      const setting = inputs.home?.setting;
      return setting && setting.status !== 'Unregistered'
        ? { postcode: setting.setting.postcode, urn: setting.setting.urn }
        : { postcode: null, urn: null };
    }
    case 'household':
      return { postcode: unit.state.status === 'NotApproved' ? null : unit.state.terms.postcode, urn: null };
    case 'block-bed':
      return unit.state.status === 'NotContracted'
        ? { postcode: null, urn: null }
        : { postcode: unit.state.contract.settingPostcode, urn: unit.state.contract.settingUrn };
    case 'external':
      return { postcode: null, urn: unit.urn };
    default:
      return exhaustive(unit);
  }
}

/** The unit-side append that takes the unit for the placement (step 1). */
function takeUnit(
  request: PlacementRequest,
  inputs: PlacementInputs,
  child: ChildFile,
  referral: ReferralFacts | null,
): StreamAppend | null {
  const childFacts = { childId: child.childId, dateOfBirth: child.dateOfBirth, sex: child.sex };
  return changeUnit(inputs.unit, {
    bed: (keys, state) => {
      require_(inputs.home !== null, 'INVALID_INPUT', 'a bed placement reads the bed’s home');
      return Bed.decide(
        {
          type: 'OccupyBed',
          data: {
            ...keys,
            placementId: request.placementId,
            referralId: request.referralId,
            emergency: request.emergency,
            startDate: request.startDate,
            endDate: null,
            at: request.at,
            child: childFacts,
            setting: occupyFactsOf(inputs.home.setting, request.startDate),
            neighbours: Bed.bookingsOf(inputs.home.otherBeds),
            matchingMeeting: meetingFor(referralState(referral) ?? { status: 'NotReceived' }, {
              kind: 'setting',
              settingId: keys.settingId,
            }),
          },
        },
        state,
      );
    },
    household: (keys, state) =>
      Household.decide(
        {
          type: 'PlaceChildWithHousehold',
          data: {
            ...keys,
            placementId: request.placementId,
            child: childFacts,
            referralId: request.referralId,
            placementType: fosterTypeOf(request, referral),
            siblingGroupId: request.siblingGroupId,
            startDate: request.startDate,
            endDate: null,
            emergency: request.emergency,
            stepDownId: null,
            at: request.at,
          },
        },
        state,
      ),
    blockBed: (keys, state) =>
      Contract.decide(
        {
          type: 'AllocateBlockBed',
          data: {
            ...keys,
            placementId: request.placementId,
            childId: child.childId,
            referralId: request.referralId,
            date: request.startDate,
            endDate: null,
            at: request.at,
          },
        },
        state,
      ),
  });
}

/** An emergency placed before a matched meeting about this unit (a bed's decider records it). */
function unmatchedEmergencyOf(
  request: PlacementRequest,
  unit: UnitView,
  referral: ReferralFacts | null,
  taken: StreamAppend | null,
  held: UnitHolding | undefined,
): boolean {
  if (unit.kind === 'bed') {
    const occupied = taken?.kind === 'bed' ? taken.events.find((e) => e.type === 'BedOccupied') : undefined;
    if (occupied?.type === 'BedOccupied') return occupied.data.unmatchedEmergency;
    return held?.unmatchedEmergency ?? false;
  }
  if (!request.emergency) return false;
  return (
    meetingFor(referralState(referral) ?? { status: 'NotReceived' }, unitConsideredFor(unitRefOf(unit)))?.decision !==
    'matched'
  );
}

/**
 * Exclusions bind: a unit the matching engine excludes for a safeguarding or registration
 * reason on the start date is refused, naming the codes, unless the meeting this placement goes
 * ahead under (the latest matched one about this unit) overrode each of them.
 */
function requireNotExcluded(inputs: PlacementInputs, referral: ReferralFacts | null): void {
  if (inputs.exclusions === null) return;
  const state = referralState(referral) ?? { status: 'NotReceived' as const };
  const meeting = meetingFor(state, unitConsideredFor(unitRefOf(inputs.unit)));
  const codes = unoverriddenExclusions(inputs.exclusions, overriddenBy(state, meeting));
  if (codes.length === 0) return;
  throw new DomainError(
    'EXCLUDED_BY_MATCHING',
    `the matching engine excludes this unit on the start date: ${codes.join(', ')}; ` +
      'a matched meeting about it must record an override of each, with a reason and the role authorising it',
    { exclusions: codes },
  );
}

/** Undoes a unit-side take: the booking is removed, recorded as a compensation. */
export function compensationFor(taken: StreamAppend): StreamAppend | null {
  switch (taken.kind) {
    case 'bed': {
      const occupied = taken.events.find(
        (e): e is Extract<BedEvent, { type: 'BedOccupied' }> => e.type === 'BedOccupied',
      );
      if (!occupied) return null;
      const { settingId, bedId, placementId, childId, startDate } = occupied.data;
      return {
        kind: 'bed',
        streamId: taken.streamId,
        events: [
          {
            type: 'BedVacated',
            data: { settingId, bedId, placementId, childId, date: startDate, reason: 'compensation' },
          },
        ],
      };
    }
    case 'household': {
      const placed = taken.events.find(
        (e): e is Extract<HouseholdEvent, { type: 'ChildPlacedWithHousehold' }> =>
          e.type === 'ChildPlacedWithHousehold',
      );
      if (!placed) return null;
      const { householdId, placementId, childId, startDate } = placed.data;
      return {
        kind: 'household',
        streamId: taken.streamId,
        events: [
          {
            type: 'ChildLeftHousehold',
            data: { householdId, placementId, childId, date: startDate, reason: 'compensation' },
          },
        ],
      };
    }
    case 'contract': {
      const allocated = taken.events.find(
        (e): e is Extract<ContractEvent, { type: 'BlockBedAllocated' }> => e.type === 'BlockBedAllocated',
      );
      if (!allocated) return null;
      const { contractId, bedRef, placementId, childId, date } = allocated.data;
      return {
        kind: 'contract',
        streamId: taken.streamId,
        events: [
          {
            type: 'BlockBedReleased',
            data: { contractId, bedRef, placementId, childId, date, reason: 'compensation' },
          },
        ],
      };
    }
    case 'child':
    case 'referral':
      return null;
    default:
      return exhaustive(taken);
  }
}

/**
 * Start a placement: (1) take the contended unit over the placement's dates, (2) record
 * PlacementStarted on the child. Both deciders run here first, so a broken rule on either side
 * throws before anything is written. A retry finds what its first attempt wrote and asks only
 * for the rest; a placement both streams already hold asks for nothing.
 */
export function decidePlacement(request: PlacementRequest, inputs: PlacementInputs): PlacementFlow {
  const child = registeredChild(inputs.child);
  require_(child.childId === request.childId, 'INVALID_INPUT', 'the child state is not the requested child');
  const referral = referralOf(request, inputs.referral, inputs.child);
  const unitRef = unitRefOf(inputs.unit);
  const recorded = child.placements.find((p) => p.placementId === request.placementId);
  if (recorded !== undefined) {
    require_(
      sameUnit(recorded.unit, unitRef) && recorded.startDate === request.startDate,
      'ALREADY_EXISTS',
      'placement already recorded',
    );
    return { steps: [], compensation: null, standsAt: 0 };
  }
  const held = holdingOf(inputs.unit, request.placementId);
  require_(
    held === undefined || (held.childId === child.childId && held.from === request.startDate),
    'ALREADY_EXISTS',
    'the unit already holds this placement for another child or date',
  );
  // A retry whose first attempt already took the unit was judged then; the unit now holds this child.
  if (held === undefined) requireNotExcluded(inputs, referral);
  const where = whereIs(inputs);
  const start = (unmatchedEmergency: boolean): StartPlacement => ({
    type: 'StartPlacement',
    data: {
      childId: child.childId,
      placementId: request.placementId,
      unit: unitRef,
      place: request.place,
      placeProvider: request.placeProvider,
      legalStatus: request.legalStatus,
      startDate: request.startDate,
      emergency: request.emergency,
      unmatchedEmergency,
      referralId: request.referralId,
      placementPostcode: request.placementPostcode ?? where.postcode,
      urn: where.urn,
    },
  });
  // The child's side first: a child who cannot take this placement (overlap, codes) never holds a unit.
  Child.decide(start(false), inputs.child);
  const taken = held === undefined ? takeUnit(request, inputs, child, referral) : null;
  const childEvents = Child.decide(
    start(unmatchedEmergencyOf(request, inputs.unit, referral, taken, held)),
    inputs.child,
  );
  const childStep: StreamAppend = { kind: 'child', streamId: Child.streamId(child.childId), events: childEvents };
  if (taken !== null) return { steps: [taken, childStep], compensation: compensationFor(taken), standsAt: 1 };
  const release = held === undefined ? null : releaseUnit(inputs.unit, { ...held, date: held.from }, 'compensation');
  return { steps: [childStep], compensation: release, standsAt: 0 };
}

/** The unit-side end of a placement the child's record has ended (or a compensation). */
export function releaseUnit(
  unit: UnitView,
  placement: { readonly placementId: string; readonly childId: string; readonly date: BusinessDate },
  reason: 'placement-ended' | 'step-down' | 'compensation',
): StreamAppend | null {
  const { placementId, childId, date } = placement;
  return changeUnit(unit, {
    bed: (keys, state) =>
      Bed.decide({ type: 'VacateBed', data: { ...keys, placementId, childId, date, reason } }, state),
    household: (keys, state) =>
      Household.decide(
        {
          type: 'RecordChildLeftHousehold',
          data: {
            ...keys,
            placementId,
            childId,
            date,
            reason: reason === 'compensation' ? 'compensation' : 'placement-ended',
          },
        },
        state,
      ),
    blockBed: (keys, state) =>
      Contract.decide({ type: 'ReleaseBlockBed', data: { ...keys, placementId, childId, date, reason } }, state),
  });
}

/**
 * The unit-side change of a planned end: to `date`, or open-ended again (null). Decided by the
 * unit's own rules, so a later end that runs into another booking is refused with its dates.
 */
export function changeUnitEnd(
  unit: UnitView,
  placement: { readonly placementId: string; readonly childId: string },
  date: BusinessDate | null,
  at: Instant,
): StreamAppend | null {
  const { placementId, childId } = placement;
  return changeUnit(unit, {
    bed: (keys, state) => {
      const ids = { ...keys, placementId, childId };
      return Bed.decide(
        date === null
          ? { type: 'WithdrawBedDeparture', data: ids, at }
          : { type: 'ReviseBedDeparture', data: { ...ids, date }, at },
        state,
      );
    },
    household: (keys, state) => {
      const ids = { ...keys, placementId, childId };
      return Household.decide(
        date === null
          ? { type: 'WithdrawHouseholdDeparture', data: ids, at }
          : { type: 'ReviseHouseholdDeparture', data: { ...ids, date }, at },
        state,
      );
    },
    blockBed: (keys, state) => {
      const ids = { ...keys, placementId, childId };
      return Contract.decide(
        date === null
          ? { type: 'WithdrawBlockBedDeparture', data: ids, at }
          : { type: 'ReviseBlockBedDeparture', data: { ...ids, date }, at },
        state,
      );
    },
  });
}

/** Puts a unit's end for a placement back to `end` (a compensation): events only, the old end stood before. */
export function restoreUnitEnd(
  unit: UnitView,
  placement: { readonly placementId: string; readonly childId: string },
  now: BusinessDate | null,
  end: BusinessDate | null,
): StreamAppend | null {
  const { placementId, childId } = placement;
  return changeUnit(unit, {
    bed: (keys) => {
      const ids = { ...keys, placementId, childId };
      return [
        ...(now === null ? [] : [{ type: 'BedDepartureWithdrawn' as const, data: ids }]),
        ...(end === null
          ? []
          : [{ type: 'BedVacated' as const, data: { ...ids, date: end, reason: 'placement-ended' as const } }]),
      ];
    },
    household: (keys) => {
      const ids = { ...keys, placementId, childId };
      return [
        ...(now === null ? [] : [{ type: 'HouseholdDepartureWithdrawn' as const, data: ids }]),
        ...(end === null
          ? []
          : [{ type: 'ChildLeftHousehold' as const, data: { ...ids, date: end, reason: 'placement-ended' as const } }]),
      ];
    },
    blockBed: (keys) => {
      const ids = { ...keys, placementId, childId };
      return [
        ...(now === null ? [] : [{ type: 'BlockBedDepartureWithdrawn' as const, data: ids }]),
        ...(end === null
          ? []
          : [{ type: 'BlockBedReleased' as const, data: { ...ids, date: end, reason: 'placement-ended' as const } }]),
      ];
    },
  });
}

/** Ending a placement asks what the child's EndPlacement says: the end date, its codes and what follows. */
export type EndPlacementRequest = EndPlacement['data'];

function placementInUnit(child: ChildFile, placementId: string, unit: UnitView) {
  const placement = child.placements.find((p) => p.placementId === placementId);
  require_(placement !== undefined, 'NOT_FOUND', 'no such placement');
  require_(sameUnit(placement.unit, unitRefOf(unit)), 'INVALID_INPUT', 'the unit given is not the placement’s unit');
  return placement;
}

const nonEmpty = (appends: readonly (StreamAppend | null)[]): StreamAppend[] =>
  appends.filter((a): a is StreamAppend => a !== null && a.events.length > 0);

/**
 * End a placement: (1) PlacementEnded on the child (the fact), (2) the unit's booking ends on
 * the same date. An end after today is a planned departure: the unit stays booked until then.
 * Ending the booking is not contended, so no compensation: if step 2 is lost, `reconcile` ends it.
 */
export function decideEndPlacement(
  request: EndPlacementRequest,
  unit: UnitView,
  childState: ChildState,
): PlacementFlow {
  const child = registeredChild(childState);
  const placement = placementInUnit(child, request.placementId, unit);
  const childDone = placement.endDate !== null && placement.endDate === request.endDate;
  const childEvents: ChildEvent[] = childDone ? [] : Child.decide({ type: 'EndPlacement', data: request }, childState);
  const held = holdingOf(unit, request.placementId);
  const released =
    held !== undefined && held.to === null
      ? releaseUnit(
          unit,
          { placementId: request.placementId, childId: child.childId, date: request.endDate },
          'placement-ended',
        )
      : null;
  const ended: StreamAppend = { kind: 'child', streamId: Child.streamId(child.childId), events: childEvents };
  return { steps: nonEmpty([ended, released]), compensation: null, standsAt: 0 };
}

/**
 * Revise a planned end (to `endDate`) or withdraw it (`endDate` null), before it happens:
 * (1) the unit's booking first, since a later end is contended (another child may be booked
 * after it), (2) the child's record. If (2) fails, (1) is put back.
 */
export function decideChangePlannedEnd(
  request: Omit<EndPlacementRequest, 'endDate'> & { readonly endDate: BusinessDate | null; readonly at: Instant },
  unit: UnitView,
  childState: ChildState,
): PlacementFlow {
  const child = registeredChild(childState);
  const placement = placementInUnit(child, request.placementId, unit);
  const ids = { placementId: request.placementId, childId: child.childId };
  const childDone = placement.endDate === request.endDate;
  const childEvents: ChildEvent[] = childDone
    ? []
    : Child.decide(
        request.endDate === null
          ? { type: 'WithdrawPlacementEnd', data: ids, at: request.at }
          : {
              type: 'RevisePlacementEnd',
              data: {
                ...ids,
                endDate: request.endDate,
                // Codes not given again keep the ones the planned end was recorded with.
                reasonForChange: request.reasonForChange ?? placement.reasonForChange,
                reasonEpisodeCeased: request.reasonEpisodeCeased ?? placement.reasonEpisodeCeased,
                // What follows is kept too, unless new codes were given (an E-code then says it by itself).
                next:
                  request.next ??
                  (request.reasonForChange == null && request.reasonEpisodeCeased == null ? placement.next : null),
              },
              at: request.at,
            },
        childState,
      );
  const held = holdingOf(unit, request.placementId);
  const unitStep =
    held === undefined || held.to === request.endDate ? null : changeUnitEnd(unit, ids, request.endDate, request.at);
  const childStep: StreamAppend = { kind: 'child', streamId: Child.streamId(child.childId), events: childEvents };
  const steps = nonEmpty([unitStep, childStep]);
  const compensation =
    unitStep !== null && unitStep.events.length > 0 && childEvents.length > 0 && held !== undefined
      ? restoreUnitEnd(unit, ids, request.endDate, held.to)
      : null;
  return { steps, compensation, standsAt: steps.length - 1 };
}

export interface StepDownCompletionRequest {
  readonly childId: string;
  readonly stepDownId: string;
  readonly newPlacementId: string;
  readonly date: BusinessDate;
  /** A foster PLACE code (U1–U6). */
  readonly place: string;
  /** Null takes the household's (PR1 in-house, PR4 an agency's). */
  readonly placeProvider: string | null;
  /** When the command is decided: a completed step-down is a fact about the past. */
  readonly at: Instant;
  /** Null takes long-term where the household is approved for it. */
  readonly placementType: FosterPlacementType | null;
  readonly siblingGroupId: string | null;
}

/**
 * A step-down as one user command: (1) take the household place, (2) on the child end the
 * residential placement, start the household one and complete the step-down (one append),
 * (3) end the bed's (or block bed's) booking. If (2) fails after (1), compensate (1); if (3) is
 * lost, `reconcile` ends the booking because the child's placement has ended.
 */
export function decideStepDownCompletion(
  request: StepDownCompletionRequest,
  household: Extract<UnitView, { kind: 'household' }>,
  from: UnitView,
  childState: ChildState,
): PlacementFlow {
  const child = registeredChild(childState);
  const stepDown = child.stepDowns.find((s) => s.stepDownId === request.stepDownId);
  require_(stepDown !== undefined, 'NOT_FOUND', 'no such step-down');
  require_(
    stepDown.toHouseholdId === household.householdId,
    'INVALID_INPUT',
    'the household is not the step-down’s receiving household',
  );
  const fromPlacement = placementInUnit(child, stepDown.fromPlacementId, from);
  require_(household.state.status !== 'NotApproved', 'NOT_FOUND', `household ${household.householdId} is not approved`);
  const terms = household.state.terms;

  const childDone = stepDown.status === 'completed' && stepDown.newPlacementId === request.newPlacementId;
  // Child side first in memory, so a broken rule there writes nothing anywhere.
  const childEvents: ChildEvent[] = childDone
    ? []
    : Child.decide(
        {
          type: 'CompleteStepDown',
          data: {
            childId: child.childId,
            stepDownId: request.stepDownId,
            newPlacementId: request.newPlacementId,
            date: request.date,
            place: request.place,
            placeProvider: request.placeProvider ?? (terms.provider === 'in-house' ? 'PR1' : 'PR4'),
            placementPostcode: terms.postcode,
          },
          at: request.at,
        },
        childState,
      );
  const held = holdingOf(household, request.newPlacementId);
  const taken =
    held !== undefined || childDone
      ? null
      : ({
          kind: 'household',
          streamId: Household.streamId(household.householdId),
          events: Household.decide(
            {
              type: 'PlaceChildWithHousehold',
              data: {
                householdId: household.householdId,
                placementId: request.newPlacementId,
                child: { childId: child.childId, dateOfBirth: child.dateOfBirth, sex: child.sex },
                referralId: null,
                placementType:
                  request.placementType ??
                  (terms.placementTypes.includes('long-term') ? 'long-term' : (terms.placementTypes[0] ?? 'long-term')),
                siblingGroupId: request.siblingGroupId,
                startDate: request.date,
                endDate: null,
                emergency: false,
                stepDownId: request.stepDownId,
                at: request.at,
              },
            },
            household.state,
          ),
        } satisfies StreamAppend);
  const recorded: StreamAppend = { kind: 'child', streamId: Child.streamId(child.childId), events: childEvents };
  const fromHeld = holdingOf(from, fromPlacement.placementId);
  const end = childDone ? (fromPlacement.endDate ?? request.date) : request.date;
  const released =
    fromHeld !== undefined && fromHeld.to === null
      ? releaseUnit(from, { placementId: fromPlacement.placementId, childId: child.childId, date: end }, 'step-down')
      : null;
  const compensation =
    taken !== null
      ? compensationFor(taken)
      : held !== undefined && !childDone
        ? releaseUnit(household, { ...held, date: held.from }, 'compensation')
        : null;
  const steps = nonEmpty([taken, recorded, released]);
  return { steps, compensation, standsAt: taken !== null && steps.length > 1 ? 1 : 0 };
}

/** The placement a compensation gives back, and whether the unit's stream as it stands still holds it. */
export function compensationDue(compensation: StreamAppend, unit: UnitStreamState): boolean {
  const first = compensation.events[0];
  const placementId =
    first !== undefined && typeof first.data === 'object' && 'placementId' in first.data
      ? first.data.placementId
      : undefined;
  if (typeof placementId !== 'string') return false;
  switch (unit.kind) {
    case 'bed':
      return Bed.occupancyOf(unit.state, placementId) !== undefined;
    case 'household':
      return Household.placementOf(unit.state, placementId) !== undefined;
    case 'contract':
      return Contract.allocationOf(unit.state, placementId) !== undefined;
    default:
      return exhaustive(unit);
  }
}
