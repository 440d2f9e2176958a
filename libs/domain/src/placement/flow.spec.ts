import { DomainError } from '../shared/errors';
import { fold } from '../shared/decider';
import { bedDecider } from '../bed/bed';
import { householdDecider } from '../household/household';
import { contractDecider } from '../contract/contract';
import { childDecider } from '../child/child';
import { referralDecider } from '../referral/referral';
import type { BedEvent, MatchingMeetingFacts } from '../bed/types';
import type { HouseholdEvent } from '../household/types';
import type { ContractEvent } from '../contract/types';
import type { ChildEvent } from '../child/types';
import type { ReferralEvent } from '../referral/types';
import { decideEndPlacement, decidePlacement, decideStepDownCompletion } from './flow';
import { childIdsHeldBy, expiredHoldRelease, reconcile } from './reconcile';
import { emergencyBedStayOverdue, householdEmergenciesOverdue, isUnmatchedEmergency } from './flags';
import type { PlacementRequest, StreamAppend, UnitView } from './types';

/**
 * A few streams held as event arrays, appended with an exact expected revision like the
 * real store, so the tests can stop between appends the way a crash would.
 */
class Streams {
  private readonly streams = new Map<string, unknown[]>();
  read<E>(id: string): E[] {
    return [...((this.streams.get(id) as E[] | undefined) ?? [])];
  }
  revision(id: string): number {
    return (this.streams.get(id)?.length ?? 0) - 1;
  }
  append(append: StreamAppend, expectedRevision: number = this.revision(append.streamId)): void {
    if (this.revision(append.streamId) !== expectedRevision)
      throw new Error(`wrong expected revision on ${append.streamId}`);
    this.streams.set(append.streamId, [...this.read(append.streamId), ...append.events]);
  }
  bed(settingId = 's1', bedId = 'b1'): Extract<UnitView, { kind: 'bed' }> {
    return { kind: 'bed', settingId, bedId, state: fold(bedDecider, this.read<BedEvent>(`bed-${settingId}.${bedId}`)) };
  }
  household(householdId = 'h1'): Extract<UnitView, { kind: 'household' }> {
    return {
      kind: 'household',
      householdId,
      state: fold(householdDecider, this.read<HouseholdEvent>(`household-${householdId}`)),
    };
  }
  blockBed(contractId = 'k1', bedRef = 'A'): Extract<UnitView, { kind: 'block-bed' }> {
    return {
      kind: 'block-bed',
      contractId,
      bedRef,
      state: fold(contractDecider, this.read<ContractEvent>(`contract-${contractId}`)),
    };
  }
  child(childId = 'c1') {
    return fold(childDecider, this.read<ChildEvent>(`child-${childId}`));
  }
}

const meeting: MatchingMeetingFacts = {
  meetingId: 'm1',
  referralId: 'r1',
  decision: 'matched',
  residentChildIdsAssessed: ['c8'],
  unitConsidered: { kind: 'setting', settingId: 's1' },
};
const request: PlacementRequest = {
  placementId: 'p1',
  childId: 'c1',
  referralId: 'r1',
  emergency: false,
  startDate: '2025-03-01',
  at: '2025-03-01T10:00:00Z',
  place: 'K2',
  placeProvider: 'PR1',
  legalStatus: 'C2',
  placementPostcode: 'S60 1AE',
  urn: 'SC123456',
  facts: {
    kind: 'bed',
    setting: { open: true, registration: { ageRange: { min: 8, max: 17 }, sexes: 'any', maxChildren: 3 } },
    currentResidentChildIds: ['c8'],
    matchingMeeting: meeting,
  },
};
const householdFacts = { kind: 'household' as const, placementType: 'long-term' as const, siblingGroupId: null };
const LATER = '2025-03-01T10:05:00Z';

