import { aChildRegistered, aPlacementEnd, aStepDownPlanned, given, someApprovalTerms } from '../testing';
import { childDecider, placementOn, streamId } from './child';
import type { RecCode } from '../ssda903-codes';
import type {
  CareLeaverRecorded,
  ChildEvent,
  ChildRegistered,
  PlacementEnded,
  PlacementStarted,
  PlanStepDown,
  StartPlacement,
} from './types';

const registered: ChildRegistered = aChildRegistered({
  dateOfBirth: '2011-05-10',
  localAuthority: 'Rotherham',
  ethnicity: 'WBRI',
});
const bedUnit = { kind: 'bed' as const, settingId: 's1', bedId: 'b1' };
const start: StartPlacement['data'] = {
  childId: 'c1',
  placementId: 'p1',
  unit: bedUnit,
  place: 'K2',
  placeProvider: 'PR1',
  legalStatus: 'C2',
  startDate: '2025-03-01',
  emergency: false,
  unmatchedEmergency: false,
  referralId: 'r1',
  placementPostcode: 'S60 1AE',
  urn: 'SC123456',
};
const started: PlacementStarted = {
  type: 'PlacementStarted',
  data: {
    ...start,
    place: 'K2',
    placeProvider: 'PR1',
    legalStatus: 'C2',
    sameCarerAsPrevious: false,
    startsPeriodOfCare: true,
    stepDownId: null,
  },
};
const ended: PlacementEnded = {
  type: 'PlacementEnded',
  data: {
    childId: 'c1',
    placementId: 'p1',
    unit: bedUnit,
    endDate: '2025-06-01',
    reasonForChange: 'CHILD',
    reasonEpisodeCeased: null,
    next: null,
  },
};
const whenStart = (history: ChildEvent[], data: Partial<StartPlacement['data']> = {}) =>
  given(childDecider, history).when({ type: 'StartPlacement', data: { ...start, ...data } });

const terms = someApprovalTerms({ ageRange: { min: 10, max: 17 }, placementTypes: ['long-term'], postcode: 'S66 1AA' });
const safetyPlan = {
  summaryProvided: true,
  reviewDate: '2025-09-01',
  contingencyAgreed: true,
  leadRole: 'social-worker',
};
const plan: PlanStepDown['data'] = {
  childId: 'c1',
  stepDownId: 'sd1',
  fromPlacementId: 'p1',
  toHousehold: { householdId: 'h1', status: 'Approved', termsHistory: [{ from: '2020-01-01', terms }], bookings: [] },
  placementType: 'long-term',
  siblingGroupId: null,
  plannedDate: '2025-08-01',
  safetyPlan,
  milestones: [
    { milestoneId: 'ms1', kind: 'introductions', dueDate: '2025-07-01' },
    { milestoneId: 'ms2', kind: 'overnight-stay', dueDate: '2025-07-15' },
  ],
};
const planned = aStepDownPlanned({ plannedDate: plan.plannedDate, safetyPlan, milestones: plan.milestones });
const whenPlan = (history: ChildEvent[], data: Partial<PlanStepDown['data']> = {}) =>
  given(childDecider, history).when({ type: 'PlanStepDown', data: { ...plan, ...data } });
const complete = {
  childId: 'c1',
  stepDownId: 'sd1',
  newPlacementId: 'p2',
  date: '2025-08-01',
  place: 'U4',
  placeProvider: 'PR1',
  placementPostcode: 'S66 1AA',
};
/** The day the step-down completes, in the afternoon. */
const AUG_1 = '2025-08-01T15:00:00Z';

