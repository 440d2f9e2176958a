import { DomainError, require_ } from '../shared/errors';
import { exhaustive } from '../shared/exhaustive';
import { checkDeparture, Departures, inStartOrder, withEndOf, type StayWords } from '../shared/stays';
import type { Decider } from '../shared/decider';
import { isAfter, isBefore, isBusinessDate, isInstant, requireDate, type BusinessDate } from '../shared/dates';
import { describeSpan, spanContains, spansOverlap, type DateSpan } from '../shared/diary';
import { isOfstedUrn, isPlaceProviderCode } from '../ssda903-codes';
import type { BlockAllocation, ContractCommand, ContractEvent, ContractState } from './types';

export const streamId = (contractId: string): string => `contract-${contractId}`;

export const initialState: ContractState = { status: 'NotContracted' };

type ActiveContract = Extract<ContractState, { status: 'Active' }>;

function active(state: ContractState): ActiveContract {
  switch (state.status) {
    case 'NotContracted':
      throw new DomainError('NOT_FOUND', 'no such block booking');
    case 'Ended':
      throw new DomainError('CONTRACT_ENDED', 'the block booking has ended');
    case 'Active':
      return state;
    default:
      return exhaustive(state);
  }
}

/** The allocation of a placement, if the contract has one. */
export const allocationOf = (state: ContractState, placementId: string): BlockAllocation | undefined =>
  state.status === 'NotContracted' ? undefined : state.allocations.find((a) => a.placementId === placementId);

/** One contracted bed's bookings, by start date. */
export const allocationsOfBed = (state: ContractState, bedRef: string): BlockAllocation[] =>
  state.status === 'NotContracted' ? [] : state.allocations.filter((a) => a.bedRef === bedRef);

/** The allocation holding a contracted bed on the night of `date`. */
export const allocationOn = (state: ContractState, bedRef: string, date: BusinessDate): BlockAllocation | undefined =>
  allocationsOfBed(state, bedRef).find((a) => spanContains(a, date));

/** Whether a contracted bed has room for a placement's booking over `span` (its own booking aside). */
export const roomFor = (state: ContractState, bedRef: string, placementId: string, span: DateSpan): boolean =>
  !allocationsOfBed(state, bedRef).some((a) => a.placementId !== placementId && spansOverlap(a, span));

function requireBedFree(state: ActiveContract, bedRef: string, span: DateSpan, exceptPlacementId: string | null): void {
  const clash = state.allocations.find(
    (a) => a.bedRef === bedRef && a.placementId !== exceptPlacementId && spansOverlap(a, span),
  );
  require_(
    clash === undefined,
    'BLOCK_BED_ALLOCATED',
    `this block-booked bed is allocated to another placement ${clash ? describeSpan(clash) : ''}`,
  );
}

const ALLOCATION: StayWords = {
  notFound: 'this placement does not hold the bed',
  alreadyLeaves: 'the placement already leaves the bed',
  left: 'the placement left the bed',
  onOrAfter: 'a bed is released on or after its allocation',
};

/** The block booking's planned departures: a longer allocation must not run into another on the same bed. */
function departures(
  state: ContractState,
): Departures<BlockAllocation, 'BlockBedDepartureWithdrawn', 'BlockBedReleased'> {
  const contract = active(state);
  return new Departures({
    words: { ...ALLOCATION, notFound: 'this placement does not hold a bed in this block booking' },
    stayOf: ({ placementId, childId }) =>
      contract.allocations.find((a) => a.placementId === placementId && a.childId === childId),
    requireRoom: (allocation, to) =>
      requireBedFree(contract, allocation.bedRef, { from: allocation.from, to }, allocation.placementId),
    withdrawn: 'BlockBedDepartureWithdrawn',
    left: 'BlockBedReleased',
  });
}

