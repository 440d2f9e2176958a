import { TestClock } from './support/clock';
import { createHash } from 'node:crypto';
import { exhaustive } from '@placement/domain';
import { EventStore, openSqliteEventStore } from '@placement/event-store';
import { COMMAND_SAMPLES, commandFixture, FIXTURE } from './support/command-bodies';
import { expectCreated, homeWithResidents } from './support/fixtures';
import { json, RawClient, RawResponse } from './support/raw-client';
import { fillPath, RegisteredRoute, registeredRoutes, routeKey } from './support/routes';
import { startServer, TestServer, TOKENS } from './support/server';

/**
 * Issue 9, item 4: every route × every kind of caller against the real server. Tokens that
 * expired or were revoked are configured the way production configures them (API_TOKENS,
 * REVOKED_TOKEN_SHA256); the demo tokens stand for the officer, auditor and admin.
 */
type Role = 'placement-officer' | 'residential-manager' | 'auditor' | 'admin';
const PRINCIPALS = [
  'no token',
  'wrong token',
  'expired token',
  'revoked token',
  'placement-officer',
  'residential-manager (own setting)',
  'residential-manager (other setting)',
  'auditor',
  'admin',
] as const;
type Principal = (typeof PRINCIPALS)[number];
type Expected = 401 | 403 | 404 | 'allowed';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const SECRET = {
  expired: 'tok-expired-7c1f9e2b4d',
  revoked: 'tok-revoked-5a8e3c0f91',
  manager: 'tok-manager-2e6b9d4a17',
  expiring: 'tok-expiring-9f3a1c7e55',
};
const EXPIRING_MS = 2_500;

const ANY_ROLE: Role[] = ['placement-officer', 'residential-manager', 'auditor', 'admin'];
const OTHER = { home: FIXTURE.otherHome, resident: 'fz-res-o', stepDown: 'sd-fz-o' } as const;

interface Policy {
  /** No token needed: every caller is let in. */
  public?: true;
  roles?: Role[];
  params?: Record<string, string>;
  body?: () => Record<string, unknown>;
  /**
   * How a residential manager's request reaches a setting they do not keep: refused with 403, or
   * with 404 where the route reads a child outside their homes (need to know: the answer does not
   * confirm that the child exists).
   */
  otherSetting?: {
    params?: Record<string, string>;
    body?: () => Record<string, unknown>;
    expect?: 404;
    query?: string;
  };
  query?: string;
}

const sample = (key: string) => COMMAND_SAMPLES[key];
const command = (key: string, roles: Role[], otherSetting?: Policy['otherSetting']): Policy => ({
  roles,
  params: sample(key).params,
  body: sample(key).body,
  otherSetting,
});

