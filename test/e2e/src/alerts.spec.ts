import { createHash } from 'node:crypto';
import type { AlertPage } from '@placement/api';
import { REASON_PLACE_CHANGE_CODES } from '@placement/domain';
import { aContract, aHousehold, aMeeting, aPlacement, aReferral, aSetting, aStepDown } from '@placement/test-support';
import type { TestClock } from './support/clock';
import { expectCreated } from './support/fixtures';
import { api, startServer, TestServer, TOKENS } from './support/server';
import { sseReader } from './support/sse';
import type { Problem } from './support/bodies';

/**
 * Issue 14 §3: the work queues on the real server, a real SQLite file and the TestClock
 * (starting Mon 30 Nov 2026). Time-based alerts appear as the clock moves on, with no new event.
 */
const MANAGER_SECRET = 'tok-alerts-manager-7c1e5a30';

type Alert = AlertPage['items'][number];

type RecordIds = Pick<Alert, 'placementId' | 'referralId' | 'householdId' | 'stepDownId' | 'milestoneId'>;

/** The alert `rule` raises for `key` (its id is `rule:key`), naming the record ids in `about` and no others. */
const alertOf = (
  rule: Alert['rule'],
  key: string,
  about: Pick<Alert, 'childId' | 'unit' | 'since' | 'link'> & Partial<RecordIds>,
): Alert => ({
  alertId: `${rule}:${key}`,
  rule,
  placementId: null,
  referralId: null,
  householdId: null,
  stepDownId: null,
  milestoneId: null,
  ...about,
});

