import { aHousehold, aMeeting, aPlacement, aReferral } from '@placement/test-support';
import type { TestClock } from './support/clock';
import { expectCreated, homeWithResidents } from './support/fixtures';
import { api, startServer, TestServer, TOKENS } from './support/server';
import type { Problem } from './support/bodies';

/**
 * Issue 14 §4 on the real server (a real SQLite file, the TestClock from Mon 30 Nov 2026): ending a
 * placement says what follows, and a child left with neither is seen on the "no open placement" queue.
 */

describe('care leavers and children in care over HTTP on the real server', () => {
  let server: TestServer;
  let clock: TestClock;
  let position = '0';
  const residents: string[] = [];

  const post = async (route: string, body: unknown, token: string = TOKENS.placement) => {
    const res = await api<{ position: string }>(server, 'POST', route, { token, body });
    if (res.status !== 201) throw new Error(`POST ${route} → ${res.status}: ${JSON.stringify(res.body)}`);
    position = res.body.position;
  };
  const noPlacement = async () => {
    const res = await api<{ items: { alertId: string; since: string }[] }>(
      server,
      'GET',
      `/v1/alerts?rule=NO_OPEN_PLACEMENT&minPosition=${position}`,
      { token: TOKENS.placement },
    );
    expect(res.status).toBe(200);
    return res.body.items.map((a) => `${a.alertId.split(':')[1]} since ${a.since}`);
  };
  /** A child placed in cl-home from 30 Nov 2026. */
  const placed = async (childId: string, bedId: string, dateOfBirth: string) => {
    await post('/v1/referrals', aReferral({ referralId: `r-${childId}`, childId, child: { dateOfBirth } }));
    await post(
      `/v1/referrals/r-${childId}/matching-meetings`,
      aMeeting({ meetingId: `m-${childId}`, settingId: 'cl-home', residents }),
    );
    await post(
      '/v1/placements',
      aPlacement({ placementId: `p-${childId}`, childId, referralId: `r-${childId}`, settingId: 'cl-home', bedId }),
    );
    residents.push(childId);
  };

  beforeAll(async () => {
    server = await startServer();
    clock = server.clock as TestClock;
    await homeWithResidents(server, 'cl-home', 4, []);
    // cl-18 turns 18 on 10 Dec 2026, living with long-term foster carers (staying put is with them);
    // cl-move and cl-limbo are 14, in the home.
    await expectCreated(server, '/v1/foster-households', TOKENS.admin, aHousehold({ householdId: 'cl-carers' }));
    await post(
      '/v1/referrals',
      aReferral({ referralId: 'r-cl-18', childId: 'cl-18', child: { dateOfBirth: '2008-12-10' } }),
    );
    await post('/v1/placements', {
      placementId: 'p-cl-18',
      childId: 'cl-18',
      referralId: 'r-cl-18',
      unit: { kind: 'household', householdId: 'cl-carers' },
      place: 'U5',
      placeProvider: 'PR1',
      legalStatus: 'C2',
      startDate: '2026-11-30',
      emergency: false,
      placementType: 'long-term',
    });
    await placed('cl-move', 'b2', '2012-03-04');
    await placed('cl-limbo', 'b3', '2012-03-04');
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses an end whose codes contradict what it says follows, naming the field, and writes nothing', async () => {
    const leaves = await api<Problem>(server, 'POST', '/v1/placements/p-cl-move/end', {
      token: TOKENS.placement,
      body: { endDate: '2026-11-30', reasonForChange: 'CARPL', next: 'leaves-care' },
    });
    expect(leaves.status).toBe(422);
    expect(leaves.body.code).toBe('INVALID_CODE');
    expect(leaves.body.detail).toMatch(/reasonEpisodeCeased/);
    const moves = await api<Problem>(server, 'POST', '/v1/placements/p-cl-move/end', {
      token: TOKENS.placement,
      body: { endDate: '2026-11-30', reasonEpisodeCeased: 'E13', next: 'placement' },
    });
    expect(moves.status).toBe(422);
    const unknown = await api<Problem>(server, 'POST', '/v1/placements/p-cl-move/end', {
      token: TOKENS.placement,
      body: { endDate: '2026-11-30', reasonForChange: 'CARPL', next: 'limbo' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.map((e) => e.field)).toEqual(['next']);
    expect(await noPlacement()).toEqual([]);
  });

  it('shows a child whose placement ended saying nothing of what follows on the NO_OPEN_PLACEMENT queue', async () => {
    clock.moveTo('2026-12-12T10:00:00Z');
    await post('/v1/placements/p-cl-limbo/end', { endDate: '2026-12-12', reasonForChange: 'CHILD' });
    expect(await noPlacement()).toEqual(['cl-limbo since 2026-12-12']);
    // A move says another placement follows; until it starts the child is on the queue too, never unseen.
    await post('/v1/placements/p-cl-move/end', { endDate: '2026-12-12', reasonForChange: 'CARPL', next: 'placement' });
    expect(await noPlacement()).toEqual(['cl-limbo since 2026-12-12', 'cl-move since 2026-12-12']);
    await post('/v1/placements', {
      ...aPlacement({
        placementId: 'p-cl-move-2',
        childId: 'cl-move',
        referralId: null,
        settingId: 'cl-home',
        bedId: 'b4',
        startDate: '2026-12-12',
        emergency: true,
      }),
    });
    expect(await noPlacement()).toEqual(['cl-limbo since 2026-12-12']);
    // Leaving care at 18 (E17, staying put) takes the child off the queue: no longer looked after.
    await post('/v1/placements/p-cl-18/end', {
      endDate: '2026-12-12',
      reasonEpisodeCeased: 'E17',
      next: 'leaves-care',
    });
    expect(await noPlacement()).toEqual(['cl-limbo since 2026-12-12']);
  });

  it('records a care leaver staying put; refuses a child still looked after, a bad body and an auditor', async () => {
    const route = '/v1/children/cl-18/care-leaver';
    await post(route, { accommodation: 'staying-put', from: '2026-12-12' });
    const bad = await api<Problem>(server, 'POST', route, {
      token: TOKENS.placement,
      body: { accommodation: 'tent', from: '2026-12-12' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field)).toEqual(['accommodation']);
    const auditor = await api<Problem>(server, 'POST', route, {
      token: TOKENS.auditor,
      body: { accommodation: 'independent', from: '2026-12-12' },
    });
    expect(auditor.status).toBe(403);
    const stillInCare = await api<Problem>(server, 'POST', '/v1/children/cl-limbo/care-leaver', {
      token: TOKENS.placement,
      body: { accommodation: 'independent', from: '2026-12-12' },
    });
    expect(stillInCare.status).toBe(422);
    expect(stillInCare.body.code).toBe('NOT_A_CARE_LEAVER');
    // A 17-year-old who left care for independent living (E5) is a care leaver too, in 16+ supported accommodation.
    await post(
      '/v1/referrals',
      aReferral({
        referralId: 'r-cl-17',
        childId: 'cl-17',
        urgency: 'emergency',
        child: { dateOfBirth: '2009-06-01' },
      }),
    );
    await post('/v1/placements', {
      placementId: 'p-cl-17',
      childId: 'cl-17',
      referralId: 'r-cl-17',
      unit: { kind: 'external', urn: 'SC999998', provider: { name: 'Acme Care', code: 'PR4' } },
      place: 'K2',
      placeProvider: 'PR4',
      legalStatus: 'C2',
      startDate: '2026-12-12',
      emergency: true,
    });
    await post('/v1/placements/p-cl-17/end', { endDate: '2026-12-12', reasonEpisodeCeased: 'E5' });
    // Staying put is with a former foster carer: not after a children's home (K2). Nothing is written.
    const notFostered = await api<Problem>(server, 'POST', '/v1/children/cl-17/care-leaver', {
      token: TOKENS.placement,
      body: { accommodation: 'staying-put', from: '2026-12-12' },
    });
    expect(notFostered.status).toBe(422);
    expect(notFostered.body.code).toBe('INVALID_INPUT');
    expect(notFostered.body.detail).toMatch(/^accommodation: staying put is with a former foster carer/);
    await post('/v1/children/cl-17/care-leaver', { accommodation: 'supported-16-plus', from: '2026-12-12' });
  });

  it('counts them in the 12-month trends at the month end: looked after, starts, ceases and care leavers', async () => {
    const res = await api<{ months: Record<string, unknown>[] }>(
      server,
      'GET',
      `/v1/sufficiency/trends?months=2&minPosition=${position}`,
      { token: TOKENS.placement },
    );
    expect(res.status).toBe(200);
    const [november, december] = res.body.months;
    // 30 Nov: cl-18, cl-move and cl-limbo were registered and placed that day.
    expect(november).toMatchObject({
      month: '2026-11',
      childrenLookedAfter: 3,
      lookedAfterNotPlaced: 0,
      startedToBeLookedAfter: 3,
      ceasedToBeLookedAfter: 0,
    });
    // Today (12 Dec): cl-move and cl-limbo still looked after (cl-limbo with no placement); cl-17 came and
    // went; cl-18 (staying put, E17) and cl-17 (16+ supported, E5) are care leavers.
    expect(december).toMatchObject({
      month: '2026-12',
      snapshotDate: '2026-12-12',
      childrenLookedAfter: 2,
      lookedAfterNotPlaced: 1,
      startedToBeLookedAfter: 1,
      ceasedToBeLookedAfter: 2,
      careLeavers: { total: 2, stayingPut: 1, supportedAccommodation: 1 },
    });
  });
});
