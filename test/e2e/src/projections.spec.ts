import type { CapacityBody } from '@placement/api';
import { aSetting } from '@placement/test-support';
import { api, startServer, TestServer, TOKENS } from './support/server';

import { sseReader } from './support/sse';
import type { Answer } from './support/bodies';

describe('capacity, utilisation and trends over HTTP on the real store', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ SEED_DEMO_ESTATE: 'true' });
  }, 60_000);
  let closed = false;
  afterAll(async () => {
    if (!closed) await server.close();
  });

  it('serves the seeded estate’s capacity, computed from its events, read-your-writes after a command', async () => {
    const created = await api<Answer>(server, 'POST', '/v1/settings', {
      token: TOKENS.admin,
      body: aSetting({ settingId: 'new-home', urn: 'SC999001' }),
    });
    expect(created.status).toBe(201);
    const res = await api<CapacityBody>(server, 'GET', `/v1/capacity?minPosition=${created.body.position}`, {
      token: TOKENS.auditor,
    });
    expect(res.status).toBe(200);
    expect(BigInt(res.body.position)).toBeGreaterThanOrEqual(BigInt(created.body.position));
    expect(res.body.totals.residential.beds).toBe(16);
    expect(res.body.totals.emergency.beds).toBe(2);
    expect(res.body.totals.foster.approvedPlaces).toBeGreaterThan(100);
    // Every authenticated role reads; no token, no read.
    expect((await api(server, 'GET', '/v1/capacity', { token: TOKENS.placement })).status).toBe(200);
    expect((await api(server, 'GET', '/v1/capacity')).status).toBe(401);
  });

  it('pushes a capacity delta over SSE after a command', async () => {
    const res = await fetch(`${server.baseUrl}/v1/capacity/stream`, {
      headers: { authorization: `Bearer ${TOKENS.manager}`, accept: 'text/event-stream' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseReader(res.body as ReadableStream<Uint8Array>);
    const first = await events.next();
    expect(first.event).toBe('snapshot');
    const added = await api<Answer>(server, 'POST', '/v1/settings/new-home/beds', {
      token: TOKENS.admin,
      body: { bedId: 'b1', kind: 'residential', label: 'Room 1' },
    });
    expect(added.status).toBe(201);
    let delta = await events.next();
    while (delta.event !== 'delta') delta = await events.next();
    const body = delta.data as CapacityBody;
    expect(body.units.beds).toEqual([
      expect.objectContaining({ settingId: 'new-home', bedId: 'b1', status: 'vacant' }),
    ]);
    expect(body.totals.residential.beds).toBe(17);
    expect(BigInt(body.position)).toBeGreaterThanOrEqual(BigInt(added.body.position));
    await events.cancel();
  });

  it('validates the utilisation and trends queries', async () => {
    const get = (route: string) =>
      api<{ errors?: { field: string }[] }>(server, 'GET', route, { token: TOKENS.auditor });
    expect((await get('/v1/block-bookings/utilisation?from=2026-01-01&to=2026-03-31')).status).toBe(200);
    expect((await get('/v1/block-bookings/utilisation?from=2026-02-30&to=2026-03-31')).status).toBe(400);
    expect((await get('/v1/block-bookings/utilisation?from=2026-04-01&to=2026-03-31')).status).toBe(400);
    expect((await get('/v1/block-bookings/utilisation?from=2020-01-01&to=2026-03-31')).status).toBe(400);
    expect((await get('/v1/block-bookings/utilisation?from=2026-01-01')).status).toBe(400);
    expect((await get('/v1/block-bookings/utilisation?from=2026-01-01&to=2026-01-31&minPosition=-1')).status).toBe(400);
    const trends = await api<{ months: { month: string; childrenPlaced: number }[] }>(
      server,
      'GET',
      '/v1/sufficiency/trends?months=12',
      { token: TOKENS.auditor },
    );
    expect(trends.status).toBe(200);
    expect(trends.body.months).toHaveLength(12);
    expect(trends.body.months[11].childrenPlaced).toBeGreaterThan(0);
    expect((await get('/v1/sufficiency/trends')).status).toBe(200);
    for (const months of ['0', '37', 'abc', '1.5'])
      expect((await get(`/v1/sufficiency/trends?months=${months}`)).status).toBe(400);
  });

  it('reports each projection in /health', async () => {
    const res = await api<{
      status: string;
      details: { projections: { status: string; projections: { name: string; state: string }[] } };
    }>(server, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body.details.projections.status).toBe('up');
    expect(res.body.details.projections.projections.map((p) => p.name)).toEqual([
      'capacity',
      'block-booking-utilisation',
      'sufficiency',
      'referral-list',
      'child-list',
      'estate-list',
      'child-homes',
      'audit-index',
      'alerts',
    ]);
  });

  it('ends open event streams when the server shuts down, so shutdown does not hang', async () => {
    const res = await fetch(`${server.baseUrl}/v1/capacity/stream`, {
      headers: { authorization: `Bearer ${TOKENS.auditor}` },
    });
    const events = sseReader(res.body as ReadableStream<Uint8Array>);
    expect((await events.next()).event).toBe('snapshot');
    closed = true;
    // The stream is ended by the server as shutdown begins, before the HTTP server is closed.
    const ended = events.next().then(
      () => 'another event',
      (error: Error) => error.message,
    );
    await server.close();
    expect(await ended).toBe('the stream ended');
    // How long the shutdown takes with streams open is a figure: `npm run bench -- projections`
    // (shutdown.openStreams), not a stopwatch here.
  });
});
