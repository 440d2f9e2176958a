import { LEGAL_STATUS, PLACE, PLACE_PROVIDER, REASON_PLACE_CHANGE } from '@placement/domain';
import type { BedVacated } from '@placement/domain';
import { aStepDownPlanned } from '@placement/domain/testing';
import type { RecordedEvent } from '@placement/event-store';
import {
  bedHeld,
  bedHoldReleased,
  bedOccupied,
  childRegistered,
  matchesProposed,
  meetingHeld,
  placementStarted,
  referralReceived,
} from '../testing/audit-fixtures';
import { parseAsOf } from './as-of';
import { childRelated, referralRelated } from './related';
import { statesBefore } from './states-before';
import { buildTimeline } from './timeline';

const meaningOf = (list: readonly { code: string; meaning: string }[], code: string): string =>
  list.find((c) => c.code === code)?.meaning ?? 'missing';

let position = 0n;
const revisions = new Map<string, bigint>();

/** A recorded event as a store hands it back; positions follow the order of calls. */
function recorded(
  streamId: string,
  event: { type: string; data: unknown },
  meta: { recordedAt: string; actor?: { id: string; role: string }; effectiveAt?: string; commandId?: string },
): RecordedEvent {
  const revision = revisions.get(streamId) ?? 0n;
  revisions.set(streamId, revision + 1n);
  position += 1n;
  const commandId = meta.commandId ?? `cmd-${position}`;
  return {
    id: `event-${position}`,
    type: event.type,
    schemaVersion: 1,
    data: event.data,
    metadata: {
      commandId,
      correlationId: `corr-${commandId}`,
      causationId: commandId,
      actor: meta.actor ?? { id: 'officer-1', role: 'placement-officer' },
      recordedAt: meta.recordedAt,
      ...(meta.effectiveAt ? { effectiveAt: meta.effectiveAt } : {}),
    },
    streamId,
    revision,
    position,
    prevHash: null,
    hash: `hash-${position}`,
  };
}

/** On 4 March c1 moves into bed b1 at oak (placement p1, from referral r1): the bed's event, then the child's. */
function c1MovesIntoOak(): RecordedEvent[] {
  return [
    recorded('bed-oak.b1', bedOccupied('oak', 'b1', 'p1', 'c1', 'r1', '2026-03-04', '2026-03-04T10:00:00Z', null), {
      recordedAt: '2026-03-04T10:00:00Z',
    }),
    recorded('child-c1', placementStarted('c1', 'p1', 'oak', 'b1', 'r1', '2026-03-04'), {
      recordedAt: '2026-03-04T10:00:00Z',
    }),
  ];
}

beforeEach(() => {
  position = 0n;
  revisions.clear();
});

