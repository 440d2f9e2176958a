import { DomainError, require_ } from '../shared/errors';
import type { Decider } from '../shared/decider';
import { isAfter, isBefore, isBusinessDate, isInstant } from '../shared/dates';
import { isOfstedUrn, isPlaceProviderCode } from '../ssda903-codes';
import type { ContractCommand, ContractEvent, ContractState, ContractTerms } from './types';

export const streamId = (contractId: string): string => `contract-${contractId}`;

export const initialState: ContractState = { status: 'NotContracted' };

function active(state: ContractState): Extract<ContractState, { status: 'Active' }> {
  switch (state.status) {
    case 'NotContracted':
      throw new DomainError('NOT_FOUND', 'no such block booking');
    case 'Ended':
      throw new DomainError('CONTRACT_ENDED', 'the block booking has ended');
    case 'Active':
      return state;
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
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
      const d = command.data;
      const contract = active(state);
      require_(contract.contract.beds.includes(d.bedRef), 'NOT_FOUND', 'bed is not in this block booking');
      require_(
        isBusinessDate(d.date) && isInstant(d.at),
        'INVALID_DATES',
        'date must be YYYY-MM-DD and at an ISO instant',
      );
      require_(
        !isBefore(d.date, contract.contract.startDate) && !isAfter(d.date, contract.contract.endDate),
        'OUTSIDE_CONTRACT',
        'the allocation date is outside the contract dates',
      );
      require_(
        contract.allocations[d.bedRef] === undefined,
        'BLOCK_BED_ALLOCATED',
        'this block-booked bed is already allocated',
      );
      require_(
        !Object.values(contract.allocations).some((a) => a.placementId === d.placementId || a.childId === d.childId),
        'ALREADY_EXISTS',
        'this child or placement already has a bed in this block booking',
      );
      return [{ type: 'BlockBedAllocated', data: d }];
    }
    case 'ReleaseBlockBed': {
      const d = command.data;
      const contract = active(state);
      const allocation = contract.allocations[d.bedRef];
      require_(
        allocation !== undefined && allocation.placementId === d.placementId && allocation.childId === d.childId,
        'NOT_FOUND',
        'this placement does not hold the bed',
      );
      require_(
        isBusinessDate(d.date) && !isBefore(d.date, allocation.date),
        'INVALID_DATES',
        'a bed is released on or after its allocation',
      );
      return [{ type: 'BlockBedReleased', data: d }];
    }
    case 'EndBlockBooking': {
      const contract = active(state);
      require_(isBusinessDate(command.data.date), 'INVALID_DATES', 'date must be YYYY-MM-DD');
      require_(
        !isBefore(command.data.date, contract.contract.startDate),
        'INVALID_DATES',
        'a contract ends on or after it starts',
      );
      require_(
        Object.keys(contract.allocations).length === 0,
        'CONTRACT_HAS_ALLOCATIONS',
        'children still hold beds in this block booking',
      );
      return [{ type: 'BlockBookingEnded', data: command.data }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export function evolve(state: ContractState, event: ContractEvent): ContractState {
  switch (event.type) {
    case 'BlockBookingContracted': {
      const { contractId, provider, settingName, settingUrn, beds, startDate, endDate, weeklyPricePerBed } = event.data;
      const contract: ContractTerms = {
        contractId,
        provider,
        settingName,
        settingUrn,
        beds,
        startDate,
        endDate,
        weeklyPricePerBed,
      };
      return { status: 'Active', contract, allocations: {} };
    }
    case 'BlockBedAllocated': {
      if (state.status !== 'Active') return state;
      const { bedRef, placementId, childId, date, at } = event.data;
      return { ...state, allocations: { ...state.allocations, [bedRef]: { placementId, childId, date, at } } };
    }
    case 'BlockBedReleased': {
      if (state.status !== 'Active') return state;
      const { [event.data.bedRef]: _released, ...rest } = state.allocations;
      return { ...state, allocations: rest };
    }
    case 'BlockBookingEnded':
      if (state.status !== 'Active') return state;
      return { status: 'Ended', contract: state.contract, endedOn: event.data.date };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const contractDecider: Decider<ContractCommand, ContractEvent, ContractState> = { decide, evolve, initialState };
