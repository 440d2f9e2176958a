import {
  aBed,
  aContract,
  aHousehold,
  aMeeting,
  aPlacement,
  aReferral,
  aSetting,
  aStepDown,
} from '@placement/test-support';
import { api, startServer, TestServer, TOKENS } from './support/server';

/*
 * libs/test-support's builders give bodies the real API accepts as they are, and an override
 * changes only what it names: every test, bench and seed builds on them.
 */
describe('the request bodies of libs/test-support', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  async function post(route: string, token: string, body: unknown): Promise<number> {
    return (await api(server, 'POST', route, { token, body })).status;
  }

  it('are accepted as they are, one after another, from a home to a planned step-down', async () => {
    expect(await post('/v1/settings', TOKENS.admin, aSetting())).toBe(201);
    expect(await post('/v1/settings/home-1/beds', TOKENS.admin, aBed())).toBe(201);
    expect(await post('/v1/foster-households', TOKENS.admin, aHousehold())).toBe(201);
    expect(await post('/v1/block-bookings', TOKENS.admin, aContract())).toBe(201);
    expect(await post('/v1/referrals', TOKENS.placement, aReferral())).toBe(201);
    expect(await post('/v1/referrals/r-1/matching-meetings', TOKENS.placement, aMeeting())).toBe(201);
    expect(await post('/v1/placements', TOKENS.placement, aPlacement())).toBe(201);
    expect(await post('/v1/step-downs', TOKENS.admin, aStepDown())).toBe(201);

    // The child placed by the placement body lives in the bed the bed body added.
    const home = await api<{ beds: { bedId: string; state: { status: string } }[] }>(
      server,
      'GET',
      '/v1/settings/home-1',
      { token: TOKENS.auditor },
    );
    expect(home.body.beds.map((b) => [b.bedId, b.state.status])).toEqual([['b1', 'Occupied']]);
  });

  it('change only what an override names, nested facts included', () => {
    const home = aSetting({ settingId: 'oak', maxChildren: 4 });
    expect(home).toEqual({
      ...aSetting(),
      settingId: 'oak',
      name: 'Home oak',
      registration: { ...aSetting().registration, maxChildren: 4 },
    });
    const referral = aReferral({ urgency: 'emergency', child: { sex: 'M' }, needs: { risksToSelf: ['cse'] } });
    expect(referral).toEqual({
      ...aReferral(),
      urgency: 'emergency',
      child: { ...aReferral().child, sex: 'M' },
      needs: { ...aReferral().needs, risksToSelf: ['cse'] },
    });
    const household = aHousehold({ householdId: 'fh-9', terms: { maxChildren: 1 } });
    expect(household).toEqual({
      ...aHousehold(),
      householdId: 'fh-9',
      reference: 'FH-fh-9',
      terms: { ...aHousehold().terms, maxChildren: 1 },
    });
    expect(aBed({ bedId: 'b7' })).toEqual({ bedId: 'b7', kind: 'residential', label: 'Room 7' });
    expect(aMeeting({ settingId: 'oak', residents: ['amy'] })).toMatchObject({
      unitConsidered: { kind: 'setting', settingId: 'oak' },
      impactAssessments: [{ residentChildId: 'amy', outcome: 'no-concerns', risksConsidered: ['physical-harm'] }],
    });
    expect(aPlacement({ settingId: 'oak', bedId: 'b2' }).unit).toEqual({ kind: 'bed', settingId: 'oak', bedId: 'b2' });
  });
});
