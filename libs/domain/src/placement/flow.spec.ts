import { DomainError } from '../shared/errors';
import { fold } from '../shared/decider';
import { bedDecider, dayOf } from '../bed/bed';
import { householdDecider } from '../household/household';
import { contractDecider } from '../contract/contract';
import { childDecider } from '../child/child';
import { referralDecider } from '../referral/referral';
import { settingDecider } from '../setting/setting';
import type { BedEvent, BedState } from '../bed/types';
import type { HouseholdEvent } from '../household/types';
import type { ContractEvent } from '../contract/types';
import type { ChildEvent } from '../child/types';
import type { ReferralEvent } from '../referral/types';
import type { SettingEvent } from '../setting/types';
import { decideChangePlannedEnd, decideEndPlacement, decidePlacement, decideStepDownCompletion } from './flow';
import { childIdsHeldBy, expiredHoldRelease, reconcile } from './reconcile';
import {
  aBedHeld,
  aBlockBookingContracted,
  aChildRegistered,
  aMatchingMeetingHeld,
  aPlacementEnd,
  aSettingRegistered,
  someReferralNeeds,
} from '../testing';
import { emergencyBedStayOverdue, householdEmergenciesOverdue, isUnmatchedEmergency } from './flags';
import type { PlacementInputs, PlacementRequest, StreamAppend, UnitView } from './types';

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
  append(
    append: StreamAppend | { streamId: string; events: readonly unknown[] },
    expectedRevision: number = this.revision(append.streamId),
  ): void {
    if (this.revision(append.streamId) !== expectedRevision)
      throw new Error(`wrong expected revision on ${append.streamId}`);
    this.streams.set(append.streamId, [...this.read(append.streamId), ...append.events]);
  }
  bedState(settingId: string, bedId: string): BedState {
    return fold(bedDecider, this.read<BedEvent>(`bed-${settingId}.${bedId}`));
  }
  bed(settingId = 's1', bedId = 'b1'): Extract<UnitView, { kind: 'bed' }> {
    return { kind: 'bed', settingId, bedId, state: this.bedState(settingId, bedId) };
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
  referral(referralId: string) {
    return fold(referralDecider, this.read<ReferralEvent>(`referral-${referralId}`));
  }
  /** What the app's runner loads for a placement into `unit`. */
  inputs(
    unit: UnitView,
    childId = 'c1',
    referralId: string | null = 'r1',
    exclusions: PlacementInputs['exclusions'] = [],
  ): PlacementInputs {
    const home =
      unit.kind === 'bed'
        ? {
            setting: fold(settingDecider, this.read<SettingEvent>(`setting-${unit.settingId}`)),
            otherBeds: BEDS.filter((b) => b !== unit.bedId).map((b) => this.bedState(unit.settingId, b)),
          }
        : null;
    const referral = referralId ? this.referral(referralId) : null;
    return { unit, child: this.child(childId), referral, home, exclusions: referralId ? exclusions : null };
  }
}

const BEDS = ['b1', 'b2', 'e1'];
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
  placementPostcode: null,
  placementType: null,
  siblingGroupId: null,
};
const LATER = '2025-03-01T10:05:00Z';

/** Bed s1.b1's end of placement p1 (child c1), as the flows and the reconciler record it. */
const bedVacated = (date: string, reason: 'placement-ended' | 'step-down' | 'compensation'): BedEvent => ({
  type: 'BedVacated',
  data: { settingId: 's1', bedId: 'b1', placementId: 'p1', childId: 'c1', date, reason },
});

const needs = someReferralNeeds();

