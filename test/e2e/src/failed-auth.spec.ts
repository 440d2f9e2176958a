import { createHash } from 'node:crypto';
import { RawClient, RawResponse } from './support/raw-client';
import { startServer, withServer, TOKENS } from './support/server';

/**
 * Issue 12 §5: the failed-authentication limit refuses failures only, and with TRUST_PROXY it
 * counts each client behind a reverse proxy by its forwarded address instead of the proxy's.
 * Each test speaks from its own loopback addresses, so no test inherits another's block.
 */
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const LIMIT = 20;

function ask(client: RawClient, token: string, forwardedFor?: string): Promise<RawResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
  return client.request({ method: 'GET', path: '/v1/audit/verify', headers });
}

async function failLimitTimes(client: RawClient, forwardedFor?: (n: number) => string): Promise<number[]> {
  const statuses: number[] = [];
  for (let n = 1; n <= LIMIT; n++) statuses.push((await ask(client, `guess-${n}`, forwardedFor?.(n))).status);
  return statuses;
}

describe('failed authentications, on the real server', () => {
  describe('with TRUST_PROXY unset (the API faces clients directly)', () => {
    const server = withServer();

    it('serves a valid token from a blocked address; wrong guesses from it stay refused with 429', async () => {
      const shared = new RawClient(server.baseUrl, '127.20.0.1');
      try {
        expect(await failLimitTimes(shared)).toEqual(Array(LIMIT).fill(401));
        const blocked = await ask(shared, 'guess-21');
        expect([blocked.status, blocked.contentType]).toEqual([
          429,
          expect.stringContaining('application/problem+json'),
        ]);
        // A colleague behind the same address signs in with a valid token: served.
        expect((await ask(shared, TOKENS.auditor)).status).toBe(200);
        expect((await ask(shared, TOKENS.admin)).status).toBe(200);
        // The valid request did not reset the count: the next failure is still refused with 429.
        const again = await ask(shared, 'guess-22');
        expect(again.status).toBe(429);
        expect(Number(again.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      } finally {
        shared.close();
      }
    });

    it('ignores X-Forwarded-For: a client cannot leave its bucket by naming other addresses', async () => {
      const liar = new RawClient(server.baseUrl, '127.20.0.2');
      try {
        expect(await failLimitTimes(liar, (n) => `198.51.100.${n}`)).toEqual(Array(LIMIT).fill(401));
        expect((await ask(liar, 'guess-21', '198.51.100.99')).status).toBe(429);
      } finally {
        liar.close();
      }
    });
  });

  describe('with TRUST_PROXY=loopback (behind a reverse proxy on this host)', () => {
    const server = withServer({ TRUST_PROXY: 'loopback' });

    it("counts clients by forwarded address: one client's failures block neither proxy nor other clients", async () => {
      // Every request arrives from the proxy (127.30.0.1); the client is in X-Forwarded-For.
      const proxy = new RawClient(server.baseUrl, '127.30.0.1');
      try {
        expect(await failLimitTimes(proxy, () => '203.0.113.7')).toEqual(Array(LIMIT).fill(401));
        expect((await ask(proxy, 'guess-21', '203.0.113.7')).status).toBe(429);
        // Another client behind the same proxy: its own bucket, so a wrong token is a plain 401.
        const other = await ask(proxy, 'typo', '203.0.113.8');
        expect([other.status, other.headers['www-authenticate']]).toEqual([401, 'Bearer realm="placement-api"']);
        expect((await ask(proxy, TOKENS.auditor, '203.0.113.8')).status).toBe(200);
        // The proxy's own address was never counted.
        expect((await ask(proxy, 'typo')).status).toBe(401);
        // And the blocked client's valid token is still served.
        expect((await ask(proxy, TOKENS.auditor, '203.0.113.7')).status).toBe(200);
      } finally {
        proxy.close();
      }
    });
  });

  describe('start-up', () => {
    const refusal = async (env: Record<string, string>): Promise<string> => {
      try {
        const server = await startServer(env);
        await server.close();
        return 'started';
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    };

    it('stops on a malformed REVOKED_TOKEN_SHA256 or API_TOKENS entry, naming its place, not its value', async () => {
      const revoked = await refusal({ REVOKED_TOKEN_SHA256: `${sha256('old')},dev-admin,${sha256('older')}` });
      expect(revoked).toContain('REVOKED_TOKEN_SHA256 entry 2 of 3 is not a SHA-256 digest');
      expect(revoked).not.toContain('dev-admin');
      const tokens = await refusal({
        API_TOKENS: JSON.stringify([
          { sha256: sha256('fine'), actorId: 'po-1', role: 'placement-officer' },
          { sha256: 'plain-secret-by-mistake', actorId: 'po-2', role: 'placement-officer' },
        ]),
      });
      expect(tokens).toContain('API_TOKENS entry 2 of 2: sha256 must be the SHA-256 digest of the token');
      expect(tokens).not.toContain('plain-secret');
    });

    it('refuses TRUST_PROXY=true (any client could choose its address) and a proxy list it cannot read', async () => {
      expect(await refusal({ TRUST_PROXY: 'true' })).toContain('TRUST_PROXY: true would trust every');
      expect(await refusal({ TRUST_PROXY: '10.0.0.1,not-an-address' })).toContain('TRUST_PROXY: entry 2 of 2');
    });
  });
});
