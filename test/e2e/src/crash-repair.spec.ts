import type { ChildBody } from '@placement/api';
import { bedStreamId, childStreamId } from '@placement/domain';
import { aMeeting, aPlacement } from '@placement/test-support';
import { api, startServer, TestServer, TOKENS } from './support/server';
import { expectCreated, homeWithResidents, refer } from './support/fixtures';
import { appendAsTheHandlerWould, bedOccupied, placementStarted } from './support/log-writer';

interface SettingView {
  beds: { bedId: string; state: { status: string; occupant?: { placementId: string } } }[];
}

/**
 * A crash between the unit's append and the child's is simulated by writing only the first
 * append, from a second connection to the same file, exactly as the handler would have.
 */
async function takeBedWithoutChild(
  sqlitePath: string,
  settingId: string,
  bedId: string,
  placementId: string,
  childId: string,
  commandId: string,
): Promise<void> {
  await appendAsTheHandlerWould(
    sqlitePath,
    bedStreamId(settingId, bedId),
    [bedOccupied(settingId, bedId, placementId, childId, null)],
    commandId,
  );
}

describe('a crash between the two appends of a placement', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
    await homeWithResidents(server, 'elm', 2, []);
    await refer(server, { referralId: 'r-cara', childId: 'cara' });
  });
  afterEach(async () => {
    await server.close();
  });

  it('is repaired on restart: the bed held for a placement the child never got is freed', async () => {
    await takeBedWithoutChild(server.sqlitePath, 'elm', 'b1', 'p-ghost', 'cara', 'placement:p-ghost');
    const stuck = await api<SettingView>(server, 'GET', '/v1/settings/elm', { token: TOKENS.auditor });
    expect(stuck.body.beds[0].state.status).toBe('Occupied');

    await server.close({ keepFiles: true });
    server = await startServer({}, { dir: server.dir });

    const repaired = await api<SettingView>(server, 'GET', '/v1/settings/elm', { token: TOKENS.auditor });
    expect(repaired.body.beds[0].state.status).toBe('Vacant');
    // The bed can be given to a child again.
    await expectCreated(
      server,
      '/v1/referrals/r-cara/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-cara', settingId: 'elm' }),
    );
    await expectCreated(
      server,
      '/v1/placements',
      TOKENS.placement,
      aPlacement({ placementId: 'p-cara', childId: 'cara', referralId: 'r-cara', settingId: 'elm', bedId: 'b1' }),
    );
  });

  it('is finished by the client retrying the same command: one placement, bed and child agree', async () => {
    await expectCreated(
      server,
      '/v1/referrals/r-cara/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-cara', settingId: 'elm' }),
    );
    await takeBedWithoutChild(server.sqlitePath, 'elm', 'b2', 'p-cara', 'cara', 'placement:p-cara');

    const retry = await api<{ replayed: boolean }>(server, 'POST', '/v1/placements', {
      token: TOKENS.placement,
      body: aPlacement({ placementId: 'p-cara', childId: 'cara', referralId: 'r-cara', settingId: 'elm', bedId: 'b2' }),
    });
    expect(retry.status).toBe(201);
    const setting = await api<SettingView>(server, 'GET', '/v1/settings/elm', { token: TOKENS.auditor });
    expect(setting.body.beds[1].state).toEqual(
      expect.objectContaining({ status: 'Occupied', occupant: expect.objectContaining({ placementId: 'p-cara' }) }),
    );
    const child = await api<ChildBody>(server, 'GET', '/v1/children/cara', { token: TOKENS.auditor });
    expect(child.body.child.placements).toEqual([expect.objectContaining({ placementId: 'p-cara', endDate: null })]);
  });
});

interface ReferralView {
  status: string;
}
interface Refusal {
  status: number;
  code: string;
}

