import { createHash } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteEventStore } from '@placement/event-store';
import { aHousehold } from '@placement/test-support';
import { expectCreated, homeWithResidents } from './support/fixtures';
import { api, startServer, TestServer, TOKENS } from './support/server';
import type { Problem } from './support/bodies';

/**
 * Issue 12 §5, the access log, on the real server: every read of a child's record (the child,
 * the audit timeline, the SSDA903 files) is recorded — who, which role, when, which route,
 * which child — in an append-only, hash-chained file of its own, and auditors ask it
 * "who has looked at this child's record" with GET /v1/audit/access.
 */
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const MANAGER = 'tok-al-manager-7d21c4e8a9';
const HOME = 'al-home';
const OTHER = 'al-other';

interface Entry {
  seq: number;
  at: string;
  actorId: string;
  role: string;
  route: string;
  childId: string;
  outcome: 'read' | 'refused';
  prevHash: string | null;
  hash: string;
}
interface Page {
  entries: Entry[];
  next: string | null;
}

describe('the access log: who read which child’s record, on the real server', () => {
  let server: TestServer;
  let accessLogPath: string;
  const get = <T = unknown>(route: string, token: string) => api<T>(server, 'GET', route, { token });
  const access = (query: string) => get<Page>(`/v1/audit/access${query}`, TOKENS.auditor);
  const countEntries = () => {
    const db = new Database(accessLogPath, { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM access_log').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    server = await startServer({
      API_TOKENS: JSON.stringify([
        { sha256: sha256(MANAGER), actorId: 'al-manager', role: 'residential-manager', settingIds: [HOME] },
      ]),
    });
    accessLogPath = path.join(server.dir, 'access-log.db');
    await homeWithResidents(server, HOME, 3, ['al-ann', 'al-bea']);
    await homeWithResidents(server, OTHER, 2, ['al-cat']);
  }, 120_000);

  afterAll(() => server?.close());

  it('records each read of a child’s record before answering, in its own file beside the event log', async () => {
    const before = server.clock.now().toISOString();
    expect((await get('/v1/children/al-ann', TOKENS.placement)).status).toBe(200);
    expect((await get('/v1/audit/children/al-ann', TOKENS.auditor)).status).toBe(200);
    expect((await get('/v1/referrals/r-al-ann', MANAGER)).status).toBe(200);
    expect((await get('/v1/audit/referrals/r-al-ann?asOf=2030-01-01T00:00:00Z', TOKENS.admin)).status).toBe(200);
    const after = server.clock.now().toISOString();

    const page = await access('?childId=al-ann');
    expect(page.status).toBe(200);
    expect(
      page.body.entries.map(({ actorId, role, route, childId, outcome }) => ({
        actorId,
        role,
        route,
        childId,
        outcome,
      })),
    ).toEqual([
      {
        actorId: 'demo-placement-officer',
        role: 'placement-officer',
        route: 'GET /v1/children/:id',
        childId: 'al-ann',
        outcome: 'read',
      },
      {
        actorId: 'demo-auditor',
        role: 'auditor',
        route: 'GET /v1/audit/children/:childId',
        childId: 'al-ann',
        outcome: 'read',
      },
      {
        actorId: 'al-manager',
        role: 'residential-manager',
        route: 'GET /v1/referrals/:id',
        childId: 'al-ann',
        outcome: 'read',
      },
      {
        actorId: 'demo-admin',
        role: 'admin',
        route: 'GET /v1/audit/referrals/:referralId',
        childId: 'al-ann',
        outcome: 'read',
      },
    ]);
    for (const entry of page.body.entries) {
      expect(entry.at >= before && entry.at <= after).toBe(true);
      expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(page.body.next).toBeNull();
    // Kept apart from the event log: the event log holds no trace of the reads.
    const store = await openSqliteEventStore({ path: server.sqlitePath, readonly: true });
    const events = await store.readAll();
    await store.close();
    expect(events.some((e) => e.type.toLowerCase().includes('read') || e.type.toLowerCase().includes('access'))).toBe(
      false,
    );
    expect(countEntries()).toBeGreaterThanOrEqual(4);
  });

  it('records every child in an SSDA903 file taken over HTTP, and a manager’s refused read as refused', async () => {
    const csv = await get<string>('/v1/exports/ssda903/episodes.csv?year=2027', TOKENS.auditor);
    expect(csv.status).toBe(200);
    for (const childId of ['al-ann', 'al-bea', 'al-cat']) {
      const { body } = await access(`?childId=${childId}`);
      expect(body.entries.filter((e) => e.route === 'GET /v1/exports/ssda903/episodes.csv')).toEqual([
        expect.objectContaining({ actorId: 'demo-auditor', role: 'auditor', outcome: 'read' }),
      ]);
    }
    expect((await get('/v1/children/al-cat', MANAGER)).status).toBe(404);
    const { body } = await access('?childId=al-cat');
    expect(body.entries[body.entries.length - 1]).toMatchObject({
      actorId: 'al-manager',
      role: 'residential-manager',
      route: 'GET /v1/children/:id',
      outcome: 'refused',
    });
  });

  it('pages through a long answer with no duplicate and no gap, following next and the Link header', async () => {
    for (let i = 0; i < 7; i++) expect((await get('/v1/children/al-bea', TOKENS.placement)).status).toBe(200);
    const all = (await access('?childId=al-bea&limit=500')).body.entries;
    expect(all.length).toBeGreaterThanOrEqual(8);
    const seen: number[] = [];
    let query = '?childId=al-bea&limit=3';
    for (let pages = 0; pages < 10; pages++) {
      const res = await fetch(`${server.baseUrl}/v1/audit/access${query}`, {
        headers: { authorization: `Bearer ${TOKENS.auditor}` },
      });
      expect(res.headers.get('cache-control')).toBe('no-store');
      const page = (await res.json()) as Page;
      seen.push(...page.entries.map((e) => e.seq));
      if (page.next === null) {
        expect(res.headers.get('link')).toBeNull();
        break;
      }
      const link = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '');
      expect(link?.[1]).toBe(`/v1/audit/access?childId=al-bea&limit=3&cursor=${page.next}`);
      query = (link?.[1] ?? '').slice('/v1/audit/access'.length);
    }
    expect(seen).toEqual(all.map((e) => e.seq));
  });

  it('filters by a time window given as London days or instants', async () => {
    const all = (await access('?limit=500')).body.entries;
    const first = all[0];
    const last = all[all.length - 1];
    expect((await access(`?from=${encodeURIComponent(last.at)}&limit=500`)).body.entries.map((e) => e.seq)).toEqual(
      all.filter((e) => e.at >= last.at).map((e) => e.seq),
    );
    expect((await access(`?to=${encodeURIComponent(first.at)}`)).body.entries).toEqual([]);
    // Today and tomorrow as London days: today holds everything so far, tomorrow nothing.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(last.at));
    const inToday = (await access(`?from=${today}&to=${today}&limit=500`)).body.entries;
    expect(inToday.map((e) => e.seq)).toContain(last.seq);
  });

  it('refuses a malformed query with 400 naming the field and rule, and writes nothing', async () => {
    const before = countEntries();
    const cases: [string, string, string][] = [
      ['?childId=not%20an%20id', 'childId', 'matches'],
      ['?from=2026-02-30', 'from', 'isDateOrInstant'],
      ['?to=yesterday', 'to', 'isDateOrInstant'],
      ['?from=2026-12-02&to=2026-12-01', 'to', 'isAfterFrom'],
      ['?limit=0', 'limit', 'min'],
      ['?limit=501', 'limit', 'max'],
      ['?cursor=bm9wZQ', 'cursor', 'isAccessCursor'],
      ['?actor=someone', 'actor', 'whitelistValidation'],
    ];
    for (const [query, field, rule] of cases) {
      const res = await api<Problem>(server, 'GET', `/v1/audit/access${query}`, { token: TOKENS.auditor });
      expect([query, res.status, res.contentType.includes('application/problem+json')]).toEqual([query, 400, true]);
      expect([query, res.body.errors?.[0]]).toEqual([query, expect.objectContaining({ field, rule })]);
    }
    expect(countEntries()).toBe(before);
  });

  it('is read by auditors only and written by nobody through the API', async () => {
    for (const token of [TOKENS.placement, MANAGER, TOKENS.admin])
      expect([token, (await get('/v1/audit/access', token)).status]).toEqual([token, 403]);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      expect([
        method,
        (await api(server, method, '/v1/audit/access', { token: TOKENS.auditor, body: { childId: 'al-ann' } })).status,
      ]).toEqual([method, 404]);
  });

  it('does not show a record it could not record: 503, and the record again once the log is writable', async () => {
    const db = new Database(accessLogPath);
    db.exec("CREATE TRIGGER al_refuse BEFORE INSERT ON access_log BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    try {
      const refused = await get<Problem & { detail: string }>('/v1/children/al-ann', TOKENS.placement);
      expect(refused.status).toBe(503);
      expect(JSON.stringify(refused.body)).not.toContain('2011-05-05');
      expect((await get('/v1/exports/ssda903/header.csv?year=2027', TOKENS.auditor)).status).toBe(503);
    } finally {
      db.exec('DROP TRIGGER al_refuse');
      db.close();
    }
    expect((await get('/v1/children/al-ann', TOKENS.placement)).status).toBe(200);
  });

  it('is verified with the event log: its head to record, and the first entry altered behind its back', async () => {
    const verify = (query = '') =>
      get<{ ok: boolean; accessLog: { ok: boolean; entries: number; head?: string; brokenLink?: unknown } }>(
        `/v1/audit/verify${query}`,
        TOKENS.auditor,
      );
    const intact = await verify();
    expect(intact.status).toBe(200);
    expect(intact.body.ok).toBe(true);
    expect(intact.body.accessLog).toMatchObject({ ok: true });
    const head = intact.body.accessLog.head as string;
    expect(head).toMatch(/^\d+:[0-9a-f]{64}$/);
    expect((await verify(`?accessHead=${head}`)).body.accessLog).toMatchObject({ ok: true, headChecked: head });
    expect((await verify('?accessHead=12')).status).toBe(400);

    const db = new Database(accessLogPath);
    db.exec('DROP TRIGGER access_log_no_update');
    db.exec("UPDATE access_log SET actor_id = 'someone-else' WHERE seq = 2");
    db.close();
    const broken = await verify();
    expect(broken.body.ok).toBe(true);
    expect(broken.body.accessLog).toEqual({
      ok: false,
      entries: 1,
      brokenLink: { seq: 2, reason: 'its contents do not match its hash' },
      headChecked: null,
    });
  });

  it('keeps reads of homes, capacity and beds out of it (they are not a child’s record)', async () => {
    const before = countEntries();
    expect((await get(`/v1/settings/${HOME}`, TOKENS.placement)).status).toBe(200);
    expect((await get('/v1/capacity', TOKENS.placement)).status).toBe(200);
    await expectCreated(
      server,
      '/v1/foster-households',
      TOKENS.admin,
      aHousehold({
        householdId: 'al-fh',
        reference: 'FH-al',
        terms: { maxChildren: 1, placementTypes: ['long-term'] },
      }),
    );
    expect(countEntries()).toBe(before);
  });
});
