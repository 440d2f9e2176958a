import { DomainError, isDomainError, require_ } from '../shared/errors';
import { exhaustive } from '../shared/exhaustive';
import { checkStayStart, Departures, inStartOrder, withEndOf, type StayWords } from '../shared/stays';
import type { Decider } from '../shared/decider';
import { ageOn, isAfter, requireDate, type BusinessDate } from '../shared/dates';
import { describeSpan, spanContains, spansOverlap, type DateSpan } from '../shared/diary';
import { requireNotInFuture, todayAt } from '../shared/past';
import {
  checkHouseholdFit,
  checkTermsHold,
  childrenOutsideTerms,
  validateTerms,
  withTerms,
  type HouseholdBooking,
} from './terms';
import {
  HOUSEHOLD_MEMBER_RELATIONSHIPS,
  type HouseholdCommand,
  type HouseholdEvent,
  type HouseholdMember,
  type HouseholdPlacement,
  type HouseholdState,
  type HouseholdStatusChange,
  type PlaceChildWithHousehold,
  type RecordHouseholdMembers,
} from './types';

export const streamId = (householdId: string): string => `household-${householdId}`;

export const initialState: HouseholdState = { status: 'NotApproved' };

type KnownHousehold = Exclude<HouseholdState, { status: 'NotApproved' }>;

function known(state: HouseholdState): KnownHousehold {
  if (state.status === 'NotApproved') throw new DomainError('NOT_FOUND', 'household not approved');
  return state;
}

export const placementOf = (state: HouseholdState, placementId: string): HouseholdPlacement | undefined =>
  state.status === 'NotApproved' ? undefined : state.placements.find((p) => p.placementId === placementId);

/** The household's bookings as the fit check reads them. */
export const bookingsOf = (state: HouseholdState): HouseholdBooking[] =>
  state.status === 'NotApproved' ? [] : [...state.placements];

/** The children living with the household on the night of `date`. */
export const placementsOn = (state: HouseholdState, date: BusinessDate): HouseholdPlacement[] =>
  state.status === 'NotApproved' ? [] : state.placements.filter((p) => spanContains(p, date));

/** Bookings open-ended or leaving after `date`: children the household still has after then. */
const stillThereAfter = (state: KnownHousehold, date: BusinessDate): HouseholdPlacement[] =>
  state.placements.filter((p) => p.to === null || isAfter(p.to, date));

function place(command: PlaceChildWithHousehold, state: HouseholdState): HouseholdEvent[] {
  const d = command.data;
  const household = known(state);
  checkStayStart(d);
  const span: DateSpan = { from: d.startDate, to: d.endDate };
  require_(
    !household.placements.some(
      (p) => p.placementId === d.placementId || (p.childId === d.child.childId && spansOverlap(p, span)),
    ),
    'ALREADY_EXISTS',
    'this child or placement is already with the household on those dates',
  );
  const { emergencyOutsideTerms } = checkHouseholdFit({
    status: household.status,
    termsHistory: household.termsHistory,
    bookings: household.placements,
    child: d.child,
    siblingGroupId: d.siblingGroupId,
    span,
    placementType: d.placementType,
    emergency: d.emergency,
  });
  const events: HouseholdEvent[] = [
    {
      type: 'ChildPlacedWithHousehold',
      data: {
        householdId: d.householdId,
        placementId: d.placementId,
        childId: d.child.childId,
        childSex: d.child.sex,
        childDateOfBirth: d.child.dateOfBirth,
        referralId: d.referralId,
        placementType: d.placementType,
        siblingGroupId: d.siblingGroupId,
        startDate: d.startDate,
        emergency: d.emergency,
        emergencyOutsideTerms,
        stepDownId: d.stepDownId,
        at: d.at,
      },
    },
  ];
  if (d.endDate !== null) {
    events.push({
      type: 'ChildLeftHousehold',
      data: {
        householdId: d.householdId,
        placementId: d.placementId,
        childId: d.child.childId,
        date: d.endDate,
        reason: 'placement-ended',
      },
    });
  }
  return events;
}

const BORN_IN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * The members' ages in whole years on `date`, each counted as born on the last day of their month (the youngest they
 * could be).
 */
export function householdMemberAgesOn(members: readonly HouseholdMember[], date: BusinessDate): number[] {
  return members.map((m) => ageOn(lastDayOf(m.bornIn), date));
}

