import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import type { TestServer } from '../support/server';
import { startBoard } from './server';

const CLIENT_ID = 'placement-board';
const CLIENT_SECRET = 'a-client-secret-for-the-test-only';
/** As registered with the provider; the fake provider sends the browser to the board's real address. */
const REDIRECT_URI = 'http://board.invalid/sign-in/callback';

interface Pending {
  nonce: string;
  challenge: string;
  redirectUri: string;
}

/**
 * A small OpenID provider on loopback: discovery, JWKS, an authorisation endpoint that signs the
 * person straight in, and a token endpoint that checks the client's secret, the code, the PKCE
 * verifier and the redirect URI before it signs an ID token with the claims the test chose.
 */
class FakeProvider {
  server!: Server;
  url = '';
  boardUrl = '';
  claims: Record<string, unknown> = {};
  private key!: KeyLike;
  private jwk!: Record<string, unknown>;
  private readonly codes = new Map<string, Pending>();

  async start(): Promise<void> {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    this.key = privateKey;
    this.jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, headers, body }) => {
        res.writeHead(status, headers);
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: unknown) => ({
      status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (url.pathname === '/.well-known/openid-configuration')
      return json(200, {
        issuer: this.url,
        authorization_endpoint: `${this.url}/authorize`,
        token_endpoint: `${this.url}/token`,
        jwks_uri: `${this.url}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        code_challenge_methods_supported: ['S256'],
      });
    if (url.pathname === '/jwks') return json(200, { keys: [this.jwk] });
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== CLIENT_ID || q.get('code_challenge_method') !== 'S256') return json(400, {});
      const code = randomBytes(12).toString('hex');
      this.codes.set(code, {
        nonce: q.get('nonce') ?? '',
        challenge: q.get('code_challenge') ?? '',
        redirectUri: q.get('redirect_uri') ?? '',
      });
      const back = new URL('/sign-in/callback', this.boardUrl);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      return { status: 302, headers: { location: back.toString() }, body: '' };
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(await read(req));
      const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
      const pending = this.codes.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (req.headers.authorization !== `Basic ${basic}` || !pending || pending.challenge !== challenge)
        return json(400, { error: 'invalid_grant' });
      if (form.get('redirect_uri') !== pending.redirectUri) return json(400, { error: 'invalid_grant' });
      this.codes.delete(form.get('code') ?? '');
      const idToken = await new SignJWT({ nonce: pending.nonce, ...this.claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(this.url)
        .setAudience(CLIENT_ID)
        .setSubject('staff-42')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(this.key);
      return json(200, { access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken });
    }
    return json(404, {});
  }
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => resolve(body));
  });
}

/** A browser's cookie jar of one: the board's session cookie. */
function sessionCookie(res: Response, previous?: string): string | undefined {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('board.sid='));
  return set ? set.split(';')[0] : previous;
}

describe('sign-in with the council identity provider (OpenID Connect, openid-client 5 under jest)', () => {
  const provider = new FakeProvider();
  let board: TestServer;
  beforeAll(async () => {
    await provider.start();
    board = await startBoard({
      OIDC_ISSUER: provider.url,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URI: REDIRECT_URI,
    });
    provider.boardUrl = board.baseUrl;
  });
  afterAll(async () => {
    await board?.close();
    await provider.close();
  });

  /** Follows the sign-in as a browser would, stopping at the board's answer to the callback. */
  async function signInThroughProvider(): Promise<{
    callback: Response;
    before: string | undefined;
    after: string | undefined;
  }> {
    const start = await fetch(`${board.baseUrl}/sign-in/oidc`, { redirect: 'manual' });
    expect(start.status).toBe(303);
    const before = sessionCookie(start);
    const authorize = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
    expect(authorize.status).toBe(302);
    const callback = await fetch(authorize.headers.get('location') ?? '', {
      redirect: 'manual',
      headers: before ? { cookie: before } : {},
    });
    return { callback, before, after: sessionCookie(callback, before) };
  }

  it('signs a placement officer in with the role from the claim, under a new session id', async () => {
    provider.claims = { roles: ['placement-officer'] };
    const { callback, before, after } = await signInThroughProvider();
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/referrals');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const page = await fetch(`${board.baseUrl}/referrals`, { headers: { cookie: after ?? '' }, redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Placement officer (staff-42)');
    // The session id from before the sign-in is worth nothing after it (no session fixation).
    const fixed = await fetch(`${board.baseUrl}/referrals`, { headers: { cookie: before ?? '' }, redirect: 'manual' });
    expect(fixed.status).toBe(303);
    expect(fixed.headers.get('location')).toBe('/sign-in');
  });

  it('refuses a sign-in whose ID token gives no single known role, and signs no one in', async () => {
    provider.claims = { roles: ['auditor', 'admin'] };
    const { callback, after } = await signInThroughProvider();
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain(
      'The identity provider must give exactly one of the roles in the roles claim',
    );
    const page = await fetch(`${board.baseUrl}/`, { headers: { cookie: after ?? '' }, redirect: 'manual' });
    expect(page.status).toBe(303);
  });

  it('refuses a callback whose state is not the one this browser was sent with', async () => {
    provider.claims = { roles: 'auditor' };
    const start = await fetch(`${board.baseUrl}/sign-in/oidc`, { redirect: 'manual' });
    const cookie = sessionCookie(start) ?? '';
    const authorize = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
    const forged = new URL(authorize.headers.get('location') ?? '');
    forged.searchParams.set('state', 'not-the-state');
    const callback = await fetch(forged, { redirect: 'manual', headers: { cookie } });
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain('The sign-in could not be completed.');
  });
});
