import { given } from '../testing';
import { contractDecider, streamId } from './contract';
import type { BlockBedAllocated, BlockBookingContracted } from './types';

const contracted: BlockBookingContracted = {
  type: 'BlockBookingContracted',
  data: {
    contractId: 'k1',
    provider: { name: 'Northern Care Ltd', code: 'PR4' },
    settingName: 'Birch Lodge',
    settingUrn: 'SC654321',
    settingPostcode: 'S63 7AA',
    beds: ['A', 'B'],
    startDate: '2025-04-01',
    endDate: '2026-03-31',
    weeklyPricePerBed: 383_000,
  },
};
const allocated: BlockBedAllocated = {
  type: 'BlockBedAllocated',
  data: {
    contractId: 'k1',
    bedRef: 'A',
    placementId: 'p1',
    childId: 'c1',
    referralId: 'r1',
    date: '2025-05-01',
    at: '2025-05-01T10:00:00Z',
  },
};
const released = {
  contractId: 'k1',
  bedRef: 'A',
  placementId: 'p1',
  childId: 'c1',
  date: '2025-07-01',
  reason: 'placement-ended' as const,
};

describe('contract (block booking) decider', () => {
  it('names its stream contract-{id}', () => {
    expect(streamId('k1')).toBe('contract-k1');
  });

  describe('ContractBlockBooking', () => {
    it('records the contract', () => {
      given(contractDecider, []).when({ type: 'ContractBlockBooking', data: contracted.data }).then([contracted]);
    });
    it('refuses a duplicate', () => {
      given(contractDecider, [contracted])
        .when({ type: 'ContractBlockBooking', data: contracted.data })
        .thenFails('ALREADY_EXISTS');
    });
    it('refuses dates in the wrong order', () => {
      given(contractDecider, [])
        .when({ type: 'ContractBlockBooking', data: { ...contracted.data, endDate: '2025-01-01' } })
        .thenFails('INVALID_DATES');
    });
    it('refuses a price that is not whole pence', () => {
      given(contractDecider, [])
        .when({ type: 'ContractBlockBooking', data: { ...contracted.data, weeklyPricePerBed: 3830.5 } })
        .thenFails('INVALID_INPUT');
    });
    it('refuses the same bed listed twice', () => {
      given(contractDecider, [])
        .when({ type: 'ContractBlockBooking', data: { ...contracted.data, beds: ['A', 'A'] } })
        .thenFails('INVALID_INPUT');
    });
  });

  describe('AllocateBlockBed', () => {
    it('allocates a free block-booked bed', () => {
      given(contractDecider, [contracted]).when({ type: 'AllocateBlockBed', data: allocated.data }).then([allocated]);
    });
    it('never allocates one bed twice', () => {
      given(contractDecider, [contracted, allocated])
        .when({ type: 'AllocateBlockBed', data: { ...allocated.data, placementId: 'p2', childId: 'c2' } })
        .thenFails('BLOCK_BED_ALLOCATED');
    });
    it('allocates the other bed', () => {
      const data = { ...allocated.data, bedRef: 'B', placementId: 'p2', childId: 'c2' };
      given(contractDecider, [contracted, allocated])
        .when({ type: 'AllocateBlockBed', data })
        .then([{ type: 'BlockBedAllocated', data }]);
    });
    it('refuses a date before the contract starts', () => {
      given(contractDecider, [contracted])
        .when({ type: 'AllocateBlockBed', data: { ...allocated.data, date: '2025-03-31' } })
        .thenFails('OUTSIDE_CONTRACT');
    });
    it('refuses a date after the contract ends', () => {
      given(contractDecider, [contracted])
        .when({ type: 'AllocateBlockBed', data: { ...allocated.data, date: '2026-04-01' } })
        .thenFails('OUTSIDE_CONTRACT');
    });
    it('refuses a bed not in the contract', () => {
      given(contractDecider, [contracted])
        .when({ type: 'AllocateBlockBed', data: { ...allocated.data, bedRef: 'Z' } })
        .thenFails('NOT_FOUND');
    });
    it('refuses an ended contract', () => {
      given(contractDecider, [
        contracted,
        { type: 'BlockBookingEnded', data: { contractId: 'k1', date: '2025-04-30', reason: 'terminated' } },
      ])
        .when({ type: 'AllocateBlockBed', data: allocated.data })
        .thenFails('CONTRACT_ENDED');
    });
  });

  describe('ReleaseBlockBed', () => {
    it('releases the bed, which can be allocated again', () => {
      given(contractDecider, [contracted, allocated])
        .when({ type: 'ReleaseBlockBed', data: released })
        .then([{ type: 'BlockBedReleased', data: released }]);
      const again = { ...allocated.data, placementId: 'p2', childId: 'c2', date: '2025-07-02' };
      given(contractDecider, [contracted, allocated, { type: 'BlockBedReleased', data: released }])
        .when({ type: 'AllocateBlockBed', data: again })
        .then([{ type: 'BlockBedAllocated', data: again }]);
    });
    it('refuses a placement that does not hold the bed', () => {
      given(contractDecider, [contracted, allocated])
        .when({ type: 'ReleaseBlockBed', data: { ...released, placementId: 'p9' } })
        .thenFails('NOT_FOUND');
    });
    it('refuses a release before the allocation', () => {
      given(contractDecider, [contracted, allocated])
        .when({ type: 'ReleaseBlockBed', data: { ...released, date: '2025-04-15' } })
        .thenFails('INVALID_DATES');
    });
  });

  describe('EndBlockBooking', () => {
    const ended = { contractId: 'k1', date: '2026-03-31', reason: 'expired' as const };
    it('ends a contract with no beds allocated', () => {
      given(contractDecider, [contracted])
        .when({ type: 'EndBlockBooking', data: ended })
        .then([{ type: 'BlockBookingEnded', data: ended }]);
    });
    it('refuses while a child holds a bed', () => {
      given(contractDecider, [contracted, allocated])
        .when({ type: 'EndBlockBooking', data: ended })
        .thenFails('CONTRACT_HAS_ALLOCATIONS');
    });
    it('refuses an unknown contract', () => {
      given(contractDecider, []).when({ type: 'EndBlockBooking', data: ended }).thenFails('NOT_FOUND');
    });
  });
});