function estate(): Streams {
  const s = new Streams();
  s.append({
    kind: 'bed',
    streamId: 'bed-s1.b1',
    events: [{ type: 'BedAdded', data: { settingId: 's1', bedId: 'b1', kind: 'residential', label: 'Room 1' } }],
  });
  s.append({
    kind: 'bed',
    streamId: 'bed-s1.e1',
    events: [{ type: 'BedAdded', data: { settingId: 's1', bedId: 'e1', kind: 'emergency', label: 'Emergency' } }],
  });
  s.append({
    kind: 'household',
    streamId: 'household-h1',
    events: [
      {
        type: 'FosterHouseholdApproved',
        data: {
          householdId: 'h1',
          reference: 'FH-001',
          approvedOn: '2024-01-01',
          terms: {
            ageRange: { min: 5, max: 17 },
            maxChildren: 1,
            siblingGroup: false,
            placementTypes: ['long-term', 'emergency'],
            connectedPerson: false,
            provider: 'in-house',
            agencyName: null,
            sexes: 'any',
            postcode: 'S66 1AA',
          },
        },
      },
    ],
  });
  s.append({
    kind: 'contract',
    streamId: 'contract-k1',
    events: [
      {
        type: 'BlockBookingContracted',
        data: {
          contractId: 'k1',
          provider: { name: 'Northern Care Ltd', code: 'PR4' },
          settingName: 'Birch Lodge',
          settingUrn: 'SC654321',
          settingPostcode: 'S63 7AA',
          beds: ['A'],
          startDate: '2025-01-01',
          endDate: '2025-12-31',
          weeklyPricePerBed: 383_000,
        },
      },
    ],
  });
  for (const [childId, dateOfBirth] of [
    ['c1', '2012-05-10'],
    ['c2', '2013-01-01'],
  ] as const) {
    s.append({
      kind: 'child',
      streamId: `child-${childId}`,
      events: [
        {
          type: 'ChildRegistered',
          data: {
            childId,
            sex: 'F',
            dateOfBirth,
            localAuthority: 'Rotherham',
            homePostcode: 'S65 1AA',
            categoryOfNeed: 'N1',
            ethnicity: null,
            upn: null,
          },
        },
      ],
    });
  }
  return s;
}

function run(s: Streams, steps: readonly StreamAppend[], upTo = steps.length): void {
  steps.slice(0, upTo).forEach((step) => s.append(step));
}

function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value');
  return value;
}

const types = (append: StreamAppend | null | undefined) => append?.events.map((e) => e.type);