/** The expected access of every route the app registers. A route missing here fails the first test. */
const POLICY: Record<string, Policy> = {
  'GET /health': { public: true },
  'GET /health/live': { public: true },
  'GET /health/ready': { public: true },
  'GET /v1/settings/:id': { roles: ANY_ROLE, params: { id: FIXTURE.home } },
  // Diaries are reads of the unit's bookings, like GET /v1/settings/:id: any signed-in role.
  'GET /v1/settings/:id/diary': {
    roles: ANY_ROLE,
    params: { id: FIXTURE.home },
    query: '?from=2026-12-01&to=2026-12-07',
  },
  'GET /v1/foster-households/:id/diary': {
    roles: ANY_ROLE,
    params: { id: FIXTURE.household },
    query: '?from=2026-12-01&to=2026-12-07',
  },
  'POST /v1/settings': command('POST /v1/settings', ['admin']),
  'POST /v1/settings/:id/beds': command('POST /v1/settings/:id/beds', ['admin', 'residential-manager'], {
    params: { id: OTHER.home },
  }),
  'POST /v1/settings/:id/beds/:bedId/out-of-use': command(
    'POST /v1/settings/:id/beds/:bedId/out-of-use',
    ['admin', 'residential-manager'],
    { params: { id: OTHER.home, bedId: 'b2' } },
  ),
  'POST /v1/settings/:id/beds/:bedId/back-in-use': command(
    'POST /v1/settings/:id/beds/:bedId/back-in-use',
    ['admin', 'residential-manager'],
    { params: { id: OTHER.home, bedId: 'b2' } },
  ),
  'POST /v1/foster-households': command('POST /v1/foster-households', ['admin']),
  'POST /v1/block-bookings': command('POST /v1/block-bookings', ['admin']),
  'POST /v1/referrals': command('POST /v1/referrals', ['placement-officer', 'admin']),
  'POST /v1/referrals/:id/holds': command('POST /v1/referrals/:id/holds', ['placement-officer', 'admin']),
  'POST /v1/referrals/:id/matching-meetings': command(
    'POST /v1/referrals/:id/matching-meetings',
    ['placement-officer', 'residential-manager', 'admin'],
    {
      body: () => ({
        ...sample('POST /v1/referrals/:id/matching-meetings').body(),
        meetingId: 'm-other',
        unitConsidered: { kind: 'setting', settingId: OTHER.home },
      }),
    },
  ),
  // Need to know: a manager reads the children of their own homes (the resident), not another home's.
  'GET /v1/referrals/:id': {
    roles: ANY_ROLE,
    params: { id: `r-${FIXTURE.resident}` },
    otherSetting: { params: { id: `r-${OTHER.resident}` }, expect: 404 },
  },
  'GET /v1/children/:id': {
    roles: ANY_ROLE,
    params: { id: FIXTURE.resident },
    otherSetting: { params: { id: OTHER.resident }, expect: 404 },
  },
  'POST /v1/children/:id/details': command('POST /v1/children/:id/details', ['placement-officer', 'admin']),
  'POST /v1/placements': command('POST /v1/placements', ['placement-officer', 'admin']),
  'POST /v1/placements/:id/end': {
    ...command('POST /v1/placements/:id/end', ['placement-officer', 'admin']),
    params: { id: 'p-not-made' },
  },
  'POST /v1/placements/:id/end/revise': {
    ...command('POST /v1/placements/:id/end/revise', ['placement-officer', 'admin']),
    params: { id: 'p-not-made' },
  },
  'POST /v1/placements/:id/end/withdraw': {
    ...command('POST /v1/placements/:id/end/withdraw', ['placement-officer', 'admin']),
    params: { id: 'p-not-made' },
  },
  'POST /v1/step-downs': command('POST /v1/step-downs', ['residential-manager', 'placement-officer', 'admin'], {
    body: () => ({ ...sample('POST /v1/step-downs').body(), stepDownId: 'sd-other-2', childId: OTHER.resident }),
  }),
  'POST /v1/step-downs/:id/milestones': command(
    'POST /v1/step-downs/:id/milestones',
    ['residential-manager', 'placement-officer', 'admin'],
    { params: { id: OTHER.stepDown } },
  ),
  'POST /v1/step-downs/:id/complete': command(
    'POST /v1/step-downs/:id/complete',
    ['residential-manager', 'placement-officer', 'admin'],
    { params: { id: OTHER.stepDown } },
  ),
  'POST /v1/step-downs/:id/abandon': command(
    'POST /v1/step-downs/:id/abandon',
    ['residential-manager', 'placement-officer', 'admin'],
    { params: { id: OTHER.stepDown } },
  ),
  // Issue 14 §2: the placement team's commands on referrals and children; admin's on the estate. Auditors never write.
  'POST /v1/referrals/:id/holds/release': command('POST /v1/referrals/:id/holds/release', [
    'placement-officer',
    'admin',
  ]),
  'POST /v1/referrals/:id/withdraw': command('POST /v1/referrals/:id/withdraw', ['placement-officer', 'admin']),
  'POST /v1/referrals/:id/needs': command('POST /v1/referrals/:id/needs', ['placement-officer', 'admin']),
  'POST /v1/children/:id/legal-status': command('POST /v1/children/:id/legal-status', ['placement-officer', 'admin']),
  // Issue 14 §4: a care leaver's accommodation is the placement team's record.
  'POST /v1/children/:id/care-leaver': command('POST /v1/children/:id/care-leaver', ['placement-officer', 'admin']),
  'POST /v1/foster-households/:id/suspend': command('POST /v1/foster-households/:id/suspend', ['admin']),
  'POST /v1/foster-households/:id/reinstate': command('POST /v1/foster-households/:id/reinstate', ['admin']),
  'POST /v1/foster-households/:id/terms': command('POST /v1/foster-households/:id/terms', ['admin']),
  'POST /v1/foster-households/:id/resign': command('POST /v1/foster-households/:id/resign', ['admin']),
  'POST /v1/settings/:id/registration': command('POST /v1/settings/:id/registration', ['admin']),
  'POST /v1/settings/:id/close': command('POST /v1/settings/:id/close', ['admin']),
  'POST /v1/block-bookings/:id/end': command('POST /v1/block-bookings/:id/end', ['admin']),
  // Issue 14 §6: the estate's keepers record members and statements; managers do not keep households.
  'POST /v1/foster-households/:id/members': command('POST /v1/foster-households/:id/members', ['admin']),
  'POST /v1/settings/:id/statement-of-purpose': command('POST /v1/settings/:id/statement-of-purpose', ['admin']),
  'GET /v1/audit/children/:childId': {
    roles: ['auditor', 'admin', 'placement-officer'],
    params: { childId: FIXTURE.child },
  },
  'GET /v1/audit/referrals/:referralId': {
    roles: ['auditor', 'admin', 'placement-officer'],
    params: { referralId: FIXTURE.referral },
  },
  'GET /v1/audit/beds/:settingId/:bedId': {
    roles: ANY_ROLE,
    params: { settingId: FIXTURE.home, bedId: 'b1' },
    otherSetting: { params: { settingId: OTHER.home, bedId: 'b1' } },
  },
  'GET /v1/audit/verify': { roles: ['auditor', 'admin'] },
  // Who read a child's record: oversight, so auditors only (admins are among those it watches).
  'GET /v1/audit/access': { roles: ['auditor'], query: `?childId=${FIXTURE.resident}` },
  'GET /v1/referrals/:id/matches': {
    roles: ANY_ROLE,
    params: { id: `r-${FIXTURE.resident}` },
    query: '?detail=summary&limit=5',
    otherSetting: { params: { id: `r-${OTHER.resident}` }, expect: 404 },
  },
  'POST /v1/referrals/:id/matches/proposals': command('POST /v1/referrals/:id/matches/proposals', [
    'placement-officer',
    'admin',
  ]),
  // DESIGN §7 reads not yet built when this table was written: any signed-in role, as reads are by default.
  'GET /v1/capacity': { roles: ANY_ROLE },
  'GET /v1/capacity/stream': { roles: ANY_ROLE },
  'GET /v1/block-bookings/utilisation': { roles: ANY_ROLE, query: '?from=2026-01-01&to=2026-12-31' },
  'GET /v1/sufficiency/trends': { roles: ANY_ROLE, query: '?months=12' },
  // Lists and records (Issue 14 §1): every role reads; a manager's lists are limited to their homes, and a
  // manager who names another home's setting in a filter is refused.
  'GET /v1/referrals': { roles: ANY_ROLE, query: '?status=open&urgency=planned&limit=5' },
  'GET /v1/placements': {
    roles: ANY_ROLE,
    query: `?open=true&settingId=${FIXTURE.home}`,
    otherSetting: { query: `?open=true&settingId=${OTHER.home}` },
  },
  'GET /v1/step-downs': { roles: ANY_ROLE, query: '?status=planned' },
  'GET /v1/settings': { roles: ANY_ROLE, query: '?limit=10' },
  'GET /v1/foster-households': { roles: ANY_ROLE, query: '?status=approved' },
  'GET /v1/foster-households/:id': { roles: ANY_ROLE, params: { id: FIXTURE.household } },
  'GET /v1/block-bookings': { roles: ANY_ROLE, query: '?limit=10' },
  'GET /v1/block-bookings/:id': { roles: ANY_ROLE, params: { id: 'fz-contract' } },
  'GET /v1/children': {
    roles: ANY_ROLE,
    query: `?settingId=${FIXTURE.home}`,
    otherSetting: { query: `?settingId=${OTHER.home}` },
  },
  // Work queues (Issue 14 §3): every role reads; a manager's queue holds their homes and the children known
  // to them, and a manager who names another home's setting in a filter is refused.
  'GET /v1/alerts': {
    roles: ANY_ROLE,
    query: `?settingId=${FIXTURE.home}&rule=NO_OPEN_PLACEMENT&limit=5`,
    otherSetting: { query: `?settingId=${OTHER.home}` },
  },
  'GET /v1/alerts/stream': { roles: ANY_ROLE },
  'GET /v1/exports/ssda903/episodes.csv': { roles: ['auditor', 'admin'], query: '?year=2026' },
  'GET /v1/exports/ssda903/header.csv': { roles: ['auditor', 'admin'], query: '?year=2026' },
  'GET /v1/exports/ssda903/report': { roles: ['auditor', 'admin'], query: '?year=2026' },
};

