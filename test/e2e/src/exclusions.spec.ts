import type { MatchesBody } from '@placement/api';
import { aMeeting, aPlacement, aReferral, aSetting } from '@placement/test-support';
import { expectCreated, homeWithResidents } from './support/fixtures';
import { TestClock } from './support/clock';
import { api, startServer, TestServer, TOKENS, type ApiResponse } from './support/server';
import type { Problem } from './support/bodies';

/**
 * Exclusions bind (issue 13): a placement into a unit the matching engine excludes for a
 * safeguarding or registration reason is 422 EXCLUDED_BY_MATCHING naming the codes and writes
 * nothing, unless the matching meeting overrode each code with a reason and the role that
 * authorised it; the override is an event in the child's audit timeline.
 */
interface Audit {
  entries: { type: string; decision: string; reasons: string[]; actor: { role: string } }[];
}

describe('exclusions bind: placing into a unit the engine excludes', () => {
  const clock = new TestClock('2026-11-30T10:00:00Z');
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({}, { clock });
    // Oak: two 14-year-olds live in b1 and b2; b3 is vacant.
    await homeWithResidents(server, 'oak', 3, ['oak-1', 'oak-2']);
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  const post = <T = Problem>(route: string, body: unknown, token: string = TOKENS.placement): Promise<ApiResponse<T>> =>
    api<T>(server, 'POST', route, { token, body });
  const headOf = async (): Promise<string> =>
    (await api<{ head: { position: string } | null }>(server, 'GET', '/v1/audit/verify', { token: TOKENS.auditor }))
      .body.head?.position ?? '-1';
  /** `placement` is refused as problem+json, 422 EXCLUDED_BY_MATCHING naming exactly `codes`, and writes nothing. */
  const expectExcluded = async (placement: unknown, codes: string[]): Promise<ApiResponse<Problem>> => {
    const head = await headOf();
    const refused = await post('/v1/placements', placement);
    expect(refused.status).toBe(422);
    expect(refused.contentType).toMatch('application/problem+json');
    expect(refused.body.code).toBe('EXCLUDED_BY_MATCHING');
    expect(refused.body.exclusions).toEqual(codes);
    expect(await headOf()).toBe(head);
    return refused;
  };
  /** A child who can only live alone (a solo placement), referred from today. */
  const referSolo = async (childId: string): Promise<void> => {
    const body = aReferral({ referralId: `r-${childId}`, childId, child: { dateOfBirth: '2012-01-10' } });
    await expectCreated(server, '/v1/referrals', TOKENS.placement, {
      ...body,
      needs: { ...body.needs, canLiveWith: ['solo'] },
    });
  };
  const overrideOf = (code: string, role = 'registered-manager') => ({
    code,
    reason: 'Solo living is the aim; the home has agreed a plan with the social worker',
    authorisedBy: { role },
  });

  it('422 EXCLUDED_BY_MATCHING naming the engine’s codes, writing nothing; an override per code: 201', async () => {
    await referSolo('solo-1');
    // The matches route excludes Oak's vacant bed for this child, for the reason the placement will be refused.
    const matches = await api<MatchesBody>(server, 'GET', '/v1/referrals/r-solo-1/matches?detail=full&limit=200', {
      token: TOKENS.placement,
    });
    expect(matches.status).toBe(200);
    const oakB3 = matches.body.excluded.find((u) => u.unitId === 'bed:oak.b3');
    expect(oakB3?.reasons.map((r) => r.code)).toEqual(['CANNOT_LIVE_WITH']);
    expect(matches.body.ranked.map((u) => u.unitId)).not.toContain('bed:oak.b3');

    // A matched meeting that assessed both residents but overrode nothing.
    await expectCreated(
      server,
      '/v1/referrals/r-solo-1/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-solo-1', settingId: 'oak', residents: ['oak-1', 'oak-2'] }),
    );
    const placement = aPlacement({
      placementId: 'pl-solo-1',
      childId: 'solo-1',
      referralId: 'r-solo-1',
      settingId: 'oak',
      bedId: 'b3',
    });
    const refused = await expectExcluded(placement, ['CANNOT_LIVE_WITH']);
    expect(refused.body.detail).toMatch('CANNOT_LIVE_WITH');
    const bed = await api<{ beds: { bedId: string; state: { status: string } }[] }>(server, 'GET', '/v1/settings/oak', {
      token: TOKENS.auditor,
    });
    expect(bed.body.beds.find((b) => b.bedId === 'b3')?.state.status).toBe('Vacant');

    // The meeting sets the exclusion aside, with its reason and the role that authorised it.
    const meeting = await post('/v1/referrals/r-solo-1/matching-meetings', {
      ...aMeeting({ meetingId: 'm-solo-2', settingId: 'oak', residents: ['oak-1', 'oak-2'] }),
      overrides: [overrideOf('CANNOT_LIVE_WITH')],
    });
    expect(meeting.status).toBe(201);
    expect((meeting.body as unknown as { events: string[] }).events).toEqual([
      'MatchingMeetingHeld',
      'MatchingExclusionOverridden',
    ]);
    const placed = await post('/v1/placements', placement);
    expect(placed.status).toBe(201);

    // The override is in the child's audit timeline, with who authorised it and why.
    const audit = await api<Audit>(server, 'GET', '/v1/audit/children/solo-1', { token: TOKENS.auditor });
    expect(audit.status).toBe(200);
    const entry = audit.body.entries.find((e) => e.type === 'MatchingExclusionOverridden');
    expect(entry).toMatchObject({
      decision: "Matching meeting m-solo-2 overrode the engine's exclusion CANNOT_LIVE_WITH for home oak",
      reasons: ['Authorised by the registered-manager', `Reason: ${overrideOf('CANNOT_LIVE_WITH').reason}`],
      actor: { role: 'placement-officer' },
    });
  });

  it('a back-dated placement is judged on its start date: a resident who has left since still binds', async () => {
    // Ash: a 16-year-old with a flag of sexual harm to younger children lived in b1 from the 20th to the 28th.
    await expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'ash', urn: 'SC100088' }));
    for (const bedId of ['b1', 'b2'])
      await expectCreated(server, '/v1/settings/ash/beds', TOKENS.admin, { bedId, kind: 'residential', label: bedId });
    const older = aReferral({
      referralId: 'r-ash-1',
      childId: 'ash-1',
      startDate: '2026-11-20',
      child: { dateOfBirth: '2010-05-05' },
    });
    await expectCreated(server, '/v1/referrals', TOKENS.placement, {
      ...older,
      needs: { ...older.needs, risksToOthers: ['sexual-harm-to-younger-children'] },
    });
    await expectCreated(server, '/v1/referrals/r-ash-1/matching-meetings', TOKENS.placement, {
      ...aMeeting({ meetingId: 'm-ash-1', settingId: 'ash' }),
      heldOn: '2026-11-19',
    });
    const ash1 = aPlacement({
      placementId: 'p-ash-1',
      childId: 'ash-1',
      referralId: 'r-ash-1',
      settingId: 'ash',
      bedId: 'b1',
      startDate: '2026-11-20',
    });
    await expectCreated(server, '/v1/placements', TOKENS.placement, ash1);
    const ended = await post('/v1/placements/p-ash-1/end', { endDate: '2026-11-28', reasonForChange: 'CHILD' });
    expect(ended.status).toBe(201);

    // A 12-year-old placed back-dated to the 25th lived alongside ash-1 for three nights.
    const young = aReferral({
      referralId: 'r-late-1',
      childId: 'late-1',
      startDate: '2026-11-25',
      child: { dateOfBirth: '2014-06-01' },
    });
    await expectCreated(server, '/v1/referrals', TOKENS.placement, young);
    // Today nobody lives at Ash: the matches route (from today) offers b2.
    const matches = await api<MatchesBody>(server, 'GET', '/v1/referrals/r-late-1/matches', {
      token: TOKENS.placement,
    });
    expect(matches.body.ranked.map((u) => u.unitId)).toContain('bed:ash.b2');

    await expectCreated(server, '/v1/referrals/r-late-1/matching-meetings', TOKENS.placement, {
      ...aMeeting({ meetingId: 'm-late-1', settingId: 'ash', residents: ['ash-1'] }),
      heldOn: '2026-11-24',
    });
    const backDated = aPlacement({
      placementId: 'pl-late-1',
      childId: 'late-1',
      referralId: 'r-late-1',
      settingId: 'ash',
      bedId: 'b2',
      startDate: '2026-11-25',
    });
    await expectExcluded(backDated, ['RESIDENT_RISK']);

    // The meeting records the override: the placement goes ahead, and the override is in the audit timeline.
    const override = {
      code: 'RESIDENT_RISK',
      reason: 'Supervised waking night staff while both lived there; the risk was managed',
      authorisedBy: { role: 'registered-manager' },
    };
    await expectCreated(server, '/v1/referrals/r-late-1/matching-meetings', TOKENS.placement, {
      ...aMeeting({ meetingId: 'm-late-2', settingId: 'ash', residents: ['ash-1'] }),
      heldOn: '2026-11-24',
      overrides: [override],
    });
    expect((await post('/v1/placements', backDated)).status).toBe(201);
    const audit = await api<Audit>(server, 'GET', '/v1/audit/children/late-1', { token: TOKENS.auditor });
    expect(audit.body.entries.find((e) => e.type === 'MatchingExclusionOverridden')).toMatchObject({
      decision: "Matching meeting m-late-2 overrode the engine's exclusion RESIDENT_RISK for home ash",
      reasons: ['Authorised by the registered-manager', `Reason: ${override.reason}`],
    });
  });

  it('refuses an override unless it binds, can be authorised and its authoriser attended; writes nothing', async () => {
    await referSolo('solo-2');
    const route = '/v1/referrals/r-solo-2/matching-meetings';
    const head = await headOf();
    const notBinding = await post(route, {
      ...aMeeting({ meetingId: 'm-solo-2a', settingId: 'oak', residents: ['oak-1', 'oak-2', 'solo-1'] }),
      overrides: [overrideOf('OVER_BUDGET')],
    });
    expect(notBinding.status).toBe(400);
    expect(notBinding.body.errors?.[0]).toMatchObject({ field: 'overrides[0].code', rule: 'isIn' });
    const unlawful = await post(route, {
      ...aMeeting({ meetingId: 'm-solo-2b', settingId: 'oak', residents: ['oak-1', 'oak-2', 'solo-1'] }),
      overrides: [overrideOf('SUPPORTED_ACCOMMODATION_UNDER_16')],
    });
    expect(unlawful.status).toBe(422);
    expect(unlawful.body.code).toBe('OVERRIDE_NOT_ALLOWED');
    const absent = await post(route, {
      ...aMeeting({ meetingId: 'm-solo-2c', settingId: 'oak', residents: ['oak-1', 'oak-2', 'solo-1'] }),
      overrides: [overrideOf('CANNOT_LIVE_WITH', 'team-manager')],
    });
    expect(absent.status).toBe(422);
    expect(absent.body.code).toBe('INVALID_INPUT');
    expect(absent.body.detail).toMatch('attended the meeting');
    expect(await headOf()).toBe(head);
  });
});
