import type { EventStore } from '@placement/event-store';
import type { MeetingDecision, ReferralNeeds, Urgency } from '@placement/domain';
import { referralListProjection } from './referral-list.projection';
import { readReferralList } from './referral-list.query';
import type { PageRequest } from './page';
import { needs } from '../testing/audit-fixtures';
import { caughtUpWithStory, liveAndRebuiltTables, on, record, tempFilesEachTest } from '../testing/harness';

const ALL: PageRequest = { limit: 100, after: null };

/** The shared referral's needs with this spec's boy of `ageAtStart`, near S60, for foster care only, no risks. */
const needsOf = (ageAtStart: number): ReferralNeeds => ({
  ...needs,
  sex: 'M',
  ageAtStart,
  preferredArea: { postcodeDistrict: 'S60', maxDistanceKm: 20 },
  placementTypeSuitability: { foster: 'preferred' },
  risksToSelf: [],
});

const received = (referralId: string, urgency: Urgency, startDate: string, ageAtStart = 13) =>
  on(`referral-${referralId}`, {
    type: 'ReferralReceived',
    data: {
      referralId,
      childId: `c-${referralId}`,
      urgency,
      startDate,
      needs: needsOf(ageAtStart),
      requestedBy: { role: 'social-worker', team: 'north' },
      at: `${startDate}T08:00:00.000Z`,
    },
  });
const meeting = (referralId: string, meetingId: string, settingId: string, decision: MeetingDecision) =>
  on(`referral-${referralId}`, {
    type: 'MatchingMeetingHeld',
    data: {
      referralId,
      meetingId,
      heldOn: '2026-05-02',
      attendees: [{ role: 'registered-manager' }],
      unitConsidered: { kind: 'setting', settingId },
      impactAssessments: [],
      decision,
      reasons: [{ code: 'NEEDS_MET', text: 'Assessed.' }],
    },
  });

/**
 * r1 (emergency) placed in s1 after a meeting about s1; r2 (planned) open with a bed held in
 * s2 and a meeting about s1 that did not match; r3 withdrawn; r4 (planned) open, untouched;
 * r5 closed without a placement; r2's needs updated (the child is now 14 at the start).
 */
async function recordStory(store: EventStore): Promise<bigint> {
  return record(
    store,
    received('r1', 'emergency', '2026-05-01'),
    received('r2', 'planned', '2026-06-15'),
    received('r3', 'planned', '2026-06-01'),
    received('r4', 'planned', '2026-07-01'),
    received('r5', 'emergency', '2026-05-03'),
    meeting('r1', 'm1', 's1', 'matched'),
    on('referral-r1', {
      type: 'ReferralClosed',
      data: { referralId: 'r1', outcome: 'placed', placementId: 'p-1', at: '2026-05-02T12:00:00.000Z' },
    }),
    on('bed-s2.b1', {
      type: 'BedHeld',
      data: {
        settingId: 's2',
        bedId: 'b1',
        referralId: 'r2',
        childId: 'c-r2',
        until: '2026-06-02T12:00:00Z',
        at: '2026-06-01T12:00:00Z',
      },
    }),
    meeting('r2', 'm2', 's1', 'not-matched'),
    on('referral-r3', {
      type: 'ReferralWithdrawn',
      data: { referralId: 'r3', reason: 'no-longer-needed', at: '2026-05-20T09:00:00.000Z' },
    }),
    on('referral-r5', {
      type: 'ReferralClosed',
      data: { referralId: 'r5', outcome: 'no-match', placementId: null, at: '2026-05-04T12:00:00.000Z' },
    }),
    on('referral-r2', {
      type: 'NeedsUpdated',
      data: {
        referralId: 'r2',
        needs: needsOf(14),
        at: '2026-06-01T13:00:00.000Z',
      },
    }),
  );
}