describe('audit timeline: decisions in plain words', () => {
  it('says where a placement started, who recorded it and on what codes', () => {
    const [entry] = buildTimeline([
      recorded('child-c1', placementStarted('c1', 'p1', 'oak', 'b3', null, '2026-03-10'), {
        recordedAt: '2026-03-10T10:00:00.000Z',
        actor: { id: 'officer-7', role: 'placement-officer' },
      }),
    ]);
    expect(entry.decision).toBe('Placement p1 started in bed oak.b3');
    expect(entry.actor).toEqual({ id: 'officer-7', role: 'placement-officer' });
    expect(entry.recordedAt).toBe('2026-03-10T10:00:00.000Z');
    expect(entry.reasons).toEqual(
      expect.arrayContaining([
        'Start date 2026-03-10',
        'Planned placement',
        expect.stringMatching(/^PLACE K2 \(.*; provider PR1 \(.*; legal status C2 \(.*\)$/),
      ]),
    );
    expect(entry.reasons).toContain(
      `PLACE K2 (${meaningOf(PLACE, 'K2')}); provider PR1 (${meaningOf(PLACE_PROVIDER, 'PR1')}); ` +
        `legal status C2 (${meaningOf(LEGAL_STATUS, 'C2')})`,
    );
    expect(entry.backDated).toBe(false);
    expect(entry.bySystem).toBeNull();
    expect(entry.optionsOnTable).toBeNull();
  });

  it('lists a matching meeting’s decision, reasons and the impact on every resident', () => {
    const [entry] = buildTimeline([
      recorded('referral-r1', meetingHeld('r1', 'm1', 'oak', ['c2', 'c3'], '2026-03-03'), {
        recordedAt: '2026-03-03T15:00:00Z',
      }),
    ]);
    expect(entry.decision).toBe('Matching meeting m1 decided "matched" for home oak');
    expect(entry.reasons).toEqual([
      'Held on 2026-03-03; attendees: registered-manager, social-worker',
      'Reason NEEDS_MET: The home meets the assessed needs.',
      'Impact on resident c2: no-concerns (risks considered: physical-harm)',
      'Impact on resident c3: no-concerns (risks considered: physical-harm)',
    ]);
  });

  it('lists an override of the engine’s exclusion with its reason and the role that authorised it', () => {
    const [entry] = buildTimeline([
      recorded(
        'referral-r1',
        {
          type: 'MatchingExclusionOverridden',
          data: {
            referralId: 'r1',
            meetingId: 'm1',
            unitConsidered: { kind: 'setting', settingId: 'oak' },
            code: 'RESIDENT_RISK',
            reason: 'Waking night staff and a risk management plan',
            authorisedBy: { role: 'team-manager' },
            heldOn: '2026-03-03',
          },
        },
        { recordedAt: '2026-03-03T15:00:00Z' },
      ),
    ]);
    expect(entry.decision).toBe("Matching meeting m1 overrode the engine's exclusion RESIDENT_RISK for home oak");
    expect(entry.reasons).toEqual([
      'Authorised by the team-manager',
      'Reason: Waking night staff and a risk management plan',
    ]);
    expect(entry.businessDate).toBe('2026-03-03');
  });

  it('states the safety plan facts of a step-down and the reason codes of an ending', () => {
    const plan = aStepDownPlanned({
      plannedDate: '2026-04-01',
      safetyPlan: {
        summaryProvided: true,
        reviewDate: '2026-04-15',
        contingencyAgreed: true,
        leadRole: 'supervising-social-worker',
      },
      milestones: [{ milestoneId: 'ms1', kind: 'overnight-stay', dueDate: '2026-03-20' }],
    });
    const ended = {
      type: 'PlacementEnded',
      data: {
        childId: 'c1',
        placementId: 'p1',
        unit: { kind: 'bed', settingId: 'oak', bedId: 'b3' },
        endDate: '2026-04-01',
        reasonForChange: 'LAREQ',
        reasonEpisodeCeased: 'X1',
      },
    };
    const [planned, end] = buildTimeline([
      recorded('child-c1', plan, { recordedAt: '2026-03-12T09:00:00Z' }),
      recorded('child-c1', ended, { recordedAt: '2026-04-01T09:00:00Z' }),
    ]);
    expect(planned.decision).toBe('Step-down sd1 planned from placement p1 to foster household h1 for 2026-04-01');
    expect(planned.reasons).toEqual([
      'Safety plan: summary provided yes, contingency agreed yes, lead supervising-social-worker, review by 2026-04-15',
      'Milestone ms1: overnight-stay due 2026-03-20',
    ]);
    expect(end.decision).toBe('Placement p1 in bed oak.b3 ended on 2026-04-01');
    expect(end.reasons[0]).toBe(`Reason for change: LAREQ (${meaningOf(REASON_PLACE_CHANGE, 'LAREQ')})`);
    expect(end.reasons[1]).toMatch(/^Reason episode ceased: X1/);
  });

  it('shows an unknown event by its type rather than dropping it', () => {
    const [entry] = buildTimeline([
      recorded('child-c1', { type: 'SomethingNew', data: {} }, { recordedAt: '2026-03-10T10:00:00Z' }),
    ]);
    expect(entry.decision).toBe('SomethingNew recorded');
    expect(entry.reasons).toEqual([]);
  });

  it('orders entries by commit position, whatever order they are given in', () => {
    const a = recorded('child-c1', childRegistered('c1'), { recordedAt: '2026-03-01T10:00:00Z' });
    const b = recorded('referral-r1', referralReceived('r1', 'c1', '2026-03-01T10:00:00Z'), {
      recordedAt: '2026-03-01T10:00:00Z',
    });
    expect(buildTimeline([b, a]).map((e) => e.position)).toEqual(['1', '2']);
  });
});

describe('audit timeline: options on the table', () => {
  it('gives a decision the referral’s latest proposal recorded before it, and where the choice stood in it', () => {
    const first = recorded(
      'referral-r1',
      matchesProposed('r1', '2026-03-02T09:00:00Z', [{ settingId: 'elm', bedId: 'b1' }]),
      { recordedAt: '2026-03-02T09:00:00Z' },
    );
    const second = recorded(
      'referral-r1',
      matchesProposed(
        'r1',
        '2026-03-02T11:00:00Z',
        [
          { settingId: 'elm', bedId: 'b1' },
          { settingId: 'oak', bedId: 'b3' },
        ],
        [{ settingId: 'ash', bedId: 'b1', reason: 'out of use' }],
      ),
      { recordedAt: '2026-03-02T11:00:00Z' },
    );
    const hold = recorded(
      'bed-oak.b3',
      bedHeld('oak', 'b3', 'r1', 'c1', '2026-03-02T12:00:00Z', '2026-03-04T12:00:00Z'),
      { recordedAt: '2026-03-02T12:00:00Z' },
    );
    const later = recorded('referral-r1', matchesProposed('r1', '2026-03-05T09:00:00Z', []), {
      recordedAt: '2026-03-05T09:00:00Z',
    });
    const timeline = buildTimeline([first, second, hold, later]);
    const holdEntry = timeline.find((e) => e.type === 'BedHeld');
    expect(holdEntry?.optionsOnTable).toMatchObject({
      proposalEventId: second.id,
      engineVersion: 'matching-1.0.0',
      inputsHash: 'sha256-r1-2026-03-02T11:00:00Z',
      options: [
        { rank: 1, unit: { settingId: 'elm' } },
        { rank: 2, unit: { settingId: 'oak', bedId: 'b3' } },
      ],
      excluded: [{ unit: { settingId: 'ash' }, reasons: ['out of use'] }],
      chosen: { standing: 'ranked', rank: 2, score: 90 },
    });
    expect(holdEntry?.reasons).toContain('Chosen: bed oak.b3, ranked 2 of 2 proposed');
    // The proposal itself carries its own list, with nothing chosen.
    expect(timeline[0].optionsOnTable).toMatchObject({ proposalEventId: first.id, chosen: null });
  });

  it('finds the proposal in context events (a bed’s history) and flags a choice the engine had excluded', () => {
    const proposal = recorded(
      'referral-r1',
      matchesProposed(
        'r1',
        '2026-03-02T09:00:00Z',
        [{ settingId: 'elm', bedId: 'b1' }],
        [{ settingId: 'oak', bedId: 'b3', reason: 'a current resident is incompatible' }],
      ),
      {
        recordedAt: '2026-03-02T09:00:00Z',
      },
    );
    const occupied = recorded(
      'bed-oak.b3',
      bedOccupied('oak', 'b3', 'p1', 'c1', 'r1', '2026-03-05', '2026-03-05T10:00:00Z', 'm1'),
      { recordedAt: '2026-03-05T10:00:00Z' },
    );
    const [entry] = buildTimeline([occupied], [proposal]);
    expect(entry.optionsOnTable?.chosen).toEqual({
      standing: 'excluded',
      reasons: ['a current resident is incompatible'],
    });
    expect(entry.reasons).toContain(
      'Chosen: bed oak.b3, which the proposal had excluded (a current resident is incompatible)',
    );
  });

  it('matches a meeting about a home against any of its beds, and has no table without a proposal', () => {
    const proposal = recorded(
      'referral-r1',
      matchesProposed('r1', '2026-03-02T09:00:00Z', [
        { settingId: 'elm', bedId: 'b1' },
        { settingId: 'oak', bedId: 'b2' },
      ]),
      { recordedAt: '2026-03-02T09:00:00Z' },
    );
    const meeting = recorded('referral-r1', meetingHeld('r1', 'm1', 'oak', [], '2026-03-03'), {
      recordedAt: '2026-03-03T09:00:00Z',
    });
    const [, entry] = buildTimeline([proposal, meeting]);
    expect(entry.optionsOnTable?.chosen).toEqual({ standing: 'ranked', rank: 2, score: 90 });
    const withoutProposal = buildTimeline([
      recorded('referral-r2', meetingHeld('r2', 'm2', 'oak', [], '2026-03-03'), { recordedAt: '2026-03-03T09:00:00Z' }),
    ]);
    expect(withoutProposal[0].optionsOnTable).toBeNull();
  });
});

describe('audit timeline: back-dating and system actions', () => {
  it('marks a placement recorded after its start date as back-dated, on the London calendar', () => {
    const [late, sameDay, bstMidnight] = buildTimeline([
      recorded('child-c1', placementStarted('c1', 'p1', 'oak', 'b3', null, '2026-03-05'), {
        recordedAt: '2026-03-10T10:00:00Z',
      }),
      recorded('child-c2', placementStarted('c2', 'p2', 'oak', 'b2', null, '2026-03-10'), {
        recordedAt: '2026-03-10T10:00:00Z',
      }),
      // 23:30 UTC on 30 June is already 1 July in London (BST).
      recorded('child-c3', placementStarted('c3', 'p3', 'oak', 'b1', null, '2026-06-30'), {
        recordedAt: '2026-06-30T23:30:00Z',
      }),
    ]);
    expect(late.backDated).toBe(true);
    expect(late.businessDate).toBe('2026-03-05');
    expect(sameDay.backDated).toBe(false);
    expect(bstMidnight.backDated).toBe(true);
  });

  it('shows metadata.effectiveAt and treats an earlier one as back-dating', () => {
    const [entry] = buildTimeline([
      recorded('referral-r1', meetingHeld('r1', 'm1', 'oak', [], '2026-03-10'), {
        recordedAt: '2026-03-10T10:00:00Z',
        effectiveAt: '2026-03-05T09:00:00Z',
      }),
    ]);
    expect(entry.effectiveAt).toBe('2026-03-05T09:00:00Z');
    expect(entry.backDated).toBe(true);
  });

  it('marks compensation and reconciler writes as the system’s, not a person’s decision', () => {
    const vacated: BedVacated = {
      type: 'BedVacated',
      data: {
        settingId: 'oak',
        bedId: 'b3',
        placementId: 'p1',
        childId: 'c1',
        date: '2026-03-05',
        reason: 'compensation',
      },
    };
    const [compensation, reconciler, person] = buildTimeline([
      recorded('bed-oak.b3', vacated, { recordedAt: '2026-03-05T10:00:01Z', commandId: 'place:p1:compensate' }),
      recorded(
        'bed-oak.b2',
        { ...vacated, data: { ...vacated.data, bedId: 'b2', placementId: 'p2' } },
        { recordedAt: '2026-03-05T11:00:00Z', actor: { id: 'system-reconciler', role: 'system' } },
      ),
      recorded(
        'bed-oak.b1',
        { ...vacated, data: { ...vacated.data, bedId: 'b1', placementId: 'p3', reason: 'placement-ended' } },
        { recordedAt: '2026-03-05T12:00:00Z' },
      ),
    ]);
    expect(compensation.bySystem?.kind).toBe('compensation');
    expect(compensation.reasons[0]).toMatch(/^Compensation:/);
    expect(reconciler.bySystem?.kind).toBe('reconciler');
    expect(person.bySystem).toBeNull();
  });
});

describe('related streams', () => {
  it('picks a child’s own stream, its referrals and its units’ events, and nobody else’s', () => {
    const log = [
      recorded('child-c1', childRegistered('c1'), { recordedAt: '2026-03-01T09:00:00Z' }),
      recorded('child-c2', childRegistered('c2'), { recordedAt: '2026-03-01T09:00:00Z' }),
      recorded('referral-r1', referralReceived('r1', 'c1', '2026-03-01T09:00:00Z'), {
        recordedAt: '2026-03-01T09:00:00Z',
      }),
      recorded('referral-r2', referralReceived('r2', 'c2', '2026-03-01T09:00:00Z'), {
        recordedAt: '2026-03-01T09:00:00Z',
      }),
      recorded('referral-r1', matchesProposed('r1', '2026-03-02T09:00:00Z', []), {
        recordedAt: '2026-03-02T09:00:00Z',
      }),
      recorded('bed-oak.b3', bedHeld('oak', 'b3', 'r1', 'c1', '2026-03-02T10:00:00Z', '2026-03-03T10:00:00Z'), {
        recordedAt: '2026-03-02T10:00:00Z',
      }),
      // A release names the referral, not the child.
      recorded('bed-oak.b3', bedHoldReleased('oak', 'b3', 'r1', 'expired', '2026-03-03T10:00:00Z'), {
        recordedAt: '2026-03-03T10:00:00Z',
      }),
      recorded('bed-oak.b2', bedOccupied('oak', 'b2', 'p2', 'c2', 'r2', '2026-03-04', '2026-03-04T10:00:00Z', null), {
        recordedAt: '2026-03-04T10:00:00Z',
      }),
      ...c1MovesIntoOak(),
      recorded(
        'setting-oak',
        { type: 'SettingClosed', data: { settingId: 'oak', date: '2026-05-01', reason: 'other' } },
        { recordedAt: '2026-05-01T10:00:00Z' },
      ),
    ];
    const child = log.filter(childRelated('c1')).map((e) => `${e.streamId}:${e.type}`);
    expect(child).toEqual([
      'child-c1:ChildRegistered',
      'referral-r1:ReferralReceived',
      'referral-r1:MatchesProposed',
      'bed-oak.b3:BedHeld',
      'bed-oak.b3:BedHoldReleased',
      'bed-oak.b1:BedOccupied',
      'child-c1:PlacementStarted',
    ]);
    const referral = log.filter(referralRelated('r2')).map((e) => `${e.streamId}:${e.type}`);
    expect(referral).toEqual(['referral-r2:ReferralReceived', 'bed-oak.b2:BedOccupied']);
  });

  it('follows a referral to the placement it led to and that placement’s ending', () => {
    const log = [
      recorded('referral-r1', referralReceived('r1', 'c1', '2026-03-01T09:00:00Z'), {
        recordedAt: '2026-03-01T09:00:00Z',
      }),
      ...c1MovesIntoOak(),
      recorded(
        'referral-r1',
        {
          type: 'ReferralClosed',
          data: { referralId: 'r1', outcome: 'placed', placementId: 'p1', at: '2026-03-04T10:00:00Z' },
        },
        { recordedAt: '2026-03-04T10:00:00Z' },
      ),
      recorded(
        'child-c1',
        {
          type: 'PlacementEnded',
          data: {
            childId: 'c1',
            placementId: 'p1',
            unit: { kind: 'bed', settingId: 'oak', bedId: 'b1' },
            endDate: '2026-06-01',
            reasonForChange: 'CHILD',
            reasonEpisodeCeased: 'X1',
          },
        },
        { recordedAt: '2026-06-01T10:00:00Z' },
      ),
      recorded('child-c1', placementStarted('c1', 'p9', 'elm', 'b1', null, '2026-06-01'), {
        recordedAt: '2026-06-01T10:00:00Z',
      }),
    ];
    expect(log.filter(referralRelated('r1')).map((e) => e.type)).toEqual([
      'ReferralReceived',
      'BedOccupied',
      'PlacementStarted',
      'ReferralClosed',
      'PlacementEnded',
    ]);
  });
});

describe('statesBefore', () => {
  it('gives each event the state of its stream just before it, skipping unknown event types', () => {
    const stream = [
      recorded(
        'bed-oak.b3',
        { type: 'BedAdded', data: { settingId: 'oak', bedId: 'b3', kind: 'residential', label: 'Room 3' } },
        { recordedAt: '2026-03-01T09:00:00Z' },
      ),
      recorded('bed-oak.b3', { type: 'SomethingNew', data: {} }, { recordedAt: '2026-03-01T10:00:00Z' }),
      recorded('bed-oak.b3', bedHeld('oak', 'b3', 'r1', 'c1', '2026-03-02T10:00:00Z', '2026-03-03T10:00:00Z'), {
        recordedAt: '2026-03-02T10:00:00Z',
      }),
      recorded('bed-oak.b3', bedHoldReleased('oak', 'b3', 'r1', 'released', '2026-03-02T11:00:00Z'), {
        recordedAt: '2026-03-02T11:00:00Z',
      }),
    ];
    const before = statesBefore(stream);
    expect(stream.map((e) => (before.get(e.id) as { status: string }).status)).toEqual([
      'NotAdded',
      'Added',
      'Added',
      'Added',
    ]);
    const entries = buildTimeline(stream, [], before);
    expect(entries[2].stateBefore).toMatchObject({ hold: null });
    expect(entries[3].stateBefore).toMatchObject({ hold: { referralId: 'r1', until: '2026-03-03T10:00:00Z' } });
    expect(buildTimeline(stream)[3].stateBefore).toBeNull();
  });
});

describe('parseAsOf', () => {
  it.each([
    ['2026-03-07T00:00:00Z', '2026-03-07T00:00:00.000Z'],
    ['2026-03-07T12:30:00.123Z', '2026-03-07T12:30:00.123Z'],
    ['2026-07-01T00:30:00+01:00', '2026-06-30T23:30:00.000Z'],
    ['2026-03-07T12:30Z', '2026-03-07T12:30:00.000Z'],
  ])('accepts %s as %s', (input, canonical) => expect(parseAsOf(input)).toBe(canonical));

  it.each(['2026-03-07', '2026-03-07T12:00:00', '2026-02-31T00:00:00Z', '2026-03-07T25:00:00Z', 'yesterday', ''])(
    'refuses %p',
    (input) => expect(parseAsOf(input)).toBeNull(),
  );
});