describe('child decider', () => {
  it('names its stream child-{id}', () => {
    expect(streamId('c1')).toBe('child-c1');
  });

  describe('RegisterChild', () => {
    it('registers a child', () => {
      given(childDecider, []).when({ type: 'RegisterChild', data: registered.data }).then([registered]);
    });
    it('refuses a second registration', () => {
      given(childDecider, [registered])
        .when({ type: 'RegisterChild', data: registered.data })
        .thenFails('ALREADY_EXISTS');
    });
    it('refuses an unknown CIN code', () => {
      given(childDecider, [])
        .when({ type: 'RegisterChild', data: { ...registered.data, categoryOfNeed: 'N9' as 'N1' } })
        .thenFails('INVALID_CODE');
    });
    it('refuses a date of birth that is not a date', () => {
      given(childDecider, [])
        .when({ type: 'RegisterChild', data: { ...registered.data, dateOfBirth: '10/05/2011' } })
        .thenFails('INVALID_DATES');
    });
  });

  describe('StartPlacement', () => {
    it('starts a first placement, beginning a period of care', () => {
      whenStart([registered]).then([started]);
    });
    it('refuses an unknown PLACE code', () => {
      whenStart([registered], { place: 'K9' }).thenFails('INVALID_CODE');
    });
    it('refuses an unknown PLACE_PROVIDER code', () => {
      whenStart([registered], { placeProvider: 'PR7' }).thenFails('INVALID_CODE');
    });
    it('refuses an unknown legal status', () => {
      whenStart([registered], { legalStatus: 'C9' }).thenFails('INVALID_CODE');
    });
    it('refuses a missing legal status when none is known', () => {
      whenStart([registered], { legalStatus: null }).thenFails('INVALID_CODE');
    });
    it('refuses a foster PLACE code for a bed', () => {
      whenStart([registered], { place: 'U4' }).thenFails('INVALID_CODE');
    });
    it('refuses a residential PLACE code for a household', () => {
      whenStart([registered], { unit: { kind: 'household', householdId: 'h1' } }).thenFails('INVALID_CODE');
    });
    it('refuses a second open placement', () => {
      whenStart([registered, started], { placementId: 'p2', startDate: '2025-04-01' }).thenFails(
        'OVERLAPPING_PLACEMENT',
      );
    });
    it('refuses a placement starting before the previous one ended', () => {
      whenStart([registered, started, ended], { placementId: 'p2', startDate: '2025-05-31' }).thenFails(
        'OVERLAPPING_PLACEMENT',
      );
    });
    it('refuses a placement id already used', () => {
      whenStart([registered, started, ended], { startDate: '2025-06-01' }).thenFails('ALREADY_EXISTS');
    });
    it('refuses an unregistered child', () => {
      whenStart([]).thenFails('NOT_FOUND');
    });
    it('continues the period of care on the day the last placement ended, keeping the legal status', () => {
      const events = whenStart([registered, started, ended], {
        placementId: 'p2',
        startDate: '2025-06-01',
        legalStatus: null,
        unit: { kind: 'bed', settingId: 's1', bedId: 'b2' },
      }).events();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'PlacementStarted',
        data: { legalStatus: 'C2', startsPeriodOfCare: false, sameCarerAsPrevious: true },
      });
    });
    it('starts a new period of care after the last one ceased', () => {
      const leftCare: PlacementEnded = {
        ...ended,
        data: { ...ended.data, reasonForChange: null, reasonEpisodeCeased: 'E13' },
      };
      const events = whenStart([registered, started, leftCare], {
        placementId: 'p2',
        startDate: '2025-06-01',
      }).events();
      expect(events[0]).toMatchObject({ data: { startsPeriodOfCare: true, sameCarerAsPrevious: false } });
    });
    it('records an unmatched emergency only for an emergency', () => {
      expect(whenStart([registered], { emergency: true, unmatchedEmergency: true }).events()[0]).toMatchObject({
        data: { unmatchedEmergency: true },
      });
      expect(whenStart([registered], { emergency: false, unmatchedEmergency: true }).events()[0]).toMatchObject({
        data: { unmatchedEmergency: false },
      });
    });
  });

  describe('EndPlacement', () => {
    const end = aPlacementEnd();
    it('ends the open placement', () => {
      given(childDecider, [registered, started]).when({ type: 'EndPlacement', data: end }).then([ended]);
    });
    it('ends a period of care with a REC code and no reason for change', () => {
      const data = { ...end, reasonForChange: null, reasonEpisodeCeased: 'E13' };
      given(childDecider, [registered, started])
        .when({ type: 'EndPlacement', data })
        .then([
          {
            type: 'PlacementEnded',
            data: { ...ended.data, reasonForChange: null, reasonEpisodeCeased: 'E13', next: 'leaves-care' },
          },
        ]);
    });
    it('records a move when another placement follows: the child stays looked after', () => {
      given(childDecider, [registered, started])
        .when({ type: 'EndPlacement', data: { ...end, next: 'placement' } })
        .then([{ type: 'PlacementEnded', data: { ...ended.data, next: 'placement' } }]);
    });
    it('records that the child ceases to be looked after, with the REC code', () => {
      given(childDecider, [registered, started])
        .when({
          type: 'EndPlacement',
          data: { ...end, reasonForChange: null, reasonEpisodeCeased: 'E17', next: 'leaves-care' },
        })
        .then([
          {
            type: 'PlacementEnded',
            data: { ...ended.data, reasonForChange: null, reasonEpisodeCeased: 'E17', next: 'leaves-care' },
          },
        ]);
    });
    it('refuses leaving care without an E-code REC, naming the field', () => {
      given(childDecider, [registered, started])
        .when({ type: 'EndPlacement', data: { ...end, next: 'leaves-care' } })
        .thenFails('INVALID_CODE', /reasonEpisodeCeased/);
      given(childDecider, [registered, started])
        .when({ type: 'EndPlacement', data: { ...end, reasonEpisodeCeased: 'X1', next: 'leaves-care' } })
        .thenFails('INVALID_CODE', /reasonEpisodeCeased/);
    });
    it('refuses a move to another placement with an E-code REC (the period of care would end)', () => {
      given(childDecider, [registered, started])
        .when({ type: 'EndPlacement', data: { ...end, reasonEpisodeCeased: 'E13', next: 'placement' } })
        .thenFails('INVALID_CODE', /reasonEpisodeCeased/);
    });
    it('refuses a move to another placement without a reason for change', () => {
      given(childDecider, [registered, started])
        .when({ type: 'EndPlacement', data: { ...end, reasonForChange: null, next: 'placement' } })
        .thenFails('INVALID_CODE', /reasonForChange/);
    });
    it('records an end that does not say what follows as before (the child is then on the no-placement queue)', () => {
      given(childDecider, [registered, started])
        .when({ type: 'EndPlacement', data: end })
        .then([{ type: 'PlacementEnded', data: { ...ended.data, next: null } }]);
    });
    it('refuses an unknown REASON_PLACE_CHANGE code', () => {
      given(childDecider, [registered, started])
        .when({ type: 'EndPlacement', data: { ...end, reasonForChange: 'BORED' } })
        .thenFails('INVALID_CODE');
    });
    it('refuses an unknown REC code', () => {
      given(childDecider, [registered, started])
        .when({ type: 'EndPlacement', data: { ...end, reasonEpisodeCeased: 'E99' } })
        .thenFails('INVALID_CODE');
    });
    it('refuses a move within care without a reason for change', () => {
      given(childDecider, [registered, started])
        .when({ type: 'EndPlacement', data: { ...end, reasonForChange: null, reasonEpisodeCeased: 'X1' } })
        .thenFails('INVALID_CODE');
    });
    it('refuses an end before the start', () => {
      given(childDecider, [registered, started])
        .when({ type: 'EndPlacement', data: { ...end, endDate: '2025-02-01' } })
        .thenFails('INVALID_DATES');
    });
    it('refuses a placement that is not open', () => {
      given(childDecider, [registered, started, ended])
        .when({ type: 'EndPlacement', data: end })
        .thenFails('NOT_FOUND');
    });
    it('abandons a planned step-down from the placement it ends', () => {
      given(childDecider, [registered, started, planned])
        .when({ type: 'EndPlacement', data: end })
        .then([
          ended,
          {
            type: 'StepDownAbandoned',
            data: { childId: 'c1', stepDownId: 'sd1', reason: 'placement-ended', date: '2025-06-01' },
          },
        ]);
    });
  });

  describe('a planned end, revised or withdrawn before it happens', () => {
    const plannedEnd = { ...ended, data: { ...ended.data, endDate: '2025-06-01' } };
    const at = '2025-05-01T09:00:00Z';
    const ids = { childId: 'c1', placementId: 'p1' };
    it('keeps the child in the placement until a planned end', () => {
      const { state } = given(childDecider, [registered, started, plannedEnd]);
      const child = state.status === 'Registered' ? state.child : null;
      expect(child && placementOn(child, '2025-05-31')?.placementId).toBe('p1');
      expect(child && placementOn(child, '2025-06-01')).toBeUndefined();
    });
    it('revises a planned end, as a withdrawal and a new end in one append', () => {
      given(childDecider, [registered, started, plannedEnd])
        .when({
          type: 'RevisePlacementEnd',
          data: { ...ids, endDate: '2025-06-15', reasonForChange: 'CHILD', reasonEpisodeCeased: null },
          at,
        })
        .then([
          { type: 'PlacementEndWithdrawn', data: { ...ids, unit: bedUnit } },
          { ...ended, data: { ...ended.data, endDate: '2025-06-15' } },
        ]);
    });
    it('withdraws a planned end: the placement is open again and can be ended afresh', () => {
      const withdrawn = { type: 'PlacementEndWithdrawn' as const, data: { ...ids, unit: bedUnit } };
      given(childDecider, [registered, started, plannedEnd])
        .when({ type: 'WithdrawPlacementEnd', data: ids, at })
        .then([withdrawn]);
      given(childDecider, [registered, started, plannedEnd, withdrawn])
        .when({
          type: 'EndPlacement',
          data: { ...ids, endDate: '2025-07-01', reasonForChange: 'CHILD', reasonEpisodeCeased: null },
        })
        .then([{ ...ended, data: { ...ended.data, endDate: '2025-07-01' } }]);
    });
    it('refuses to change an end that has happened', () => {
      given(childDecider, [registered, started, plannedEnd])
        .when({ type: 'WithdrawPlacementEnd', data: ids, at: '2025-06-01T09:00:00Z' })
        .thenFails('END_HAS_HAPPENED', 'the placement ended on 2025-06-01');
    });
    it('refuses to change an end the next placement starts from', () => {
      const next = { ...started, data: { ...started.data, placementId: 'p2', startDate: '2025-06-01' } };
      given(childDecider, [registered, started, plannedEnd, next])
        .when({ type: 'WithdrawPlacementEnd', data: ids, at })
        .thenFails('INVALID_STATE', 'next placement starts on 2025-06-01');
    });
    it('refuses to revise an open-ended placement', () => {
      given(childDecider, [registered, started])
        .when({ type: 'WithdrawPlacementEnd', data: ids, at })
        .thenFails('INVALID_STATE');
    });
  });

  describe('ChangeLegalStatus', () => {
    it('changes the legal status, which the next placement carries', () => {
      const changed = {
        type: 'LegalStatusChanged' as const,
        data: { childId: 'c1', legalStatus: 'E1' as const, date: '2025-04-01' },
      };
      given(childDecider, [registered, started])
        .when({ type: 'ChangeLegalStatus', data: changed.data })
        .then([changed]);
      const events = whenStart([registered, started, changed, ended], {
        placementId: 'p2',
        startDate: '2025-06-01',
        legalStatus: null,
      }).events();
      expect(events[0]).toMatchObject({ data: { legalStatus: 'E1' } });
    });
    it('refuses an unknown LS code', () => {
      given(childDecider, [registered])
        .when({ type: 'ChangeLegalStatus', data: { childId: 'c1', legalStatus: 'ZZ', date: '2025-04-01' } })
        .thenFails('INVALID_CODE');
    });
    it('refuses the status the child already has', () => {
      given(childDecider, [registered, started])
        .when({ type: 'ChangeLegalStatus', data: { childId: 'c1', legalStatus: 'C2', date: '2025-04-01' } })
        .thenFails('INVALID_STATE');
    });
    it('takes a change dated today in London, and refuses one dated tomorrow: it is a decision already made', () => {
      // 23:30 UTC on 31 March is 00:30 on 1 April in London (BST).
      const at = '2025-03-31T23:30:00Z';
      given(childDecider, [registered, started])
        .when({ type: 'ChangeLegalStatus', data: { childId: 'c1', legalStatus: 'E1', date: '2025-04-01' }, at })
        .then([{ type: 'LegalStatusChanged', data: { childId: 'c1', legalStatus: 'E1', date: '2025-04-01' } }]);
      given(childDecider, [registered, started])
        .when({ type: 'ChangeLegalStatus', data: { childId: 'c1', legalStatus: 'E1', date: '2025-04-02' }, at })
        .thenFails('DATE_IN_FUTURE', 'after today (2025-04-01');
    });
  });

  describe('PlanStepDown', () => {
    it('plans a step-down with a safety plan to a household whose terms fit', () => {
      whenPlan([registered, started]).then([planned]);
    });
    it('refuses without a safety plan', () => {
      whenPlan([registered, started], { safetyPlan: null }).thenFails('SAFETY_PLAN_REQUIRED');
    });
    it('refuses a safety plan that was not provided', () => {
      whenPlan([registered, started], { safetyPlan: { ...safetyPlan, summaryProvided: false } }).thenFails(
        'SAFETY_PLAN_REQUIRED',
      );
    });
    it('refuses a household whose age range does not fit the child on the planned date', () => {
      whenPlan([registered, started], {
        toHousehold: {
          ...plan.toHousehold,
          termsHistory: [{ from: '2020-01-01', terms: { ...terms, ageRange: { min: 0, max: 12 } } }],
        },
      }).thenFails('APPROVAL_TERMS_EXCEEDED');
    });
    it('refuses a household with no place left', () => {
      whenPlan([registered, started], {
        toHousehold: {
          ...plan.toHousehold,
          bookings: [
            { childId: 'x', siblingGroupId: null, from: '2024-01-01', to: null },
            { childId: 'y', siblingGroupId: null, from: '2024-01-01', to: null },
          ],
        },
      }).thenFails('HOUSEHOLD_FULL');
    });
    it('plans into a place that a planned departure frees by the planned date', () => {
      whenPlan([registered, started], {
        toHousehold: {
          ...plan.toHousehold,
          bookings: [
            { childId: 'x', siblingGroupId: null, from: '2024-01-01', to: null },
            { childId: 'y', siblingGroupId: null, from: '2024-01-01', to: '2025-07-20' },
          ],
        },
      }).then([planned]);
    });
    it('refuses a suspended household', () => {
      whenPlan([registered, started], { toHousehold: { ...plan.toHousehold, status: 'Suspended' } }).thenFails(
        'HOUSEHOLD_NOT_AVAILABLE',
      );
    });
    it('refuses a step-down from a foster placement', () => {
      const fostered: PlacementStarted = {
        ...started,
        data: { ...started.data, unit: { kind: 'household', householdId: 'h0' }, place: 'U4' },
      };
      whenPlan([registered, fostered]).thenFails('NOT_RESIDENTIAL');
    });
    it('refuses a placement that is not open', () => {
      whenPlan([registered, started, ended]).thenFails('NOT_FOUND');
    });
    it('refuses a second step-down while one is planned', () => {
      whenPlan([registered, started, planned], { stepDownId: 'sd2' }).thenFails('ALREADY_EXISTS');
    });
  });

  describe('RecordStepDownMilestone / AbandonStepDown', () => {
    const milestone = {
      childId: 'c1',
      stepDownId: 'sd1',
      milestoneId: 'ms1',
      date: '2025-07-01',
      outcome: 'met' as const,
    };
    const at = '2025-07-01T18:00:00Z';
    it('records a milestone', () => {
      given(childDecider, [registered, started, planned])
        .when({ type: 'RecordStepDownMilestone', data: milestone, at })
        .then([{ type: 'StepDownMilestoneRecorded', data: milestone }]);
      const { state } = given(childDecider, [
        registered,
        started,
        planned,
        { type: 'StepDownMilestoneRecorded', data: milestone },
      ]);
      expect(state.status === 'Registered' && state.child.stepDowns[0]?.milestones[0]?.outcome).toBe('met');
    });
    it('refuses an unknown milestone', () => {
      given(childDecider, [registered, started, planned])
        .when({ type: 'RecordStepDownMilestone', data: { ...milestone, milestoneId: 'ms9' }, at })
        .thenFails('NOT_FOUND');
    });
    it('refuses a milestone met or missed on a date after today (Europe/London)', () => {
      given(childDecider, [registered, started, planned])
        .when({ type: 'RecordStepDownMilestone', data: { ...milestone, date: '2025-07-02' }, at })
        .thenFails('DATE_IN_FUTURE', '2025-07-02 is after today (2025-07-01, Europe/London)');
      given(childDecider, [registered, started, planned])
        .when({ type: 'RecordStepDownMilestone', data: { ...milestone, outcome: 'missed', date: '2025-07-09' }, at })
        .thenFails('DATE_IN_FUTURE');
    });
    it('records a milestone rescheduled to a date ahead', () => {
      const rescheduled = { ...milestone, outcome: 'rescheduled' as const, date: '2025-07-09' };
      given(childDecider, [registered, started, planned])
        .when({ type: 'RecordStepDownMilestone', data: rescheduled, at })
        .then([{ type: 'StepDownMilestoneRecorded', data: rescheduled }]);
    });
    it('reads "today" in London across the clock change: 23:30 UTC on 28 March 2026 is still the 28th', () => {
      const onThe29th = { ...milestone, date: '2026-03-29' };
      given(childDecider, [registered, started, planned])
        .when({ type: 'RecordStepDownMilestone', data: onThe29th, at: '2026-03-28T23:30:00Z' })
        .thenFails('DATE_IN_FUTURE');
      given(childDecider, [registered, started, planned])
        .when({ type: 'RecordStepDownMilestone', data: onThe29th, at: '2026-03-29T00:30:00Z' })
        .then([{ type: 'StepDownMilestoneRecorded', data: onThe29th }]);
    });
    const abandoned = { childId: 'c1', stepDownId: 'sd1', reason: 'child-wishes' as const, date: '2025-07-10' };
    it('abandons a planned step-down', () => {
      given(childDecider, [registered, started, planned])
        .when({ type: 'AbandonStepDown', data: abandoned })
        .then([{ type: 'StepDownAbandoned', data: abandoned }]);
    });
    it('refuses a milestone on an abandoned step-down', () => {
      given(childDecider, [registered, started, planned, { type: 'StepDownAbandoned', data: abandoned }])
        .when({ type: 'RecordStepDownMilestone', data: milestone, at })
        .thenFails('STEP_DOWN_NOT_ACTIVE');
    });
  });

  describe('CompleteStepDown', () => {
    it('ends the residential placement, starts the household one and completes, in one append', () => {
      given(childDecider, [registered, started, planned])
        .when({ type: 'CompleteStepDown', data: complete, at: AUG_1 })
        .then([
          {
            type: 'PlacementEnded',
            data: {
              childId: 'c1',
              placementId: 'p1',
              unit: bedUnit,
              endDate: '2025-08-01',
              reasonForChange: 'LAREQ',
              reasonEpisodeCeased: null,
              next: 'placement',
            },
          },
          {
            type: 'PlacementStarted',
            data: {
              childId: 'c1',
              placementId: 'p2',
              unit: { kind: 'household', householdId: 'h1' },
              place: 'U4',
              placeProvider: 'PR1',
              legalStatus: 'C2',
              startDate: '2025-08-01',
              emergency: false,
              unmatchedEmergency: false,
              referralId: null,
              placementPostcode: 'S66 1AA',
              urn: null,
              sameCarerAsPrevious: false,
              startsPeriodOfCare: false,
              stepDownId: 'sd1',
            },
          },
          {
            type: 'StepDownCompleted',
            data: {
              childId: 'c1',
              stepDownId: 'sd1',
              fromPlacementId: 'p1',
              newPlacementId: 'p2',
              toHouseholdId: 'h1',
              date: '2025-08-01',
            },
          },
        ]);
    });
    it('refuses a residential PLACE code for the household', () => {
      given(childDecider, [registered, started, planned])
        .when({ type: 'CompleteStepDown', data: { ...complete, place: 'K2' }, at: AUG_1 })
        .thenFails('INVALID_CODE');
    });
    it('refuses an unplanned step-down', () => {
      given(childDecider, [registered, started])
        .when({ type: 'CompleteStepDown', data: complete, at: AUG_1 })
        .thenFails('NOT_FOUND');
    });
    it('refuses to complete twice', () => {
      const history = [
        registered,
        started,
        planned,
        ...given(childDecider, [registered, started, planned])
          .when({ type: 'CompleteStepDown', data: complete, at: AUG_1 })
          .events(),
      ];
      given(childDecider, history)
        .when({ type: 'CompleteStepDown', data: complete, at: AUG_1 })
        .thenFails('STEP_DOWN_NOT_ACTIVE');
    });
    it('refuses a date before the residential placement started', () => {
      given(childDecider, [registered, started, planned])
        .when({ type: 'CompleteStepDown', data: { ...complete, date: '2025-01-01' }, at: AUG_1 })
        .thenFails('INVALID_DATES');
    });
    it('refuses a completion dated after today: completing is a fact, planning is for the future', () => {
      given(childDecider, [registered, started, planned])
        .when({ type: 'CompleteStepDown', data: complete, at: '2025-07-31T15:00:00Z' })
        .thenFails('DATE_IN_FUTURE', 'completing a step-down is a fact about the past');
    });
    it('reads "today" in London across the clock change: 23:30 UTC on 24 October 2026 is already the 25th', () => {
      const history = [registered, { ...started, data: { ...started.data, startDate: '2026-03-01' } }, planned];
      const onThe25th = { ...complete, date: '2026-10-25' };
      given(childDecider, history)
        .when({ type: 'CompleteStepDown', data: onThe25th, at: '2026-10-24T22:30:00Z' })
        .thenFails('DATE_IN_FUTURE');
      expect(
        given(childDecider, history)
          .when({ type: 'CompleteStepDown', data: onThe25th, at: '2026-10-24T23:30:00Z' })
          .events(),
      ).toHaveLength(3);
    });
  });
});