describe('a crash between the placement on the child and the closing of its referral', () => {
  let server: TestServer;
  // No timer pass during a test: only the start-up reconciler repairs, so the window stays open until the restart.
  const env = { RECONCILE_INTERVAL_SECONDS: '0' };
  beforeEach(async () => {
    server = await startServer(env);
    await homeWithResidents(server, 'elm', 3, []);
    await refer(server, { referralId: 'r-cara', childId: 'cara', urgency: 'emergency' });
  });
  afterEach(async () => {
    await server.close();
  });

  it('takes no more work for the referral, and closes it as placed on restart, releasing its holds', async () => {
    await expectCreated(server, '/v1/referrals/r-cara/holds', TOKENS.placement, {
      settingId: 'elm',
      bedId: 'b2',
      until: '2026-12-30T18:00:00Z',
    });
    // The placement into b1, written as the handler writes it, up to the child's record: the referral is never closed.
    await appendAsTheHandlerWould(
      server.sqlitePath,
      bedStreamId('elm', 'b1'),
      [bedOccupied('elm', 'b1', 'p-cara', 'cara', 'r-cara')],
      'placement:p-cara',
    );
    await appendAsTheHandlerWould(
      server.sqlitePath,
      childStreamId('cara'),
      [placementStarted('elm', 'b1', 'p-cara', 'cara', 'r-cara')],
      'placement:p-cara',
    );
    const open = await api<ReferralView>(server, 'GET', '/v1/referrals/r-cara', { token: TOKENS.auditor });
    expect(open.body.status).toBe('Open');

    // Cara is placed under r-cara: nothing more is accepted for it, closed or not.
    const refused = async (method: string, route: string, body?: unknown) => {
      const res = await api<Refusal>(server, method, route, { token: TOKENS.placement, body });
      return { status: res.status, code: res.body.code };
    };
    const notOpen = { status: 422, code: 'REFERRAL_NOT_OPEN' };
    expect(
      await refused('POST', '/v1/referrals/r-cara/holds', {
        settingId: 'elm',
        bedId: 'b3',
        until: '2026-12-30T18:00:00Z',
      }),
    ).toEqual(notOpen);
    expect(await refused('GET', '/v1/referrals/r-cara/matches')).toEqual(notOpen);
    expect(await refused('POST', '/v1/referrals/r-cara/matches/proposals', { detail: 'summary', limit: 5 })).toEqual(
      notOpen,
    );
    expect(
      await refused(
        'POST',
        '/v1/referrals/r-cara/matching-meetings',
        aMeeting({ meetingId: 'm-cara-oak', settingId: 'oak' }),
      ),
    ).toEqual(notOpen);
    expect(
      await refused('POST', '/v1/placements', {
        ...aPlacement({
          placementId: 'p-cara-2',
          childId: 'cara',
          referralId: 'r-cara',
          settingId: 'elm',
          bedId: 'b3',
        }),
        emergency: true,
      }),
    ).toEqual(notOpen);
    // The meeting that follows her emergency placement, about the home she went to, is still recorded.
    await expectCreated(
      server,
      '/v1/referrals/r-cara/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-cara-elm', settingId: 'elm' }),
    );

    await server.close({ keepFiles: true });
    server = await startServer(env, { dir: server.dir });

    const closed = await api<ReferralView & { referral: { referralId: string } }>(
      server,
      'GET',
      '/v1/referrals/r-cara',
      { token: TOKENS.auditor },
    );
    expect(closed.body.status).toBe('Closed');
    const setting = await api<SettingView>(server, 'GET', '/v1/settings/elm', { token: TOKENS.auditor });
    expect(setting.body.beds.map((b) => [b.bedId, b.state.status])).toEqual([
      ['b1', 'Occupied'],
      ['b2', 'Vacant'],
      ['b3', 'Vacant'],
    ]);
  });

  it('a bed taken for a placement the child has in another bed is freed on restart', async () => {
    await expectCreated(
      server,
      '/v1/placements',
      TOKENS.placement,
      aPlacement({
        placementId: 'p-cara',
        childId: 'cara',
        referralId: 'r-cara',
        settingId: 'elm',
        bedId: 'b1',
        emergency: true,
      }),
    );
    // A take of b2 for the same placement, left by an attempt recorded before ids were checked.
    await appendAsTheHandlerWould(
      server.sqlitePath,
      bedStreamId('elm', 'b2'),
      [bedOccupied('elm', 'b2', 'p-cara', 'cara', 'r-cara')],
      'placement:p-cara',
    );

    await server.close({ keepFiles: true });
    server = await startServer(env, { dir: server.dir });

    const setting = await api<SettingView>(server, 'GET', '/v1/settings/elm', { token: TOKENS.auditor });
    expect(setting.body.beds.map((b) => [b.bedId, b.state.status, b.state.occupant?.placementId])).toEqual([
      ['b1', 'Occupied', 'p-cara'],
      ['b2', 'Vacant', undefined],
      ['b3', 'Vacant', undefined],
    ]);
    const child = await api<ChildBody>(server, 'GET', '/v1/children/cara', { token: TOKENS.auditor });
    expect(child.body.child.placements).toEqual([expect.objectContaining({ placementId: 'p-cara', endDate: null })]);
  });
});
