import { DomainError, require_ } from '../shared/errors';
import type { Decider } from '../shared/decider';
import { isBefore, isBusinessDate, isInstant } from '../shared/dates';
import { checkHouseholdFit, validateTerms } from './terms';
import type { ApprovalTerms, FosterChild, HouseholdCommand, HouseholdEvent, HouseholdState } from './types';

export const streamId = (householdId: string): string => `household-${householdId}`;

export const initialState: HouseholdState = { status: 'NotApproved' };

type KnownHousehold = Exclude<HouseholdState, { status: 'NotApproved' }>;

function known(state: HouseholdState): KnownHousehold {
  if (state.status === 'NotApproved') throw new DomainError('NOT_FOUND', 'household not approved');
  return state;
}

export function decide(command: HouseholdCommand, state: HouseholdState): HouseholdEvent[] {
  switch (command.type) {
    case 'ApproveFosterHousehold':
      require_(state.status === 'NotApproved', 'ALREADY_EXISTS', 'household already approved');
      require_(isBusinessDate(command.data.approvedOn), 'INVALID_DATES', 'approvedOn must be YYYY-MM-DD');
      validateTerms(command.data.terms);
      return [{ type: 'FosterHouseholdApproved', data: command.data }];
    case 'ChangeApprovalTerms': {
      const household = known(state);
      require_(household.status !== 'Resigned', 'HOUSEHOLD_NOT_AVAILABLE', 'household has resigned');
      require_(isBusinessDate(command.data.effectiveDate), 'INVALID_DATES', 'effectiveDate must be YYYY-MM-DD');
      validateTerms(command.data.terms);
      require_(
        household.children.length <= command.data.terms.maxChildren,
        'APPROVAL_TERMS_EXCEEDED',
        'new terms approve fewer places than children living there',
      );
      return [{ type: 'ApprovalTermsChanged', data: command.data }];
    }
    case 'PlaceChildWithHousehold': {
      const d = command.data;
      const household = known(state);
      require_(isBusinessDate(d.startDate), 'INVALID_DATES', 'startDate must be YYYY-MM-DD');
      require_(isInstant(d.at), 'INVALID_INPUT', 'at must be an ISO instant');
      require_(
        !household.children.some((c) => c.placementId === d.placementId || c.childId === d.child.childId),
        'ALREADY_EXISTS',
        'this child or placement is already with the household',
      );
      const { emergencyOutsideTerms } = checkHouseholdFit({
        status: household.status,
        terms: household.terms,
        currentChildren: household.children,
        child: d.child,
        siblingGroupId: d.siblingGroupId,
        startDate: d.startDate,
        placementType: d.placementType,
        emergency: d.emergency,
      });
      return [
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
    }
    case 'RecordChildLeftHousehold': {
      const d = command.data;
      const household = known(state);
      const child = household.children.find((c) => c.placementId === d.placementId && c.childId === d.childId);
      require_(child !== undefined, 'NOT_FOUND', 'this placement is not with the household');
      require_(
        isBusinessDate(d.date) && !isBefore(d.date, child.startDate),
        'INVALID_DATES',
        'a child leaves on or after the placement start',
      );
      return [{ type: 'ChildLeftHousehold', data: d }];
    }
    case 'SuspendHousehold': {
      const household = known(state);
      require_(household.status === 'Approved', 'INVALID_STATE', `household is ${household.status.toLowerCase()}`);
      require_(isBusinessDate(command.data.date), 'INVALID_DATES', 'date must be YYYY-MM-DD');
      return [{ type: 'HouseholdSuspended', data: command.data }];
    }
    case 'ReinstateHousehold': {
      const household = known(state);
      require_(household.status === 'Suspended', 'INVALID_STATE', 'only a suspended household is reinstated');
      require_(isBusinessDate(command.data.date), 'INVALID_DATES', 'date must be YYYY-MM-DD');
      return [{ type: 'HouseholdReinstated', data: command.data }];
    }
    case 'RecordHouseholdResigned': {
      const household = known(state);
      require_(household.status !== 'Resigned', 'INVALID_STATE', 'household already resigned');
      require_(household.children.length === 0, 'INVALID_STATE', 'children still live with the household');
      require_(isBusinessDate(command.data.date), 'INVALID_DATES', 'date must be YYYY-MM-DD');
      return [{ type: 'HouseholdResigned', data: command.data }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function withChildren(state: KnownHousehold, children: readonly FosterChild[]): HouseholdState {
  return { ...state, children };
}

function withTerms(state: KnownHousehold, terms: ApprovalTerms): HouseholdState {
  return { ...state, terms };
}

export function evolve(state: HouseholdState, event: HouseholdEvent): HouseholdState {
  if (event.type === 'FosterHouseholdApproved') {
    return { status: 'Approved', householdId: event.data.householdId, terms: event.data.terms, children: [] };
  }
  if (state.status === 'NotApproved') return state;
  switch (event.type) {
    case 'ApprovalTermsChanged':
      return withTerms(state, event.data.terms);
    case 'ChildPlacedWithHousehold': {
      const { placementId, childId, siblingGroupId, startDate, emergencyOutsideTerms, at } = event.data;
      return withChildren(state, [
        ...state.children,
        { placementId, childId, siblingGroupId, startDate, emergencyOutsideTerms, at },
      ]);
    }
    case 'ChildLeftHousehold':
      return withChildren(
        state,
        state.children.filter((c) => c.placementId !== event.data.placementId),
      );
    case 'HouseholdSuspended':
      return { ...state, status: 'Suspended' };
    case 'HouseholdReinstated':
      return { ...state, status: 'Approved' };
    case 'HouseholdResigned':
      return { ...state, status: 'Resigned' };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const householdDecider: Decider<HouseholdCommand, HouseholdEvent, HouseholdState> = {
  decide,
  evolve,
  initialState,
};
