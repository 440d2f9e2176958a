import http from 'node:http';
import { openSqliteEventStore } from '@placement/event-store';
import { aPlacement } from '@placement/test-support';
import { RawClient, type RawResponse } from './support/raw-client';

import { startServer, TestServer, TOKENS } from './support/server';
import type { Problem } from './support/bodies';

/*
 * Every refusal is an RFC 9457 problem whose `instance` names the request it answers, the
 * ones body parsing sends before Nest routes (invalid JSON, too large, an unsupported media
 * type) as much as the validation and rule errors after it. A body that is not JSON is 415.
 */
const MAX_BODY_BYTES = 4096;
const PATH = '/v1/placements';
const AUTH = { authorization: `Bearer ${TOKENS.placement}` };
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' };

function problemOf(res: RawResponse): Problem {
  expect(res.contentType).toContain('application/problem+json');
  const problem = JSON.parse(res.text) as Problem;
  expect(problem).toEqual(expect.objectContaining({ status: res.status, instance: PATH }));
  expect(typeof problem.type).toBe('string');
  expect(typeof problem.title).toBe('string');
  return problem;
}

function chunkedPost(server: TestServer, body: string): Promise<RawResponse> {
  const url = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: PATH,
        headers: { ...JSON_HEADERS, 'transfer-encoding': 'chunked' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 1024) req.write(body.slice(i, i + 1024));
    req.end();
  });
}

describe('problem bodies', () => {
  let server: TestServer;
  let client: RawClient;
  let head: bigint;

  async function headPosition(): Promise<bigint> {
    const store = await openSqliteEventStore({ path: server.sqlitePath, readonly: true });
    try {
      return await store.headPosition();
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    server = await startServer({ MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
    client = new RawClient(server.baseUrl);
  });
  beforeEach(async () => {
    head = await headPosition();
  });
  afterEach(async () => {
    expect(await headPosition()).toBe(head);
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  const placement = JSON.stringify(
    aPlacement({ placementId: 'p1', childId: 'dan', referralId: 'r-dan', settingId: 'yew', bedId: 'b1' }),
  );

  it('a text/plain body is 415, even when its text is JSON', async () => {
    const res = await client.request({
      method: 'POST',
      path: PATH,
      headers: { ...AUTH, 'content-type': 'text/plain' },
      body: placement,
    });
    expect(res.status).toBe(415);
    expect(problemOf(res).detail).toMatch(/application\/json/);
  });

  it('a body with no content type is 415', async () => {
    const res = await client.request({ method: 'POST', path: PATH, headers: AUTH, body: placement });
    expect(res.status).toBe(415);
    problemOf(res);
  });

  it('invalid JSON is 400 with its instance', async () => {
    const res = await client.request({ method: 'POST', path: PATH, headers: JSON_HEADERS, body: '{"placementId":' });
    expect(res.status).toBe(400);
    problemOf(res);
  });

  it('a body over the limit is 413 with its instance, declared or not', async () => {
    const declared = await client.request({
      method: 'POST',
      path: PATH,
      headers: JSON_HEADERS,
      body: JSON.stringify({ placementId: 'x'.repeat(MAX_BODY_BYTES) }),
    });
    expect(declared.status).toBe(413);
    problemOf(declared);
    // Chunked, so no length is declared: body-parser counts the bytes as they come.
    const chunked = await chunkedPost(server, JSON.stringify({ placementId: 'x'.repeat(MAX_BODY_BYTES) }));
    expect(chunked.status).toBe(413);
    problemOf(chunked);
  });

  it('a prototype key and a body nested too deep are 400 with their instance', async () => {
    const polluted = await client.request({
      method: 'POST',
      path: PATH,
      headers: JSON_HEADERS,
      body: '{"__proto__": {"admin": true}}',
    });
    expect(polluted.status).toBe(400);
    problemOf(polluted);
    const deep = await client.request({
      method: 'POST',
      path: PATH,
      headers: JSON_HEADERS,
      body: '['.repeat(40) + ']'.repeat(40),
    });
    expect(deep.status).toBe(400);
    problemOf(deep);
  });

  it('a validation error after parsing keeps its instance (the query string left out)', async () => {
    const res = await client.request({ method: 'POST', path: `${PATH}?x=1`, headers: JSON_HEADERS, body: '{}' });
    expect(res.status).toBe(400);
    problemOf(res);
  });
});
