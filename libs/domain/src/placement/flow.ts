import { DomainError, require_ } from '../shared/errors';
import { sameUnit, type UnitRef } from '../shared/types';
import * as Bed from '../bed/bed';
import * as Household from '../household/household';
import * as Contract from '../contract/contract';
import * as Child from '../child/child';
import type { BedEvent } from '../bed/types';
import type { ContractEvent } from '../contract/types';
import type { HouseholdEvent } from '../household/types';
import type { ChildFile, ChildState, CompleteStepDown } from '../child/types';
import type { FosterPlacementType } from '../shared/types';
import type { PlacementFlow, PlacementRequest, StreamAppend, UnitView } from './types';

export function unitRefOf(view: UnitView): UnitRef {
  switch (view.kind) {
    case 'bed':
      return { kind: 'bed', settingId: view.settingId, bedId: view.bedId };
    case 'household':
      return { kind: 'household', householdId: view.householdId };
    case 'block-bed':
      return { kind: 'block-bed', contractId: view.contractId, bedRef: view.bedRef };
    case 'external':
      return { kind: 'external', urn: view.urn, provider: view.provider };
    default: {
      const _exhaustive: never = view;
      return _exhaustive;
    }
  }
}

function registeredChild(state: ChildState): ChildFile {
  if (state.status === 'Unknown') throw new DomainError('NOT_FOUND', 'child not registered');
  return state.child;
}

/** The unit-side append that takes the unit for the placement (step 1). */
function takeUnit(request: PlacementRequest, unit: UnitView, child: ChildFile): StreamAppend | null {
  const facts = request.facts;
  const childFacts = { childId: child.childId, dateOfBirth: child.dateOfBirth, sex: child.sex };
  switch (unit.kind) {
    case 'bed': {
      require_(
        facts.kind === 'bed',
        'INVALID_INPUT',
        'a bed placement carries the setting registration, residents and meeting',
      );
      const events = Bed.decide(
        {
          type: 'OccupyBed',
          data: {
            settingId: unit.settingId,
            bedId: unit.bedId,
            placementId: request.placementId,
            referralId: request.referralId,
            emergency: request.emergency,
            startDate: request.startDate,
            at: request.at,
            child: childFacts,
            setting: facts.setting,
            currentResidentChildIds: facts.currentResidentChildIds,
            matchingMeeting: facts.matchingMeeting,
          },
        },
        unit.state,
      );
      return { kind: 'bed', streamId: Bed.streamId(unit.settingId, unit.bedId), events };
    }
    case 'household': {
      require_(
        facts.kind === 'household',
        'INVALID_INPUT',
        'a household placement carries its placement type and sibling group',
      );
      const events = Household.decide(
        {
          type: 'PlaceChildWithHousehold',
          data: {
            householdId: unit.householdId,
            placementId: request.placementId,
            child: childFacts,
            referralId: request.referralId,
            placementType: facts.placementType,
            siblingGroupId: facts.siblingGroupId,
            startDate: request.startDate,
            emergency: request.emergency,
            stepDownId: null,
            at: request.at,
          },
        },
        unit.state,
      );
      return { kind: 'household', streamId: Household.streamId(unit.householdId), events };
    }
    case 'block-bed': {
      const events = Contract.decide(
        {
          type: 'AllocateBlockBed',
          data: {
            contractId: unit.contractId,
            bedRef: unit.bedRef,
            placementId: request.placementId,
            childId: child.childId,
            referralId: request.referralId,
            date: request.startDate,
            at: request.at,
          },
        },
        unit.state,
      );
      return { kind: 'contract', streamId: Contract.streamId(unit.contractId), events };
    }
    case 'external':
      return null;
    default: {
      const _exhaustive: never = unit;
      return _exhaustive;
    }
  }
}

/** Undoes a unit-side take: the unit becomes free again, recorded as a compensation. */
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
    default: {
      const _exhaustive: never = taken;
      return _exhaustive;
    }
  }
}

/**
 * Start a placement: (1) take the contended unit, (2) record PlacementStarted on the child.
 * Both deciders run here first, so a broken rule on either side throws before anything is written.
 */
export function decidePlacement(request: PlacementRequest, unit: UnitView, childState: ChildState): PlacementFlow {
  const child = registeredChild(childState);
  require_(child.childId === request.childId, 'INVALID_INPUT', 'the child state is not the requested child');
  const taken = takeUnit(request, unit, child);
  const occupied = taken?.kind === 'bed' ? taken.events.find((e) => e.type === 'BedOccupied') : undefined;
  const unmatchedEmergency = occupied?.type === 'BedOccupied' ? occupied.data.unmatchedEmergency : false;
  const childEvents = Child.decide(
    {
      type: 'StartPlacement',
      data: {
        childId: child.childId,
        placementId: request.placementId,
        unit: unitRefOf(unit),
        place: request.place,
        placeProvider: request.placeProvider,
        legalStatus: request.legalStatus,
        startDate: request.startDate,
        emergency: request.emergency,
        unmatchedEmergency,
        referralId: request.referralId,
        placementPostcode: request.placementPostcode,
        urn: request.urn,
      },
    },
    childState,
  );
  const recorded: StreamAppend = { kind: 'child', streamId: Child.streamId(child.childId), events: childEvents };
  return taken === null
    ? { steps: [recorded], compensation: null }
    : { steps: [taken, recorded], compensation: compensationFor(taken) };
}

