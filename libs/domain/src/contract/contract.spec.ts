import { aBlockBookingContracted, given } from '../testing';
import { contractDecider, streamId } from './contract';
import type { BlockBedAllocated, BlockBedReleased, BlockBookingContracted } from './types';

const contracted: BlockBookingContracted = aBlockBookingContracted();
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
const allocate = { ...allocated.data, endDate: null };
const releasedOn = (date: string, placementId = 'p1', childId = 'c1'): BlockBedReleased => ({
  type: 'BlockBedReleased',
  data: { contractId: 'k1', bedRef: 'A', placementId, childId, date, reason: 'placement-ended' },
});
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
      given(contractDecider, [contracted]).when({ type: 'AllocateBlockBed', data: allocate }).then([allocated]);
    });
    it('never allocates one bed twice, and names the allocation it would overlap', () => {
      given(contractDecider, [contracted, allocated])
        .when({ type: 'AllocateBlockBed', data: { ...allocate, placementId: 'p2', childId: 'c2', date: '2025-09-01' } })
        .thenFails('BLOCK_BED_ALLOCATED', 'allocated to another placement from 2025-05-01 with no end date');
    });
    it('allocates a bed from the day a planned departure frees it, and not before', () => {
      const history = [contracted, allocated, releasedOn('2025-07-01')];
      const next = { ...allocate, placementId: 'p2', childId: 'c2' };
      given(contractDecider, history)
        .when({ type: 'AllocateBlockBed', data: { ...next, date: '2025-06-20' } })
        .thenFails('BLOCK_BED_ALLOCATED', 'from 2025-05-01 until 2025-07-01');
      expect(
        given(contractDecider, history)
          .when({ type: 'AllocateBlockBed', data: { ...next, date: '2025-07-01' } })
          .events(),
      ).toHaveLength(1);
    });
    it('allocates a short stay before a planned arrival, recording its planned end', () => {
      const arrival: BlockBedAllocated = { ...allocated, data: { ...allocated.data, date: '2025-08-01' } };
      const stay = { ...allocate, placementId: 'p2', childId: 'c2', date: '2025-07-01', endDate: '2025-08-01' };
      given(contractDecider, [contracted, arrival])
        .when({ type: 'AllocateBlockBed', data: stay })
        .then([
          {
            type: 'BlockBedAllocated',
            data: { ...allocated.data, placementId: 'p2', childId: 'c2', date: '2025-07-01' },
          },
          releasedOn('2025-08-01', 'p2', 'c2'),
        ]);
      given(contractDecider, [contracted, arrival])
        .when({ type: 'AllocateBlockBed', data: { ...stay, endDate: null } })
        .thenFails('BLOCK_BED_ALLOCATED', 'from 2025-08-01');
    });
    it('allocates the other bed', () => {
      const data = { ...allocated.data, bedRef: 'B', placementId: 'p2', childId: 'c2' };
      given(contractDecider, [contracted, allocated])
        .when({ type: 'AllocateBlockBed', data: { ...data, endDate: null } })
        .then([{ type: 'BlockBedAllocated', data }]);
    });
    it('refuses a date before the contract starts', () => {
      given(contractDecider, [contracted])
        .when({ type: 'AllocateBlockBed', data: { ...allocate, date: '2025-03-31' } })
        .thenFails('OUTSIDE_CONTRACT');
    });
    it('refuses a date after the contract ends', () => {
      given(contractDecider, [contracted])
        .when({ type: 'AllocateBlockBed', data: { ...allocate, date: '2026-04-01' } })
        .thenFails('OUTSIDE_CONTRACT');
    });
    it('refuses a bed not in the contract', () => {
      given(contractDecider, [contracted])
        .when({ type: 'AllocateBlockBed', data: { ...allocate, bedRef: 'Z' } })
        .thenFails('NOT_FOUND');
    });
    it('refuses an ended contract', () => {
      given(contractDecider, [
        contracted,
        { type: 'BlockBookingEnded', data: { contractId: 'k1', date: '2025-04-30', reason: 'terminated' } },
      ])
        .when({ type: 'AllocateBlockBed', data: allocate })
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
        .when({ type: 'AllocateBlockBed', data: { ...again, endDate: null } })
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
    it('refuses while a child holds a bed, or will after the end', () => {
      given(contractDecider, [contracted, allocated])
        .when({ type: 'EndBlockBooking', data: ended })
        .thenFails('CONTRACT_HAS_ALLOCATIONS');
      given(contractDecider, [contracted, allocated, releasedOn('2026-04-10')])
        .when({ type: 'EndBlockBooking', data: ended })
        .thenFails('CONTRACT_HAS_ALLOCATIONS', 'from 2025-05-01 until 2026-04-10');
    });
    it('ends a contract whose last child leaves by the end date', () => {
      given(contractDecider, [contracted, allocated, releasedOn('2026-03-31')])
        .when({ type: 'EndBlockBooking', data: ended })
        .then([{ type: 'BlockBookingEnded', data: ended }]);
    });
    it('ends early, and refuses an end after the contracted end date', () => {
      const early = { contractId: 'k1', date: '2025-09-30', reason: 'terminated' as const };
      given(contractDecider, [contracted])
        .when({ type: 'EndBlockBooking', data: early })
        .then([{ type: 'BlockBookingEnded', data: early }]);
      given(contractDecider, [contracted])
        .when({ type: 'EndBlockBooking', data: { ...early, date: '2026-04-01' } })
        .thenFails('INVALID_DATES', 'runs to 2026-03-31');
    });
    it('refuses an unknown contract', () => {
      given(contractDecider, []).when({ type: 'EndBlockBooking', data: ended }).thenFails('NOT_FOUND');
    });
  });

  describe('ReviseBlockBedDeparture / WithdrawBlockBedDeparture', () => {
    const ids = { contractId: 'k1', bedRef: 'A', placementId: 'p1', childId: 'c1' };
    const planned = [contracted, allocated, releasedOn('2025-07-01')];
    const at = '2025-06-01T09:00:00Z';
    it('moves a planned departure later while the bed is free', () => {
      given(contractDecider, planned)
        .when({ type: 'ReviseBlockBedDeparture', data: { ...ids, date: '2025-07-15' }, at })
        .then([{ type: 'BlockBedDepartureWithdrawn', data: ids }, releasedOn('2025-07-15')]);
    });
    it('refuses to run into the next allocation, naming it', () => {
      const next: BlockBedAllocated = {
        ...allocated,
        data: { ...allocated.data, placementId: 'p2', childId: 'c2', date: '2025-07-01' },
      };
      given(contractDecider, [...planned, next])
        .when({ type: 'WithdrawBlockBedDeparture', data: ids, at })
        .thenFails('BLOCK_BED_ALLOCATED', 'from 2025-07-01 with no end date');
    });
    it('refuses to change a departure that has happened', () => {
      given(contractDecider, planned)
        .when({ type: 'WithdrawBlockBedDeparture', data: ids, at: '2025-07-01T09:00:00Z' })
        .thenFails('END_HAS_HAPPENED');
    });
  });
});
