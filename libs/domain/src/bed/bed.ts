import { DomainError, require_ } from '../shared/errors';
import { exhaustive } from '../shared/exhaustive';
import { checkStayStart, Departures, inStartOrder, withEndOf, type StayWords } from '../shared/stays';
import type { Decider } from '../shared/decider';
import {
  addDays,
  ageOn,
  compareDates,
  compareInstants,
  isAfter,
  isBusinessDate,
  isInstant,
  londonDateOf,
  maxDate,
  requireDate,
  requireInstant,
  type BusinessDate,
  type Instant,
} from '../shared/dates';
import {
  changePoints,
  describeSpan,
  isEmptySpan,
  livesAlongside,
  spanContains,
  spansOverlap,
  type DateSpan,
} from '../shared/diary';
import { acceptsSex, withinAgeRange } from '../shared/types';
import type {
  BedCommand,
  BedDay,
  BedEvent,
  BedHold,
  BedIdentity,
  BedNextChange,
  BedOccupied,
  BedState,
  MatchingMeetingFacts,
  NeighbourBooking,
  Occupancy,
  OccupyBed,
  OutOfUsePeriod,
} from './types';

export const streamId = (settingId: string, bedId: string): string => `bed-${settingId}.${bedId}`;

export const initialState: BedState = { status: 'NotAdded' };

type AddedBed = Extract<BedState, { status: 'Added' }>;

function added(state: BedState): AddedBed {
  if (state.status === 'NotAdded') throw new DomainError('NOT_FOUND', 'bed not added');
  return state;
}

/** A hold still live at `at` (a hold lapses at `until`). */
export function liveHold(state: BedState, at: Instant): BedHold | null {
  if (state.status === 'NotAdded' || state.hold === null) return null;
  return compareInstants(state.hold.until, at) > 0 ? state.hold : null;
}

/** A hold that has lapsed by `at` but was never released. */
export function holdExpired(state: BedState, at: Instant): boolean {
  return state.status === 'Added' && state.hold !== null && liveHold(state, at) === null;
}

/** The occupancy of a placement, if the bed has one. */
export const occupancyOf = (state: BedState, placementId: string): Occupancy | undefined =>
  state.status === 'Added' ? state.occupancies.find((o) => o.placementId === placementId) : undefined;

/**
 * The first booking in the diary that shares a night with `span` (another placement's
 * occupancy, or a period out of use), as a refusal naming its dates; null when `span` fits.
 */
export function clashWith(
  state: BedState,
  span: DateSpan,
  exceptPlacementId: string | null = null,
): DomainError | null {
  const bed = added(state);
  const occupied = bed.occupancies.find((o) => o.placementId !== exceptPlacementId && spansOverlap(o, span));
  if (occupied) {
    return new DomainError('BED_NOT_VACANT', `the bed is occupied by another placement ${describeSpan(occupied)}`);
  }
  const outOfUse = bed.outOfUse.find((p) => spansOverlap(p, span));
  if (outOfUse) return new DomainError('BED_NOT_VACANT', `the bed is out of use ${describeSpan(outOfUse)}`);
  return null;
}

function requireFits(state: BedState, span: DateSpan, exceptPlacementId: string | null = null): void {
  const clash = clashWith(state, span, exceptPlacementId);
  if (clash) throw clash;
}

/** Whether `referralId` could book `span` at `at`: nothing in the diary then, and no live hold for another referral. */
export function isFreeFor(state: BedState, span: DateSpan, referralId: string | null, at: Instant): boolean {
  if (state.status === 'NotAdded') return false;
  const hold = liveHold(state, at);
  return (hold === null || hold.referralId === referralId) && clashWith(state, span) === null;
}

/**
 * A planned placement needs a `matched` meeting, for this referral and this home, that
 * assessed the impact on every child named (Children's Homes Regulations 2015, reg 14).
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

/**
 * The children reg 14's impact assessment must cover for a placement from `startDate`, decided
 * on `today`: everyone living in the home on the start date and, for a back-dated placement,
 * everyone who arrived between the start date and today (they have lived with the child since).
 */
export function residentsToAssess(
  neighbours: readonly NeighbourBooking[],
  childId: string,
  startDate: BusinessDate,
  today: BusinessDate,
): string[] {
  const assess = neighbours.filter((n) => n.childId !== childId && livesAlongside(n, startDate, today));
  return [...new Set(assess.map((n) => n.childId))].sort();
}

/** The home's registered maximum holds on every night of the new booking. */
function checkMaximum(d: OccupyBed['data'], span: DateSpan): void {
  const others = d.neighbours.filter((n) => n.childId !== d.child.childId);
  const max = d.setting.registration.maxChildren;
  for (const date of changePoints(span, others)) {
    const living = new Set(others.filter((n) => spanContains(n, date)).map((n) => n.childId));
    require_(
      living.size + 1 <= max,
      'OUTSIDE_REGISTRATION',
      `the setting would have ${living.size + 1} children on ${date}, over its registered maximum of ${max}`,
    );
  }
}