/**
 * The placement board's routes (libs/web) authenticate by session cookie, never by bearer token:
 * `open` answers anyone (sign-in, the board's assets); a `page` sends a caller with no session to
 * the sign-in page, whatever token it carries; a `form` refuses a POST without the session's CSRF
 * token (403) and writes nothing; `not-found` is the catch-all answering every other path with 404.
 */
type BoardAccess = 'open' | 'page' | 'form' | 'not-found';
const BOARD_PARAMS = {
  id: 'ref-none',
  settingId: FIXTURE.home,
  bedId: 'b1',
  childId: OTHER.resident,
  file: 'favicon.svg',
};
const BOARD: Record<string, BoardAccess> = {
  'GET /sign-in': 'open',
  'GET /sign-in/oidc': 'open',
  'GET /sign-in/callback': 'open',
  'GET /assets/board.css': 'open',
  'GET /assets/board.js': 'open',
  'GET /assets/govuk-frontend.min.js': 'open',
  'GET /assets/images/:file': 'open',
  'GET /assets/manifest.json': 'open',
  'POST /sign-in': 'form',
  'POST /sign-out': 'form',
  'GET /': 'page',
  'GET /capacity/stream': 'page',
  'GET /work-queue': 'page',
  'GET /work-queue/': 'page',
  'GET /referrals': 'page',
  'GET /referrals/': 'page',
  'GET /referrals/:id': 'page',
  'GET /referrals/:id/matches': 'page',
  'GET /referrals/:id/meeting': 'page',
  'GET /referrals/:id/placement': 'page',
  'POST /referrals/:id/holds': 'form',
  'POST /referrals/:id/meeting': 'form',
  'POST /referrals/:id/placement': 'form',
  'GET /homes': 'page',
  'GET /homes/:settingId': 'page',
  'GET /homes/:settingId/diary': 'page',
  'POST /homes/:settingId/beds/:bedId/out-of-use': 'form',
  'POST /homes/:settingId/beds/:bedId/back-in-use': 'form',
  'GET /step-downs/new': 'page',
  'GET /step-downs/:id': 'page',
  'POST /step-downs': 'form',
  'POST /step-downs/:id/milestones': 'form',
  'POST /step-downs/:id/complete': 'form',
  'GET /audit': 'page',
  'GET /audit/': 'page',
  'GET /audit/children': 'page',
  'GET /audit/children/:childId': 'page',
  'GET /audit/verify': 'page',
  'GET /audit/access': 'page',
  'GET /audit/ssda903/episodes.csv': 'page',
  'GET /sufficiency': 'page',
  'GET /sufficiency/': 'page',
};
/** The methods the catch-all is sent here; Express registers it for every method it knows. */
const CATCH_ALL_SENT = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function boardAccessOf(route: RegisteredRoute): BoardAccess | undefined {
  if (route.path === '/{*path}') return 'not-found';
  return BOARD[routeKey(route)];
}

