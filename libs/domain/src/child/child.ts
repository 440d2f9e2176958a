import type { Decider } from '../shared/decider';
import { exhaustive } from '../shared/exhaustive';
import { recordCareLeaver } from './care-leavers';
import { changeLegalStatus } from './legal-status';
import { endPlacement, revisePlacementEnd, startPlacement, withdrawPlacementEnd } from './placements';
import { registerChild, updateChildDetails } from './registration';
import { abandonStepDown, completeStepDown, planStepDown, recordStepDownMilestone } from './step-downs';
import type { ChildCommand, ChildEvent, ChildFile, ChildPlacement, ChildState, StepDown } from './types';

// The child's stream. Each concern decides its commands in its own file: registration and details, placements
// and their ends, legal status, step-downs, care leavers; `file.ts` holds the guards they share, `codes.ts` the
// SSDA903 code checks. This file is the decider's one door: decide, evolve, the stream id.
export { openPlacement, placementOn } from './file';

export const streamId = (childId: string): string => `child-${childId}`;

export const initialState: ChildState = { status: 'Unknown' };

export function decide(command: ChildCommand, state: ChildState): ChildEvent[] {
  switch (command.type) {
    case 'RegisterChild':
      return registerChild(command, state);
    case 'UpdateChildDetails':
      return updateChildDetails(command, state);
    case 'RecordCareLeaver':
      return recordCareLeaver(command, state);
    case 'StartPlacement':
      return startPlacement(command, state);
    case 'EndPlacement':
      return endPlacement(command, state);
    case 'RevisePlacementEnd':
      return revisePlacementEnd(command, state);
    case 'WithdrawPlacementEnd':
      return withdrawPlacementEnd(command, state);
    case 'ChangeLegalStatus':
      return changeLegalStatus(command, state);
    case 'PlanStepDown':
      return planStepDown(command, state);
    case 'RecordStepDownMilestone':
      return recordStepDownMilestone(command, state);
    case 'CompleteStepDown':
      return completeStepDown(command, state);
    case 'AbandonStepDown':
      return abandonStepDown(command, state);
    default:
      return exhaustive(command);
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
    default:
      return exhaustive(event);
  }
}

export const childDecider: Decider<ChildCommand, ChildEvent, ChildState> = { decide, evolve, initialState };