/** The unit-side release of a placement that has ended on the child's stream. */
export function releaseUnit(
  unit: UnitView,
  placement: { readonly placementId: string; readonly childId: string; readonly date: string },
  reason: 'placement-ended' | 'step-down' | 'compensation',
): StreamAppend | null {
  const { placementId, childId, date } = placement;
  switch (unit.kind) {
    case 'bed': {
      const events = Bed.decide(
        {
          type: 'VacateBed',
          data: { settingId: unit.settingId, bedId: unit.bedId, placementId, childId, date, reason },
        },
        unit.state,
      );
      return { kind: 'bed', streamId: Bed.streamId(unit.settingId, unit.bedId), events };
    }
    case 'household': {
      const householdReason = reason === 'compensation' ? 'compensation' : 'placement-ended';
      const events = Household.decide(
        {
          type: 'RecordChildLeftHousehold',
          data: { householdId: unit.householdId, placementId, childId, date, reason: householdReason },
        },
        unit.state,
      );
      return { kind: 'household', streamId: Household.streamId(unit.householdId), events };
    }
    case 'block-bed': {
      const events = Contract.decide(
        {
          type: 'ReleaseBlockBed',
          data: { contractId: unit.contractId, bedRef: unit.bedRef, placementId, childId, date, reason },
        },
        unit.state,
      );
      return { kind: 'contract', streamId: Contract.streamId(unit.contractId), events };
    }
    case 'external':
      return null;
    default: {
      const _exhaustive: never = unit;
      return _exhaustive;
    }
  }
}

export interface EndPlacementRequest {
  readonly childId: string;
  readonly placementId: string;
  readonly endDate: string;
  readonly reasonForChange: string | null;
  readonly reasonEpisodeCeased: string | null;
}

/**
 * End a placement: (1) PlacementEnded on the child, (2) free the unit. Freeing is not
 * contended, so no compensation: if step 2 is lost, `reconcile` frees the unit.
 */
export function decideEndPlacement(
  request: EndPlacementRequest,
  unit: UnitView,
  childState: ChildState,
): PlacementFlow {
  const child = registeredChild(childState);
  const open = Child.openPlacement(child);
  require_(open !== undefined && open.placementId === request.placementId, 'NOT_FOUND', 'no such open placement');
  require_(sameUnit(open.unit, unitRefOf(unit)), 'INVALID_INPUT', 'the unit given is not the placement’s unit');
  const childEvents = Child.decide({ type: 'EndPlacement', data: request }, childState);
  const released = releaseUnit(
    unit,
    { placementId: request.placementId, childId: child.childId, date: request.endDate },
    'placement-ended',
  );
  const ended: StreamAppend = { kind: 'child', streamId: Child.streamId(child.childId), events: childEvents };
  return { steps: released === null ? [ended] : [ended, released], compensation: null };
}

export interface StepDownCompletionRequest extends Omit<CompleteStepDown['data'], 'childId'> {
  readonly childId: string;
  readonly at: string;
  readonly placementType: FosterPlacementType;
  readonly siblingGroupId: string | null;
}

/**
 * A step-down as one user command: (1) take the household place, (2) on the child end the
 * residential placement, start the household one and complete the step-down (one append),
 * (3) vacate the bed (or release the block bed). If (2) fails after (1), compensate (1);
 * if (3) is lost, `reconcile` vacates the bed because the child's placement has ended.
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
  const fromPlacement = child.placements.find((p) => p.placementId === stepDown.fromPlacementId);
  require_(
    fromPlacement !== undefined && sameUnit(fromPlacement.unit, unitRefOf(from)),
    'INVALID_INPUT',
    'the unit given is not the placement stepped down from',
  );

  // Child side first in memory, so a broken rule there writes nothing anywhere.
  const childEvents = Child.decide(
    {
      type: 'CompleteStepDown',
      data: {
        childId: child.childId,
        stepDownId: request.stepDownId,
        newPlacementId: request.newPlacementId,
        date: request.date,
        place: request.place,
        placeProvider: request.placeProvider,
        placementPostcode: request.placementPostcode,
      },
    },
    childState,
  );
  const placed = Household.decide(
    {
      type: 'PlaceChildWithHousehold',
      data: {
        householdId: household.householdId,
        placementId: request.newPlacementId,
        child: { childId: child.childId, dateOfBirth: child.dateOfBirth, sex: child.sex },
        referralId: null,
        placementType: request.placementType,
        siblingGroupId: request.siblingGroupId,
        startDate: request.date,
        emergency: false,
        stepDownId: request.stepDownId,
        at: request.at,
      },
    },
    household.state,
  );
  const taken: StreamAppend = {
    kind: 'household',
    streamId: Household.streamId(household.householdId),
    events: placed,
  };
  const recorded: StreamAppend = { kind: 'child', streamId: Child.streamId(child.childId), events: childEvents };
  const released = releaseUnit(
    from,
    { placementId: stepDown.fromPlacementId, childId: child.childId, date: request.date },
    'step-down',
  );
  return {
    steps: released === null ? [taken, recorded] : [taken, recorded, released],
    compensation: compensationFor(taken),
  };
}
