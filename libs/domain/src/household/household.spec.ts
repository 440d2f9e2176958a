import { given } from '../testing';
import { householdDecider, streamId } from './household';
import type {
  ApprovalTerms,
  ChildPlacedWithHousehold,
  FosterHouseholdApproved,
  HouseholdEvent,
  PlaceChildWithHousehold,
} from './types';

const terms: ApprovalTerms = {
  ageRange: { min: 0, max: 11 },
  maxChildren: 2,
  siblingGroup: false,
  placementTypes: ['short-term', 'long-term'],
  connectedPerson: false,
  provider: 'in-house',
  agencyName: null,
  sexes: 'any',
  postcode: 'S65 1AA',
};
const approved: FosterHouseholdApproved = {
  type: 'FosterHouseholdApproved',
  data: { householdId: 'h1', reference: 'FH-001', terms, approvedOn: '2024-01-10' },
};
const place: PlaceChildWithHousehold['data'] = {
  householdId: 'h1',
  placementId: 'p1',
  child: { childId: 'c1', dateOfBirth: '2017-06-01', sex: 'F' },
  referralId: 'r1',
  placementType: 'long-term',
  siblingGroupId: null,
  startDate: '2025-03-01',
  emergency: false,
  stepDownId: null,
  at: '2025-03-01T10:00:00Z',
};
const placed = (overrides: Partial<ChildPlacedWithHousehold['data']> = {}): ChildPlacedWithHousehold => ({
  type: 'ChildPlacedWithHousehold',
  data: {
    householdId: 'h1',
    placementId: 'p1',
    childId: 'c1',
    childSex: 'F',
    childDateOfBirth: '2017-06-01',
    referralId: 'r1',
    placementType: 'long-term',
    siblingGroupId: null,
    startDate: '2025-03-01',
    emergency: false,
    emergencyOutsideTerms: false,
    stepDownId: null,
    at: '2025-03-01T10:00:00Z',
    ...overrides,
  },
});
const whenPlace = (history: HouseholdEvent[], data: Partial<PlaceChildWithHousehold['data']> = {}) =>
  given(householdDecider, history).when({ type: 'PlaceChildWithHousehold', data: { ...place, ...data } });
const other = (n: number, siblingGroupId: string | null = null) =>
  placed({ placementId: `p${n}`, childId: `c${n}`, siblingGroupId });