describe('placement flow: unit first, child second', () => {
  it('takes the bed, then records the placement; both streams agree', () => {
    const s = estate();
    const flow = decidePlacement(request, s.bed(), s.child());
    expect(flow.steps.map((step) => [step.streamId, types(step)])).toEqual([
      ['bed-s1.b1', ['BedOccupied']],
      ['child-c1', ['PlacementStarted']],
    ]);
    expect(flow.compensation).toEqual({
      kind: 'bed',
      streamId: 'bed-s1.b1',
      events: [
        {
          type: 'BedVacated',
          data: {
            settingId: 's1',
            bedId: 'b1',
            placementId: 'p1',
            childId: 'c1',
            date: '2025-03-01',
            reason: 'compensation',
          },
        },
      ],
    });
    run(s, flow.steps);
    expect(reconcile(s.bed(), 'c1', s.child(), { now: LATER, graceSeconds: 0 })).toEqual({
      appends: [],
      attention: [],
    });
  });

  it('checks the child side before writing anything: an open placement stops the take', () => {
    const s = estate();
    run(s, decidePlacement(request, s.bed(), s.child()).steps);
    expect(() => decidePlacement({ ...request, placementId: 'p2' }, s.bed('s1', 'e1'), s.child())).toThrow(
      expect.objectContaining({ code: 'OVERLAPPING_PLACEMENT' }),
    );
    expect(s.bed('s1', 'e1').state.status).toBe('Vacant');
  });

  it('checks PLACE codes before writing anything', () => {
    const s = estate();
    expect(() => decidePlacement({ ...request, place: 'XX' }, s.bed(), s.child())).toThrow(
      expect.objectContaining({ code: 'INVALID_CODE' }),
    );
  });

  it('gives the last bed to exactly one of two racing placements', () => {
    const s = estate();
    const bedBefore = s.bed();
    const revision = s.revision('bed-s1.b1');
    const first = decidePlacement(request, bedBefore, s.child('c1'));
    const second = decidePlacement({ ...request, childId: 'c2', placementId: 'p2' }, bedBefore, s.child('c2'));
    s.append(must(first.steps[0]), revision);
    expect(() => s.append(must(second.steps[0]), revision)).toThrow('wrong expected revision');
    // The loser retries on fresh state and gets a clean conflict.
    let retried: unknown;
    try {
      decidePlacement({ ...request, childId: 'c2', placementId: 'p2' }, s.bed(), s.child('c2'));
    } catch (error) {
      retried = error;
    }
    expect(retried).toBeInstanceOf(DomainError);
    expect(retried).toMatchObject({ code: 'BED_NOT_VACANT', kind: 'conflict' });
  });

  it('lets an emergency go first and carries the unmatched flag to the child stream', () => {
    const s = estate();
    const flow = decidePlacement(
      { ...request, emergency: true, facts: { ...request.facts, matchingMeeting: null } as PlacementRequest['facts'] },
      s.bed('s1', 'e1'),
      s.child(),
    );
    expect(flow.steps[1]?.events[0]).toMatchObject({
      type: 'PlacementStarted',
      data: { emergency: true, unmatchedEmergency: true },
    });
  });

  it('places with a household: household first, then the child; a full household is a conflict', () => {
    const s = estate();
    const flow = decidePlacement(
      { ...request, place: 'U4', urn: null, facts: householdFacts },
      s.household(),
      s.child(),
    );
    expect(flow.steps.map(types)).toEqual([['ChildPlacedWithHousehold'], ['PlacementStarted']]);
    expect(types(flow.compensation)).toEqual(['ChildLeftHousehold']);
    run(s, flow.steps);
    expect(() =>
      decidePlacement(
        { ...request, childId: 'c2', placementId: 'p2', place: 'U4', facts: householdFacts },
        s.household(),
        s.child('c2'),
      ),
    ).toThrow(expect.objectContaining({ code: 'HOUSEHOLD_FULL', kind: 'conflict' }));
  });

  it('allocates a block-booked bed first, then the child', () => {
    const s = estate();
    const flow = decidePlacement(
      { ...request, placeProvider: 'PR4', urn: 'SC654321', facts: { kind: 'block-bed' } },
      s.blockBed(),
      s.child(),
    );
    expect(flow.steps.map(types)).toEqual([['BlockBedAllocated'], ['PlacementStarted']]);
    expect(types(flow.compensation)).toEqual(['BlockBedReleased']);
  });

  it('records a spot placement on the child stream alone', () => {
    const s = estate();
    const external: UnitView = { kind: 'external', urn: 'SC111111', provider: { name: 'Spot Homes Ltd', code: 'PR4' } };
    const flow = decidePlacement(
      { ...request, placeProvider: 'PR4', facts: { kind: 'external' } },
      external,
      s.child(),
    );
    expect(flow.steps.map((step) => step.streamId)).toEqual(['child-c1']);
    expect(flow.compensation).toBeNull();
  });

  it('a failed child append is compensated: the bed is vacant again and takeable', () => {
    const s = estate();
    const flow = decidePlacement(request, s.bed(), s.child());
    run(s, flow.steps, 1);
    s.append(must(flow.compensation));
    expect(s.bed().state.status).toBe('Vacant');
    expect(() =>
      decidePlacement({ ...request, childId: 'c2', placementId: 'p2' }, s.bed(), s.child('c2')),
    ).not.toThrow();
  });
});