/** Swagger's pages and documents are public by design (DESIGN §7: GET /docs). */
function policyOf(route: RegisteredRoute): Policy | undefined {
  if (
    route.method === 'GET' &&
    (route.path === '/docs' || route.path.startsWith('/docs/') || route.path.startsWith('/docs-'))
  )
    return { public: true };
  return POLICY[routeKey(route)];
}

function roleOf(principal: Principal): Role | null {
  switch (principal) {
    case 'placement-officer':
    case 'auditor':
    case 'admin':
      return principal;
    case 'residential-manager (own setting)':
    case 'residential-manager (other setting)':
      return 'residential-manager';
    case 'no token':
    case 'wrong token':
    case 'expired token':
    case 'revoked token':
      return null;
    default:
      return exhaustive(principal);
  }
}

function expected(policy: Policy, principal: Principal): Expected {
  if (policy.public) return 'allowed';
  const role = roleOf(principal);
  if (role === null) return 401;
  if (!(policy.roles ?? ANY_ROLE).includes(role)) return 403;
  if (principal === 'residential-manager (other setting)' && policy.otherSetting)
    return policy.otherSetting.expect ?? 403;
  return 'allowed';
}

function tokenOf(principal: Principal): string | undefined {
  switch (principal) {
    case 'no token':
      return undefined;
    case 'wrong token':
      return 'dev-admin-but-not-quite';
    case 'expired token':
      return SECRET.expired;
    case 'revoked token':
      return SECRET.revoked;
    case 'placement-officer':
      return TOKENS.placement;
    case 'residential-manager (own setting)':
    case 'residential-manager (other setting)':
      return SECRET.manager;
    case 'auditor':
      return TOKENS.auditor;
    case 'admin':
      return TOKENS.admin;
    default:
      return exhaustive(principal);
  }
}