export function decide(command: ContractCommand, state: ContractState): ContractEvent[] {
  switch (command.type) {
    case 'ContractBlockBooking': {
      const d = command.data;
      require_(state.status === 'NotContracted', 'ALREADY_EXISTS', 'block booking already contracted');
      require_(isPlaceProviderCode(d.provider.code), 'INVALID_CODE', 'unknown PLACE_PROVIDER code');
      require_(
        d.settingUrn === null || isOfstedUrn(d.settingUrn),
        'INVALID_CODE',
        'URN must be SC followed by 6 digits',
      );
      require_(isBusinessDate(d.startDate) && isBusinessDate(d.endDate), 'INVALID_DATES', 'dates must be YYYY-MM-DD');
      require_(!isBefore(d.endDate, d.startDate), 'INVALID_DATES', 'a contract ends on or after it starts');
      require_(
        d.beds.length > 0 && new Set(d.beds).size === d.beds.length,
        'INVALID_INPUT',
        'a block booking names distinct beds',
      );
      require_(
        Number.isInteger(d.weeklyPricePerBed) && d.weeklyPricePerBed > 0,
        'INVALID_INPUT',
        'weekly price per bed is a positive whole number of pence',
      );
      return [{ type: 'BlockBookingContracted', data: d }];
    }
    case 'AllocateBlockBed': {
      const { endDate, ...d } = command.data;
      const contract = active(state);
      require_(contract.contract.beds.includes(d.bedRef), 'NOT_FOUND', 'bed is not in this block booking');
      require_(
        isBusinessDate(d.date) && isInstant(d.at),
        'INVALID_DATES',
        'date must be YYYY-MM-DD and at an ISO instant',
      );
      require_(
        endDate === null || (isBusinessDate(endDate) && isAfter(endDate, d.date)),
        'INVALID_DATES',
        'a planned end is a date after the start',
      );
      require_(
        !isBefore(d.date, contract.contract.startDate) && !isAfter(d.date, contract.contract.endDate),
        'OUTSIDE_CONTRACT',
        'the allocation date is outside the contract dates',
      );
      const span: DateSpan = { from: d.date, to: endDate };
      requireBedFree(contract, d.bedRef, span, null);
      require_(
        !contract.allocations.some(
          (a) => a.placementId === d.placementId || (a.childId === d.childId && spansOverlap(a, span)),
        ),
        'ALREADY_EXISTS',
        'this child or placement already has a bed in this block booking on those dates',
      );
      const events: ContractEvent[] = [{ type: 'BlockBedAllocated', data: d }];
      if (endDate !== null) {
        const { contractId, bedRef, placementId, childId } = d;
        events.push({
          type: 'BlockBedReleased',
          data: { contractId, bedRef, placementId, childId, date: endDate, reason: 'placement-ended' },
        });
      }
      return events;
    }
    case 'ReleaseBlockBed': {
      const d = command.data;
      const contract = active(state);
      const allocation = contract.allocations.find((a) => a.bedRef === d.bedRef && a.placementId === d.placementId);
      checkDeparture(allocation, d, ALLOCATION);
      return [{ type: 'BlockBedReleased', data: d }];
    }
    case 'ReviseBlockBedDeparture':
      return departures(state).revise(command.data, command.at);
    case 'WithdrawBlockBedDeparture':
      return departures(state).withdraw(command.data, command.at);
    case 'EndBlockBooking': {
      const contract = active(state);
      const date = command.data.date;
      requireDate(date, 'date');
      require_(!isBefore(date, contract.contract.startDate), 'INVALID_DATES', 'a contract ends on or after it starts');
      require_(
        !isAfter(date, contract.contract.endDate),
        'INVALID_DATES',
        `the contract runs to ${contract.contract.endDate}: it can end early, not later (contract a new block booking)`,
      );
      const staying = contract.allocations.find((a) => a.to === null || isAfter(a.to, date));
      require_(
        staying === undefined,
        'CONTRACT_HAS_ALLOCATIONS',
        `a child still holds a bed in this block booking ${staying ? describeSpan(staying) : ''}`,
      );
      return [{ type: 'BlockBookingEnded', data: command.data }];
    }
    default:
      return exhaustive(command);
  }
}

function withAllocations(state: ActiveContract, allocations: readonly BlockAllocation[]): ContractState {
  return { ...state, allocations: inStartOrder(allocations) };
}

function endAllocation(state: ActiveContract, placementId: string, to: BusinessDate | null): ContractState {
  return { ...state, allocations: withEndOf(state.allocations, placementId, to) };
}

export function evolve(state: ContractState, event: ContractEvent): ContractState {
  switch (event.type) {
    case 'BlockBookingContracted':
      // The contract's terms are what the event records.
      return { status: 'Active', contract: event.data, allocations: [] };
    case 'BlockBedAllocated': {
      if (state.status !== 'Active') return state;
      const { bedRef, placementId, childId, referralId, date, at } = event.data;
      return withAllocations(state, [
        ...state.allocations,
        { bedRef, placementId, childId, referralId, at, from: date, to: null },
      ]);
    }
    case 'BlockBedReleased':
      if (state.status !== 'Active') return state;
      if (event.data.reason === 'compensation') {
        return withAllocations(
          state,
          state.allocations.filter((a) => a.placementId !== event.data.placementId),
        );
      }
      return endAllocation(state, event.data.placementId, event.data.date);
    case 'BlockBedDepartureWithdrawn':
      return state.status === 'Active' ? endAllocation(state, event.data.placementId, null) : state;
    case 'BlockBookingEnded':
      if (state.status !== 'Active') return state;
      return { status: 'Ended', contract: state.contract, endedOn: event.data.date, allocations: state.allocations };
    default:
      return exhaustive(event);
  }
}

export const contractDecider: Decider<ContractCommand, ContractEvent, ContractState> = { decide, evolve, initialState };
