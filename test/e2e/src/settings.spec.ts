import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { openSqliteEventStore } from '@placement/event-store';
import { aMeeting, aPlacement, aSetting } from '@placement/test-support';
import { expectCreated, refer, referAndMatch } from './support/fixtures';
import { api, startServer, withServer, TestServer, TOKENS } from './support/server';

const setting = aSetting({ settingId: 'home-1', name: 'Oak House', urn: 'SC123456' });

describe('settings and beds', () => {
  const server = withServer();

  it('registers a setting, adds a bed and reads both back from the streams', async () => {
    const created = await api(server, 'POST', '/v1/settings', { token: TOKENS.admin, body: setting });
    expect(created.status).toBe(201);
    const bed = await api(server, 'POST', '/v1/settings/home-1/beds', {
      token: TOKENS.admin,
      body: { bedId: 'b1', kind: 'residential', label: 'Room 1' },
    });
    expect(bed.status).toBe(201);
    const read = await api<{ setting: { status: string }; beds: { bedId: string; state: { status: string } }[] }>(
      server,
      'GET',
      '/v1/settings/home-1',
      { token: TOKENS.auditor },
    );
    expect(read.status).toBe(200);
    expect(read.body.setting.status).toBe('Registered');
    expect(read.body.beds).toEqual([
      {
        bedId: 'b1',
        state: expect.objectContaining({ status: 'Vacant', next: null }),
        diary: expect.objectContaining({ occupancies: [], outOfUse: [], hold: null }),
        flags: { unmatchedEmergency: false, aged18InHomeRegisteredTo17: false },
      },
    ]);
  });

  it('answers a retry of the same registration with the first result and writes nothing', async () => {
    const again = await api<{ replayed: boolean }>(server, 'POST', '/v1/settings', {
      token: TOKENS.admin,
      body: setting,
    });
    expect(again.status).toBe(201);
    expect(again.body.replayed).toBe(true);
  });

  it('refuses unknown fields with problem+json naming the field and rule', async () => {
    const res = await api<{ status: number; errors: { field: string; rule: string }[] }>(
      server,
      'POST',
      '/v1/settings',
      {
        token: TOKENS.admin,
        body: { ...setting, settingId: 'home-2', colour: 'blue' },
      },
    );
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'colour', rule: 'whitelistValidation' }));
  });

  it('refuses an auditor on a command with 403', async () => {
    const res = await api(server, 'POST', '/v1/settings', {
      token: TOKENS.auditor,
      body: { ...setting, settingId: 'home-3' },
    });
    expect(res.status).toBe(403);
    const missing = await api(server, 'GET', '/v1/settings/home-3', { token: TOKENS.auditor });
    expect(missing.status).toBe(404);
  });
});

describe('a home never has more beds than its registration allows', () => {
  const server = withServer();

  it('refuses a bed beyond the registered maximum with OUTSIDE_REGISTRATION and writes nothing', async () => {
    const created = await api(server, 'POST', '/v1/settings', {
      token: TOKENS.admin,
      body: { ...setting, settingId: 'small', registration: { ...setting.registration, maxChildren: 2 } },
    });
    expect(created.status).toBe(201);
    for (const bedId of ['b1', 'b2']) {
      expect(
        (
          await api(server, 'POST', '/v1/settings/small/beds', {
            token: TOKENS.admin,
            body: { bedId, kind: 'residential', label: bedId },
          })
        ).status,
      ).toBe(201);
    }
    const third = await api<{ code: string }>(server, 'POST', '/v1/settings/small/beds', {
      token: TOKENS.admin,
      body: { bedId: 'b3', kind: 'emergency', label: 'b3' },
    });
    expect(third.status).toBe(422);
    expect(third.body.code).toBe('OUTSIDE_REGISTRATION');
    const read = await api<{ beds: unknown[] }>(server, 'GET', '/v1/settings/small', { token: TOKENS.auditor });
    expect(read.body.beds).toHaveLength(2);
    // Re-adding an existing bed is still an idempotent retry, not a new bed.
    expect(
      (
        await api(server, 'POST', '/v1/settings/small/beds', {
          token: TOKENS.admin,
          body: { bedId: 'b2', kind: 'residential', label: 'b2' },
        })
      ).status,
    ).toBe(201);
  });
});