describe('reconcile: a crash between appends never leaves a unit half-taken', () => {
  it('crash after the bed was taken: left alone while in flight, freed after the grace period', () => {
    const s = estate();
    run(s, decidePlacement(request, s.bed(), s.child()).steps, 1);
    expect(childIdsHeldBy(s.bed())).toEqual(['c1']);
    expect(reconcile(s.bed(), 'c1', s.child(), { now: '2025-03-01T10:00:30Z' }).appends).toEqual([]);
    const repair = reconcile(s.bed(), 'c1', s.child(), { now: LATER });
    expect(repair.appends).toEqual([
      {
        kind: 'bed',
        streamId: 'bed-s1.b1',
        events: [
          {
            type: 'BedVacated',
            data: {
              settingId: 's1',
              bedId: 'b1',
              placementId: 'p1',
              childId: 'c1',
              date: '2025-03-01',
              reason: 'compensation',
            },
          },
        ],
      },
    ]);
    run(s, repair.appends);
    expect(s.bed().state.status).toBe('Vacant');
    expect(reconcile(s.bed(), 'c1', s.child(), { now: LATER })).toEqual({ appends: [], attention: [] });
  });

  it('crash after the household place was taken: the place is given back', () => {
    const s = estate();
    run(s, decidePlacement({ ...request, place: 'U4', facts: householdFacts }, s.household(), s.child()).steps, 1);
    const repair = reconcile(s.household(), 'c1', s.child(), { now: LATER });
    expect(repair.appends.map(types)).toEqual([['ChildLeftHousehold']]);
    expect(repair.appends[0]?.events[0]).toMatchObject({ data: { reason: 'compensation' } });
  });

  it('crash after the block bed was allocated: the bed is released', () => {
    const s = estate();
    run(
      s,
      decidePlacement({ ...request, placeProvider: 'PR4', facts: { kind: 'block-bed' } }, s.blockBed(), s.child())
        .steps,
      1,
    );
    const repair = reconcile(s.blockBed(), 'c1', s.child(), { now: LATER });
    expect(repair.appends.map(types)).toEqual([['BlockBedReleased']]);
    run(s, repair.appends);
    expect(s.blockBed().state.status === 'Active' && s.blockBed().state).toMatchObject({ allocations: {} });
  });

  it('ending a placement: child first, then the bed; a lost second append is repaired', () => {
    const s = estate();
    run(s, decidePlacement(request, s.bed(), s.child()).steps);
    const end = {
      childId: 'c1',
      placementId: 'p1',
      endDate: '2025-06-01',
      reasonForChange: 'CHILD',
      reasonEpisodeCeased: null,
    };
    const flow = decideEndPlacement(end, s.bed(), s.child());
    expect(flow.steps.map(types)).toEqual([['PlacementEnded'], ['BedVacated']]);
    run(s, flow.steps, 1);
    const repair = reconcile(s.bed(), 'c1', s.child(), { now: LATER });
    expect(repair.appends[0]?.events).toEqual([
      {
        type: 'BedVacated',
        data: {
          settingId: 's1',
          bedId: 'b1',
          placementId: 'p1',
          childId: 'c1',
          date: '2025-06-01',
          reason: 'placement-ended',
        },
      },
    ]);
  });

  it('flags, never guesses, a child placement whose unit does not hold it', () => {
    const s = estate();
    const flow = decidePlacement(request, s.bed(), s.child());
    run(s, flow.steps);
    s.append(must(flow.compensation));
    expect(reconcile(s.bed(), 'c1', s.child(), { now: LATER })).toEqual({
      appends: [],
      attention: [
        {
          code: 'CHILD_PLACEMENT_WITHOUT_UNIT',
          childId: 'c1',
          placementId: 'p1',
          unit: { kind: 'bed', settingId: 's1', bedId: 'b1' },
        },
      ],
    });
  });

  it('releases a lapsed hold', () => {
    const s = estate();
    s.append({
      kind: 'bed',
      streamId: 'bed-s1.b1',
      events: [
        {
          type: 'BedHeld',
          data: {
            settingId: 's1',
            bedId: 'b1',
            referralId: 'r1',
            childId: 'c1',
            until: '2025-03-02T10:00:00Z',
            at: '2025-03-01T10:00:00Z',
          },
        },
      ],
    });
    expect(expiredHoldRelease(s.bed(), '2025-03-02T09:59:59Z')).toBeNull();
    expect(types(expiredHoldRelease(s.bed(), '2025-03-02T10:00:00Z'))).toEqual(['BedHoldReleased']);
  });
});

