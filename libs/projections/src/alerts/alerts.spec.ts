import { bankHolidayCalendar, type EmergencyStayPolicy, type UnitRef } from '@placement/domain';
import { aMatchingMeetingHeld, aStepDownPlanned } from '@placement/domain/testing';
import { openSqliteEventStore, type Clock, type EventStore } from '@placement/event-store';
import { childHomesProjection } from '../need-to-know/child-homes.projection';
import type { DomainEvent } from '../testing/synthetic-events';
import { dumpTables, on, record, runToHead, tempFiles, type TempFiles } from '../testing/harness';
import { childRegistered } from '../testing/audit-fixtures';
import { contract } from '../testing/capacity-fixtures';
import { placementEndedIn, placementStartedIn } from '../testing/child-fixtures';
import type { ListScope } from '../lists/page';
import { alertsProjection } from './alerts.projection';
import { latestOverdueStart, readAlerts, type AlertFilter } from './alerts.query';

/** England and Wales bank holidays of 2026 and 2027 (reference-data lists them; the app loads the file). */
const BANK_HOLIDAYS = bankHolidayCalendar(
  [
    '2026-01-01',
    '2026-04-03',
    '2026-04-06',
    '2026-05-04',
    '2026-05-25',
    '2026-08-31',
    '2026-12-25',
    '2026-12-28',
    '2027-01-01',
    '2027-03-26',
    '2027-03-29',
    '2027-05-03',
    '2027-05-31',
    '2027-08-30',
    '2027-12-27',
    '2027-12-28',
  ].map((date) => ({ date, title: 'Bank holiday' })),
);
const POLICY: EmergencyStayPolicy = { limitWorkingDays: 6, bankHolidays: BANK_HOLIDAYS };
/** The store records every event on 2 November 2026 (London), so "registered on" is fixed. */
const CLOCK: Clock = { now: () => new Date('2026-11-02T10:00:00.000Z') };

const setting = (settingId: string, maxAge: number): DomainEvent => ({
  type: 'SettingRegistered',
  data: {
    settingId,
    name: `Home ${settingId}`,
    urn: 'SC123456',
    provider: { kind: 'in-house', name: 'Council', code: 'PR1' },
    type: 'childrens-home',
    registration: { ageRange: { min: 8, max: maxAge }, sexes: 'any', maxChildren: 4 },
    postcode: 'S60 1AA',
    localAuthority: 'E08000018',
    registeredOn: '2020-01-01',
  },
});
const child = (childId: string, dateOfBirth: string): DomainEvent =>
  childRegistered(childId, { dateOfBirth, homePostcode: 'S60 1AA' });
const started = (
  childId: string,
  placementId: string,
  unit: UnitRef,
  startDate: string,
  emergency: { referralId: string } | null = null,
): DomainEvent =>
  placementStartedIn(childId, placementId, unit, startDate, {
    place: unit.kind === 'household' ? 'U3' : 'K2',
    emergency: emergency !== null,
    unmatchedEmergency: emergency !== null,
    referralId: emergency?.referralId ?? null,
    placementPostcode: 'S60 1AA',
  });
const ended = (childId: string, placementId: string, unit: UnitRef, endDate: string, rec: 'E3' | null): DomainEvent =>
  placementEndedIn(childId, placementId, unit, endDate, {
    reasonForChange: null,
    reasonEpisodeCeased: rec,
    next: rec ? 'leaves-care' : null,
  });
const bed = (settingId: string, bedId: string): UnitRef => ({ kind: 'bed', settingId, bedId });
const household = (householdId: string): UnitRef => ({ kind: 'household', householdId });

/**
 * s1 is registered 8–17, s2 8–18. c1 (18 on 10 Feb 2027) lives in s1 with a step-down planned
 * (milestones due 1 and 10 Dec, the first met); c2 came into s1's emergency bed on Thu 24 Dec
 * 2026 before any matching meeting; c3 was never placed; c4's placement ended with nothing after
 * it, c5's ended her care (E3); a bed in s2 is held for c6 until noon on 1 Dec, another hold was
 * released; block booking k1's bed A was filled on 3 Nov and left on 20 Nov, bed B never filled.
 */