describe('household decider', () => {
  it('names its stream household-{id}', () => {
    expect(streamId('h1')).toBe('household-h1');
  });

  describe('ApproveFosterHousehold', () => {
    it('approves a household with its terms', () => {
      given(householdDecider, []).when({ type: 'ApproveFosterHousehold', data: approved.data }).then([approved]);
    });
    it('refuses a second approval', () => {
      given(householdDecider, [approved])
        .when({ type: 'ApproveFosterHousehold', data: approved.data })
        .thenFails('ALREADY_EXISTS');
    });
    it('refuses terms with no placement type', () => {
      given(householdDecider, [])
        .when({ type: 'ApproveFosterHousehold', data: { ...approved.data, terms: { ...terms, placementTypes: [] } } })
        .thenFails('INVALID_INPUT');
    });
    it('refuses an IFA household without its agency', () => {
      given(householdDecider, [])
        .when({ type: 'ApproveFosterHousehold', data: { ...approved.data, terms: { ...terms, provider: 'ifa' } } })
        .thenFails('INVALID_INPUT');
    });
  });

  describe('ChangeApprovalTerms', () => {
    const change = { householdId: 'h1', terms: { ...terms, maxChildren: 3 }, effectiveDate: '2025-01-01' };
    it('changes the terms', () => {
      given(householdDecider, [approved])
        .when({ type: 'ChangeApprovalTerms', data: change })
        .then([{ type: 'ApprovalTermsChanged', data: change }]);
    });
    it('takes terms lowered to exactly the children already living there, and the household is then full', () => {
      const forThree: FosterHouseholdApproved = {
        ...approved,
        data: { ...approved.data, terms: { ...terms, maxChildren: 3 } },
      };
      const exactly = { ...change, terms: { ...terms, maxChildren: 2 } };
      const history = [forThree, placed(), other(2)];
      whenPlace(history, { placementId: 'p3', child: { ...place.child, childId: 'c3' } }).then([
        placed({ placementId: 'p3', childId: 'c3' }),
      ]);
      given(householdDecider, history)
        .when({ type: 'ChangeApprovalTerms', data: exactly })
        .then([{ type: 'ApprovalTermsChanged', data: exactly }]);
      whenPlace([...history, { type: 'ApprovalTermsChanged', data: exactly }], {
        placementId: 'p3',
        child: { ...place.child, childId: 'c3' },
      }).thenFails('HOUSEHOLD_FULL');
    });
    it('refuses terms below the children already living there', () => {
      given(householdDecider, [approved, placed(), other(2)])
        .when({ type: 'ChangeApprovalTerms', data: { ...change, terms: { ...terms, maxChildren: 1 } } })
        .thenFails('APPROVAL_TERMS_EXCEEDED');
    });
    it('refuses for a resigned household', () => {
      given(householdDecider, [
        approved,
        { type: 'HouseholdResigned', data: { householdId: 'h1', date: '2025-01-01' } },
      ])
        .when({ type: 'ChangeApprovalTerms', data: change })
        .thenFails('HOUSEHOLD_NOT_AVAILABLE');
    });
  });

  describe('PlaceChildWithHousehold', () => {
    it('places a child within the terms', () => {
      whenPlace([approved]).then([placed()]);
    });
    it('refuses when the approved places are taken (a conflict)', () => {
      whenPlace([approved, other(2), other(3)]).thenFails('HOUSEHOLD_FULL');
    });
    it('refuses a child outside the approved age range', () => {
      whenPlace([approved], { child: { ...place.child, dateOfBirth: '2012-01-01' } }).thenFails(
        'APPROVAL_TERMS_EXCEEDED',
      );
    });
    it('refuses a placement type the household is not approved for', () => {
      whenPlace([approved], { placementType: 'respite' }).thenFails('APPROVAL_TERMS_EXCEEDED');
    });
    it('refuses a sex outside the terms', () => {
      whenPlace([{ ...approved, data: { ...approved.data, terms: { ...terms, sexes: 'M' } } }]).thenFails(
        'APPROVAL_TERMS_EXCEEDED',
      );
    });
    it('takes an emergency outside the terms, flagged', () => {
      whenPlace([approved], { emergency: true, placementType: 'emergency' }).then([
        placed({ emergency: true, placementType: 'emergency', emergencyOutsideTerms: true }),
      ]);
    });
    it('never stretches the count, even for an emergency', () => {
      whenPlace([approved, other(2), other(3)], { emergency: true }).thenFails('HOUSEHOLD_FULL');
    });
    describe('more than 3 foster children', () => {
      const big = { ...approved, data: { ...approved.data, terms: { ...terms, maxChildren: 5 } } };
      it('refuses a fourth unrelated child without the sibling-group exemption', () => {
        whenPlace([big, other(2), other(3), other(4)]).thenFails('APPROVAL_TERMS_EXCEEDED');
      });
      it('takes a fourth child when all four are one sibling group', () => {
        whenPlace([big, other(2, 'g1'), other(3, 'g1'), other(4, 'g1')], { siblingGroupId: 'g1' }).then([
          placed({ siblingGroupId: 'g1' }),
        ]);
      });
      it('refuses a fourth child when only some are siblings', () => {
        whenPlace([big, other(2, 'g1'), other(3, 'g1'), other(4)], { siblingGroupId: 'g1' }).thenFails(
          'APPROVAL_TERMS_EXCEEDED',
        );
      });
      it('takes a fourth unrelated child with the exemption', () => {
        const exempt = {
          ...approved,
          data: { ...approved.data, terms: { ...terms, maxChildren: 5, siblingGroup: true } },
        };
        whenPlace([exempt, other(2), other(3), other(4)]).then([placed()]);
      });
    });
    it('refuses a suspended household', () => {
      whenPlace([
        approved,
        { type: 'HouseholdSuspended', data: { householdId: 'h1', date: '2025-02-01', reason: 'allegation' } },
      ]).thenFails('HOUSEHOLD_NOT_AVAILABLE');
    });
    it('refuses a resigned household', () => {
      whenPlace([approved, { type: 'HouseholdResigned', data: { householdId: 'h1', date: '2025-02-01' } }]).thenFails(
        'HOUSEHOLD_NOT_AVAILABLE',
      );
    });
    it('refuses a household never approved', () => {
      whenPlace([]).thenFails('NOT_FOUND');
    });
    it('refuses the same child twice', () => {
      whenPlace([approved, placed()], { placementId: 'p9' }).thenFails('ALREADY_EXISTS');
    });
  });

  describe('RecordChildLeftHousehold', () => {
    const left = {
      householdId: 'h1',
      placementId: 'p1',
      childId: 'c1',
      date: '2025-06-01',
      reason: 'placement-ended' as const,
    };
    it('records the child leaving, which frees the place', () => {
      given(householdDecider, [approved, placed()])
        .when({ type: 'RecordChildLeftHousehold', data: left })
        .then([{ type: 'ChildLeftHousehold', data: left }]);
      whenPlace([approved, placed(), other(2), { type: 'ChildLeftHousehold', data: left }], {
        placementId: 'p5',
        child: { ...place.child, childId: 'c5' },
      }).then([placed({ placementId: 'p5', childId: 'c5' })]);
    });
    it('refuses a child who is not there', () => {
      given(householdDecider, [approved]).when({ type: 'RecordChildLeftHousehold', data: left }).thenFails('NOT_FOUND');
    });
    it('refuses a date before the start', () => {
      given(householdDecider, [approved, placed()])
        .when({ type: 'RecordChildLeftHousehold', data: { ...left, date: '2025-01-01' } })
        .thenFails('INVALID_DATES');
    });
  });

  describe('suspension and resignation', () => {
    const suspended = {
      type: 'HouseholdSuspended' as const,
      data: { householdId: 'h1', date: '2025-02-01', reason: 'allegation' as const },
    };
    it('suspends an approved household', () => {
      given(householdDecider, [approved]).when({ type: 'SuspendHousehold', data: suspended.data }).then([suspended]);
    });
    it('refuses to suspend twice', () => {
      given(householdDecider, [approved, suspended])
        .when({ type: 'SuspendHousehold', data: suspended.data })
        .thenFails('INVALID_STATE');
    });
    it('reinstates a suspended household, which takes children again', () => {
      const reinstated = { type: 'HouseholdReinstated' as const, data: { householdId: 'h1', date: '2025-02-20' } };
      given(householdDecider, [approved, suspended])
        .when({ type: 'ReinstateHousehold', data: reinstated.data })
        .then([reinstated]);
      whenPlace([approved, suspended, reinstated]).then([placed()]);
    });
    it('refuses to reinstate an approved household', () => {
      given(householdDecider, [approved])
        .when({ type: 'ReinstateHousehold', data: { householdId: 'h1', date: '2025-02-20' } })
        .thenFails('INVALID_STATE');
    });
    it('records a resignation', () => {
      const resigned = { type: 'HouseholdResigned' as const, data: { householdId: 'h1', date: '2025-03-01' } };
      given(householdDecider, [approved])
        .when({ type: 'RecordHouseholdResigned', data: resigned.data })
        .then([resigned]);
    });
    it('refuses a resignation while children live there', () => {
      given(householdDecider, [approved, placed()])
        .when({ type: 'RecordHouseholdResigned', data: { householdId: 'h1', date: '2025-03-01' } })
        .thenFails('INVALID_STATE');
    });
  });
});