describe('work queues (alerts) over HTTP on the real server', () => {
  let server: TestServer;
  let clock: TestClock;
  let position = '0';
  let holdUntil = '';

  const post = async (route: string, token: string, body: unknown) => {
    const res = await api<{ position: string }>(server, 'POST', route, { token, body });
    if (res.status !== 201) throw new Error(`POST ${route} → ${res.status}: ${JSON.stringify(res.body)}`);
    position = res.body.position;
  };
  const alerts = async (query = '', token: string = TOKENS.placement) => {
    const res = await api<AlertPage>(server, 'GET', `/v1/alerts?${query}${query ? '&' : ''}minPosition=${position}`, {
      token,
    });
    if (res.status !== 200) throw new Error(`GET /v1/alerts → ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.items;
  };
  const summary = async (query = '', token: string = TOKENS.placement) =>
    (await alerts(query, token)).map((a) => `${a.rule} ${a.alertId.split(':')[1]} since ${a.since}`);
  /** `childId` referred as an emergency (r-`childId`) and placed (p-`childId`) in emergency bed `bedId` of al-home. */
  const placeInEmergency = async (childId: string, bedId: string, fields: Parameters<typeof aPlacement>[0] = {}) => {
    const referralId = `r-${childId}`;
    await post('/v1/referrals', TOKENS.placement, aReferral({ referralId, childId, urgency: 'emergency' }));
    const placement = {
      placementId: `p-${childId}`,
      childId,
      referralId,
      settingId: 'al-home',
      bedId,
      emergency: true,
    };
    await post('/v1/placements', TOKENS.placement, aPlacement({ ...placement, ...fields }));
  };
  /** Moves the clock on to 10:00 London time (GMT in winter) on `date`. */
  const advanceTo = (date: string) => clock.advance(Date.parse(`${date}T10:00:00Z`) - clock.now().getTime());

  beforeAll(async () => {
    server = await startServer({
      API_TOKENS: JSON.stringify([
        {
          sha256: createHash('sha256').update(MANAGER_SECRET, 'utf8').digest('hex'),
          actorId: 'manager-alerts',
          role: 'residential-manager',
          settingIds: ['al-home'],
        },
      ]),
    });
    clock = server.clock as TestClock;
    // al-home (registered 11–17) with two residential and two emergency beds; al-other with one bed.
    await expectCreated(
      server,
      '/v1/settings',
      TOKENS.admin,
      aSetting({
        settingId: 'al-home',
        maxChildren: 4,
      }),
    );
    for (const [bedId, kind] of [
      ['b1', 'residential'],
      ['b2', 'residential'],
      ['e1', 'emergency'],
      ['e2', 'emergency'],
    ])
      await expectCreated(server, '/v1/settings/al-home/beds', TOKENS.admin, { bedId, kind, label: bedId });
    await expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'al-other', urn: 'SC100002' }));
    await expectCreated(server, '/v1/settings/al-other/beds', TOKENS.admin, {
      bedId: 'b1',
      kind: 'residential',
      label: 'b1',
    });
    await expectCreated(server, '/v1/foster-households', TOKENS.admin, aHousehold({ householdId: 'al-fh' }));

    // al-18 turns 18 on 15 Mar 2027, living in al-home (registered up to 17), with a step-down planned.
    await post(
      '/v1/referrals',
      TOKENS.placement,
      aReferral({ referralId: 'r-al-18', childId: 'al-18', child: { dateOfBirth: '2009-03-15' } }),
    );
    await post(
      '/v1/referrals/r-al-18/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-al-18', settingId: 'al-home' }),
    );
    await post(
      '/v1/placements',
      TOKENS.placement,
      aPlacement({
        placementId: 'p-al-18',
        childId: 'al-18',
        referralId: 'r-al-18',
        settingId: 'al-home',
        bedId: 'b1',
      }),
    );
    await post(
      '/v1/step-downs',
      TOKENS.placement,
      aStepDown({
        stepDownId: 'sd-al',
        childId: 'al-18',
        toHouseholdId: 'al-fh',
        safetyPlan: { ...aStepDown().safetyPlan, leadRole: 'social-worker' },
        milestones: [{ milestoneId: 'ms-1', kind: 'introductions', dueDate: '2026-12-05' }],
      }),
    );
    // al-em came into an emergency bed today, before any matching meeting.
    await placeInEmergency('al-em', 'e1');
    // al-wait is referred and not placed; a bed in al-other is held for her for three hours.
    await post('/v1/referrals', TOKENS.placement, aReferral({ referralId: 'r-al-wait', childId: 'al-wait' }));
    holdUntil = clock.inMs(3 * 60 * 60 * 1000);
    await post('/v1/referrals/r-al-wait/holds', TOKENS.placement, {
      settingId: 'al-other',
      bedId: 'b1',
      until: holdUntil,
    });
    // A block booking from 20 Nov whose one bed was never used.
    await post(
      '/v1/block-bookings',
      TOKENS.admin,
      aContract({ contractId: 'al-k', beds: ['v1'], startDate: '2026-11-20', endDate: '2027-11-19' }),
    );
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('lists what needs attention today, each with its rule, child or unit, since when and a link', async () => {
    expect(await summary()).toEqual([
      'BLOCK_BED_VOID al-k.v1 since 2026-11-28',
      'NO_OPEN_PLACEMENT al-wait since 2026-11-30',
      'UNMATCHED_EMERGENCY p-al-em since 2026-11-30',
    ]);
    const [unmatched] = await alerts('rule=UNMATCHED_EMERGENCY');
    expect(unmatched).toEqual(
      alertOf('UNMATCHED_EMERGENCY', 'p-al-em', {
        childId: 'al-em',
        unit: { kind: 'bed', settingId: 'al-home', bedId: 'e1' },
        since: '2026-11-30',
        link: '/v1/children/al-em',
        placementId: 'p-al-em',
        referralId: 'r-al-em',
      }),
    );
    // The link opens the child's record.
    expect((await api(server, 'GET', unmatched.link, { token: TOKENS.placement })).status).toBe(200);
    const [voidBed] = await alerts('rule=BLOCK_BED_VOID');
    expect(voidBed).toMatchObject({ childId: null, unit: { kind: 'block-bed', contractId: 'al-k', bedRef: 'v1' } });
    expect((await api(server, 'GET', voidBed.link, { token: TOKENS.placement })).status).toBe(200);
  });

  it('shows a hold two hours before it lapses, as the clock moves on', async () => {
    expect(await summary('rule=HOLD_LAPSING')).toEqual([]);
    clock.advance(61 * 60 * 1000);
    const [hold] = await alerts('rule=HOLD_LAPSING');
    expect(hold).toMatchObject({
      alertId: 'HOLD_LAPSING:al-other.b1',
      childId: 'al-wait',
      unit: { kind: 'bed', settingId: 'al-other', bedId: 'b1' },
      referralId: 'r-al-wait',
      link: '/v1/referrals/r-al-wait',
    });
    // Two hours before the hold's `until`.
    expect(Date.parse(holdUntil) - Date.parse(hold.since)).toBe(2 * 60 * 60 * 1000);
  });

  it('raises time-based alerts on the day they fall due, with no new event', async () => {
    advanceTo('2026-12-05');
    expect(await summary('rule=STEP_DOWN_MILESTONE_OVERDUE')).toEqual([]);
    advanceTo('2026-12-06');
    expect(await summary('rule=STEP_DOWN_MILESTONE_OVERDUE')).toEqual([
      'STEP_DOWN_MILESTONE_OVERDUE sd-al.ms-1 since 2026-12-06',
    ]);
    // Mon 30 Nov + 6 working days is Tue 8 Dec: the emergency stay is overdue from Wed 9 Dec.
    advanceTo('2026-12-08');
    expect(await summary('rule=EMERGENCY_STAY_OVERDUE')).toEqual([]);
    advanceTo('2026-12-09');
    expect(await summary('rule=EMERGENCY_STAY_OVERDUE')).toEqual(['EMERGENCY_STAY_OVERDUE p-al-em since 2026-12-09']);
    // al-18 is 18 on 15 Mar 2027: 90 days before is 15 Dec.
    advanceTo('2026-12-14');
    expect(await summary('rule=AGED_18_IN_HOME_REGISTERED_TO_17')).toEqual([]);
    advanceTo('2026-12-15');
    expect(await summary('rule=AGED_18_IN_HOME_REGISTERED_TO_17')).toEqual([
      'AGED_18_IN_HOME_REGISTERED_TO_17 p-al-18 since 2026-12-15',
    ]);
  });

  it('clears an alert when the record answers it', async () => {
    await post('/v1/referrals/r-al-em/matching-meetings', TOKENS.placement, {
      ...aMeeting({ meetingId: 'm-al-em', settingId: 'al-home', residents: ['al-18'] }),
      heldOn: '2026-12-15',
    });
    expect(await summary('rule=UNMATCHED_EMERGENCY')).toEqual([]);
    await post('/v1/step-downs/sd-al/milestones', TOKENS.placement, {
      milestoneId: 'ms-1',
      date: '2026-12-07',
      outcome: 'met',
    });
    expect(await summary('rule=STEP_DOWN_MILESTONE_OVERDUE')).toEqual([]);
    // al-em leaves the emergency bed with nothing after it: still looked after, with no placement.
    await post('/v1/placements/p-al-em/end', TOKENS.placement, {
      endDate: '2026-12-15',
      reasonForChange: REASON_PLACE_CHANGE_CODES[0],
      reasonEpisodeCeased: null,
    });
    expect(await summary('rule=EMERGENCY_STAY_OVERDUE')).toEqual([]);
    expect(await summary('rule=NO_OPEN_PLACEMENT')).toEqual([
      'NO_OPEN_PLACEMENT al-wait since 2026-11-30',
      'NO_OPEN_PLACEMENT al-em since 2026-12-15',
    ]);
  });

  it('counts an emergency stay from Christmas Eve 2026 past the bank holidays', async () => {
    advanceTo('2026-12-24');
    await placeInEmergency('al-xmas', 'e2', { startDate: '2026-12-24' });
    // 25 Dec, 28 Dec (Boxing Day's substitute) and 1 Jan are bank holidays: the sixth working day is Wed 6 Jan.
    advanceTo('2027-01-06');
    expect(await summary('rule=EMERGENCY_STAY_OVERDUE')).toEqual([]);
    advanceTo('2027-01-07');
    expect(await summary('rule=EMERGENCY_STAY_OVERDUE')).toEqual(['EMERGENCY_STAY_OVERDUE p-al-xmas since 2027-01-07']);
  });

  it('gives a residential manager only their homes and their children; auditors read', async () => {
    const manager = await summary('', MANAGER_SECRET);
    // Oldest situation first: al-em left al-home on 15 Dec (the day al-18's notice began); al-xmas came on 24 Dec.
    expect(manager).toEqual([
      'AGED_18_IN_HOME_REGISTERED_TO_17 p-al-18 since 2026-12-15',
      'NO_OPEN_PLACEMENT al-em since 2026-12-15',
      'EMERGENCY_STAY_OVERDUE p-al-xmas since 2027-01-07',
      'UNMATCHED_EMERGENCY p-al-xmas since 2026-12-24',
    ]);
    expect(manager.some((a) => a.includes('al-k') || a.includes('al-wait'))).toBe(false);
    const forbidden = await api<Problem>(server, 'GET', '/v1/alerts?settingId=al-other', { token: MANAGER_SECRET });
    expect(forbidden.status).toBe(403);
    expect((await api(server, 'GET', '/v1/alerts', { token: TOKENS.auditor })).status).toBe(200);
    expect((await api(server, 'GET', '/v1/alerts')).status).toBe(401);
    expect(await summary('settingId=al-home&rule=UNMATCHED_EMERGENCY')).toEqual([
      'UNMATCHED_EMERGENCY p-al-xmas since 2026-12-24',
    ]);
  });

  it('pages with limit, cursor, next and Link, and refuses bad filters naming the field and rule', async () => {
    const all = await alerts();
    expect(all.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let url: string | null = '/v1/alerts?limit=2';
    while (url !== null) {
      const res = await fetch(`${server.baseUrl}${url}`, { headers: { authorization: `Bearer ${TOKENS.placement}` } });
      const body = (await res.json()) as AlertPage;
      expect(res.headers.get('link')).toBe(body.next === null ? null : `<${body.next}>; rel="next"`);
      seen.push(...body.items.map((a) => a.alertId));
      url = body.next;
    }
    expect(seen).toEqual(all.map((a) => a.alertId));
    for (const [query, field] of [
      ['rule=NOT_A_RULE', 'rule'],
      ['settingId=no%20spaces', 'settingId'],
      ['childId=%2F..', 'childId'],
      ['limit=0', 'limit'],
      ['cursor=!!', 'cursor'],
      ['colour=red', 'colour'],
    ]) {
      const res = await api<Problem>(server, 'GET', `/v1/alerts?${query}`, { token: TOKENS.placement });
      expect([query, res.status, res.contentType]).toEqual([query, 400, expect.stringContaining('problem+json')]);
      expect(res.body.errors?.map((e) => e.field)).toContain(field);
    }
  });

  it('is in the OpenAPI document with its filters, and the stream beside it', async () => {
    const doc = await api<{ paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }> }>(
      server,
      'GET',
      '/docs/openapi.json',
      { token: TOKENS.auditor },
    );
    const query = (doc.body.paths['/v1/alerts']?.get?.parameters ?? []).filter((p) => p.in === 'query');
    expect(query.map((p) => p.name).sort()).toEqual(['childId', 'cursor', 'limit', 'minPosition', 'rule', 'settingId']);
    expect(doc.body.paths['/v1/alerts/stream']?.get).toBeDefined();
  });

  it('pushes the queue over SSE on connect and after a change', async () => {
    const res = await fetch(`${server.baseUrl}/v1/alerts/stream`, {
      headers: { authorization: `Bearer ${MANAGER_SECRET}`, accept: 'text/event-stream' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const stream = sseReader(res.body as ReadableStream<Uint8Array>);
    const next = async () => (await stream.next()) as { event: string; data: AlertPage };
    const first = await next();
    expect(first.event).toBe('alerts');
    expect(first.data.items.map((a) => a.alertId)).toContain('UNMATCHED_EMERGENCY:p-al-xmas');
    // A matched meeting clears the unmatched emergency: the manager's stream says so.
    await post('/v1/referrals/r-al-xmas/matching-meetings', TOKENS.placement, {
      ...aMeeting({ meetingId: 'm-al-xmas', settingId: 'al-home', residents: ['al-18'] }),
      heldOn: '2027-01-07',
    });
    let update = await next();
    while (update.event !== 'alerts' || BigInt(update.data.position) < BigInt(position)) update = await next();
    expect(update.data.items.map((a) => a.alertId)).not.toContain('UNMATCHED_EMERGENCY:p-al-xmas');
    expect(update.data.items.map((a) => a.alertId)).toContain('EMERGENCY_STAY_OVERDUE:p-al-xmas');
    await stream.cancel();
  });
  it('shows a placement made against an engine exclusion that its meeting overrode', async () => {
    // 7 Jan 2027: al-solo can only live alone; al-home has al-18 and al-xmas living there.
    const today = '2027-01-07';
    const referral = aReferral({
      referralId: 'r-al-solo',
      childId: 'al-solo',
      startDate: today,
      child: { dateOfBirth: '2012-01-10' },
    });
    await post('/v1/referrals', TOKENS.placement, {
      ...referral,
      needs: { ...referral.needs, canLiveWith: ['solo'] },
    });
    const matches = await api<{ excluded: { unitId: string; reasons: { code: string }[] }[] }>(
      server,
      'GET',
      '/v1/referrals/r-al-solo/matches?detail=full&limit=200',
      { token: TOKENS.placement },
    );
    expect(matches.body.excluded.find((u) => u.unitId === 'bed:al-home.b2')?.reasons.map((r) => r.code)).toEqual([
      'CANNOT_LIVE_WITH',
    ]);
    await post('/v1/referrals/r-al-solo/matching-meetings', TOKENS.placement, {
      ...aMeeting({ meetingId: 'm-al-solo', settingId: 'al-home', residents: ['al-18', 'al-xmas'] }),
      heldOn: today,
      overrides: [
        {
          code: 'CANNOT_LIVE_WITH',
          reason: 'Solo living is the aim; the home has agreed a plan with the social worker',
          authorisedBy: { role: 'registered-manager' },
        },
      ],
    });
    expect(await summary('rule=PLACED_AGAINST_EXCLUSION')).toEqual([]);
    await post(
      '/v1/placements',
      TOKENS.placement,
      aPlacement({
        placementId: 'p-al-solo',
        childId: 'al-solo',
        referralId: 'r-al-solo',
        settingId: 'al-home',
        bedId: 'b2',
        startDate: today,
      }),
    );
    const [placed] = await alerts('rule=PLACED_AGAINST_EXCLUSION');
    expect(placed).toEqual(
      alertOf('PLACED_AGAINST_EXCLUSION', 'p-al-solo', {
        childId: 'al-solo',
        unit: { kind: 'bed', settingId: 'al-home', bedId: 'b2' },
        since: today,
        link: '/v1/referrals/r-al-solo',
        placementId: 'p-al-solo',
        referralId: 'r-al-solo',
      }),
    );
    // The link opens the referral, where the meeting's override is on record; al-home's manager sees it too.
    expect((await api(server, 'GET', placed.link, { token: TOKENS.placement })).status).toBe(200);
    expect(await summary('rule=PLACED_AGAINST_EXCLUSION', MANAGER_SECRET)).toEqual([
      `PLACED_AGAINST_EXCLUSION p-al-solo since ${today}`,
    ]);
  });
});