function outcome(res: RawResponse, want: Expected): Expected | 'other' {
  if (res.status === 401 || res.status === 403) return res.status;
  if (want === 404 && res.status === 404) return 404;
  // Allowed: past authentication and authorisation; a domain 4xx is still allowed, a 5xx or 429 is not.
  return res.status < 500 && res.status !== 429 ? 'allowed' : 'other';
}

describe('access: every route × every kind of caller, on the real server', () => {
  let server: TestServer;
  let store: EventStore;
  let client: RawClient;
  let addresses = 0;
  /**
   * Each failing caller speaks from its own loopback address, so the failed-authentication limit (tested below)
   * never trips here.
   */
  const freshClient = () => {
    addresses += 1;
    return new RawClient(server.baseUrl, `127.1.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`);
  };

  beforeAll(async () => {
    // Token expiry is judged by the server's clock, so the expired token is dated by it too.
    const clock = new TestClock();
    server = await startServer(
      {
        API_TOKENS: JSON.stringify([
          {
            sha256: sha256(SECRET.expired),
            actorId: 'expired-officer',
            role: 'placement-officer',
            expiresAt: clock.inMs(-60_000),
          },
          { sha256: sha256(SECRET.revoked), actorId: 'revoked-admin', role: 'admin' },
          {
            sha256: sha256(SECRET.manager),
            actorId: 'manager-fz',
            role: 'residential-manager',
            settingIds: [FIXTURE.home],
          },
        ]),
        REVOKED_TOKEN_SHA256: `${sha256('some-older-token')},${sha256(SECRET.revoked)}`,
      },
      { clock },
    );
    await commandFixture(server);
    await homeWithResidents(server, OTHER.home, 2, [OTHER.resident]);
    await expectCreated(server, '/v1/step-downs', TOKENS.admin, {
      ...sample('POST /v1/step-downs').body(),
      stepDownId: OTHER.stepDown,
      childId: OTHER.resident,
    });
    store = await openSqliteEventStore({ path: server.sqlitePath, readonly: true });
    client = new RawClient(server.baseUrl);
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await store?.close();
    await server?.close();
  });

  it('knows the expected access of every route the app registers', () => {
    const unclassified = registeredRoutes(server.app)
      .filter((r) => !policyOf(r) && !boardAccessOf(r))
      .map(routeKey);
    expect(unclassified).toEqual([]);
  });

  it('gives every cell of the matrix its expected answer; denied callers and auditors write nothing', async () => {
    const routes = registeredRoutes(server.app).filter((r) => policyOf(r));
    const mismatches: string[] = [];
    let cells = 0;
    for (const route of routes) {
      const policy = policyOf(route) as Policy;
      for (const principal of PRINCIPALS) {
        const other = principal === 'residential-manager (other setting)' ? policy.otherSetting : undefined;
        const path =
          fillPath(route.path, { ...policy.params, ...other?.params }) + (other?.query ?? policy.query ?? '');
        const bodyOf = other?.body ?? policy.body;
        const token = tokenOf(principal);
        const headers: Record<string, string> = {};
        if (token) headers['authorization'] = `Bearer ${token}`;
        if (route.method === 'POST') headers['content-type'] = 'application/json';
        const want = expected(policy, principal);
        const caller = want === 401 ? freshClient() : client;
        const before = await store.headPosition();
        const res = await caller.request({
          method: route.method,
          path,
          headers,
          body: route.method === 'POST' ? JSON.stringify(bodyOf ? bodyOf() : {}) : undefined,
          headersOnly: route.method === 'GET',
        });
        if (caller !== client) caller.close();
        cells += 1;
        const got = outcome(res, want);
        if (got !== want) mismatches.push(`${routeKey(route)} as ${principal}: expected ${want}, got ${res.status}`);
        if ((want !== 'allowed' || principal === 'auditor') && (await store.headPosition()) !== before)
          mismatches.push(`${routeKey(route)} as ${principal}: an event was written`);
      }
    }
    process.stdout.write(`access matrix: ${routes.length} routes × ${PRINCIPALS.length} callers = ${cells} cells\n`);
    expect(mismatches).toEqual([]);
    expect(cells).toBe(routes.length * PRINCIPALS.length);
  }, 120_000);

  it("opens none of the board's pages or forms with a bearer token: the board needs its own session", async () => {
    const routes = registeredRoutes(server.app).filter(
      (r) => boardAccessOf(r) && (r.path !== '/{*path}' || CATCH_ALL_SENT.includes(r.method)),
    );
    const seen = new Set<string>();
    const mismatches: string[] = [];
    for (const route of routes) {
      const access = boardAccessOf(route) as BoardAccess;
      const path = route.path === '/{*path}' ? '/no-such-page' : fillPath(route.path, BOARD_PARAMS);
      if (seen.has(`${route.method} ${path}`)) continue; // middleware layers repeat a route
      seen.add(`${route.method} ${path}`);
      for (const principal of PRINCIPALS) {
        const token = tokenOf(principal);
        const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
        if (token) headers['authorization'] = `Bearer ${token}`;
        const before = await store.headPosition();
        const res = await client.request({
          method: route.method,
          path,
          headers,
          body: route.method === 'GET' ? undefined : 'settingId=x&bedId=b1&role=admin',
          headersOnly: route.method === 'GET',
        });
        const ok = {
          // Answered without a session (OpenID Connect's steps send a board without it back to sign-in).
          open: res.status < 500 && res.status !== 401,
          page: res.status === 303 && res.headers.location === '/sign-in',
          form: res.status === 403,
          'not-found': res.status === 404,
        }[access];
        const got = `HTTP ${res.status}${res.headers.location ? ` to ${res.headers.location}` : ''}`;
        if (!ok) mismatches.push(`${route.method} ${path} as ${principal}: expected ${access}, got ${got}`);
        if ((await store.headPosition()) !== before) mismatches.push(`${route.method} ${path}: an event was written`);
      }
    }
    expect(mismatches).toEqual([]);
    // Every route listed above is one the app registers: none is stale.
    const registered = new Set(routes.map(routeKey));
    expect(Object.keys(BOARD).filter((key) => !registered.has(key))).toEqual([]);
  }, 120_000);

  it('says why a token was refused: expired and revoked are told apart from unknown', async () => {
    const detail = async (token: string) => {
      const c = freshClient();
      try {
        return json<{ status: number; detail: string }>(
          await c.request({ method: 'GET', path: '/v1/children/x', headers: { authorization: `Bearer ${token}` } }),
        );
      } finally {
        c.close();
      }
    };
    expect(await detail(SECRET.expired)).toMatchObject({ status: 401, detail: 'The token is expired' });
    expect(await detail(SECRET.revoked)).toMatchObject({ status: 401, detail: 'The token is revoked' });
    expect(await detail('nope')).toMatchObject({ status: 401, detail: 'The token is not recognised' });
    const stranger = freshClient();
    const challenge = await stranger.request({ method: 'GET', path: '/v1/audit/verify' });
    stranger.close();
    expect(challenge.headers['www-authenticate']).toBe('Bearer realm="placement-api"');
    expect(
      (
        await client.request({
          method: 'GET',
          path: '/v1/audit/verify',
          headers: { authorization: `Bearer ${TOKENS.auditor}` },
        })
      ).headers['www-authenticate'],
    ).toBeUndefined();
    for (const header of [
      `Basic ${Buffer.from('admin:admin').toString('base64')}`,
      'Bearer',
      `Bearer ${TOKENS.admin} extra`,
      `Bearer ${'x'.repeat(600)}`,
      `${TOKENS.admin}`,
    ]) {
      const c = freshClient();
      const res = await c.request({ method: 'GET', path: '/v1/audit/verify', headers: { authorization: header } });
      c.close();
      expect([header.slice(0, 20), res.status]).toEqual([header.slice(0, 20), 401]);
    }
  });

  it('stops accepting a token the moment it expires', async () => {
    // A second server whose admin token lives 2.5 s of its clock: accepted before, refused after.
    const clock = new TestClock();
    const short = await startServer(
      {
        API_TOKENS: JSON.stringify([
          {
            sha256: sha256(SECRET.expiring),
            actorId: 'expiring-admin',
            role: 'admin',
            expiresAt: clock.inMs(EXPIRING_MS),
          },
        ]),
      },
      { clock },
    );
    const c = new RawClient(short.baseUrl);
    try {
      const ask = () =>
        c.request({ method: 'GET', path: '/v1/audit/verify', headers: { authorization: `Bearer ${SECRET.expiring}` } });
      expect((await ask()).status).toBe(200);
      clock.advance(EXPIRING_MS);
      expect((await ask()).status).toBe(401);
    } finally {
      c.close();
      await short.close();
    }
  });

  it('answers the 21st failed authentication in a minute from one client: 429; valid tokens still served', async () => {
    const attacker = new RawClient(server.baseUrl, '127.9.0.1');
    const colleague = new RawClient(server.baseUrl, '127.9.0.2');
    try {
      const guess = (c: RawClient, n: number) =>
        c.request({ method: 'GET', path: '/v1/children/x', headers: { authorization: `Bearer guess-${n}` } });
      const first20 = [];
      for (let n = 1; n <= 20; n++) first20.push((await guess(attacker, n)).status);
      expect(first20).toEqual(Array(20).fill(401));
      const blocked = await guess(attacker, 21);
      expect(blocked.status).toBe(429);
      expect(blocked.contentType).toContain('application/problem+json');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
      // The limit applies to failures only: a valid token from the blocked address (a colleague behind the same
      // address) is served, while the next wrong guess from it is still refused with 429.
      expect(
        (
          await attacker.request({
            method: 'GET',
            path: `/v1/children/${FIXTURE.child}`,
            headers: { authorization: `Bearer ${TOKENS.auditor}` },
          })
        ).status,
      ).toBe(200);
      expect((await guess(attacker, 22)).status).toBe(429);
      expect(
        (
          await colleague.request({
            method: 'GET',
            path: `/v1/children/${FIXTURE.child}`,
            headers: { authorization: `Bearer ${TOKENS.auditor}` },
          })
        ).status,
      ).toBe(200);
      expect((await guess(colleague, 1)).status).toBe(401);
      // Public routes stay open to the blocked client (health checks from the same host keep working).
      expect((await attacker.request({ method: 'GET', path: '/health' })).status).toBe(200);
    } finally {
      attacker.close();
      colleague.close();
    }
  });

  it('sends helmet security headers on answers of every kind, and no x-powered-by', async () => {
    const answers = [
      await client.request({ method: 'GET', path: '/health' }),
      await client.request({
        method: 'GET',
        path: `/v1/children/${FIXTURE.child}`,
        headers: { authorization: `Bearer ${TOKENS.auditor}` },
      }),
      await (async () => {
        const stranger = freshClient();
        const res = await stranger.request({ method: 'GET', path: '/v1/children/x' });
        stranger.close();
        return res;
      })(),
      await client.request({
        method: 'POST',
        path: '/v1/settings',
        headers: { authorization: `Bearer ${TOKENS.auditor}`, 'content-type': 'application/json' },
        body: '{}',
      }),
      await client.request({
        method: 'POST',
        path: '/v1/settings',
        headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
        body: '{',
      }),
      await client.request({
        method: 'GET',
        path: '/no/such/route',
        headers: { authorization: `Bearer ${TOKENS.admin}` },
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 403, 400, 404]);
    for (const a of answers) {
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['content-security-policy']).toContain("default-src 'self'");
      expect(a.headers['strict-transport-security']).toBeDefined();
      expect(a.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(a.headers['x-powered-by']).toBeUndefined();
    }
  });
});
