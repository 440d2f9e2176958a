import type { MatchesBody } from '@placement/api';
import { aHousehold, aMeeting, aPlacement, aReferral, aSetting } from '@placement/test-support';
import { expectCreated } from './support/fixtures';
import { E2E_TODAY, TestClock } from './support/clock';
import { api, startServer, TestServer, TOKENS, type ApiResponse } from './support/server';
import type { Answer, Problem } from './support/bodies';

/**
 * Who lives in a foster home, and what a home accepts (issue 14 §6): a household's members (a
 * carer's own children, other adults) are taken into the matching engine's risk rules as a home's
 * residents are, binding at placing like the other safeguarding codes; a home's statement of purpose
 * decides the risks it does not accept and whether it takes emergency admissions.
 */

describe('household members and statements of purpose', () => {
  const clock = new TestClock(`${E2E_TODAY}T10:00:00Z`);
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({}, { clock });
    await expectCreated(server, '/v1/foster-households', TOKENS.admin, aHousehold({ householdId: 'fh-m' }));
    // Elm: nobody lives there yet; b1 is residential, b2 an emergency bed.
    await expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'elm', maxChildren: 2 }));
    for (const [bedId, kind] of [
      ['b1', 'residential'],
      ['b2', 'emergency'],
    ])
      await expectCreated(server, '/v1/settings/elm/beds', TOKENS.admin, { bedId, kind, label: `Room ${bedId}` });
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  const post = <T = Problem>(route: string, body: unknown, token: string = TOKENS.admin): Promise<ApiResponse<T>> =>
    api<T>(server, 'POST', route, { token, body });
  const headOf = async (): Promise<string> =>
    (await api<{ head: { position: string } | null }>(server, 'GET', '/v1/audit/verify', { token: TOKENS.auditor }))
      .body.head?.position ?? '-1';
  const matchesOf = async (referralId: string): Promise<MatchesBody> => {
    const res = await api<MatchesBody>(server, 'GET', `/v1/referrals/${referralId}/matches?detail=full&limit=200`, {
      token: TOKENS.placement,
    });
    expect(res.status).toBe(200);
    return res.body;
  };
  const reasonsFor = (matches: MatchesBody, unitId: string): string[] | undefined =>
    matches.excluded.find((u) => u.unitId === unitId)?.reasons.map((r) => r.code);
  const members = [
    { bornIn: '2019-04', relationship: 'carers-child' },
    { bornIn: '1998-09', relationship: 'carers-child' },
  ];
  const householdPlacement = (placementId: string, childId: string, referralId: string) =>
    aPlacement({
      placementId,
      childId,
      referralId,
      unit: { kind: 'household', householdId: 'fh-m' },
      place: 'U4',
      startDate: E2E_TODAY,
      placementType: 'long-term',
    });

  it('members recorded → matches exclude household (HOUSEHOLD_MEMBER_RISK) → 422 → placed by override', async () => {
    const recorded = await post<Answer>('/v1/foster-households/fh-m/members', { members });
    expect(recorded.status).toBe(201);
    expect(recorded.body.events).toEqual(['HouseholdMembersRecorded']);
    const record = await api<{ members: unknown[] }>(
      server,
      'GET',
      `/v1/foster-households/fh-m?minPosition=${recorded.body.position}`,
      { token: TOKENS.placement },
    );
    expect(record.status).toBe(200);
    expect(record.body.members).toEqual(members);
    // The same list again writes nothing.
    const again = await post<Answer>('/v1/foster-households/fh-m/members', { members: [...members].reverse() });
    expect(again.status).toBe(201);
    expect(again.body.events).toEqual([]);

    // A 14-year-old with a risk to younger children: the carers' 7-year-old lives there.
    const body = aReferral({ referralId: 'r-hm-1', childId: 'hm-1', child: { dateOfBirth: '2012-01-10' } });
    await expectCreated(server, '/v1/referrals', TOKENS.placement, {
      ...body,
      needs: { ...body.needs, risksToOthers: ['sexual-harm-to-younger-children'] },
    });
    const matches = await matchesOf('r-hm-1');
    expect(reasonsFor(matches, 'household:fh-m')).toEqual(['HOUSEHOLD_MEMBER_RISK']);
    expect(matches.excluded.find((u) => u.unitId === 'household:fh-m')?.reasons[0].message).toBe(
      'child has a sexual-harm-to-younger-children flag; a younger member of the household (7) lives here',
    );

    const meeting = {
      ...aMeeting({ meetingId: 'm-hm-1', settingId: 'elm' }),
      attendees: [{ role: 'supervising-social-worker' }, { role: 'social-worker' }, { role: 'placement-officer' }],
      unitConsidered: { kind: 'household', householdId: 'fh-m' },
    };
    await expectCreated(server, '/v1/referrals/r-hm-1/matching-meetings', TOKENS.placement, meeting);
    const head = await headOf();
    const refused = await post('/v1/placements', householdPlacement('pl-hm-1', 'hm-1', 'r-hm-1'), TOKENS.placement);
    expect(refused.status).toBe(422);
    expect(refused.contentType).toMatch('application/problem+json');
    expect(refused.body.code).toBe('EXCLUDED_BY_MATCHING');
    expect(refused.body.exclusions).toEqual(['HOUSEHOLD_MEMBER_RISK']);
    expect(await headOf()).toBe(head);

    const overridden = await post(
      '/v1/referrals/r-hm-1/matching-meetings',
      {
        ...meeting,
        meetingId: 'm-hm-2',
        overrides: [
          {
            code: 'HOUSEHOLD_MEMBER_RISK',
            reason: 'The carers’ child sleeps on another floor; a safety plan with supervision is agreed',
            authorisedBy: { role: 'supervising-social-worker' },
          },
        ],
      },
      TOKENS.placement,
    );
    expect(overridden.status).toBe(201);
    const placed = await post('/v1/placements', householdPlacement('pl-hm-1', 'hm-1', 'r-hm-1'), TOKENS.placement);
    expect(placed.status).toBe(201);
  });

  it('a statement of purpose: a risk not accepted and no emergency admissions exclude the home', async () => {
    const body = aReferral({ referralId: 'r-hm-2', childId: 'hm-2', child: { dateOfBirth: '2012-01-10' } });
    await expectCreated(server, '/v1/referrals', TOKENS.placement, {
      ...body,
      needs: { ...body.needs, risksToSelf: ['cse'] },
    });
    await expectCreated(server, '/v1/referrals', TOKENS.placement, {
      ...aReferral({
        referralId: 'r-hm-3',
        childId: 'hm-3',
        urgency: 'emergency',
        child: { dateOfBirth: '2012-01-10' },
      }),
    });
    // No statement recorded: every risk accepted, and an emergency may have the emergency bed.
    expect(reasonsFor(await matchesOf('r-hm-2'), 'bed:elm.b1')).toBeUndefined();
    expect(reasonsFor(await matchesOf('r-hm-3'), 'bed:elm.b2')).toBeUndefined();

    const recorded = await post<Answer>('/v1/settings/elm/statement-of-purpose', {
      risksNotAccepted: ['cse', 'fire-setting'],
      emergencyAdmissions: 'none',
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.events).toEqual(['StatementOfPurposeRecorded']);
    const setting = await api<{ setting: { setting: { statementOfPurpose: unknown } } }>(
      server,
      'GET',
      '/v1/settings/elm',
      { token: TOKENS.placement },
    );
    expect(setting.body.setting.setting.statementOfPurpose).toEqual({
      risksNotAccepted: ['cse', 'fire-setting'],
      emergencyAdmissions: 'none',
    });
    expect(reasonsFor(await matchesOf('r-hm-2'), 'bed:elm.b1')).toEqual(['RISK_NOT_ACCEPTED']);
    expect(reasonsFor(await matchesOf('r-hm-3'), 'bed:elm.b2')).toEqual(['NOT_EMERGENCY_APPROVED']);
    expect(reasonsFor(await matchesOf('r-hm-3'), 'bed:elm.b1')).toEqual(['NOT_EMERGENCY_APPROVED']);

    // Emergencies into any bed: the residential bed is offered too.
    await post('/v1/settings/elm/statement-of-purpose', { risksNotAccepted: ['cse'], emergencyAdmissions: 'any-bed' });
    expect(reasonsFor(await matchesOf('r-hm-3'), 'bed:elm.b1')).toBeUndefined();
  });

  it('bad input is a 400 naming the field and rule, writing nothing', async () => {
    const head = await headOf();
    const badMonth = await post('/v1/foster-households/fh-m/members', {
      members: [{ bornIn: '2019-4', relationship: 'carers-child' }],
    });
    expect(badMonth.status).toBe(400);
    expect(badMonth.contentType).toMatch('application/problem+json');
    expect(badMonth.body.errors).toEqual([expect.objectContaining({ field: 'members[0].bornIn', rule: 'matches' })]);
    const named = await post('/v1/foster-households/fh-m/members', {
      members: [{ bornIn: '2019-04', relationship: 'carers-child', name: 'Sam' }],
    });
    expect(named.status).toBe(400);
    expect(named.body.errors?.[0]).toMatchObject({ field: 'members[0].name' });
    const badRelationship = await post('/v1/foster-households/fh-m/members', {
      members: [{ bornIn: '2019-04', relationship: 'neighbour' }],
    });
    expect(badRelationship.body.errors?.[0]).toMatchObject({ field: 'members[0].relationship', rule: 'isIn' });
    const future = await post('/v1/foster-households/fh-m/members', {
      members: [{ bornIn: '2027-01', relationship: 'carers-child' }],
    });
    expect(future.status).toBe(422);
    expect(future.body.code).toBe('DATE_IN_FUTURE');
    const badRisk = await post('/v1/settings/elm/statement-of-purpose', {
      risksNotAccepted: ['arson'],
      emergencyAdmissions: 'none',
    });
    expect(badRisk.status).toBe(400);
    expect(badRisk.body.errors?.[0]).toMatchObject({ field: 'risksNotAccepted', rule: 'isIn' });
    const badEmergency = await post('/v1/settings/elm/statement-of-purpose', {
      risksNotAccepted: [],
      emergencyAdmissions: 'sometimes',
    });
    expect(badEmergency.body.errors?.[0]).toMatchObject({ field: 'emergencyAdmissions', rule: 'isIn' });
    expect(await headOf()).toBe(head);
  });

  it('an auditor, a placement officer and a residential manager may not write either', async () => {
    for (const token of [TOKENS.auditor, TOKENS.placement, TOKENS.manager]) {
      const members = await post('/v1/foster-households/fh-m/members', { members: [] }, token);
      expect(members.status).toBe(403);
      const statement = await post(
        '/v1/settings/elm/statement-of-purpose',
        { risksNotAccepted: [], emergencyAdmissions: 'none' },
        token,
      );
      expect(statement.status).toBe(403);
    }
  });
});
