import { openSqliteEventStore } from '@placement/event-store';
import { aSetting } from '@placement/test-support';
import { eventually } from './support/eventually';

import { LogCapture, startServer, withServer, TestServer, TOKENS } from './support/server';

/*
 * Issue 17 §2: structured logs on the real server. Lines are pino JSON with an ISO time and
 * flat fields; each request has an id (the client's X-Request-Id when it is a UUID or hex,
 * else a fresh UUID), echoed in the response and on every line of the request; a command's
 * correlation id is on its lines and in its events' metadata.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('structured request logs', () => {
  const log = new LogCapture();
  const server = withServer({ LOG_LEVEL: 'log' }, { logger: log });

  const call = (method: string, route: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(`${server.baseUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const requestLines = (requestId: string) =>
    log.entries().filter((entry) => entry['requestId'] === requestId && entry['msg'] === 'request');
  /** The request line is written when the response finishes, which can be after fetch resolves. */
  const requestLine = async (requestId: string) => {
    const lines = await eventually(
      async () => requestLines(requestId),
      (found) => found.length > 0,
      `the request line of ${requestId}`,
    );
    expect(lines).toHaveLength(1);
    return lines[0];
  };

  it('generates a request id, echoes it, and writes one flat line with an ISO time for the request', async () => {
    const res = await call('GET', '/v1/settings/nowhere');
    expect(res.status).toBe(404);
    const requestId = res.headers.get('x-request-id') ?? '';
    expect(requestId).toMatch(UUID);
    const line = await requestLine(requestId);
    expect(line).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      pid: process.pid,
      hostname: expect.any(String),
      requestId,
      correlationId: requestId,
      msg: 'request',
      method: 'GET',
      route: '/v1/settings/:id',
      status: 404,
      ms: expect.any(Number),
    });
  });

  it('gives a request that matches no route an id and a line, with no route pattern and not its path', async () => {
    const res = await call('GET', '/v1/no-such-route/Ellie-Smith');
    expect(res.status).toBe(404);
    const line = await requestLine(res.headers.get('x-request-id') ?? '');
    expect(line).toMatchObject({ method: 'GET', route: '(no route)', status: 404 });
    expect(log.lines.join('\n')).not.toContain('Ellie-Smith');
  });

  it("keeps a client's UUID or hex X-Request-Id, and replaces one that could carry a name or a date", async () => {
    const given = '3f1c2b9d-8e11-4f7b-9a7a-0b7e8a527d0e';
    expect((await call('GET', '/health', { 'x-request-id': given })).headers.get('x-request-id')).toBe(given);
    const nginx = 'a3f9c0de51b24c7e9f0a1b2c3d4e5f60';
    expect((await call('GET', '/health', { 'x-request-id': nginx })).headers.get('x-request-id')).toBe(nginx);
    for (const unsafe of ['Ellie-Smith', '2011-09-23', 'f'.repeat(65), 'abc']) {
      const echoed = (await call('GET', '/health', { 'x-request-id': unsafe })).headers.get('x-request-id');
      expect(echoed).toMatch(UUID);
    }
    expect(log.lines.join('\n')).not.toMatch(/Ellie-Smith|2011-09-23|f{65}/);
  });

  it("puts a command's correlation id on its request line and in its events' metadata", async () => {
    const correlationId = 'c0ffee00-1111-4222-8333-444455556666';
    const given = await call(
      'POST',
      '/v1/settings',
      { 'x-correlation-id': correlationId },
      aSetting({ settingId: 'log-h1' }),
    );
    expect(given.status).toBe(201);
    expect(await requestLine(given.headers.get('x-request-id') ?? '')).toMatchObject({
      correlationId,
      method: 'POST',
      route: '/v1/settings',
      status: 201,
    });

    // Without the header the command is correlated by its request id.
    const plain = await call('POST', '/v1/settings', {}, aSetting({ settingId: 'log-h2' }));
    expect(plain.status).toBe(201);
    const requestId = plain.headers.get('x-request-id') ?? '';
    expect(await requestLine(requestId)).toMatchObject({ correlationId: requestId, status: 201 });

    const store = await openSqliteEventStore({ path: server.sqlitePath, readonly: true });
    try {
      const events = await store.readAll();
      const setting = (id: string) => events.find((e) => e.streamId === `setting-${id}`);
      expect(setting('log-h1')?.metadata.correlationId).toBe(correlationId);
      expect(setting('log-h2')?.metadata.correlationId).toBe(requestId);
    } finally {
      await store.close();
    }
  });

  it('logs a correlation id that could spell a name only as a digest', async () => {
    const res = await call(
      'POST',
      '/v1/settings',
      { 'x-correlation-id': 'Ellie.Smith' },
      aSetting({ settingId: 'log-h3' }),
    );
    expect(res.status).toBe(201);
    const line = await requestLine(res.headers.get('x-request-id') ?? '');
    expect(line['correlationId']).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(log.lines.join('\n')).not.toContain('Ellie.Smith');
  });

  it('gives even a request the body parser refuses an id and a line, without its body', async () => {
    const res = await fetch(`${server.baseUrl}/v1/settings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: '{"settingId": "Ellie Smith", ',
    });
    expect(res.status).toBe(400);
    const line = await requestLine(res.headers.get('x-request-id') ?? '');
    expect(line).toMatchObject({ method: 'POST', status: 400 });
    expect(log.lines.join('\n')).not.toContain('Ellie Smith');
  });

  it('writes only flat lines, never a header, a token or a body', () => {
    const entries = log.entries();
    expect(entries.length).toBeGreaterThan(10);
    for (const entry of entries) {
      const nested = Object.entries(entry).filter(([, value]) => value !== null && typeof value === 'object');
      // Start-up lines may carry a small summary object (projection checkpoints); request lines never.
      if (entry['requestId'] !== undefined) expect(nested).toEqual([]);
    }
    const text = log.lines.join('\n');
    expect(text).not.toMatch(/authorization|Bearer|dev-admin|"headers"|"body"/i);
  });
});

describe('two servers in one process', () => {
  /*
   * A restart in a test, or a bench beside the API, puts a second app in the process. Each app's
   * lines outside a request (Nest's start-up lines, the projection runner's) go to its own logger,
   * at its own LOG_LEVEL: nestjs-pino's own fallback is one logger per process, the first app's.
   */
  it("writes the second server's start-up lines to its own log, at its own level", async () => {
    const firstLog = new LogCapture();
    const first = await startServer({ LOG_LEVEL: 'warn' }, { logger: firstLog });
    const secondLog = new LogCapture();
    let second: TestServer | undefined;
    try {
      second = await startServer({ LOG_LEVEL: 'log' }, { logger: secondLog });
      const started = (log: LogCapture) =>
        log.entries().filter((e) => e['msg'] === 'Nest application successfully started');
      expect(started(secondLog)).toEqual([
        expect.objectContaining({ level: 'info', context: 'NestApplication', time: expect.any(String) }),
      ]);
      expect(firstLog.lines).toEqual([]);
    } finally {
      await second?.close();
      await first.close();
    }
  });
});