async function recordStory(store: EventStore): Promise<bigint> {
  return record(
    store,
    on('setting-s1', setting('s1', 17)),
    on('setting-s2', setting('s2', 18)),
    on('child-c1', child('c1', '2009-02-10')),
    on('child-c2', child('c2', '2013-06-01')),
    on('child-c3', child('c3', '2012-03-03')),
    on('child-c4', child('c4', '2011-04-04')),
    on('child-c5', child('c5', '2010-05-05')),
    on('child-c1', started('c1', 'p1', bed('s1', 'b1'), '2026-10-01')),
    on('child-c4', started('c4', 'p4', household('h1'), '2026-09-01')),
    on('child-c4', ended('c4', 'p4', household('h1'), '2026-11-20', null)),
    on('child-c5', started('c5', 'p5', household('h1'), '2026-09-01')),
    on('child-c5', ended('c5', 'p5', household('h1'), '2026-11-21', 'E3')),
    on(
      'child-c1',
      aStepDownPlanned({
        toHouseholdId: 'h2',
        plannedDate: '2027-01-15',
        milestones: [
          { milestoneId: 'm1', kind: 'introductions', dueDate: '2026-12-01' },
          { milestoneId: 'm2', kind: 'overnight-stay', dueDate: '2026-12-10' },
        ],
      }),
    ),
    on('child-c1', {
      type: 'StepDownMilestoneRecorded',
      data: { childId: 'c1', stepDownId: 'sd1', milestoneId: 'm1', date: '2026-12-01', outcome: 'met' },
    }),
    on('bed-s2.b1', {
      type: 'BedHeld',
      data: {
        settingId: 's2',
        bedId: 'b1',
        referralId: 'r6',
        childId: 'c6',
        until: '2026-12-01T12:00:00.000Z',
        at: '2026-11-30T12:00:00.000Z',
      },
    }),
    on('bed-s2.b2', {
      type: 'BedHeld',
      data: {
        settingId: 's2',
        bedId: 'b2',
        referralId: 'r7',
        childId: 'c7',
        until: '2026-12-01T12:00:00.000Z',
        at: '2026-11-30T12:00:00.000Z',
      },
    }),
    on('bed-s2.b2', {
      type: 'BedHoldReleased',
      data: { settingId: 's2', bedId: 'b2', referralId: 'r7', reason: 'released', at: '2026-11-30T13:00:00.000Z' },
    }),
    on('contract-k1', contract('k1', ['A', 'B'], { startDate: '2026-11-01', endDate: '2027-11-01' })),
    on('contract-k1', {
      type: 'BlockBedAllocated',
      data: {
        contractId: 'k1',
        bedRef: 'A',
        placementId: 'p8',
        childId: 'c8',
        referralId: null,
        date: '2026-11-03',
        at: '2026-11-03T10:00:00.000Z',
      },
    }),
    on('contract-k1', {
      type: 'BlockBedReleased',
      data: {
        contractId: 'k1',
        bedRef: 'A',
        placementId: 'p8',
        childId: 'c8',
        date: '2026-11-20',
        reason: 'placement-ended',
      },
    }),
    on('child-c2', started('c2', 'p2', bed('s1', 'e1'), '2026-12-24', { referralId: 'r2' })),
    on('bed-s1.e1', {
      type: 'BedOccupied',
      data: {
        settingId: 's1',
        bedId: 'e1',
        bedKind: 'emergency',
        placementId: 'p2',
        childId: 'c2',
        referralId: 'r2',
        emergency: true,
        matchingMeetingId: null,
        unmatchedEmergency: true,
        startDate: '2026-12-24',
        at: '2026-12-24T20:00:00.000Z',
      },
    }),
  );
}

