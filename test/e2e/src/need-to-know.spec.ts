import { createHash } from 'node:crypto';
import { aMeeting, aPlacement } from '@placement/test-support';
import { expectCreated, homeWithResidents, refer } from './support/fixtures';
import { api, startServer, TestServer, TOKENS } from './support/server';
import type { Problem } from './support/bodies';

/**
 * Issue 12 §5, need to know, on the real server: a residential manager reads only the children
 * who live, lived or are referred to the homes they keep (a bed held there, a proposal ranking
 * one of its beds, a matching meeting that considered it); placement officers and auditors read
 * all. Outside their homes a manager gets 404, worded the same whether or not the child exists.
 */
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const MANAGER = 'tok-nk-manager-4b7e1d90c3';
const OWN = 'nk-own';
const OTHER = 'nk-other';

describe('need to know: what a residential manager may read, on the real server', () => {
  let server: TestServer;
  const get = (route: string, token: string) => api<unknown>(server, 'GET', route, { token });

  beforeAll(async () => {
    server = await startServer({
      API_TOKENS: JSON.stringify([
        { sha256: sha256(MANAGER), actorId: 'nk-manager', role: 'residential-manager', settingIds: [OWN] },
      ]),
    });
    // Lives at the manager's home: nk-lives. Lives elsewhere: nk-elsewhere.
    await homeWithResidents(server, OWN, 4, ['nk-lives', 'nk-lived']);
    await homeWithResidents(server, OTHER, 3, ['nk-elsewhere']);
    // Lived there: nk-lived's placement at the manager's home has ended.
    await expectCreated(server, '/v1/placements/p-nk-lived/end', TOKENS.placement, {
      endDate: '2026-12-05',
      reasonForChange: 'CARPL',
      reasonEpisodeCeased: 'E11',
    });
    // Referred to the home by a matching meeting that considered it.
    await refer(server, { referralId: 'r-nk-met', childId: 'nk-met' });
    await expectCreated(
      server,
      '/v1/referrals/r-nk-met/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-nk-met', settingId: OWN, residents: ['nk-lives'], decision: 'not-matched' }),
    );
    // Referred elsewhere only: a meeting about the other home.
    await refer(server, { referralId: 'r-nk-away', childId: 'nk-away' });
    await expectCreated(
      server,
      '/v1/referrals/r-nk-away/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-nk-away', settingId: OTHER, residents: ['nk-elsewhere'] }),
    );
  }, 120_000);

  afterAll(() => server?.close());

  it('reads the children who live or lived in the homes they keep, and their referrals', async () => {
    // nk-met was referred to the home (a meeting considered it) and lives nowhere yet.
    for (const childId of ['nk-lives', 'nk-lived', 'nk-met']) {
      const res = await get(`/v1/children/${childId}`, MANAGER);
      expect([childId, res.status]).toEqual([childId, 200]);
    }
    expect((await get('/v1/referrals/r-nk-met', MANAGER)).status).toBe(200);
    expect((await get('/v1/referrals/r-nk-lives', MANAGER)).status).toBe(200);
  });

  it('answers 404 for a child outside their homes, exactly as for a child who does not exist', async () => {
    const outside = await get('/v1/children/nk-elsewhere', MANAGER);
    const nobody = await get('/v1/children/nk-nobody', MANAGER);
    expect(outside.status).toBe(404);
    expect(outside.contentType).toContain('application/problem+json');
    const shape = (p: Problem, id: string) => JSON.parse(JSON.stringify(p).split(id).join('<id>')) as Problem;
    expect(shape(outside.body as Problem, 'nk-elsewhere')).toEqual(shape(nobody.body as Problem, 'nk-nobody'));
    expect(outside.body).toMatchObject({ code: 'NOT_FOUND' });
    // The referrals and the matching of children outside their homes: the same 404.
    for (const route of ['/v1/referrals/r-nk-elsewhere', '/v1/referrals/r-nk-away', '/v1/referrals/r-nk-nobody'])
      expect([route, (await get(route, MANAGER)).status]).toEqual([route, 404]);
    const matches = await get('/v1/referrals/r-nk-away/matches?detail=summary&limit=3', MANAGER);
    expect(matches.status).toBe(404);
  });

  it('lets placement officers and auditors read every child', async () => {
    for (const token of [TOKENS.placement, TOKENS.auditor, TOKENS.admin])
      for (const route of ['/v1/children/nk-elsewhere', '/v1/referrals/r-nk-away'])
        expect([token, route, (await get(route, token)).status]).toEqual([token, route, 200]);
  });

  it('counts a hold or a proposal the moment it is recorded (no wait for the read model)', async () => {
    await refer(server, { referralId: 'r-nk-held', childId: 'nk-held' });
    await expectCreated(server, '/v1/placements', TOKENS.placement, {
      ...aPlacement({
        placementId: 'p-nk-held-0',
        childId: 'nk-held',
        referralId: null,
        settingId: OTHER,
        bedId: 'b3',
        emergency: true,
      }),
      place: 'K2',
    });
    expect((await get('/v1/children/nk-held', MANAGER)).status).toBe(404);
    await expectCreated(server, '/v1/referrals/r-nk-held/holds', TOKENS.placement, {
      settingId: OWN,
      bedId: 'b4',
      until: '2026-12-31T18:00:00Z',
    });
    expect((await get('/v1/children/nk-held', MANAGER)).status).toBe(200);

    await refer(server, { referralId: 'r-nk-proposed', childId: 'nk-proposed' });
    expect((await get('/v1/referrals/r-nk-proposed', MANAGER)).status).toBe(404);
    const proposal = await api<{ options?: unknown }>(server, 'POST', '/v1/referrals/r-nk-proposed/matches/proposals', {
      token: TOKENS.placement,
      body: { detail: 'summary', limit: 50 },
    });
    expect(proposal.status).toBe(201);
    expect((await get('/v1/referrals/r-nk-proposed', MANAGER)).status).toBe(200);
    expect((await get('/v1/referrals/r-nk-proposed/matches?detail=summary&limit=3', MANAGER)).status).toBe(200);
  });

  it('shows a home they do not keep without saying who holds or occupies its beds', async () => {
    const own = await get(`/v1/settings/${OWN}`, MANAGER);
    const other = await get(`/v1/settings/${OTHER}`, MANAGER);
    const asOfficer = await get(`/v1/settings/${OTHER}`, TOKENS.placement);
    expect([own.status, other.status, asOfficer.status]).toEqual([200, 200, 200]);
    expect(JSON.stringify(own.body)).toContain('nk-lives');
    expect(JSON.stringify(asOfficer.body)).toContain('nk-elsewhere');
    const text = JSON.stringify(other.body);
    for (const hidden of ['nk-elsewhere', 'r-nk-elsewhere', 'p-nk-elsewhere', 'childId', 'referralId'])
      expect([hidden, text.includes(hidden)]).toEqual([hidden, false]);
    // What the bed is doing is still shown.
    const statuses = (other.body as { beds: { state: { status: string } }[] }).beds.map((b) => b.state.status);
    expect(statuses).toContain('Occupied');
  });

  it("shows a home's diary they do not keep without saying whose the bookings are", async () => {
    const window = '?from=2026-11-30&to=2026-12-13';
    const own = await get(`/v1/settings/${OWN}/diary${window}`, MANAGER);
    const other = await get(`/v1/settings/${OTHER}/diary${window}`, MANAGER);
    const asOfficer = await get(`/v1/settings/${OTHER}/diary${window}`, TOKENS.placement);
    expect([own.status, other.status, asOfficer.status]).toEqual([200, 200, 200]);
    expect(JSON.stringify(own.body)).toContain('nk-lives');
    expect(JSON.stringify(asOfficer.body)).toContain('nk-elsewhere');
    const text = JSON.stringify(other.body);
    for (const hidden of ['nk-elsewhere', 'p-nk-elsewhere', 'childId', 'placementId', 'referralId'])
      expect([hidden, text.includes(hidden)]).toEqual([hidden, false]);
    // The bookings themselves are still shown, as many as the officer sees: which nights are taken, not by whom.
    type Diary = { beds: { bookings: { from: string; to: string | null; arrival: string }[] }[] };
    const nights = (body: unknown) =>
      (body as Diary).beds.flatMap((b) => b.bookings.map(({ from, to, arrival }) => ({ from, to, arrival })));
    expect(nights(other.body).length).toBeGreaterThan(0);
    expect(nights(other.body)).toEqual(nights(asOfficer.body));
  });
});
