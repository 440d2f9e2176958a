import { openSqliteEventStore } from '@placement/event-store';
import { bedStreamId } from '@placement/domain';
import { api, startServer, TestServer, TOKENS } from './support/server';
import { bedPlacementBody, expectCreated, homeWithResidents, meetingBody, referralBody } from './support/fixtures';

interface SettingView {
  beds: { bedId: string; state: { status: string; occupant?: { placementId: string } } }[];
}
interface ChildView {
  child: { placements: { placementId: string; endDate: string | null }[] };
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
  const store = await openSqliteEventStore({ path: sqlitePath });
  try {
    const stream = bedStreamId(settingId, bedId);
    const events = await store.readStream(stream);
    const last = events[events.length - 1];
    await store.append(
      stream,
      [
        {
          id: crypto.randomUUID(),
          type: 'BedOccupied',
          data: {
            settingId,
            bedId,
            bedKind: 'residential',
            placementId,
            childId,
            referralId: null,
            emergency: true,
            matchingMeetingId: null,
            unmatchedEmergency: true,
            startDate: '2026-11-30',
            at: '2026-11-01T10:00:00.000Z',
          },
          metadata: {
            commandId,
            correlationId: commandId,
            causationId: commandId,
            actor: { id: 'demo-placement-officer', role: 'placement-officer' },
          },
        },
      ],
      { expectedRevision: last.revision },
    );
  } finally {
    await store.close();
  }
}

describe('a crash between the two appends of a placement', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
    await homeWithResidents(server, 'elm', 2, []);
    await expectCreated(server, '/v1/referrals', TOKENS.placement, referralBody('r-cara', 'cara'));
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
      meetingBody('m-cara', 'elm', []),
    );
    await expectCreated(
      server,
      '/v1/placements',
      TOKENS.placement,
      bedPlacementBody('p-cara', 'cara', 'r-cara', 'elm', 'b1'),
    );
  });

  it('is finished by the client retrying the same command: one placement, bed and child agree', async () => {
    await expectCreated(
      server,
      '/v1/referrals/r-cara/matching-meetings',
      TOKENS.placement,
      meetingBody('m-cara', 'elm', []),
    );
    await takeBedWithoutChild(server.sqlitePath, 'elm', 'b2', 'p-cara', 'cara', 'placement:p-cara');

    const retry = await api<{ replayed: boolean }>(server, 'POST', '/v1/placements', {
      token: TOKENS.placement,
      body: bedPlacementBody('p-cara', 'cara', 'r-cara', 'elm', 'b2'),
    });
    expect(retry.status).toBe(201);
    const setting = await api<SettingView>(server, 'GET', '/v1/settings/elm', { token: TOKENS.auditor });
    expect(setting.body.beds[1].state).toEqual(
      expect.objectContaining({ status: 'Occupied', occupant: expect.objectContaining({ placementId: 'p-cara' }) }),
    );
    const child = await api<ChildView>(server, 'GET', '/v1/children/cara', { token: TOKENS.auditor });
    expect(child.body.child.placements).toEqual([expect.objectContaining({ placementId: 'p-cara', endDate: null })]);
  });
});