function lastDayOf(bornIn: string): BusinessDate {
  const [year, month] = bornIn.split('-').map(Number);
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${bornIn}-${String(day).padStart(2, '0')}`;
}

const memberKey = (m: HouseholdMember): string => `${m.bornIn} ${m.relationship}`;
const sameMembers = (a: readonly HouseholdMember[], b: readonly HouseholdMember[]): boolean =>
  a.length === b.length && a.map(memberKey).sort().join('|') === b.map(memberKey).sort().join('|');

function recordMembers(command: RecordHouseholdMembers, state: HouseholdState): HouseholdEvent[] {
  const household = known(state);
  require_(household.status !== 'Resigned', 'HOUSEHOLD_NOT_AVAILABLE', 'household has resigned');
  const thisMonth = todayAt(command.at).slice(0, 7);
  command.data.members.forEach((m, i) => {
    require_(BORN_IN.test(m.bornIn), 'INVALID_INPUT', `members[${i}].bornIn must be YYYY-MM`);
    require_(
      (HOUSEHOLD_MEMBER_RELATIONSHIPS as readonly string[]).includes(m.relationship),
      'INVALID_INPUT',
      `members[${i}].relationship must be one of ${HOUSEHOLD_MEMBER_RELATIONSHIPS.join(', ')}`,
    );
    require_(
      m.bornIn <= thisMonth,
      'DATE_IN_FUTURE',
      `members[${i}].bornIn ${m.bornIn} is after this month (${thisMonth}, Europe/London)`,
    );
  });
  if (sameMembers(household.members, command.data.members)) return [];
  return [{ type: 'HouseholdMembersRecorded', data: command.data }];
}

/** A status change's date is a date and, for a person's command, not after today: the record changes at once. */
function checkStatusDate(command: HouseholdStatusChange<string, { readonly date: BusinessDate }>, what: string): void {
  requireDate(command.data.date, 'date');
  if (command.at !== undefined) requireNotInFuture(command.data.date, command.at, what);
}

/** A planned departure that has not happened yet, for revising or withdrawing. */
const PLACEMENT: StayWords = {
  notFound: 'this placement is not with the household',
  alreadyLeaves: 'the child already leaves',
  left: 'the child left the household',
  onOrAfter: 'a child leaves on or after the placement start',
};

/** The household's planned departures: a longer placement must keep within the terms (see checkExtension). */
function departures(
  state: HouseholdState,
): Departures<HouseholdPlacement, 'HouseholdDepartureWithdrawn', 'ChildLeftHousehold'> {
  const household = known(state);
  return new Departures({
    words: PLACEMENT,
    stayOf: ({ placementId }) => placementOf(household, placementId),
    requireRoom: (placement, to) => checkExtension(household, placement, to),
    withdrawn: 'HouseholdDepartureWithdrawn',
    left: 'ChildLeftHousehold',
  });
}

/** The placement kept for longer: its extra nights must fit the terms and the other children. */
function checkExtension(state: KnownHousehold, placement: HouseholdPlacement, to: BusinessDate | null): void {
  if (placement.to !== null && (to === null || isAfter(to, placement.to))) {
    const extra: DateSpan = { from: placement.to, to };
    const again = state.placements.find(
      (p) => p.placementId !== placement.placementId && p.childId === placement.childId && spansOverlap(p, extra),
    );
    require_(
      again === undefined,
      'OVERLAPPING_PLACEMENT',
      `the child has another placement with the household ${again ? describeSpan(again) : ''}`,
    );
    checkHouseholdFit({
      status: 'Approved',
      termsHistory: state.termsHistory,
      bookings: state.placements.filter((p) => p.placementId !== placement.placementId),
      child: { childId: placement.childId, dateOfBirth: placement.childDateOfBirth, sex: placement.childSex },
      siblingGroupId: placement.siblingGroupId,
      span: { from: placement.to, to },
      // The child is already placed: only the count and sibling limits apply to the extra nights.
      placementType: placement.placementType,
      emergency: true,
    });
  }
}

/** Whether a placement already with the household could run over `span` within the count and sibling limits. */
export function roomFor(state: HouseholdState, placementId: string, span: DateSpan): boolean {
  const placement = placementOf(state, placementId);
  if (state.status === 'NotApproved' || placement === undefined) return false;
  const again = state.placements.some(
    (p) => p.placementId !== placementId && p.childId === placement.childId && spansOverlap(p, span),
  );
  if (again) return false;
  try {
    checkHouseholdFit({
      status: 'Approved',
      termsHistory: state.termsHistory,
      bookings: state.placements.filter((p) => p.placementId !== placementId),
      child: { childId: placement.childId, dateOfBirth: placement.childDateOfBirth, sex: placement.childSex },
      siblingGroupId: placement.siblingGroupId,
      span,
      placementType: placement.placementType,
      emergency: true,
    });
    return true;
  } catch (error) {
    if (isDomainError(error)) return false;
    throw error;
  }
}

export function decide(command: HouseholdCommand, state: HouseholdState): HouseholdEvent[] {
  switch (command.type) {
    case 'ApproveFosterHousehold':
      require_(state.status === 'NotApproved', 'ALREADY_EXISTS', 'household already approved');
      requireDate(command.data.approvedOn, 'approvedOn');
      validateTerms(command.data.terms);
      return [{ type: 'FosterHouseholdApproved', data: command.data }];
    case 'ChangeApprovalTerms': {
      const d = command.data;
      const household = known(state);
      require_(household.status !== 'Resigned', 'HOUSEHOLD_NOT_AVAILABLE', 'household has resigned');
      requireDate(d.effectiveDate, 'effectiveDate');
      validateTerms(d.terms);
      checkTermsHold(
        withTerms(household.termsHistory, d.effectiveDate, d.terms),
        household.placements,
        d.effectiveDate,
      );
      const outside = childrenOutsideTerms(d.terms, household.placements, d.effectiveDate);
      if (outside.length > 0)
        throw new DomainError(
          'APPROVAL_TERMS_EXCEEDED',
          `children placed with the household from ${d.effectiveDate} would be outside the new terms ` +
            `(age, sex or placement type): ${outside.join(', ')}`,
          { childIds: outside },
        );
      return [{ type: 'ApprovalTermsChanged', data: d }];
    }
    case 'PlaceChildWithHousehold':
      return place(command, state);
    case 'RecordChildLeftHousehold':
      return departures(state).leave(command.data);
    case 'ReviseHouseholdDeparture':
      return departures(state).revise(command.data, command.at);
    case 'WithdrawHouseholdDeparture':
      return departures(state).withdraw(command.data, command.at);
    case 'SuspendHousehold': {
      const household = known(state);
      require_(household.status === 'Approved', 'INVALID_STATE', `household is ${household.status.toLowerCase()}`);
      checkStatusDate(command, 'a suspension');
      return [{ type: 'HouseholdSuspended', data: command.data }];
    }
    case 'ReinstateHousehold': {
      const household = known(state);
      require_(household.status === 'Suspended', 'INVALID_STATE', 'only a suspended household is reinstated');
      checkStatusDate(command, 'a reinstatement');
      return [{ type: 'HouseholdReinstated', data: command.data }];
    }
    case 'RecordHouseholdResigned': {
      const household = known(state);
      require_(household.status !== 'Resigned', 'INVALID_STATE', 'household already resigned');
      checkStatusDate(command, 'a resignation');
      const staying = [...new Set(stillThereAfter(household, command.data.date).map((p) => p.childId))].sort();
      if (staying.length > 0)
        throw new DomainError(
          'HOUSEHOLD_HAS_CHILDREN',
          `children still live with the household after ${command.data.date}: ${staying.join(', ')}; ` +
            'end or move their placements first',
          { childIds: staying },
        );
      return [{ type: 'HouseholdResigned', data: command.data }];
    }
    case 'RecordHouseholdMembers':
      return recordMembers(command, state);
    default:
      return exhaustive(command);
  }
}

function withPlacements(state: KnownHousehold, placements: readonly HouseholdPlacement[]): HouseholdState {
  return { ...state, placements: inStartOrder(placements) };
}

function endPlacement(state: KnownHousehold, placementId: string, to: BusinessDate | null): HouseholdState {
  return { ...state, placements: withEndOf(state.placements, placementId, to) };
}

export function evolve(state: HouseholdState, event: HouseholdEvent): HouseholdState {
  if (event.type === 'FosterHouseholdApproved') {
    const { householdId, terms, approvedOn } = event.data;
    return {
      status: 'Approved',
      householdId,
      terms,
      termsHistory: [{ from: approvedOn, terms }],
      placements: [],
      members: [],
    };
  }
  if (state.status === 'NotApproved') return state;
  switch (event.type) {
    case 'ApprovalTermsChanged':
      return {
        ...state,
        terms: event.data.terms,
        termsHistory: withTerms(state.termsHistory, event.data.effectiveDate, event.data.terms),
      };
    case 'ChildPlacedWithHousehold': {
      const d = event.data;
      const placement: HouseholdPlacement = {
        placementId: d.placementId,
        childId: d.childId,
        childSex: d.childSex,
        childDateOfBirth: d.childDateOfBirth,
        siblingGroupId: d.siblingGroupId,
        placementType: d.placementType,
        referralId: d.referralId,
        emergency: d.emergency,
        emergencyOutsideTerms: d.emergencyOutsideTerms,
        stepDownId: d.stepDownId,
        at: d.at,
        from: d.startDate,
        to: null,
      };
      return withPlacements(state, [...state.placements, placement]);
    }
    case 'ChildLeftHousehold':
      if (event.data.reason === 'compensation') {
        return withPlacements(
          state,
          state.placements.filter((p) => p.placementId !== event.data.placementId),
        );
      }
      return endPlacement(state, event.data.placementId, event.data.date);
    case 'HouseholdDepartureWithdrawn':
      return endPlacement(state, event.data.placementId, null);
    case 'HouseholdSuspended':
      return { ...state, status: 'Suspended' };
    case 'HouseholdReinstated':
      return { ...state, status: 'Approved' };
    case 'HouseholdResigned':
      return { ...state, status: 'Resigned' };
    case 'HouseholdMembersRecorded':
      return { ...state, members: event.data.members };
    default:
      return exhaustive(event);
  }
}

export const householdDecider: Decider<HouseholdCommand, HouseholdEvent, HouseholdState> = {
  decide,
  evolve,
  initialState,
};
