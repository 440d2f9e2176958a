import { openSqliteEventStore } from '@placement/event-store';
import { aContract, aPlacement } from '@placement/test-support';
import { api, ApiResponse, startServer, TestServer, TOKENS } from './support/server';
import { homeWithResidents, refer } from './support/fixtures';
import type { Problem } from './support/bodies';

describe('bad input is refused with problem+json and writes nothing', () => {
  let server: TestServer;
  let head: bigint;

  async function headPosition(): Promise<bigint> {
    const store = await openSqliteEventStore({ path: server.sqlitePath });
    try {
      return await store.headPosition();
    } finally {
      await store.close();
    }
  }

  function expectProblem(res: ApiResponse<Problem>, status: number): void {
    expect(res.status).toBe(status);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.status).toBe(status);
    expect(typeof res.body.type).toBe('string');
    expect(typeof res.body.title).toBe('string');
  }

  beforeAll(async () => {
    server = await startServer();
    await homeWithResidents(server, 'yew', 2, []);
    await refer(server, { referralId: 'r-dan', childId: 'dan' });
  });
  beforeEach(async () => {
    head = await headPosition();
  });
  afterEach(async () => {
    expect(await headPosition()).toBe(head);
  });
  afterAll(async () => {
    await server.close();
  });

  it('unknown fields, naming each', async () => {
    const res = await api<Problem>(server, 'POST', '/v1/placements', {
      token: TOKENS.placement,
      body: {
        ...aPlacement({ placementId: 'p1', childId: 'dan', referralId: 'r-dan', settingId: 'yew', bedId: 'b1' }),
        note: 'x',
        unit: { kind: 'bed', settingId: 'yew', bedId: 'b1', floor: 2 },
      },
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'note', rule: 'whitelistValidation' }),
        expect.objectContaining({ field: 'unit.floor', rule: 'whitelistValidation' }),
      ]),
    );
  });

  it('wrong types', async () => {
    const res = await api<Problem>(server, 'POST', '/v1/placements', {
      token: TOKENS.placement,
      body: {
        ...aPlacement({ placementId: 'p1', childId: 'dan', referralId: 'r-dan', settingId: 'yew', bedId: 'b1' }),
        emergency: 'yes',
        startDate: 20261130,
      },
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'emergency', rule: 'isBoolean' }),
        expect.objectContaining({ field: 'startDate', rule: 'isBusinessDate' }),
      ]),
    );
  });

  it('an unknown PLACE code', async () => {
    const res = await api<Problem>(server, 'POST', '/v1/placements', {
      token: TOKENS.placement,
      body: {
        ...aPlacement({ placementId: 'p1', childId: 'dan', referralId: 'r-dan', settingId: 'yew', bedId: 'b1' }),
        place: 'K9',
      },
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'place', rule: 'isIn' })]);
  });

  it('a date that does not exist', async () => {
    const res = await api<Problem>(server, 'POST', '/v1/placements', {
      token: TOKENS.placement,
      body: {
        ...aPlacement({ placementId: 'p1', childId: 'dan', referralId: 'r-dan', settingId: 'yew', bedId: 'b1' }),
        startDate: '2026-02-30',
      },
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'startDate', rule: 'isBusinessDate' })]);
  });

  it('dates in the wrong order (a rule: 422 with its code)', async () => {
    const res = await api<Problem>(server, 'POST', '/v1/block-bookings', {
      token: TOKENS.admin,
      body: aContract({ contractId: 'c-bad', beds: ['x1'], startDate: '2026-12-01', endDate: '2026-01-01' }),
    });
    expectProblem(res, 422);
    expect(res.body.code).toBe('INVALID_DATES');
  });

  it('a 2 MB body, before parsing', async () => {
    const res = await api<Problem>(server, 'POST', '/v1/placements', {
      token: TOKENS.placement,
      rawBody: JSON.stringify({ placementId: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expectProblem(res, 413);
  });

  it('invalid JSON', async () => {
    const res = await api<Problem>(server, 'POST', '/v1/placements', {
      token: TOKENS.placement,
      rawBody: '{"placementId": "p1",',
    });
    expectProblem(res, 400);
  });

  it('prototype-pollution keys', async () => {
    const res = await api<Problem>(server, 'POST', '/v1/placements', {
      token: TOKENS.placement,
      rawBody:
        '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}, ' +
        JSON.stringify(
          aPlacement({ placementId: 'p1', childId: 'dan', referralId: 'r-dan', settingId: 'yew', bedId: 'b1' }),
        ).slice(1),
    });
    expectProblem(res, 400);
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });

  it('an auditor token on a command: 403', async () => {
    const res = await api<Problem>(server, 'POST', '/v1/placements', {
      token: TOKENS.auditor,
      body: aPlacement({ placementId: 'p1', childId: 'dan', referralId: 'r-dan', settingId: 'yew', bedId: 'b1' }),
    });
    expectProblem(res, 403);
  });

  it('no token, and a wrong token: 401', async () => {
    expectProblem(
      await api<Problem>(server, 'POST', '/v1/placements', {
        body: aPlacement({ placementId: 'p1', childId: 'dan', referralId: 'r-dan', settingId: 'yew', bedId: 'b1' }),
      }),
      401,
    );
    expectProblem(
      await api<Problem>(server, 'POST', '/v1/placements', {
        token: 'dev-placemenT',
        body: aPlacement({ placementId: 'p1', childId: 'dan', referralId: 'r-dan', settingId: 'yew', bedId: 'b1' }),
      }),
      401,
    );
  });

  it('a malformed route id', async () => {
    const res = await api<Problem>(server, 'POST', '/v1/settings/bad.id/beds', {
      token: TOKENS.admin,
      body: { bedId: 'b9', kind: 'residential', label: 'x' },
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'id', rule: 'matches' })]);
  });
});