function termsOf(s: Streams) {
  const household = s.household().state;
  if (household.status === 'NotApproved') throw new Error('household not approved');
  return household.terms;
}

describe('step-down completion: household, then child, then bed', () => {
  const plan = (s: Streams) =>
    s.append({
      kind: 'child',
      streamId: 'child-c1',
      events: childDecider.decide(
        {
          type: 'PlanStepDown',
          data: {
            childId: 'c1',
            stepDownId: 'sd1',
            fromPlacementId: 'p1',
            toHousehold: { householdId: 'h1', status: 'Approved', terms: termsOf(s), currentChildren: [] },
            placementType: 'long-term',
            siblingGroupId: null,
            plannedDate: '2025-08-01',
            safetyPlan: {
              summaryProvided: true,
              reviewDate: '2025-09-01',
              contingencyAgreed: true,
              leadRole: 'social-worker',
            },
            milestones: [],
          },
        },
        s.child(),
      ),
    });
  const completion = {
    childId: 'c1',
    stepDownId: 'sd1',
    newPlacementId: 'p2',
    date: '2025-08-01',
    place: 'U4',
    placeProvider: 'PR1',
    placementPostcode: 'S66 1AA',
    at: '2025-08-01T09:00:00Z',
    placementType: 'long-term' as const,
    siblingGroupId: null,
  };

  function placedAndPlanned(): Streams {
    const s = estate();
    run(s, decidePlacement(request, s.bed(), s.child()).steps);
    plan(s);
    return s;
  }

  it('orders the appends and leaves the bed vacant and the child with the household', () => {
    const s = placedAndPlanned();
    const flow = decideStepDownCompletion(completion, s.household(), s.bed(), s.child());
    expect(flow.steps.map((step) => [step.streamId, types(step)])).toEqual([
      ['household-h1', ['ChildPlacedWithHousehold']],
      ['child-c1', ['PlacementEnded', 'PlacementStarted', 'StepDownCompleted']],
      ['bed-s1.b1', ['BedVacated']],
    ]);
    expect(flow.steps[2]?.events[0]).toMatchObject({ data: { reason: 'step-down', date: '2025-08-01' } });
    expect(types(flow.compensation)).toEqual(['ChildLeftHousehold']);
    run(s, flow.steps);
    expect(s.bed().state.status).toBe('Vacant');
    for (const unit of [s.bed(), s.household()])
      expect(reconcile(unit, 'c1', s.child(), { now: LATER, graceSeconds: 0 })).toEqual({ appends: [], attention: [] });
  });

  it('crash after the household append: the household place is given back, the bed stays taken', () => {
    const s = placedAndPlanned();
    run(s, decideStepDownCompletion(completion, s.household(), s.bed(), s.child()).steps, 1);
    const now = '2025-08-01T09:10:00Z';
    expect(reconcile(s.bed(), 'c1', s.child(), { now }).appends).toEqual([]);
    const repair = reconcile(s.household(), 'c1', s.child(), { now });
    expect(repair.appends.map(types)).toEqual([['ChildLeftHousehold']]);
    run(s, repair.appends);
    expect(s.household().state).toMatchObject({ children: [] });
    expect(s.bed().state.status).toBe('Occupied');
  });

  it('crash after the child append: the bed is vacated as a step-down', () => {
    const s = placedAndPlanned();
    run(s, decideStepDownCompletion(completion, s.household(), s.bed(), s.child()).steps, 2);
    const now = '2025-08-01T09:10:00Z';
    expect(reconcile(s.household(), 'c1', s.child(), { now }).appends).toEqual([]);
    const repair = reconcile(s.bed(), 'c1', s.child(), { now });
    expect(repair.appends[0]?.events).toEqual([
      {
        type: 'BedVacated',
        data: {
          settingId: 's1',
          bedId: 'b1',
          placementId: 'p1',
          childId: 'c1',
          date: '2025-08-01',
          reason: 'step-down',
        },
      },
    ]);
    run(s, repair.appends);
    expect(s.bed().state.status).toBe('Vacant');
  });

  it('writes nothing when the household has no place left', () => {
    const s = placedAndPlanned();
    run(
      s,
      decidePlacement(
        { ...request, childId: 'c2', placementId: 'p9', place: 'U4', facts: householdFacts },
        s.household(),
        s.child('c2'),
      ).steps,
    );
    expect(() => decideStepDownCompletion(completion, s.household(), s.bed(), s.child())).toThrow(
      expect.objectContaining({ code: 'HOUSEHOLD_FULL' }),
    );
  });
});