describe('child decider: care leavers', () => {
  // c1 was born on 10 May 2011: 18 on 10 May 2029, 16 on 10 May 2027.
  const leftAt = (endDate: string, rec: 'E17' | 'E5' | 'E13'): PlacementEnded => ({
    type: 'PlacementEnded',
    data: { ...ended.data, endDate, reasonForChange: null, reasonEpisodeCeased: rec, next: 'leaves-care' },
  });
  const at = '2029-07-01T09:00:00Z';
  const record = { childId: 'c1', accommodation: 'staying-put', from: '2029-06-01' } as const;
  const recorded = (
    data: Partial<CareLeaverRecorded['data']> = {},
    ceasedCareOn = '2029-06-01',
    rec: RecCode = 'E17',
  ): CareLeaverRecorded => ({
    type: 'CareLeaverRecorded',
    data: { ...record, ...data, ceasedCareOn, reasonEpisodeCeased: rec },
  });

  // Staying put is with the former foster carer (Children and Families Act 2014, s.98):
  // the care that ceased was foster care.
  const fostered: PlacementStarted = { ...started, data: { ...started.data, place: 'U5' } };

  it('records a young person who ceased care at 18 staying put with their former foster carer', () => {
    given(childDecider, [registered, fostered, leftAt('2029-06-01', 'E17')])
      .when({ type: 'RecordCareLeaver', data: record, at })
      .then([recorded()]);
  });
  it("refuses staying put after a children's home, naming the field: staying put is with a former foster carer", () => {
    given(childDecider, [registered, started, leftAt('2029-06-01', 'E17')])
      .when({ type: 'RecordCareLeaver', data: record, at })
      .thenFails('INVALID_INPUT', /accommodation: staying put .*foster.*\(K2\)/);
  });
  it('records one who left care at 17 for independent living (E5) in 16+ supported accommodation', () => {
    given(childDecider, [registered, started, leftAt('2028-09-01', 'E5')])
      .when({
        type: 'RecordCareLeaver',
        data: { ...record, accommodation: 'supported-16-plus', from: '2028-09-01' },
        at,
      })
      .then([recorded({ accommodation: 'supported-16-plus', from: '2028-09-01' }, '2028-09-01', 'E5')]);
  });
  it('refuses a child still looked after, or one who left care before 18 other than to independent living', () => {
    given(childDecider, [registered, started])
      .when({ type: 'RecordCareLeaver', data: record, at })
      .thenFails('NOT_A_CARE_LEAVER', /still looked after/);
    given(childDecider, [registered, started, leftAt('2028-09-01', 'E13')])
      .when({ type: 'RecordCareLeaver', data: { ...record, from: '2028-09-01' }, at })
      .thenFails('NOT_A_CARE_LEAVER', /aged 17/);
    given(childDecider, [registered, started, leftAt('2026-09-01', 'E5')])
      .when({ type: 'RecordCareLeaver', data: { ...record, from: '2026-09-01' }, at })
      .thenFails('NOT_A_CARE_LEAVER', /aged 15/);
  });
  it('refuses an unknown accommodation, naming the field, and a date before care ceased or after today', () => {
    const history = [registered, fostered, leftAt('2029-06-01', 'E17')];
    given(childDecider, history)
      .when({ type: 'RecordCareLeaver', data: { ...record, accommodation: 'tent' }, at })
      .thenFails('INVALID_INPUT', /accommodation/);
    given(childDecider, history)
      .when({ type: 'RecordCareLeaver', data: { ...record, from: '2029-05-31' }, at })
      .thenFails('INVALID_DATES', /from/);
    given(childDecider, history)
      .when({ type: 'RecordCareLeaver', data: { ...record, from: '2029-07-02' }, at })
      .thenFails('DATE_IN_FUTURE');
  });
  it('records a move from staying put to independent living, and nothing for the same record again', () => {
    const history = [registered, fostered, leftAt('2029-06-01', 'E17'), recorded()];
    given(childDecider, history).when({ type: 'RecordCareLeaver', data: record, at }).then([]);
    const moved = { ...record, accommodation: 'independent' as const, from: '2029-06-20' };
    given(childDecider, history)
      .when({ type: 'RecordCareLeaver', data: moved, at })
      .then([recorded({ accommodation: 'independent', from: '2029-06-20' })]);
  });
  it('refuses a record once the young person is looked after again', () => {
    const back: PlacementStarted = {
      ...started,
      data: { ...started.data, placementId: 'p2', startDate: '2029-06-15' },
    };
    given(childDecider, [registered, started, leftAt('2029-06-01', 'E17'), back])
      .when({ type: 'RecordCareLeaver', data: record, at })
      .thenFails('NOT_A_CARE_LEAVER', /still looked after/);
  });
});
