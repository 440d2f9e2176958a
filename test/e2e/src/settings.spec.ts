import { api, startServer, TestServer, TOKENS } from './support/server';

const setting = {
  settingId: 'home-1',
  name: 'Oak House',
  urn: 'SC123456',
  provider: { kind: 'in-house', name: 'Rotherham MBC', code: 'PR1' },
  type: 'childrens-home',
  registration: { ageRange: { min: 11, max: 17 }, sexes: 'any', maxChildren: 3 },
  postcode: 'S60 1AA',
  localAuthority: 'E08000018',
  registeredOn: '2024-01-01',
};

describe('settings and beds', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

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
        state: expect.objectContaining({ status: 'Vacant' }),
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
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

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