describe('alerts (worked by hand)', () => {
  let files: TempFiles;
  let store: EventStore;
  beforeEach(async () => {
    files = tempFiles('alerts');
    store = await openSqliteEventStore({ path: files.eventsPath, pollIntervalMs: 20, clock: CLOCK });
  });
  afterEach(async () => {
    await store.close();
    files.remove();
  });

  async function readerAt() {
    const { db, runner } = await runToHead(store, files.readModelsPath(), [alertsProjection, childHomesProjection]);
    const read = (now: string, filter: AlertFilter = {}, scope: ListScope = null, limit = 100) => {
      const position = runner.status().find((s) => s.name === 'alerts')?.position ?? -1n;
      const today = now.slice(0, 10); // every instant below is in GMT, where the London date is the UTC one
      return readAlerts(
        db,
        position,
        { today, now: new Date(now), emergencyStay: POLICY, filter, scope },
        { limit, after: null },
      );
    };
    const rules = (now: string, filter: AlertFilter = {}, scope: ListScope = null) =>
      read(now, filter, scope).items.map((a) => `${a.rule}:${a.alertId.split(':')[1]}@${a.since}`);
    return { db, runner, read, rules };
  }

  it('shows each alert from the day (or hour) it becomes due, without a new event', async () => {
    await recordStory(store);
    const { db, runner, rules, read } = await readerAt();

    // 11 Nov: c3 was never placed; bed B has been void for 10 nights.
    expect(rules('2026-11-11T09:00:00.000Z')).toEqual([
      'BLOCK_BED_VOID:k1.B@2026-11-09',
      'NO_OPEN_PLACEMENT:c3@2026-11-02',
    ]);
    // c4's placement ends on 20 Nov with nothing after it; c5's ends her care (E3) and raises nothing.
    expect(rules('2026-11-20T09:00:00.000Z', { rule: 'NO_OPEN_PLACEMENT' })).toEqual([
      'NO_OPEN_PLACEMENT:c3@2026-11-02',
      'NO_OPEN_PLACEMENT:c4@2026-11-20',
    ]);
    // c2 placed in an emergency on 24 Dec, before any matching meeting.
    expect(rules('2026-12-23T09:00:00.000Z', { rule: 'UNMATCHED_EMERGENCY' })).toEqual([]);
    expect(rules('2026-12-24T09:00:00.000Z', { rule: 'UNMATCHED_EMERGENCY' })).toEqual([
      'UNMATCHED_EMERGENCY:p2@2026-12-24',
    ]);
    // 12 Nov: c1 is 90 days from 18 in a home registered to 17.
    expect(rules('2026-11-12T09:00:00.000Z')).toContain('AGED_18_IN_HOME_REGISTERED_TO_17:p1@2026-11-12');
    // 28 Nov: bed A has been void for 8 nights since c8 left on 20 Nov.
    expect(rules('2026-11-27T09:00:00.000Z')).not.toContain('BLOCK_BED_VOID:k1.A@2026-11-28');
    expect(rules('2026-11-28T09:00:00.000Z')).toContain('BLOCK_BED_VOID:k1.A@2026-11-28');
    // The hold on s2.b1 lapses at noon on 1 Dec: it shows from 10:00; the released hold never does.
    expect(rules('2026-12-01T09:59:59.000Z', { rule: 'HOLD_LAPSING' })).toEqual([]);
    expect(rules('2026-12-01T10:00:00.000Z', { rule: 'HOLD_LAPSING' })).toEqual([
      'HOLD_LAPSING:s2.b1@2026-12-01T10:00:00.000Z',
    ]);
    // m1 was met; m2 (due 10 Dec) is overdue from 11 Dec.
    expect(rules('2026-12-10T09:00:00.000Z', { rule: 'STEP_DOWN_MILESTONE_OVERDUE' })).toEqual([]);
    expect(rules('2026-12-11T09:00:00.000Z', { rule: 'STEP_DOWN_MILESTONE_OVERDUE' })).toEqual([
      'STEP_DOWN_MILESTONE_OVERDUE:sd1.m2@2026-12-11',
    ]);
    // c2's emergency stay from Thu 24 Dec: 6 working days skip 25, 28 Dec and 1 Jan, so it is overdue on 7 Jan.
    expect(rules('2027-01-06T09:00:00.000Z', { rule: 'EMERGENCY_STAY_OVERDUE' })).toEqual([]);
    expect(rules('2027-01-07T09:00:00.000Z', { rule: 'EMERGENCY_STAY_OVERDUE' })).toEqual([
      'EMERGENCY_STAY_OVERDUE:p2@2027-01-07',
    ]);
    // The contract ends on 1 Nov 2027: its beds are no longer void after that.
    expect(rules('2027-11-01T09:00:00.000Z', { rule: 'BLOCK_BED_VOID' })).toEqual([]);

    expect(read('2027-01-07T09:00:00.000Z', { rule: 'EMERGENCY_STAY_OVERDUE' }).items[0]).toEqual({
      alertId: 'EMERGENCY_STAY_OVERDUE:p2',
      rule: 'EMERGENCY_STAY_OVERDUE',
      childId: 'c2',
      unit: { kind: 'bed', settingId: 's1', bedId: 'e1' },
      since: '2027-01-07',
      link: '/v1/children/c2',
      placementId: 'p2',
      referralId: 'r2',
      householdId: null,
      stepDownId: null,
      milestoneId: null,
    });
    await runner.stop();
    db.close();
  });

  it('clears an alert when the event that answers it is recorded', async () => {
    await recordStory(store);
    const head = await record(
      store,
      on('referral-r2', aMatchingMeetingHeld({ referralId: 'r2', meetingId: 'mt2', heldOn: '2026-12-29' })),
      // s1 is registered up to 18 from now: c1 has not outgrown it.
      on('setting-s1', {
        type: 'SettingRegistrationChanged',
        data: {
          settingId: 's1',
          registration: { ageRange: { min: 8, max: 18 }, sexes: 'any', maxChildren: 4 },
          urn: 'SC123456',
          effectiveDate: '2026-12-01',
        },
      }),
      on('child-c3', started('c3', 'p3', household('h1'), '2026-12-02')),
      on('child-c1', {
        type: 'StepDownAbandoned',
        data: { childId: 'c1', stepDownId: 'sd1', reason: 'child-wishes', date: '2026-12-20' },
      }),
      on('bed-s2.b1', {
        type: 'BedHoldReleased',
        data: { settingId: 's2', bedId: 'b1', referralId: 'r6', reason: 'expired', at: '2026-12-01T12:00:00.000Z' },
      }),
      on('contract-k1', {
        type: 'BlockBookingEnded',
        data: { contractId: 'k1', date: '2026-12-31', reason: 'terminated' },
      }),
      on('bed-s1.e1', {
        type: 'BedVacated',
        data: {
          settingId: 's1',
          bedId: 'e1',
          placementId: 'p2',
          childId: 'c2',
          date: '2027-01-05',
          reason: 'placement-ended',
        },
      }),
      on('child-c2', ended('c2', 'p2', bed('s1', 'e1'), '2027-01-05', null)),
    );
    const { db, runner, rules } = await readerAt();
    expect(runner.status().find((s) => s.name === 'alerts')?.position).toBe(head);
    // Read on 30 Dec, c2's departure recorded ahead for 5 Jan does not show yet.
    expect(rules('2026-12-30T09:00:00.000Z')).toEqual([
      'BLOCK_BED_VOID:k1.B@2026-11-09',
      'BLOCK_BED_VOID:k1.A@2026-11-28',
      'NO_OPEN_PLACEMENT:c4@2026-11-20',
    ]);
    // The contract ended early on 31 Dec; c2 left s1 on 5 Jan with nothing after it.
    expect(rules('2027-01-07T09:00:00.000Z')).toEqual([
      'NO_OPEN_PLACEMENT:c4@2026-11-20',
      'NO_OPEN_PLACEMENT:c2@2027-01-05',
    ]);
    await runner.stop();
    db.close();
  });

  it("keeps a placement's alerts until its planned end, and again once the plan is withdrawn", async () => {
    await recordStory(store);
    const vacated = (date: string): DomainEvent => ({
      type: 'BedVacated',
      data: { settingId: 's1', bedId: 'e1', placementId: 'p2', childId: 'c2', date, reason: 'placement-ended' },
    });
    const stays = ['EMERGENCY_STAY_OVERDUE:p2@2027-01-07', 'UNMATCHED_EMERGENCY:p2@2026-12-24'];
    // Recorded on 2 Nov: c2 is to leave s1's emergency bed on 12 Jan, with nothing after it.
    await record(
      store,
      on('bed-s1.e1', vacated('2027-01-12')),
      on('child-c2', ended('c2', 'p2', bed('s1', 'e1'), '2027-01-12', null)),
    );
    let reader = await readerAt();
    const c2 = (now: string) => reader.rules(now, { childId: 'c2' });
    // She still lives there until 12 Jan: the planned end does not answer the alerts before it.
    expect(c2('2027-01-11T09:00:00.000Z')).toEqual(stays);
    expect(c2('2027-01-12T09:00:00.000Z')).toEqual(['NO_OPEN_PLACEMENT:c2@2027-01-12']);
    await reader.runner.stop();
    reader.db.close();
    // The planned end is withdrawn: open-ended again, the alerts hold on every later day.
    await record(
      store,
      on('bed-s1.e1', {
        type: 'BedDepartureWithdrawn',
        data: { settingId: 's1', bedId: 'e1', placementId: 'p2', childId: 'c2' },
      }),
      on('child-c2', {
        type: 'PlacementEndWithdrawn',
        data: { childId: 'c2', placementId: 'p2', unit: bed('s1', 'e1') },
      }),
    );
    reader = await readerAt();
    expect(c2('2027-01-12T09:00:00.000Z')).toEqual(stays);
    expect(c2('2027-03-01T09:00:00.000Z')).toEqual(stays);
    await reader.runner.stop();
    reader.db.close();
  });

  it('shows a placement made against an engine exclusion its meeting overrode, in either order', async () => {
    await recordStory(store);
    const meeting = (referralId: string, meetingId: string, settingId: string): DomainEvent => ({
      type: 'MatchingMeetingHeld',
      data: {
        referralId,
        meetingId,
        heldOn: '2026-12-01',
        attendees: [{ role: 'registered-manager' }],
        unitConsidered: { kind: 'setting', settingId },
        impactAssessments: [],
        decision: 'matched',
        reasons: [{ code: 'NEEDS_MET', text: 'Assessed.' }],
      },
    });
    const overridden = (referralId: string, meetingId: string, settingId: string): DomainEvent => ({
      type: 'MatchingExclusionOverridden',
      data: {
        referralId,
        meetingId,
        unitConsidered: { kind: 'setting', settingId },
        code: 'AGE_OUTSIDE_REGISTRATION',
        reason: 'Free text kept out of the queue.',
        authorisedBy: { role: 'registered-manager' },
        heldOn: '2026-12-01',
      },
    });
    const planned = (childId: string, placementId: string, unit: UnitRef, startDate: string, referralId: string) => {
      const event = started(childId, placementId, unit, startDate);
      return { ...event, data: { ...event.data, referralId } } as DomainEvent;
    };
    await record(
      store,
      // c3 is placed in s2 on 2 Dec under a meeting that set the age exclusion aside.
      on('referral-r3', meeting('r3', 'mt3', 's2')),
      on('referral-r3', overridden('r3', 'mt3', 's2')),
      on('child-c3', planned('c3', 'p3', bed('s2', 'b3'), '2026-12-02', 'r3')),
      // c4 is placed in s2 under a meeting that overrode nothing.
      on('referral-r4', meeting('r4', 'mt4', 's2')),
      on('child-c4', planned('c4', 'p4b', bed('s2', 'b4'), '2026-12-02', 'r4')),
      // c2 came in an emergency (24 Dec); her meeting afterwards overrides an exclusion of s1.
      on('referral-r2', meeting('r2', 'mt2', 's1')),
      on('referral-r2', overridden('r2', 'mt2', 's1')),
    );
    const { db, runner, rules, read } = await readerAt();
    const rule: AlertFilter = { rule: 'PLACED_AGAINST_EXCLUSION' };
    expect(rules('2026-12-01T09:00:00.000Z', rule)).toEqual([]);
    expect(rules('2026-12-02T09:00:00.000Z', rule)).toEqual(['PLACED_AGAINST_EXCLUSION:p3@2026-12-02']);
    expect(rules('2026-12-24T09:00:00.000Z', rule)).toEqual([
      'PLACED_AGAINST_EXCLUSION:p3@2026-12-02',
      'PLACED_AGAINST_EXCLUSION:p2@2026-12-24',
    ]);
    expect(read('2026-12-02T09:00:00.000Z', rule).items[0]).toEqual({
      alertId: 'PLACED_AGAINST_EXCLUSION:p3',
      rule: 'PLACED_AGAINST_EXCLUSION',
      childId: 'c3',
      unit: { kind: 'bed', settingId: 's2', bedId: 'b3' },
      since: '2026-12-02',
      link: '/v1/referrals/r3',
      placementId: 'p3',
      referralId: 'r3',
      householdId: null,
      stepDownId: null,
      milestoneId: null,
    });
    // A home's manager sees it among their home's alerts.
    expect(rules('2026-12-02T09:00:00.000Z', rule, { settingIds: ['s2'] })).toEqual([
      'PLACED_AGAINST_EXCLUSION:p3@2026-12-02',
    ]);
    await runner.stop();
    db.close();
  });

  it('gives a residential manager the alerts of their homes and of the children known to them', async () => {
    await recordStory(store);
    const { db, runner, rules } = await readerAt();
    const now = '2027-01-07T09:00:00.000Z';
    expect(rules(now, {}, { settingIds: ['s1'] })).toEqual([
      'AGED_18_IN_HOME_REGISTERED_TO_17:p1@2026-11-12',
      'STEP_DOWN_MILESTONE_OVERDUE:sd1.m2@2026-12-11',
      'EMERGENCY_STAY_OVERDUE:p2@2027-01-07',
      'UNMATCHED_EMERGENCY:p2@2026-12-24',
    ]);
    expect(rules('2026-12-01T10:00:00.000Z', {}, { settingIds: ['s2'] })).toEqual([
      'HOLD_LAPSING:s2.b1@2026-12-01T10:00:00.000Z',
    ]);
    expect(rules(now, {}, { settingIds: ['s9'] })).toEqual([]);
    expect(rules(now, { settingId: 's1', rule: 'UNMATCHED_EMERGENCY' })).toEqual(['UNMATCHED_EMERGENCY:p2@2026-12-24']);
    expect(rules(now, { childId: 'c4' })).toEqual(['NO_OPEN_PLACEMENT:c4@2026-11-20']);
    await runner.stop();
    db.close();
  });

  it('pages in a stable order, and rebuilds from zero to the same tables', async () => {
    const live = await runToHead(store, files.readModelsPath('live'), [alertsProjection]);
    const head = await recordStory(store);
    expect(await live.runner.waitFor(head, { timeoutMs: 10_000 })).toBe(true);
    const fresh = await runToHead(store, files.readModelsPath('fresh'), [alertsProjection]);
    expect(dumpTables(fresh.db, [alertsProjection])).toEqual(dumpTables(live.db, [alertsProjection]));

    const options = {
      today: '2027-01-07',
      now: new Date('2027-01-07T09:00:00Z'),
      emergencyStay: POLICY,
      filter: {},
      scope: null,
    };
    const all = readAlerts(live.db, head, options, { limit: 100, after: null }).items.map((a) => a.alertId);
    const seen: string[] = [];
    let after: readonly (string | number)[] | null = null;
    do {
      const page = readAlerts(live.db, head, options, { limit: 3, after });
      seen.push(...page.items.map((a) => a.alertId));
      after = page.nextAfter;
    } while (after !== null);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThan(6);
    await live.runner.stop();
    await fresh.runner.stop();
    live.db.close();
    fresh.db.close();
  });

  it('selects overdue emergency stays by their latest overdue start date', () => {
    // On Thu 7 Jan 2027 a stay from Mon 28 Dec (a bank holiday) is overdue and one from Tue 29 Dec is not.
    expect(latestOverdueStart('2027-01-07', POLICY)).toBe('2026-12-28');
    expect(latestOverdueStart('2026-03-12', { limitWorkingDays: 6, bankHolidays: [] })).toBe('2026-03-03');
  });
});