function estate(): Streams {
  const s = new Streams();
  s.append({
    streamId: 'setting-s1',
    events: [aSettingRegistered()],
  });
  for (const [bedId, kind] of [
    ['b1', 'residential'],
    ['b2', 'residential'],
    ['e1', 'emergency'],
  ] as const) {
    s.append({
      kind: 'bed',
      streamId: `bed-s1.${bedId}`,
      events: [{ type: 'BedAdded', data: { settingId: 's1', bedId, kind, label: bedId } }],
    });
  }
  // c8 has lived in b2 since last June.
  s.append({
    kind: 'bed',
    streamId: 'bed-s1.b2',
    events: [
      {
        type: 'BedOccupied',
        data: {
          settingId: 's1',
          bedId: 'b2',
          bedKind: 'residential',
          placementId: 'p8',
          childId: 'c8',
          referralId: null,
          emergency: false,
          matchingMeetingId: null,
          unmatchedEmergency: false,
          startDate: '2024-06-01',
          at: '2024-06-01T10:00:00Z',
        },
      },
    ],
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
    events: [aBlockBookingContracted({ beds: ['A'], startDate: '2025-01-01', endDate: '2025-12-31' })],
  });
  for (const [childId, dateOfBirth] of [
    ['c1', '2012-05-10'],
    ['c2', '2013-01-01'],
  ] as const) {
    s.append({
      kind: 'child',
      streamId: `child-${childId}`,
      events: [aChildRegistered({ childId, dateOfBirth, localAuthority: 'Rotherham' })],
    });
  }
  for (const [referralId, childId] of [
    ['r1', 'c1'],
    ['r2', 'c2'],
  ] as const) {
    s.append({
      streamId: `referral-${referralId}`,
      events: [
        {
          type: 'ReferralReceived',
          data: {
            referralId,
            childId,
            urgency: 'planned',
            startDate: '2025-03-01',
            needs,
            requestedBy: { role: 'social-worker', team: 'north' },
            at: '2025-02-20T09:00:00Z',
          },
        },
        {
          type: 'MatchingMeetingHeld',
          data: {
            referralId,
            meetingId: `m-${referralId}`,
            heldOn: '2025-02-25',
            attendees: [{ role: 'registered-manager' }],
            unitConsidered: { kind: 'setting', settingId: 's1' },
            impactAssessments: [{ residentChildId: 'c8', outcome: 'no-concerns', risksConsidered: [] }],
            decision: 'matched',
            reasons: [],
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

const householdRequest: PlacementRequest = { ...request, place: 'U4', placementType: 'long-term' };
const blockRequest: PlacementRequest = { ...request, placeProvider: 'PR4' };
const status = (bed: Extract<UnitView, { kind: 'bed' }>, date: string) => dayOf(bed.state, date)?.status;

describe('placement flow: unit first, child second', () => {
  it('takes the bed, then records the placement; both streams agree', () => {
    const s = estate();
    const flow = decidePlacement(request, s.inputs(s.bed()));
    expect(flow.steps.map((step) => [step.streamId, types(step)])).toEqual([
      ['bed-s1.b1', ['BedOccupied']],
      ['child-c1', ['PlacementStarted']],
    ]);
    expect(flow.steps[1]?.events[0]).toMatchObject({ data: { placementPostcode: 'S60 1AE', urn: 'SC123456' } });
    expect(flow.compensation).toEqual({
      kind: 'bed',
      streamId: 'bed-s1.b1',
      events: [bedVacated('2025-03-01', 'compensation')],
    });
    run(s, flow.steps);
    expect(reconcile(s.bed(), 'c1', s.child(), { now: LATER, graceSeconds: 0 })).toEqual({
      appends: [],
      attention: [],
    });
  });

  it('reads reg 14 from the other beds’ diaries: a meeting that missed a resident is refused', () => {
    const s = estate();
    // c9 arrives in e1 from 2025-02-27 (before the placement is recorded on 1 March, after its start).
    s.append({
      kind: 'bed',
      streamId: 'bed-s1.e1',
      events: [
        {
          type: 'BedOccupied',
          data: {
            settingId: 's1',
            bedId: 'e1',
            bedKind: 'emergency',
            placementId: 'p9',
            childId: 'c9',
            referralId: null,
            emergency: true,
            matchingMeetingId: null,
            unmatchedEmergency: true,
            startDate: '2025-02-27',
            at: '2025-02-27T10:00:00Z',
          },
        },
      ],
    });
    expect(() => decidePlacement({ ...request, startDate: '2025-02-25' }, s.inputs(s.bed()))).toThrow(
      expect.objectContaining({ code: 'MATCHING_REQUIRED', message: expect.stringContaining('not assessed: c9') }),
    );
  });

  it('checks the child side before writing anything: an open placement stops the take', () => {
    const s = estate();
    run(s, decidePlacement(request, s.inputs(s.bed())).steps);
    // Without a referral (r1 is already placed under, which would be refused first).
    expect(() =>
      decidePlacement(
        { ...request, placementId: 'p2', emergency: true, referralId: null },
        s.inputs(s.bed('s1', 'e1'), 'c1', null),
      ),
    ).toThrow(expect.objectContaining({ code: 'OVERLAPPING_PLACEMENT' }));
    expect(status(s.bed('s1', 'e1'), '2025-03-01')).toBe('Vacant');
  });

  it('checks PLACE codes before writing anything', () => {
    const s = estate();
    expect(() => decidePlacement({ ...request, place: 'XX' }, s.inputs(s.bed()))).toThrow(
      expect.objectContaining({ code: 'INVALID_CODE' }),
    );
  });

  it('refuses a referral for another child', () => {
    const s = estate();
    expect(() => decidePlacement({ ...request, referralId: 'r2' }, s.inputs(s.bed(), 'c1', 'r2'))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('gives the last bed to exactly one of two racing placements', () => {
    const s = estate();
    const revision = s.revision('bed-s1.b1');
    const first = decidePlacement(request, s.inputs(s.bed()));
    const second = decidePlacement(
      { ...request, childId: 'c2', placementId: 'p2', referralId: 'r2' },
      s.inputs(s.bed(), 'c2', 'r2'),
    );
    s.append(must(first.steps[0]), revision);
    expect(() => s.append(must(second.steps[0]), revision)).toThrow('wrong expected revision');
    // The loser retries on fresh state and gets a clean conflict naming the dates.
    let retried: unknown;
    try {
      decidePlacement(
        { ...request, childId: 'c2', placementId: 'p2', referralId: 'r2' },
        s.inputs(s.bed(), 'c2', 'r2'),
      );
    } catch (error) {
      retried = error;
    }
    expect(retried).toBeInstanceOf(DomainError);
    expect(retried).toMatchObject({
      code: 'BED_NOT_VACANT',
      kind: 'conflict',
      message: 'the bed is occupied by another placement from 2025-03-01 with no end date',
    });
  });

  it('lets an emergency go first and carries the unmatched flag to the child stream', () => {
    const s = estate();
    const flow = decidePlacement(
      { ...request, emergency: true, referralId: null },
      s.inputs(s.bed('s1', 'e1'), 'c1', null),
    );
    expect(flow.steps[1]?.events[0]).toMatchObject({
      type: 'PlacementStarted',
      data: { emergency: true, unmatchedEmergency: true },
    });
  });

  it('places with a household: household first, then the child; a full household is a conflict', () => {
    const s = estate();
    const flow = decidePlacement(householdRequest, s.inputs(s.household()));
    expect(flow.steps.map(types)).toEqual([['ChildPlacedWithHousehold'], ['PlacementStarted']]);
    expect(flow.steps[1]?.events[0]).toMatchObject({ data: { placementPostcode: 'S66 1AA', urn: null } });
    expect(types(flow.compensation)).toEqual(['ChildLeftHousehold']);
    run(s, flow.steps);
    expect(() =>
      decidePlacement(
        { ...householdRequest, childId: 'c2', placementId: 'p2', referralId: 'r2' },
        s.inputs(s.household(), 'c2', 'r2'),
      ),
    ).toThrow(expect.objectContaining({ code: 'HOUSEHOLD_FULL', kind: 'conflict' }));
  });

  it('allocates a block-booked bed first, then the child, with the contract’s postcode and URN', () => {
    const s = estate();
    const flow = decidePlacement(blockRequest, s.inputs(s.blockBed()));
    expect(flow.steps.map(types)).toEqual([['BlockBedAllocated'], ['PlacementStarted']]);
    expect(flow.steps[1]?.events[0]).toMatchObject({ data: { placementPostcode: 'S63 7AA', urn: 'SC654321' } });
    expect(types(flow.compensation)).toEqual(['BlockBedReleased']);
  });

  it('records a spot placement on the child stream alone', () => {
    const s = estate();
    const external: UnitView = { kind: 'external', urn: 'SC111111', provider: { name: 'Spot Homes Ltd', code: 'PR4' } };
    const flow = decidePlacement({ ...request, placeProvider: 'PR4', placementPostcode: 'S1 1AA' }, s.inputs(external));
    expect(flow.steps.map((step) => step.streamId)).toEqual(['child-c1']);
    expect(flow.steps[0]?.events[0]).toMatchObject({ data: { placementPostcode: 'S1 1AA', urn: 'SC111111' } });
    expect(flow.compensation).toBeNull();
  });

  it('a failed child append is compensated: the bed is vacant again and takeable', () => {
    const s = estate();
    const flow = decidePlacement(request, s.inputs(s.bed()));
    run(s, flow.steps, 1);
    s.append(must(flow.compensation));
    expect(status(s.bed(), '2025-03-01')).toBe('Vacant');
    expect(() =>
      decidePlacement(
        { ...request, childId: 'c2', placementId: 'p2', referralId: 'r2' },
        s.inputs(s.bed(), 'c2', 'r2'),
      ),
    ).not.toThrow();
  });

  it('a retry after a crash between the appends asks only for the child’s side, and a full retry for nothing', () => {
    const s = estate();
    run(s, decidePlacement(request, s.inputs(s.bed())).steps, 1);
    const resumed = decidePlacement(request, s.inputs(s.bed()));
    expect(resumed.steps.map(types)).toEqual([['PlacementStarted']]);
    expect(types(resumed.compensation)).toEqual(['BedVacated']);
    expect(resumed.standsAt).toBe(0);
    run(s, resumed.steps);
    expect(decidePlacement(request, s.inputs(s.bed()))).toEqual({ steps: [], compensation: null, standsAt: 0 });
    expect(() => decidePlacement({ ...request, startDate: '2025-03-02' }, s.inputs(s.bed()))).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }),
    );
  });
});

describe('exclusions bind: a unit the engine excludes for a safeguarding or registration reason', () => {
  const found = [
    { code: 'CANNOT_LIVE_WITH', message: 'child cannot live with older children; an older child (15) lives here' },
    { code: 'RESIDENT_RISK', message: 'a current resident (15) has a physical-harm flag' },
    { code: 'RESIDENT_RISK', message: 'a current resident (16) has a fire-setting flag' },
    { code: 'OVER_BUDGET', message: 'costs more than the budget' },
  ];
  const thrown = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (error) {
      return error;
    }
    throw new Error('expected a refusal');
  };
  /** A second, matched meeting about s1 for r1, overriding `codes` (RecordMatchingMeeting decides them). */
  const overrideMeeting = (s: Streams, codes: string[], settingId = 's1'): void => {
    s.append({
      streamId: 'referral-r1',
      events: referralDecider.decide(
        {
          type: 'RecordMatchingMeeting',
          at: '2025-02-28T17:00:00Z',
          data: {
            referralId: 'r1',
            meetingId: `m-override-${settingId}`,
            heldOn: '2025-02-28',
            attendees: [{ role: 'registered-manager' }, { role: 'team-manager' }],
            unitConsidered: { kind: 'setting', settingId },
            impactAssessments: [{ residentChildId: 'c8', outcome: 'manageable', risksConsidered: ['physical-harm'] }],
            decision: 'matched',
            reasons: [],
          },
          overrides: codes.map((code) => ({
            code,
            reason: 'Risk management plan agreed with the home',
            authorisedBy: { role: 'team-manager' as const },
          })),
        },
        s.referral('r1'),
      ),
    });
  };

  it('refuses EXCLUDED_BY_MATCHING naming each binding code once, before anything is written', () => {
    const s = estate();
    const error = thrown(() => decidePlacement(request, s.inputs(s.bed(), 'c1', 'r1', found)));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'EXCLUDED_BY_MATCHING',
      kind: 'rule',
      extensions: { exclusions: ['CANNOT_LIVE_WITH', 'RESIDENT_RISK'] },
    });
    expect((error as DomainError).message).toMatch('CANNOT_LIVE_WITH, RESIDENT_RISK');
    // The refusal names codes, never the engine's words about residents.
    expect((error as DomainError).message).not.toMatch('resident (15)');
  });

  it('does not bind on availability or the officer’s own limits (other rules decide those)', () => {
    const s = estate();
    const soft = [
      { code: 'OVER_BUDGET', message: 'over budget' },
      { code: 'OUT_OF_DISTANCE', message: 'too far' },
      { code: 'PLACEMENT_TYPE_UNSUITABLE', message: 'plan says no' },
    ];
    expect(types(decidePlacement(request, s.inputs(s.bed(), 'c1', 'r1', soft)).steps[0])).toEqual(['BedOccupied']);
  });

  it('places once the matched meeting about the home overrode every binding code', () => {
    const s = estate();
    overrideMeeting(s, ['RESIDENT_RISK']);
    expect(thrown(() => decidePlacement(request, s.inputs(s.bed(), 'c1', 'r1', found)))).toMatchObject({
      code: 'EXCLUDED_BY_MATCHING',
      extensions: { exclusions: ['CANNOT_LIVE_WITH'] },
    });
    const both = estate();
    overrideMeeting(both, ['RESIDENT_RISK', 'CANNOT_LIVE_WITH']);
    const flow = decidePlacement(request, both.inputs(both.bed(), 'c1', 'r1', found));
    expect(flow.steps.map(types)).toEqual([['BedOccupied'], ['PlacementStarted']]);
  });

  it('an override recorded by a meeting about another home does not count here', () => {
    const s = estate();
    overrideMeeting(s, ['RESIDENT_RISK', 'CANNOT_LIVE_WITH'], 's2');
    expect(thrown(() => decidePlacement(request, s.inputs(s.bed(), 'c1', 'r1', found)))).toMatchObject({
      code: 'EXCLUDED_BY_MATCHING',
      extensions: { exclusions: ['CANNOT_LIVE_WITH', 'RESIDENT_RISK'] },
    });
  });

  it('binds a household placement too (approval terms)', () => {
    const s = estate();
    const terms = [{ code: 'APPROVAL_TERMS', message: 'outside the household’s approval' }];
    expect(thrown(() => decidePlacement(householdRequest, s.inputs(s.household(), 'c1', 'r1', terms)))).toMatchObject({
      code: 'EXCLUDED_BY_MATCHING',
      extensions: { exclusions: ['APPROVAL_TERMS'] },
    });
  });

  it('a retry whose first attempt took the unit is not judged again (the child is now a resident)', () => {
    const s = estate();
    run(s, decidePlacement(request, s.inputs(s.bed())).steps, 1);
    const resumed = decidePlacement(request, s.inputs(s.bed(), 'c1', 'r1', found));
    expect(resumed.steps.map(types)).toEqual([['PlacementStarted']]);
  });
});

describe('dated ends: a planned departure keeps the unit booked until it happens', () => {
  const end = aPlacementEnd({ endDate: '2025-03-15' });
  const placed = () => {
    const s = estate();
    run(s, decidePlacement(request, s.inputs(s.bed())).steps);
    return s;
  };

  it('ends a placement in two weeks: the bed stays occupied tonight and is free from the end date', () => {
    const s = placed();
    const flow = decideEndPlacement(end, s.bed(), s.child());
    expect(flow.steps.map(types)).toEqual([['PlacementEnded'], ['BedVacated']]);
    run(s, flow.steps);
    expect(status(s.bed(), '2025-03-01')).toBe('Occupied');
    expect(status(s.bed(), '2025-03-15')).toBe('Vacant');
    // A second child is never placed from tomorrow, while c1 still lives there...
    const next = { ...request, childId: 'c2', placementId: 'p2', referralId: 'r2', startDate: '2025-03-02' };
    expect(() => decidePlacement(next, s.inputs(s.bed(), 'c2', 'r2'))).toThrow(
      expect.objectContaining({
        code: 'BED_NOT_VACANT',
        message: 'the bed is occupied by another placement from 2025-03-01 until 2025-03-15',
      }),
    );
    // ...but may be booked from the end date: a planned arrival, the bed reserved until then.
    run(s, decidePlacement({ ...next, startDate: '2025-03-15' }, s.inputs(s.bed(), 'c2', 'r2')).steps);
    expect(status(s.bed(), '2025-03-01')).toBe('Occupied');
    expect(dayOf(s.bed().state, '2025-03-15')).toMatchObject({ status: 'Occupied', occupant: { childId: 'c2' } });
  });

  it('revises a planned end: the unit first (it is contended), then the child; compensation puts it back', () => {
    const s = placed();
    run(s, decideEndPlacement(end, s.bed(), s.child()).steps);
    const flow = decideChangePlannedEnd({ ...end, endDate: '2025-03-22', at: LATER }, s.bed(), s.child());
    expect(flow.steps.map((step) => [step.streamId, types(step)])).toEqual([
      ['bed-s1.b1', ['BedDepartureWithdrawn', 'BedVacated']],
      ['child-c1', ['PlacementEndWithdrawn', 'PlacementEnded']],
    ]);
    expect(flow.compensation?.events).toEqual([
      { type: 'BedDepartureWithdrawn', data: { settingId: 's1', bedId: 'b1', placementId: 'p1', childId: 'c1' } },
      bedVacated('2025-03-15', 'placement-ended'),
    ]);
    run(s, flow.steps);
    expect(status(s.bed(), '2025-03-21')).toBe('Occupied');
    expect(status(s.bed(), '2025-03-22')).toBe('Vacant');
  });

  it('refuses to move the end past the next child’s planned arrival, writing nothing', () => {
    const s = placed();
    run(s, decideEndPlacement(end, s.bed(), s.child()).steps);
    const next = { ...request, childId: 'c2', placementId: 'p2', referralId: 'r2', startDate: '2025-03-15' };
    run(s, decidePlacement(next, s.inputs(s.bed(), 'c2', 'r2')).steps);
    expect(() => decideChangePlannedEnd({ ...end, endDate: null, at: LATER }, s.bed(), s.child())).toThrow(
      expect.objectContaining({ code: 'BED_NOT_VACANT', message: expect.stringContaining('from 2025-03-15') }),
    );
  });

  it('withdraws a planned end before it happens, and refuses once it has', () => {
    const s = placed();
    run(s, decideEndPlacement(end, s.bed(), s.child()).steps);
    expect(() =>
      decideChangePlannedEnd({ ...end, endDate: null, at: '2025-03-15T08:00:00Z' }, s.bed(), s.child()),
    ).toThrow(expect.objectContaining({ code: 'END_HAS_HAPPENED' }));
    const flow = decideChangePlannedEnd({ ...end, endDate: null, at: LATER }, s.bed(), s.child());
    expect(flow.steps.map(types)).toEqual([['BedDepartureWithdrawn'], ['PlacementEndWithdrawn']]);
    run(s, flow.steps);
    expect(status(s.bed(), '2025-04-01')).toBe('Occupied');
  });

  it('a crash after the unit’s revision is put right from the child’s record', () => {
    const s = placed();
    run(s, decideEndPlacement(end, s.bed(), s.child()).steps);
    run(s, decideChangePlannedEnd({ ...end, endDate: '2025-03-10', at: LATER }, s.bed(), s.child()).steps, 1);
    const repair = reconcile(s.bed(), 'c1', s.child(), { now: LATER });
    expect(repair.appends.map(types)).toEqual([['BedDepartureWithdrawn', 'BedVacated']]);
    run(s, repair.appends);
    expect(status(s.bed(), '2025-03-14')).toBe('Occupied');
    expect(reconcile(s.bed(), 'c1', s.child(), { now: LATER })).toEqual({ appends: [], attention: [] });
  });
});

describe('reconcile: a crash between appends never leaves a unit half-taken', () => {
  it('crash after the bed was taken: left alone while in flight, freed after the grace period', () => {
    const s = estate();
    run(s, decidePlacement(request, s.inputs(s.bed())).steps, 1);
    expect(childIdsHeldBy(s.bed())).toEqual(['c1']);
    expect(reconcile(s.bed(), 'c1', s.child(), { now: '2025-03-01T10:00:30Z' }).appends).toEqual([]);
    const repair = reconcile(s.bed(), 'c1', s.child(), { now: LATER });
    expect(repair.appends).toEqual([
      {
        kind: 'bed',
        streamId: 'bed-s1.b1',
        events: [bedVacated('2025-03-01', 'compensation')],
      },
    ]);
    run(s, repair.appends);
    expect(status(s.bed(), '2025-03-01')).toBe('Vacant');
    expect(reconcile(s.bed(), 'c1', s.child(), { now: LATER })).toEqual({ appends: [], attention: [] });
  });

  it('crash after the household place was taken: the place is given back', () => {
    const s = estate();
    run(s, decidePlacement(householdRequest, s.inputs(s.household())).steps, 1);
    const repair = reconcile(s.household(), 'c1', s.child(), { now: LATER });
    expect(repair.appends.map(types)).toEqual([['ChildLeftHousehold']]);
    expect(repair.appends[0]?.events[0]).toMatchObject({ data: { reason: 'compensation' } });
  });

  it('crash after the block bed was allocated: the bed is released', () => {
    const s = estate();
    run(s, decidePlacement(blockRequest, s.inputs(s.blockBed())).steps, 1);
    const repair = reconcile(s.blockBed(), 'c1', s.child(), { now: LATER });
    expect(repair.appends.map(types)).toEqual([['BlockBedReleased']]);
    run(s, repair.appends);
    expect(s.blockBed().state).toMatchObject({ allocations: [] });
  });

  it('ending a placement: child first, then the bed; a lost second append is repaired', () => {
    const s = estate();
    run(s, decidePlacement(request, s.inputs(s.bed())).steps);
    const end = aPlacementEnd();
    const flow = decideEndPlacement(end, s.bed(), s.child());
    expect(flow.steps.map(types)).toEqual([['PlacementEnded'], ['BedVacated']]);
    run(s, flow.steps, 1);
    // A retry asks only for the bed's side.
    expect(decideEndPlacement(end, s.bed(), s.child()).steps.map(types)).toEqual([['BedVacated']]);
    const repair = reconcile(s.bed(), 'c1', s.child(), { now: LATER });
    expect(repair.appends[0]?.events).toEqual([bedVacated('2025-06-01', 'placement-ended')]);
  });

  it('flags, never guesses, a child placement whose unit does not hold it', () => {
    const s = estate();
    const flow = decidePlacement(request, s.inputs(s.bed()));
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
      events: [aBedHeld({ until: '2025-03-02T10:00:00Z', at: '2025-03-01T10:00:00Z' })],
    });
    expect(expiredHoldRelease(s.bed(), '2025-03-02T09:59:59Z')).toBeNull();
    expect(types(expiredHoldRelease(s.bed(), '2025-03-02T10:00:00Z'))).toEqual(['BedHoldReleased']);
  });
});

function householdFacts(s: Streams) {
  const household = s.household().state;
  if (household.status === 'NotApproved') throw new Error('household not approved');
  return {
    householdId: 'h1',
    status: household.status,
    termsHistory: household.termsHistory,
    bookings: household.placements,
  };
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
            toHousehold: householdFacts(s),
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
    placeProvider: null,
    at: '2025-08-01T09:00:00Z',
    placementType: null,
    siblingGroupId: null,
  };

  function placedAndPlanned(): Streams {
    const s = estate();
    run(s, decidePlacement(request, s.inputs(s.bed())).steps);
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
    expect(flow.steps[1]?.events[1]).toMatchObject({ data: { placeProvider: 'PR1', placementPostcode: 'S66 1AA' } });
    expect(flow.steps[2]?.events[0]).toMatchObject({ data: { reason: 'step-down', date: '2025-08-01' } });
    expect(types(flow.compensation)).toEqual(['ChildLeftHousehold']);
    run(s, flow.steps);
    expect(status(s.bed(), '2025-08-01')).toBe('Vacant');
    for (const unit of [s.bed(), s.household()])
      expect(reconcile(unit, 'c1', s.child(), { now: LATER, graceSeconds: 0 })).toEqual({ appends: [], attention: [] });
    expect(decideStepDownCompletion(completion, s.household(), s.bed(), s.child()).steps).toEqual([]);
  });

  it('refuses a completion dated after today, writing nothing', () => {
    const s = placedAndPlanned();
    expect(() =>
      decideStepDownCompletion({ ...completion, at: '2025-07-31T22:59:00Z' }, s.household(), s.bed(), s.child()),
    ).toThrow(expect.objectContaining({ code: 'DATE_IN_FUTURE' }));
    // 23:30 UTC on 31 July is 00:30 on 1 August in London (BST).
    expect(
      decideStepDownCompletion({ ...completion, at: '2025-07-31T23:30:00Z' }, s.household(), s.bed(), s.child()).steps,
    ).toHaveLength(3);
  });

  it('crash after the household append: the household place is given back, the bed stays taken', () => {
    const s = placedAndPlanned();
    run(s, decideStepDownCompletion(completion, s.household(), s.bed(), s.child()).steps, 1);
    const now = '2025-08-01T09:10:00Z';
    expect(reconcile(s.bed(), 'c1', s.child(), { now }).appends).toEqual([]);
    const repair = reconcile(s.household(), 'c1', s.child(), { now });
    expect(repair.appends.map(types)).toEqual([['ChildLeftHousehold']]);
    run(s, repair.appends);
    expect(s.household().state).toMatchObject({ placements: [] });
    expect(status(s.bed(), '2025-08-01')).toBe('Occupied');
  });

  it('crash after the child append: the bed is vacated as a step-down (by a retry or the reconciler)', () => {
    const s = placedAndPlanned();
    run(s, decideStepDownCompletion(completion, s.household(), s.bed(), s.child()).steps, 2);
    expect(decideStepDownCompletion(completion, s.household(), s.bed(), s.child()).steps.map(types)).toEqual([
      ['BedVacated'],
    ]);
    const now = '2025-08-01T09:10:00Z';
    expect(reconcile(s.household(), 'c1', s.child(), { now }).appends).toEqual([]);
    const repair = reconcile(s.bed(), 'c1', s.child(), { now });
    expect(repair.appends[0]?.events).toEqual([bedVacated('2025-08-01', 'step-down')]);
    run(s, repair.appends);
    expect(status(s.bed(), '2025-08-01')).toBe('Vacant');
  });

  it('writes nothing when the household has no place left on the date', () => {
    const s = placedAndPlanned();
    run(
      s,
      decidePlacement(
        { ...householdRequest, childId: 'c2', placementId: 'p9', referralId: 'r2', startDate: '2025-07-01' },
        s.inputs(s.household(), 'c2', 'r2'),
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
        needs: { ...needs, fosterPlacementType: 'emergency' },
      },
    };
    const placement = {
      unmatchedEmergency: true,
      referralId: 'r1',
      unit: { kind: 'bed' as const, settingId: 's1', bedId: 'e1' },
    };
    expect(isUnmatchedEmergency(placement, fold(referralDecider, [received]))).toBe(true);
    const held = aMatchingMeetingHeld({
      impactAssessments: [{ residentChildId: 'c8', outcome: 'manageable', risksConsidered: [] }],
    });
    expect(isUnmatchedEmergency(placement, fold(referralDecider, [received, held]), ['c8'])).toBe(false);
    expect(isUnmatchedEmergency(placement, fold(referralDecider, [received, held]), ['c8', 'c9'])).toBe(true);
  });

  it('flags an emergency bed occupied past 6 working days', () => {
    const s = estate();
    run(
      s,
      decidePlacement(
        { ...request, emergency: true, referralId: null, startDate: '2025-03-03' },
        s.inputs(s.bed('s1', 'e1'), 'c1', null),
      ).steps,
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
        { ...householdRequest, emergency: true, place: 'U6', startDate: '2025-03-03', placementType: 'respite' },
        s.inputs(s.household()),
      ).steps,
    );
    expect(householdEmergenciesOverdue(s.household().state, '2025-03-11')).toEqual([]);
    expect(householdEmergenciesOverdue(s.household().state, '2025-03-12')).toEqual(['p1']);
  });
});
