import { given, someApprovalTerms } from '../testing';
import { householdDecider, householdMemberAgesOn, streamId } from './household';
import type {
  ChildLeftHousehold,
  ChildPlacedWithHousehold,
  FosterHouseholdApproved,
  HouseholdEvent,
  HouseholdMember,
  HouseholdMembersRecorded,
  PlaceChildWithHousehold,
} from './types';

const terms = someApprovalTerms({ ageRange: { min: 0, max: 11 } });
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
  endDate: null,
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
const other = (n: number, siblingGroupId: string | null = null, startDate = '2025-01-01') =>
  placed({ placementId: `p${n}`, childId: `c${n}`, siblingGroupId, startDate });
const left = (
  n: number,
  date: string,
  reason: ChildLeftHousehold['data']['reason'] = 'placement-ended',
): ChildLeftHousehold => ({
  type: 'ChildLeftHousehold',
  data: { householdId: 'h1', placementId: `p${n}`, childId: `c${n}`, date, reason },
});
const newcomer = (n: number, data: Partial<PlaceChildWithHousehold['data']> = {}) => ({
  placementId: `p${n}`,
  child: { ...place.child, childId: `c${n}` },
  ...data,
});

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
        .thenFails('APPROVAL_TERMS_EXCEEDED', 'the terms approve 1 place(s) but 2 children live there on 2025-03-01');
    });
    it('takes fewer places from the day a planned departure leaves room', () => {
      const history = [approved, placed(), other(2), left(2, '2025-04-01')];
      const fewer = { ...change, terms: { ...terms, maxChildren: 1 } };
      given(householdDecider, history)
        .when({ type: 'ChangeApprovalTerms', data: { ...fewer, effectiveDate: '2025-04-01' } })
        .then([{ type: 'ApprovalTermsChanged', data: { ...fewer, effectiveDate: '2025-04-01' } }]);
      given(householdDecider, history)
        .when({ type: 'ChangeApprovalTerms', data: { ...fewer, effectiveDate: '2025-03-20' } })
        .thenFails('APPROVAL_TERMS_EXCEEDED', 'on 2025-03-20');
    });
    it('refuses terms placed children would be outside of, naming them; a child who has left does not count', () => {
      const older = { ...change, terms: { ...terms, ageRange: { min: 16, max: 17 } }, effectiveDate: '2025-03-10' };
      given(householdDecider, [approved, placed(), other(2)])
        .when({ type: 'ChangeApprovalTerms', data: older })
        .thenFails('APPROVAL_TERMS_EXCEEDED', /outside the new terms .*: c1, c2$/);
      given(householdDecider, [approved, placed(), other(2), left(1, '2025-03-10'), left(2, '2025-03-05')])
        .when({ type: 'ChangeApprovalTerms', data: older })
        .then([{ type: 'ApprovalTermsChanged', data: older }]);
    });
    it('refuses terms that no longer approve the placement type a child is placed under', () => {
      const respiteOnly = { ...change, terms: { ...terms, placementTypes: ['respite' as const] } };
      given(householdDecider, [approved, placed()])
        .when({ type: 'ChangeApprovalTerms', data: respiteOnly })
        .thenFails('APPROVAL_TERMS_EXCEEDED', 'c1');
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
    it('refuses when the approved places are taken (a conflict), naming the placements that hold them', () => {
      whenPlace([approved, other(2), other(3)]).thenFails(
        'HOUSEHOLD_FULL',
        'taken on 2025-03-01 by placements from 2025-01-01 with no end date; from 2025-01-01 with no end date',
      );
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
    it('refuses the same child twice on the same dates', () => {
      whenPlace([approved, placed()], { placementId: 'p9' }).thenFails('ALREADY_EXISTS');
    });
  });

  describe('PlaceChildWithHousehold: the approved places hold on every date', () => {
    it('frees a place only from the day a planned departure happens', () => {
      const history = [approved, other(2), other(3), left(3, '2025-03-15')];
      whenPlace(history, { startDate: '2025-03-10' }).thenFails('HOUSEHOLD_FULL', 'taken on 2025-03-10');
      whenPlace(history, { startDate: '2025-03-15' }).then([placed({ startDate: '2025-03-15' })]);
    });
    it('counts a planned arrival from its start: an open-ended placement now is refused on that date', () => {
      const history = [approved, other(2), other(3, null, '2025-04-01')];
      whenPlace(history).thenFails('HOUSEHOLD_FULL', 'taken on 2025-04-01');
    });
    it('takes a respite stay that ends before the planned arrival, with its planned end', () => {
      const history = [approved, other(2), other(3, null, '2025-04-01')];
      whenPlace(history, { endDate: '2025-04-01' }).then([placed(), left(1, '2025-04-01')]);
    });
    it('fits a back-dated placement over its whole interval', () => {
      const history = [approved, other(2, null, '2024-12-01'), other(3, null, '2025-02-20'), left(3, '2025-02-25')];
      whenPlace(history, { startDate: '2025-02-18' }).thenFails('HOUSEHOLD_FULL', 'taken on 2025-02-20');
      whenPlace(history, { startDate: '2025-02-25' }).then([placed({ startDate: '2025-02-25' })]);
    });
    it('applies the terms in force on each date: fewer places from a change next month', () => {
      const fewer: HouseholdEvent = {
        type: 'ApprovalTermsChanged',
        data: { householdId: 'h1', terms: { ...terms, maxChildren: 1 }, effectiveDate: '2025-04-01' },
      };
      whenPlace([approved, other(2), fewer]).thenFails('HOUSEHOLD_FULL', 'taken on 2025-04-01');
      whenPlace([approved, other(2), fewer], { endDate: '2025-04-01' }).then([placed(), left(1, '2025-04-01')]);
    });
    it('keeps the sibling rule on every date: a fourth unrelated child arriving later is refused then', () => {
      const big = { ...approved, data: { ...approved.data, terms: { ...terms, maxChildren: 5 } } };
      whenPlace([big, other(2), other(3), other(4, null, '2025-05-01')]).thenFails(
        'APPROVAL_TERMS_EXCEEDED',
        'more than 3 foster children on 2025-05-01',
      );
    });
    it('takes the same child again after an earlier stay has ended', () => {
      whenPlace([approved, placed({ startDate: '2025-01-01' }), left(1, '2025-02-01')], {
        placementId: 'p9',
      }).then([placed({ placementId: 'p9' })]);
    });
  });

  describe('ReviseHouseholdDeparture / WithdrawHouseholdDeparture', () => {
    const ids = { householdId: 'h1', placementId: 'p2', childId: 'c2' };
    const at = '2025-03-01T10:00:00Z';
    const planned = [approved, other(2), left(2, '2025-03-15'), placed({ startDate: '2025-03-15' })];
    it('moves a planned departure earlier', () => {
      given(householdDecider, planned)
        .when({ type: 'ReviseHouseholdDeparture', data: { ...ids, date: '2025-03-10' }, at })
        .then([{ type: 'HouseholdDepartureWithdrawn', data: ids }, left(2, '2025-03-10')]);
    });
    it('refuses a later departure when the place is promised to the next child', () => {
      const full = { ...approved, data: { ...approved.data, terms: { ...terms, maxChildren: 1 } } };
      const history = [full, other(2), left(2, '2025-03-15'), placed({ startDate: '2025-03-15' })];
      given(householdDecider, history)
        .when({ type: 'ReviseHouseholdDeparture', data: { ...ids, date: '2025-03-20' }, at })
        .thenFails('HOUSEHOLD_FULL', 'from 2025-03-15 with no end date');
      given(householdDecider, history)
        .when({ type: 'WithdrawHouseholdDeparture', data: ids, at })
        .thenFails('HOUSEHOLD_FULL');
    });
    it('withdraws a planned departure while there is room', () => {
      given(householdDecider, planned)
        .when({ type: 'WithdrawHouseholdDeparture', data: ids, at })
        .then([{ type: 'HouseholdDepartureWithdrawn', data: ids }]);
    });
    it('refuses to change a departure that has happened', () => {
      given(householdDecider, planned)
        .when({ type: 'WithdrawHouseholdDeparture', data: ids, at: '2025-03-16T10:00:00Z' })
        .thenFails('END_HAS_HAPPENED');
    });
  });

  describe('RecordChildLeftHousehold', () => {
    const leaving = {
      householdId: 'h1',
      placementId: 'p1',
      childId: 'c1',
      date: '2025-06-01',
      reason: 'placement-ended' as const,
    };
    it('records the child leaving, which frees the place', () => {
      given(householdDecider, [approved, placed()])
        .when({ type: 'RecordChildLeftHousehold', data: leaving })
        .then([{ type: 'ChildLeftHousehold', data: leaving }]);
      whenPlace(
        [approved, placed(), other(2), { type: 'ChildLeftHousehold', data: leaving }],
        newcomer(5, { startDate: '2025-06-01' }),
      ).then([placed({ placementId: 'p5', childId: 'c5', startDate: '2025-06-01' })]);
    });
    it('refuses a child who is not there', () => {
      given(householdDecider, [approved])
        .when({ type: 'RecordChildLeftHousehold', data: leaving })
        .thenFails('NOT_FOUND');
    });
    it('refuses a date before the start', () => {
      given(householdDecider, [approved, placed()])
        .when({ type: 'RecordChildLeftHousehold', data: { ...leaving, date: '2025-01-01' } })
        .thenFails('INVALID_DATES');
    });
    it('removes the placement altogether on a compensation', () => {
      expect(given(householdDecider, [approved, placed(), left(1, '2025-03-01', 'compensation')]).state).toMatchObject({
        placements: [],
      });
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
    it('refuses a suspension, reinstatement or resignation dated after today: the record changes at once', () => {
      const at = '2025-02-01T10:00:00Z';
      given(householdDecider, [approved])
        .when({ type: 'SuspendHousehold', data: { ...suspended.data, date: '2025-02-02' }, at })
        .thenFails('DATE_IN_FUTURE');
      given(householdDecider, [approved])
        .when({ type: 'SuspendHousehold', data: suspended.data, at })
        .then([suspended]);
      given(householdDecider, [approved, suspended])
        .when({ type: 'ReinstateHousehold', data: { householdId: 'h1', date: '2025-02-02' }, at })
        .thenFails('DATE_IN_FUTURE');
      given(householdDecider, [approved])
        .when({ type: 'RecordHouseholdResigned', data: { householdId: 'h1', date: '2025-02-02' }, at })
        .thenFails('DATE_IN_FUTURE');
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
    it('refuses a resignation while children live there, or will after it', () => {
      given(householdDecider, [approved, placed()])
        .when({ type: 'RecordHouseholdResigned', data: { householdId: 'h1', date: '2025-03-01' } })
        .thenFails('HOUSEHOLD_HAS_CHILDREN', 'after 2025-03-01: c1;');
      given(householdDecider, [approved, placed(), left(1, '2025-04-01')])
        .when({ type: 'RecordHouseholdResigned', data: { householdId: 'h1', date: '2025-03-20' } })
        .thenFails('HOUSEHOLD_HAS_CHILDREN', 'c1');
    });
    it('records a resignation from the day the last child leaves', () => {
      const resigned = { type: 'HouseholdResigned' as const, data: { householdId: 'h1', date: '2025-04-01' } };
      given(householdDecider, [approved, placed(), left(1, '2025-04-01')])
        .when({ type: 'RecordHouseholdResigned', data: resigned.data })
        .then([resigned]);
    });
  });

  describe('RecordHouseholdMembers', () => {
    const at = '2026-03-02T10:00:00Z';
    const members: HouseholdMembersRecorded['data']['members'] = [
      { bornIn: '2019-04', relationship: 'carers-child' },
      { bornIn: '2001-11', relationship: 'carers-child' },
    ];
    const recorded: HouseholdMembersRecorded = {
      type: 'HouseholdMembersRecorded',
      data: { householdId: 'h1', members },
    };
    const record = (data: Partial<HouseholdMembersRecorded['data']> = {}) => ({
      type: 'RecordHouseholdMembers' as const,
      data: { householdId: 'h1', members, ...data },
      at,
    });

    it('records the members living with the carers, and the state keeps the list', () => {
      given(householdDecider, [approved]).when(record()).then([recorded]);
      const state = given(householdDecider, [approved, recorded]).state;
      expect(state.status === 'Approved' && state.members).toEqual(members);
    });
    it('records the whole list each time: an empty list says nobody else lives there', () => {
      const none: HouseholdMembersRecorded = {
        type: 'HouseholdMembersRecorded',
        data: { householdId: 'h1', members: [] },
      };
      given(householdDecider, [approved, recorded])
        .when(record({ members: [] }))
        .then([none]);
      const state = given(householdDecider, [approved, recorded, none]).state;
      expect(state.status === 'Approved' && state.members).toEqual([]);
    });
    it('records nothing when the list is the one on record, in any order', () => {
      given(householdDecider, [approved, recorded])
        .when(record({ members: [...members].reverse() }))
        .then([]);
    });
    it('a household approved before members were recorded has none', () => {
      const state = given(householdDecider, [approved]).state;
      expect(state.status === 'Approved' && state.members).toEqual([]);
    });
    it('refuses an unknown household', () => {
      given(householdDecider, []).when(record()).thenFails('NOT_FOUND');
    });
    it('refuses a resigned household', () => {
      const resigned: HouseholdEvent = { type: 'HouseholdResigned', data: { householdId: 'h1', date: '2025-01-01' } };
      given(householdDecider, [approved, resigned]).when(record()).thenFails('HOUSEHOLD_NOT_AVAILABLE');
    });
    it('refuses a month of birth that is not YYYY-MM', () => {
      given(householdDecider, [approved])
        .when(record({ members: [{ bornIn: '2019-13', relationship: 'carers-child' }] }))
        .thenFails('INVALID_INPUT', 'bornIn');
    });
    it('refuses a month of birth after this month', () => {
      given(householdDecider, [approved])
        .when(record({ members: [{ bornIn: '2026-04', relationship: 'carers-child' }] }))
        .thenFails('DATE_IN_FUTURE');
    });
    it('refuses an unknown relationship', () => {
      const member = { bornIn: '2019-04', relationship: 'neighbour' } as unknown as HouseholdMember;
      given(householdDecider, [approved])
        .when(record({ members: [member] }))
        .thenFails('INVALID_INPUT');
    });
  });

  describe('householdMemberAgesOn', () => {
    it('counts a member born in a month as the youngest they could be: born on its last day', () => {
      expect(householdMemberAgesOn([{ bornIn: '2019-04', relationship: 'carers-child' }], '2026-04-29')).toEqual([6]);
      expect(householdMemberAgesOn([{ bornIn: '2019-04', relationship: 'carers-child' }], '2026-04-30')).toEqual([7]);
    });
  });
});