describe('flags', () => {
  it('keeps an emergency flagged until a matched meeting for that home is recorded', () => {
    const received: ReferralEvent = {
      type: 'ReferralReceived',
      data: {
        referralId: 'r1',
        childId: 'c1',
        urgency: 'emergency',
        startDate: '2025-03-01',
        requestedBy: { role: 'social-worker', team: 'EDT' },
        at: '2025-03-01T02:00:00Z',
        needs: {
          sex: 'F',
          ageAtStart: 12,
          siblingGroup: null,
          preferredArea: { postcodeDistrict: null, maxDistanceKm: null },
          schoolPostcode: null,
          familyContactPostcode: null,
          communicationNeeds: [],
          adaptations: [],
          canLiveWith: ['with-others'],
          placementTypeSuitability: {},
          fosterPlacementType: 'emergency',
          risksToSelf: [],
          risksToOthers: [],
          deprivationOfLiberty: false,
          weeklyBudget: null,
        },
      },
    };
    const placement = {
      unmatchedEmergency: true,
      referralId: 'r1',
      unit: { kind: 'bed' as const, settingId: 's1', bedId: 'e1' },
    };
    expect(isUnmatchedEmergency(placement, fold(referralDecider, [received]))).toBe(true);
    const held: ReferralEvent = {
      type: 'MatchingMeetingHeld',
      data: {
        referralId: 'r1',
        meetingId: 'm1',
        heldOn: '2025-03-03',
        attendees: [{ role: 'registered-manager' }],
        unitConsidered: { kind: 'setting', settingId: 's1' },
        impactAssessments: [{ residentChildId: 'c8', outcome: 'manageable', risksConsidered: [] }],
        decision: 'matched',
        reasons: [],
      },
    };
    expect(isUnmatchedEmergency(placement, fold(referralDecider, [received, held]), ['c8'])).toBe(false);
    expect(isUnmatchedEmergency(placement, fold(referralDecider, [received, held]), ['c8', 'c9'])).toBe(true);
  });

  it('flags an emergency bed occupied past 6 working days', () => {
    const s = estate();
    run(
      s,
      decidePlacement({ ...request, emergency: true, startDate: '2025-03-03' }, s.bed('s1', 'e1'), s.child()).steps,
    );
    // Mon 3 March + 6 working days = Tue 11 March.
    expect(emergencyBedStayOverdue(s.bed('s1', 'e1').state, '2025-03-11')).toBe(false);
    expect(emergencyBedStayOverdue(s.bed('s1', 'e1').state, '2025-03-12')).toBe(true);
    expect(
      emergencyBedStayOverdue(s.bed('s1', 'e1').state, '2025-03-12', {
        limitWorkingDays: 6,
        bankHolidays: ['2025-03-10'],
      }),
    ).toBe(false);
  });

  it('flags a household emergency outside terms past the limit', () => {
    const s = estate();
    run(
      s,
      decidePlacement(
        {
          ...request,
          emergency: true,
          place: 'U6',
          startDate: '2025-03-03',
          facts: { kind: 'household', placementType: 'respite', siblingGroupId: null },
        },
        s.household(),
        s.child(),
      ).steps,
    );
    expect(householdEmergenciesOverdue(s.household().state, '2025-03-11')).toEqual([]);
    expect(householdEmergenciesOverdue(s.household().state, '2025-03-12')).toEqual(['p1']);
  });
});
