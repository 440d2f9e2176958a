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
import { api, withServer, TOKENS } from './support/server';

// libs/test-support's builders give bodies the real API accepts as they are; tests, benches and seeds use them.
describe('the request bodies of libs/test-support', () => {
  const server = withServer();

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
});