describe('a home at its registered maximum takes no more children, even with a bed free', () => {
  // Beds are capped at the registration when added (above), but a log written before that cap
  // can hold a home with more beds than its registered maximum: the placement itself must refuse.
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
    await expectCreated(server, '/v1/settings', TOKENS.admin, {
      ...setting,
      settingId: 'legacy',
      registration: { ...setting.registration, maxChildren: 2 },
    });
    for (const bedId of ['b1', 'b2'])
      await expectCreated(server, '/v1/settings/legacy/beds', TOKENS.admin, {
        bedId,
        kind: 'residential',
        label: bedId,
      });
    // The third bed, as the API wrote it before beds were capped.
    const { dir, clock } = server;
    await server.close({ keepFiles: true });
    const store = await openSqliteEventStore({ path: path.join(dir, 'events.db'), clock });
    try {
      const commandId = 'bed:legacy:b3';
      await store.append(
        'bed-legacy.b3',
        [
          {
            id: randomUUID(),
            type: 'BedAdded',
            data: { settingId: 'legacy', bedId: 'b3', kind: 'residential', label: 'b3' },
            metadata: {
              commandId,
              correlationId: commandId,
              causationId: commandId,
              actor: { id: 'demo-admin', role: 'admin' },
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    } finally {
      await store.close();
    }
    server = await startServer({}, { dir, clock });
    // Two children, each matched at a meeting that assessed everyone already there.
    const placed: string[] = [];
    for (const [i, childId] of ['res-a', 'res-b'].entries()) {
      await referAndMatch(server, childId, 'legacy', placed);
      await expectCreated(
        server,
        '/v1/placements',
        TOKENS.placement,
        aPlacement({
          placementId: `p-${childId}`,
          childId,
          referralId: `r-${childId}`,
          settingId: 'legacy',
          bedId: `b${i + 1}`,
        }),
      );
      placed.push(childId);
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses a third child with 422 OUTSIDE_REGISTRATION and writes nothing', async () => {
    const read = await api<{ beds: { bedId: string; state: { status: string } }[] }>(
      server,
      'GET',
      '/v1/settings/legacy',
      { token: TOKENS.auditor },
    );
    expect(read.body.beds.map((b) => [b.bedId, b.state.status])).toEqual([
      ['b1', 'Occupied'],
      ['b2', 'Occupied'],
      ['b3', 'Vacant'],
    ]);
    await refer(server, { referralId: 'r-third', childId: 'third' });
    await expectCreated(
      server,
      '/v1/referrals/r-third/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-third', settingId: 'legacy', residents: ['res-a', 'res-b'] }),
    );
    const head = async () =>
      (await api<{ details: { eventStore: { headPosition: string } } }>(server, 'GET', '/health')).body.details
        .eventStore.headPosition;
    const before = await head();

    const refused = await api<{ code: string; detail: string }>(server, 'POST', '/v1/placements', {
      token: TOKENS.placement,
      body: aPlacement({
        placementId: 'p-third',
        childId: 'third',
        referralId: 'r-third',
        settingId: 'legacy',
        bedId: 'b3',
      }),
    });
    expect(refused.status).toBe(422);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body.code).toBe('OUTSIDE_REGISTRATION');
    expect(refused.body.detail).toMatch(/registered maximum/);
    expect(await head()).toBe(before);
    const bed = await api<{ beds: { bedId: string; state: { status: string } }[] }>(
      server,
      'GET',
      '/v1/settings/legacy',
      { token: TOKENS.auditor },
    );
    expect(bed.body.beds.find((b) => b.bedId === 'b3')?.state.status).toBe('Vacant');
    const referral = await api<{ status: string }>(server, 'GET', '/v1/referrals/r-third', { token: TOKENS.auditor });
    expect(referral.body.status).toBe('Open');
  });
});