describe('referral list (worked by hand)', () => {
  const files = tempFilesEachTest('referral-list');

  it('lists referrals as received with status, urgency and latest meeting; filters; a manager’s homes', async () => {
    const { db, position, close } = await caughtUpWithStory(files, [referralListProjection], recordStory);
    const list = (filter = {}, scope: { settingIds: string[] } | null = null, request = ALL) =>
      readReferralList(db, position, { filter, scope }, request);
    const idsOf = (page: ReturnType<typeof list>) => page.items.map((r) => r.referralId);

    expect(list().items.map((r) => [r.referralId, r.status, r.urgency, r.meetings])).toEqual([
      ['r1', 'placed', 'emergency', 1],
      ['r2', 'open', 'planned', 1],
      ['r3', 'withdrawn', 'planned', 0],
      ['r4', 'open', 'planned', 0],
      ['r5', 'closed', 'emergency', 0],
    ]);
    expect(idsOf(list({ status: 'open' }))).toEqual(['r2', 'r4']);
    expect(idsOf(list({ status: 'open', urgency: 'emergency' }))).toEqual([]);
    expect(idsOf(list({ urgency: 'emergency' }))).toEqual(['r1', 'r5']);
    expect(idsOf(list({ status: 'placed' }))).toEqual(['r1']);
    expect(idsOf(list({ status: 'withdrawn' }))).toEqual(['r3']);
    expect(list({ status: 'open' }).items[0]).toEqual({
      referralId: 'r2',
      childId: 'c-r2',
      status: 'open',
      urgency: 'planned',
      startDate: '2026-06-15',
      receivedAt: '2026-06-15T08:00:00.000Z',
      requestedBy: { role: 'social-worker', team: 'north' },
      child: { sex: 'M', ageAtStart: 14 },
      meetings: 1,
      latestMeeting: {
        meetingId: 'm2',
        heldOn: '2026-05-02',
        decision: 'not-matched',
        unitConsidered: { kind: 'setting', settingId: 's1' },
      },
      placementId: null,
      closedAt: null,
      withdrawnReason: null,
    });
    expect(list({ status: 'placed' }).items[0]).toMatchObject({
      placementId: 'p-1',
      closedAt: '2026-05-02T12:00:00.000Z',
    });
    expect(list({ status: 'withdrawn' }).items[0].withdrawnReason).toBe('no-longer-needed');
    // A manager sees the referrals considered for their homes: a meeting about s1 (r1, r2), a bed held in s2 (r2).
    expect(idsOf(list({}, { settingIds: ['s1'] }))).toEqual(['r1', 'r2']);
    expect(idsOf(list({}, { settingIds: ['s2'] }))).toEqual(['r2']);
    expect(idsOf(list({}, { settingIds: ['s3'] }))).toEqual([]);

    // Pages of two, then whatever is left.
    const first = list({}, null, { limit: 2, after: null });
    const second = list({}, null, { limit: 2, after: first.nextAfter });
    const third = list({}, null, { limit: 2, after: second.nextAfter });
    expect([idsOf(first), idsOf(second), idsOf(third)]).toEqual([['r1', 'r2'], ['r3', 'r4'], ['r5']]);
    expect(third.nextAfter).toBeNull();
    await close();
  });

  it('pages on while referrals arrive and change: no row twice, none skipped, the newcomer last', async () => {
    const { store, db, runner, close } = await caughtUpWithStory(files, [referralListProjection], recordStory);
    const page = (after: readonly (string | number)[] | null) =>
      readReferralList(db, runner.status()[0].position, { filter: {}, scope: null }, { limit: 2, after });
    const first = page(null);
    // Between pages: r1 (already read) is the subject of a new meeting, r4 is withdrawn, r6 arrives.
    const head = await record(
      store,
      meeting('r1', 'm3', 's2', 'deferred'),
      on('referral-r4', {
        type: 'ReferralWithdrawn',
        data: { referralId: 'r4', reason: 'duplicate', at: '2026-06-02T09:00:00.000Z' },
      }),
      received('r6', 'emergency', '2026-06-03'),
    );
    expect(await runner.waitFor(head, { timeoutMs: 10_000 })).toBe(true);
    const second = page(first.nextAfter);
    const third = page(second.nextAfter);
    expect([first, second, third].map((p) => p.items.map((r) => r.referralId))).toEqual([
      ['r1', 'r2'],
      ['r3', 'r4'],
      ['r5', 'r6'],
    ]);
    expect(second.items[1].status).toBe('withdrawn');
    expect(third.nextAfter).toBeNull();
    await close();
  });

  it('gives the same tables rebuilt from zero as built live', async () => {
    const { live, rebuilt } = await liveAndRebuiltTables(files, [referralListProjection], recordStory);
    expect(live['list_referrals']).toHaveLength(5);
    expect(live['list_referral_homes']).toHaveLength(3);
    expect(rebuilt).toEqual(live);
  });
});