function occupy(command: OccupyBed, state: BedState): BedEvent[] {
  const d = command.data;
  const bed = added(state);
  checkStayStart(d);
  require_(occupancyOf(state, d.placementId) === undefined, 'ALREADY_EXISTS', 'this placement already has the bed');
  const span: DateSpan = { from: d.startDate, to: d.endDate };
  const hold = liveHold(state, d.at);
  require_(
    hold === null || (d.referralId !== null && hold.referralId === d.referralId),
    'BED_NOT_VACANT',
    `the bed is held for another referral until ${hold?.until ?? ''}`,
  );
  requireFits(state, span);
  require_(d.setting.open, 'SETTING_CLOSED', 'the setting is closed on the start date');

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
  checkMaximum(d, span);

  const residents = residentsToAssess(d.neighbours, d.child.childId, d.startDate, londonDateOf(d.at));
  const matched = meetingCoversResidents(d.matchingMeeting, d.referralId, d.settingId, residents);
  if (!matched && !d.emergency) {
    const missing =
      d.matchingMeeting === null
        ? residents
        : residents.filter((r) => !d.matchingMeeting?.residentChildIdsAssessed.includes(r));
    throw new DomainError(
      'MATCHING_REQUIRED',
      `a planned placement needs a matched meeting for this home that assessed the impact on everyone living there ` +
        `from ${d.startDate}` +
        (missing.length > 0 ? ` (not assessed: ${missing.join(', ')})` : ''),
    );
  }

  const events: BedEvent[] = [];
  if (state.status === 'Added' && bed.hold !== null && bed.hold.referralId !== d.referralId) {
    events.push({
      type: 'BedHoldReleased',
      data: { settingId: d.settingId, bedId: d.bedId, referralId: bed.hold.referralId, reason: 'expired', at: d.at },
    });
  }
  const occupied: BedOccupied = {
    type: 'BedOccupied',
    data: {
      settingId: d.settingId,
      bedId: d.bedId,
      bedKind: bed.bed.kind,
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
  if (d.endDate !== null) {
    events.push({
      type: 'BedVacated',
      data: {
        settingId: d.settingId,
        bedId: d.bedId,
        placementId: d.placementId,
        childId: d.child.childId,
        date: d.endDate,
        reason: 'placement-ended',
      },
    });
  }
  return events;
}

/** A planned departure that has not happened yet, for revising or withdrawing. */
const OCCUPANCY: StayWords = {
  notFound: 'this placement does not occupy the bed',
  alreadyLeaves: 'the placement already leaves the bed',
  left: 'the placement left the bed',
  onOrAfter: 'a bed is vacated on or after the placement start',
};

/** The bed's planned departures: a longer occupancy must not run into another booking. */
function departures(state: BedState): Departures<Occupancy, 'BedDepartureWithdrawn', 'BedVacated'> {
  return new Departures({
    words: OCCUPANCY,
    stayOf: ({ placementId }) => occupancyOf(state, placementId),
    requireRoom: (occupancy, to) => requireFits(state, { from: occupancy.from, to }, occupancy.placementId),
    withdrawn: 'BedDepartureWithdrawn',
    left: 'BedVacated',
  });
}

function backInUse(state: AddedBed, date: BusinessDate): BedEvent[] {
  const period = state.outOfUse.find((p) => spanContains(p, date));
  if (period === undefined) {
    const later = state.outOfUse.find((p) => isAfter(p.from, date));
    require_(
      later === undefined,
      'INVALID_DATES',
      `back in use on ${date} is before the bed goes out of use on ${later?.from ?? ''}`,
    );
    throw new DomainError('BED_IN_USE', `the bed is not out of use on ${date}`);
  }
  return [{ type: 'BedBackInUse', data: { settingId: state.bed.settingId, bedId: state.bed.bedId, date } }];
}

export function decide(command: BedCommand, state: BedState): BedEvent[] {
  switch (command.type) {
    case 'AddBed':
      require_(state.status === 'NotAdded', 'ALREADY_EXISTS', 'bed already added');
      require_(command.data.label.trim().length > 0, 'INVALID_INPUT', 'bed label is required');
      return [{ type: 'BedAdded', data: command.data }];
    case 'HoldBed': {
      const d = command.data;
      const bed = added(state);
      require_(isInstant(d.at) && isInstant(d.until), 'INVALID_INPUT', 'at and until must be ISO instants');
      requireDate(command.from, 'from');
      require_(compareInstants(d.until, d.at) > 0, 'INVALID_DATES', 'a hold must end after it starts');
      const hold = liveHold(state, d.at);
      require_(
        hold === null || hold.referralId === d.referralId,
        'BED_NOT_VACANT',
        `the bed is held for another referral until ${hold?.until ?? ''}`,
      );
      const night = maxDate(command.from, londonDateOf(d.at));
      requireFits(state, { from: night, to: addDays(night, 1) });
      const events: BedEvent[] = [];
      if (bed.hold !== null && bed.hold.referralId !== d.referralId) {
        events.push({
          type: 'BedHoldReleased',
          data: {
            settingId: d.settingId,
            bedId: d.bedId,
            referralId: bed.hold.referralId,
            reason: 'expired',
            at: d.at,
          },
        });
      }
      events.push({ type: 'BedHeld', data: d });
      return events;
    }
    case 'ReleaseBedHold': {
      const bed = added(state);
      require_(
        bed.hold !== null && bed.hold.referralId === command.data.referralId,
        'HOLD_NOT_FOUND',
        'the bed is not held for this referral',
      );
      const { heldUntil } = command;
      require_(
        heldUntil === undefined || (isInstant(heldUntil) && Date.parse(heldUntil) === Date.parse(bed.hold.until)),
        'HOLD_NOT_FOUND',
        `the bed is held for this referral until ${bed.hold.until}, not until ${heldUntil ?? ''}`,
      );
      return [{ type: 'BedHoldReleased', data: command.data }];
    }
    case 'OccupyBed':
      return occupy(command, state);
    case 'VacateBed':
      added(state);
      return departures(state).leave(command.data);
    case 'ReviseBedDeparture':
      return departures(state).revise(command.data, command.at);
    case 'WithdrawBedDeparture':
      return departures(state).withdraw(command.data, command.at);
    case 'TakeBedOutOfUse': {
      const d = command.data;
      const bed = added(state);
      requireInstant(command.at, 'at');
      require_(
        isBusinessDate(d.from) && (d.to === null || (isBusinessDate(d.to) && isAfter(d.to, d.from))),
        'INVALID_DATES',
        'a bed comes back into use on a date after it goes out of use',
      );
      require_(
        liveHold(state, command.at) === null,
        'BED_NOT_VACANT',
        'the bed is held for a referral: release the hold before taking it out of use',
      );
      const span: DateSpan = { from: d.from, to: d.to };
      const occupied = bed.occupancies.find((o) => spansOverlap(o, span));
      require_(
        occupied === undefined,
        'BED_OCCUPIED',
        `the bed is occupied by a placement ${occupied ? describeSpan(occupied) : ''}`,
      );
      const already = bed.outOfUse.find((p) => spansOverlap(p, span));
      require_(
        already === undefined,
        'INVALID_STATE',
        `the bed is already out of use ${already ? describeSpan(already) : ''}`,
      );
      return [{ type: 'BedOutOfUse', data: d }];
    }
    case 'PutBedBackInUse': {
      const bed = added(state);
      requireDate(command.data.date, 'date');
      return backInUse(bed, command.data.date);
    }
    default:
      return exhaustive(command);
  }
}

const byFrom = <T extends DateSpan>(a: T, b: T): number => compareDates(a.from, b.from);

function withOccupancies(state: AddedBed, occupancies: readonly Occupancy[]): AddedBed {
  return { ...state, occupancies: inStartOrder(occupancies) };
}

function endOccupancy(state: AddedBed, placementId: string, to: BusinessDate | null): AddedBed {
  return { ...state, occupancies: withEndOf(state.occupancies, placementId, to) };
}

function endOutOfUse(state: AddedBed, date: BusinessDate): AddedBed {
  // Events recorded before back-in-use was checked against the dates may name a date before the
  // period: that period never began.
  const period =
    state.outOfUse.find((p) => spanContains(p, date)) ??
    [...state.outOfUse].reverse().find((p) => p.to === null || isAfter(p.to, date));
  if (period === undefined) return state;
  const ended: OutOfUsePeriod = { ...period, to: maxDate(date, period.from) };
  return {
    ...state,
    outOfUse: state.outOfUse.flatMap((p) => (p !== period ? [p] : isEmptySpan(ended) ? [] : [ended])),
  };
}

export function evolve(state: BedState, event: BedEvent): BedState {
  if (event.type === 'BedAdded') {
    const { settingId, bedId, kind, label } = event.data;
    return { status: 'Added', bed: { settingId, bedId, kind, label }, occupancies: [], outOfUse: [], hold: null };
  }
  if (state.status === 'NotAdded') return state;
  switch (event.type) {
    case 'BedHeld': {
      const { referralId, childId, until, at } = event.data;
      return { ...state, hold: { referralId, childId, until, at } };
    }
    case 'BedHoldReleased':
      return state.hold !== null && state.hold.referralId === event.data.referralId ? { ...state, hold: null } : state;
    case 'BedOccupied': {
      const { placementId, childId, referralId, emergency, unmatchedEmergency, startDate, at } = event.data;
      const occupancy: Occupancy = {
        placementId,
        childId,
        referralId,
        emergency,
        unmatchedEmergency,
        from: startDate,
        to: null,
        at,
      };
      const hold =
        state.hold !== null && referralId !== null && state.hold.referralId === referralId ? null : state.hold;
      return { ...withOccupancies(state, [...state.occupancies, occupancy]), hold };
    }
    case 'BedVacated':
      if (event.data.reason === 'compensation') {
        return withOccupancies(
          state,
          state.occupancies.filter((o) => o.placementId !== event.data.placementId),
        );
      }
      return endOccupancy(state, event.data.placementId, event.data.date);
    case 'BedDepartureWithdrawn':
      return endOccupancy(state, event.data.placementId, null);
    case 'BedOutOfUse': {
      const { reason, from, to } = event.data;
      return { ...state, outOfUse: [...state.outOfUse, { reason, from, to }].sort(byFrom) };
    }
    case 'BedBackInUse':
      return endOutOfUse(state, event.data.date);
    default:
      return exhaustive(event);
  }
}

export const bedDecider: Decider<BedCommand, BedEvent, BedState> = { decide, evolve, initialState };

/** The bed's identity, or null before it is added. */
export const identityOf = (state: BedState): BedIdentity | null => (state.status === 'Added' ? state.bed : null);

/** The occupancy holding the night of `date`, if any. */
export function occupantOn(state: BedState, date: BusinessDate): Occupancy | undefined {
  return state.status === 'Added' ? state.occupancies.find((o) => spanContains(o, date)) : undefined;
}

/** The children living in a setting on `date`: the occupants of its beds that night (pass every bed's state). */
export function residentsOn(beds: readonly BedState[], date: BusinessDate): string[] {
  return beds.flatMap((bed) => {
    const occupant = occupantOn(bed, date);
    return occupant ? [occupant.childId] : [];
  });
}

/** Every booking of these beds, for a placement into a neighbouring bed. */
export function bookingsOf(beds: readonly BedState[]): NeighbourBooking[] {
  return beds.flatMap((bed) =>
    bed.status === 'Added'
      ? bed.occupancies.map((o) => ({
          bedId: bed.bed.bedId,
          placementId: o.placementId,
          childId: o.childId,
          from: o.from,
          to: o.to,
        }))
      : [],
  );
}

/** The first change in the diary after the night of `date`. */
function nextChange(state: AddedBed, date: BusinessDate): BedNextChange | null {
  const changes: BedNextChange[] = [
    ...state.occupancies.flatMap((o): BedNextChange[] => [
      { date: o.from, change: 'arrival', placementId: o.placementId },
      ...(o.to === null ? [] : [{ date: o.to, change: 'departure' as const, placementId: o.placementId }]),
    ]),
    ...state.outOfUse.flatMap((p): BedNextChange[] => [
      { date: p.from, change: 'out-of-use', placementId: null },
      ...(p.to === null ? [] : [{ date: p.to, change: 'back-in-use' as const, placementId: null }]),
    ]),
  ].filter((c) => isAfter(c.date, date));
  // On one date a departure comes before the arrival that follows it.
  const order = { departure: 0, 'back-in-use': 1, arrival: 2, 'out-of-use': 3 } as const;
  changes.sort((a, b) => compareDates(a.date, b.date) || order[a.change] - order[b.change]);
  return changes[0] ?? null;
}

/**
 * The bed on the night of `date`: occupied, out of use, held (a hold live at `now`), reserved
 * (free that night with an arrival booked later) or vacant; with the next change after it.
 */
export function dayOf(state: BedState, date: BusinessDate, now: Instant | null = null): BedDay | null {
  if (state.status === 'NotAdded') return null;
  const next = nextChange(state, date);
  const occupant = occupantOn(state, date);
  if (occupant) return { status: 'Occupied', occupant, next };
  const period = state.outOfUse.find((p) => spanContains(p, date));
  if (period) return { status: 'OutOfUse', period, next };
  const hold = now === null ? null : liveHold(state, now);
  if (hold) return { status: 'Held', hold, next };
  const arrival = state.occupancies.find((o) => isAfter(o.from, date));
  if (arrival)
    return {
      status: 'Reserved',
      next: next ?? { date: arrival.from, change: 'arrival', placementId: arrival.placementId },
    };
  return { status: 'Vacant', next };
}
