import { DomainError, require_ } from '../shared/errors';
import type { Decider } from '../shared/decider';
import { ageOn, compareInstants, isBefore, isBusinessDate, isInstant, type Instant } from '../shared/dates';
import { acceptsSex, withinAgeRange } from '../shared/types';
import type {
  BedCommand,
  BedEvent,
  BedIdentity,
  BedOccupied,
  BedState,
  MatchingMeetingFacts,
  OccupyBed,
} from './types';

export const streamId = (settingId: string, bedId: string): string => `bed-${settingId}.${bedId}`;

export const initialState: BedState = { status: 'NotAdded' };

/** A hold lapses at `until`; from then the bed is vacant for anyone. */
export function holdExpired(state: BedState, at: Instant): boolean {
  return state.status === 'Held' && compareInstants(state.until, at) <= 0;
}

/** Whether `referralId` could take this bed at `at`: vacant, held for it, or held by a lapsed hold. */
export function isAvailableFor(state: BedState, referralId: string | null, at: Instant): boolean {
  switch (state.status) {
    case 'Vacant':
      return true;
    case 'Held':
      return (referralId !== null && state.referralId === referralId) || holdExpired(state, at);
    case 'NotAdded':
    case 'Occupied':
    case 'OutOfUse':
      return false;
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}

/**
 * A planned placement needs a `matched` meeting, for this referral and this home, that
 * assessed the impact on every child living there now (Children's Homes Regulations 2015, reg 14).
 */
export function meetingCoversResidents(
  meeting: MatchingMeetingFacts | null,
  referralId: string | null,
  settingId: string,
  residentChildIds: readonly string[],
): meeting is MatchingMeetingFacts {
  return (
    meeting !== null &&
    referralId !== null &&
    meeting.decision === 'matched' &&
    meeting.referralId === referralId &&
    meeting.unitConsidered.kind === 'setting' &&
    meeting.unitConsidered.settingId === settingId &&
    residentChildIds.every((resident) => meeting.residentChildIdsAssessed.includes(resident))
  );
}

function identity(state: BedState): BedIdentity {
  if (state.status === 'NotAdded') throw new DomainError('NOT_FOUND', 'bed not added');
  return state.bed;
}

function occupy(command: OccupyBed, state: BedState): BedEvent[] {
  const d = command.data;
  const bed = identity(state);
  require_(isBusinessDate(d.startDate), 'INVALID_DATES', 'startDate must be YYYY-MM-DD');
  require_(isInstant(d.at), 'INVALID_INPUT', 'at must be an ISO instant');
  require_(isAvailableFor(state, d.referralId, d.at), 'BED_NOT_VACANT', `bed is ${state.status.toLowerCase()}`);
  require_(d.setting.open, 'SETTING_CLOSED', 'setting is closed');

  const registration = d.setting.registration;
  const age = ageOn(d.child.dateOfBirth, d.startDate);
  require_(
    withinAgeRange(registration.ageRange, age),
    'OUTSIDE_REGISTRATION',
    "child's age on the start date is outside the registered age range",
  );
  require_(
    acceptsSex(registration.sexes, d.child.sex),
    'OUTSIDE_REGISTRATION',
    'the registration does not take children of this sex',
  );
  const residents = d.currentResidentChildIds.filter((id) => id !== d.child.childId);
  require_(
    residents.length + 1 <= registration.maxChildren,
    'OUTSIDE_REGISTRATION',
    'the setting is at its registered maximum',
  );

  const matched = meetingCoversResidents(d.matchingMeeting, d.referralId, d.settingId, residents);
  // An emergency may go first; the placement carries the flag until a meeting is recorded.
  require_(
    matched || d.emergency,
    'MATCHING_REQUIRED',
    'a planned placement needs a matched meeting covering every current resident',
  );

  const events: BedEvent[] = [];
  if (state.status === 'Held' && state.referralId !== d.referralId) {
    events.push({
      type: 'BedHoldReleased',
      data: { settingId: d.settingId, bedId: d.bedId, referralId: state.referralId, reason: 'expired', at: d.at },
    });
  }
  const occupied: BedOccupied = {
    type: 'BedOccupied',
    data: {
      settingId: d.settingId,
      bedId: d.bedId,
      bedKind: bed.kind,
      placementId: d.placementId,
      childId: d.child.childId,
      referralId: d.referralId,
      emergency: d.emergency,
      matchingMeetingId: matched ? d.matchingMeeting.meetingId : null,
      unmatchedEmergency: !matched,
      startDate: d.startDate,
      at: d.at,
    },
  };
  events.push(occupied);
  return events;
}

export function decide(command: BedCommand, state: BedState): BedEvent[] {
  switch (command.type) {
    case 'AddBed':
      require_(state.status === 'NotAdded', 'ALREADY_EXISTS', 'bed already added');
      require_(command.data.label.trim().length > 0, 'INVALID_INPUT', 'bed label is required');
      return [{ type: 'BedAdded', data: command.data }];
    case 'HoldBed': {
      const d = command.data;
      identity(state);
      require_(isInstant(d.at) && isInstant(d.until), 'INVALID_INPUT', 'at and until must be ISO instants');
      require_(compareInstants(d.until, d.at) > 0, 'INVALID_DATES', 'a hold must end after it starts');
      require_(isAvailableFor(state, d.referralId, d.at), 'BED_NOT_VACANT', `bed is ${state.status.toLowerCase()}`);
      const events: BedEvent[] = [];
      if (state.status === 'Held' && state.referralId !== d.referralId) {
        events.push({
          type: 'BedHoldReleased',
          data: { settingId: d.settingId, bedId: d.bedId, referralId: state.referralId, reason: 'expired', at: d.at },
        });
      }
      events.push({ type: 'BedHeld', data: d });
      return events;
    }
    case 'ReleaseBedHold':
      identity(state);
      require_(
        state.status === 'Held' && state.referralId === command.data.referralId,
        'HOLD_NOT_FOUND',
        'the bed is not held for this referral',
      );
      return [{ type: 'BedHoldReleased', data: command.data }];
    case 'OccupyBed':
      return occupy(command, state);
    case 'VacateBed': {
      const d = command.data;
      identity(state);
      require_(
        state.status === 'Occupied' &&
          state.occupant.placementId === d.placementId &&
          state.occupant.childId === d.childId,
        'NOT_FOUND',
        'this placement does not occupy the bed',
      );
      require_(
        isBusinessDate(d.date) && !isBefore(d.date, state.occupant.startDate),
        'INVALID_DATES',
        'a bed is vacated on or after the placement start',
      );
      return [{ type: 'BedVacated', data: d }];
    }
    case 'TakeBedOutOfUse': {
      const d = command.data;
      identity(state);
      require_(state.status !== 'Occupied', 'BED_OCCUPIED', 'an occupied bed cannot be taken out of use');
      require_(state.status !== 'Held', 'BED_NOT_VACANT', 'release the hold before taking the bed out of use');
      require_(
        isBusinessDate(d.from) && (d.until === null || (isBusinessDate(d.until) && !isBefore(d.until, d.from))),
        'INVALID_DATES',
        'until must be on or after from',
      );
      return [{ type: 'BedOutOfUse', data: d }];
    }
    case 'PutBedBackInUse':
      identity(state);
      require_(state.status === 'OutOfUse', 'BED_IN_USE', 'the bed is not out of use');
      require_(isBusinessDate(command.data.date), 'INVALID_DATES', 'date must be YYYY-MM-DD');
      return [{ type: 'BedBackInUse', data: command.data }];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export function evolve(state: BedState, event: BedEvent): BedState {
  if (event.type === 'BedAdded') {
    const { settingId, bedId, kind, label } = event.data;
    return { status: 'Vacant', bed: { settingId, bedId, kind, label } };
  }
  if (state.status === 'NotAdded') return state;
  const bed = state.bed;
  switch (event.type) {
    case 'BedHeld':
      return {
        status: 'Held',
        bed,
        referralId: event.data.referralId,
        childId: event.data.childId,
        until: event.data.until,
      };
    case 'BedHoldReleased':
      return state.status === 'Held' && state.referralId === event.data.referralId ? { status: 'Vacant', bed } : state;
    case 'BedOccupied': {
      const { placementId, childId, referralId, emergency, unmatchedEmergency, startDate, at } = event.data;
      return {
        status: 'Occupied',
        bed,
        occupant: { placementId, childId, referralId, emergency, unmatchedEmergency, startDate, at },
      };
    }
    case 'BedVacated':
      return { status: 'Vacant', bed };
    case 'BedOutOfUse':
      return { status: 'OutOfUse', bed, reason: event.data.reason, until: event.data.until };
    case 'BedBackInUse':
      return { status: 'Vacant', bed };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const bedDecider: Decider<BedCommand, BedEvent, BedState> = { decide, evolve, initialState };

/** The children living in a setting now: the occupants of its beds (pass every bed's state). */
export function residentsOf(beds: readonly BedState[]): string[] {
  return beds.flatMap((bed) => (bed.status === 'Occupied' ? [bed.occupant.childId] : []));
}
