import { createHash } from 'node:crypto';
import { openSqliteEventStore, type RecordedEvent } from '@placement/event-store';
import { aContract, aHousehold, aReferral, aSetting, aStepDown } from '@placement/test-support';
import { expectCreated, homeWithResidents } from './support/fixtures';
import { api, getPage, startServer, TestServer, TOKENS } from './support/server';
import type { Problem } from './support/bodies';

/**
 * Issue 14 §1: the lists a placement officer starts the day with, on the real server over
 * the seeded estate (hundreds of rows), with a few homes of our own for step-downs and a
 * residential manager who keeps only one of them.
 */
const MANAGER_SECRET = 'tok-lists-manager-4b7d2e91';
const DEMO_MANAGER_HOMES = ['rmbc-ch-01', 'rmbc-ch-02', 'rmbc-ch-03', 'rmbc-ch-04'];

interface ListPage<T> {
  position: string;
  items: T[];
  next: string | null;
}
interface Unit {
  kind: string;
  settingId?: string;
  householdId?: string;
}

/** Follows `next` to the end, checking each page's `Link` header says the same; every item and the page count. */
async function pageAll<T>(server: TestServer, route: string, token: string) {
  const items: T[] = [];
  let pages = 0;
  let url: string | null = route;
  while (url !== null) {
    const res: Awaited<ReturnType<typeof getPage<ListPage<T>>>> = await getPage<ListPage<T>>(server, url, token);
    if (res.status !== 200) throw new Error(`GET ${url} → ${res.status}: ${JSON.stringify(res.body)}`);
    expect(res.link).toBe(res.body.next === null ? null : `<${res.body.next}>; rel="next"`);
    items.push(...res.body.items);
    pages += 1;
    url = res.body.next;
    if (pages > 1000) throw new Error('paging did not end');
  }
  return { items, pages };
}

const stepDownBody = (stepDownId: string, childId: string, toHouseholdId: string, plannedDate: string) =>
  aStepDown({
    stepDownId,
    childId,
    toHouseholdId,
    plannedDate,
    safetyPlan: { summaryProvided: true, reviewDate: '2027-03-01', contingencyAgreed: true, leadRole: 'social-worker' },
    milestones: [{ milestoneId: 'ms-1', kind: 'introductions', dueDate: '2026-12-20' }],
  });

describe('lists and records over HTTP on the real server', () => {
  let server: TestServer;
  let events: RecordedEvent[];
  const ofType = (type: string) => events.filter((e) => e.type === type).map((e) => e.data as Record<string, unknown>);

  beforeAll(async () => {
    server = await startServer({
      SEED_DEMO_ESTATE: 'true',
      API_TOKENS: JSON.stringify([
        {
          sha256: createHash('sha256').update(MANAGER_SECRET, 'utf8').digest('hex'),
          actorId: 'manager-lists',
          role: 'residential-manager',
          settingIds: ['ls-home'],
        },
      ]),
    });
    // Two homes of our own: the manager keeps ls-home, not ls-other; one household to step down to.
    await homeWithResidents(server, 'ls-home', 3, ['ls-a', 'ls-b', 'ls-c']);
    await homeWithResidents(server, 'ls-other', 2, ['ls-d']);
    await expectCreated(
      server,
      '/v1/foster-households',
      TOKENS.admin,
      aHousehold({ householdId: 'ls-fh', terms: { maxChildren: 4 } }),
    );
    await expectCreated(
      server,
      '/v1/step-downs',
      MANAGER_SECRET,
      stepDownBody('sd-ls-a', 'ls-a', 'ls-fh', '2027-01-20'),
    );
    await expectCreated(
      server,
      '/v1/step-downs',
      MANAGER_SECRET,
      stepDownBody('sd-ls-b', 'ls-b', 'ls-fh', '2027-01-10'),
    );
    await expectCreated(
      server,
      '/v1/step-downs',
      MANAGER_SECRET,
      stepDownBody('sd-ls-c', 'ls-c', 'ls-fh', '2027-02-01'),
    );
    await expectCreated(server, '/v1/step-downs/sd-ls-c/abandon', MANAGER_SECRET, {
      reason: 'child-wishes',
      date: '2026-12-01',
    });
    await expectCreated(
      server,
      '/v1/step-downs',
      TOKENS.placement,
      stepDownBody('sd-ls-d', 'ls-d', 'ls-fh', '2027-01-05'),
    );
    const store = await openSqliteEventStore({ path: server.sqlitePath, readonly: true });
    events = await store.readAll();
    await store.close();
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('pages through every list bigger than a page: each row once, in order, as one big page gives them', async () => {
    const position = events[events.length - 1].position.toString();
    const cases: { route: string; id: (item: Record<string, unknown>) => string; expected: string[]; limit: number }[] =
      [
        {
          route: '/v1/referrals',
          id: (r) => String(r['referralId']),
          expected: ofType('ReferralReceived').map((d) => String(d['referralId'])),
          limit: 9,
        },
        {
          route: '/v1/children',
          id: (c) => String(c['childId']),
          expected: ofType('ChildRegistered')
            .map((d) => String(d['childId']))
            .sort(),
          limit: 40,
        },
        {
          route: '/v1/placements',
          id: (p) => String(p['placementId']),
          expected: ofType('PlacementStarted')
            .map((d) => [String(d['startDate']), String(d['placementId'])])
            .sort(([a1, b1], [a2, b2]) => (a1 === a2 ? (b1 < b2 ? -1 : 1) : a1 < a2 ? -1 : 1))
            .map(([, id]) => id),
          limit: 40,
        },
        {
          route: '/v1/step-downs',
          id: (s) => String(s['stepDownId']),
          expected: ['sd-ls-d', 'sd-ls-b', 'sd-ls-a', 'sd-ls-c'],
          limit: 3,
        },
        {
          route: '/v1/settings',
          id: (s) => String(s['settingId']),
          expected: ofType('SettingRegistered')
            .map((d) => String(d['settingId']))
            .sort(),
          limit: 4,
        },
        {
          route: '/v1/foster-households',
          id: (h) => String(h['householdId']),
          expected: ofType('FosterHouseholdApproved')
            .map((d) => String(d['householdId']))
            .sort(),
          limit: 25,
        },
        {
          route: '/v1/block-bookings',
          id: (k) => String(k['contractId']),
          expected: ofType('BlockBookingContracted')
            .map((d) => String(d['contractId']))
            .sort(),
          limit: 1,
        },
      ];
    for (const { route, id, expected, limit } of cases) {
      expect([route, expected.length > limit]).toEqual([route, true]);
      const { items, pages } = await pageAll<Record<string, unknown>>(
        server,
        `${route}?limit=${limit}&minPosition=${position}`,
        TOKENS.placement,
      );
      const ids = items.map(id);
      expect([route, new Set(ids).size]).toEqual([route, ids.length]);
      expect([route, ids]).toEqual([route, expected]);
      expect([route, pages]).toEqual([route, Math.ceil(expected.length / limit)]);
    }
    // The default page is 50, the largest 200.
    const firstPage = await getPage<ListPage<unknown>>(server, '/v1/children', TOKENS.auditor);
    expect(firstPage.body.items).toHaveLength(Math.min(50, ofType('ChildRegistered').length));
    const biggest = await getPage<ListPage<unknown>>(server, '/v1/foster-households?limit=200', TOKENS.auditor);
    expect(biggest.body.items).toHaveLength(ofType('FosterHouseholdApproved').length);
    expect(biggest.body.next).toBeNull();
  }, 120_000);

  it('filters referrals, placements, step-downs, children and households, each as the log says', async () => {
    const closed = new Set([...ofType('ReferralClosed'), ...ofType('ReferralWithdrawn')].map((d) => d['referralId']));
    const received = ofType('ReferralReceived');
    const open = await pageAll<{ referralId: string; status: string }>(
      server,
      '/v1/referrals?status=open',
      TOKENS.placement,
    );
    expect(open.items.map((r) => r.referralId)).toEqual(
      received.filter((d) => !closed.has(d['referralId'])).map((d) => d['referralId']),
    );
    expect(open.items.length).toBeGreaterThan(0);
    const emergencies = await pageAll<{ urgency: string; status: string }>(
      server,
      '/v1/referrals?status=placed&urgency=emergency',
      TOKENS.placement,
    );
    expect(emergencies.items.every((r) => r.urgency === 'emergency' && r.status === 'placed')).toBe(true);
    expect(emergencies.items.length).toBe(
      received.filter(
        (d) =>
          d['urgency'] === 'emergency' &&
          ofType('ReferralClosed').some((c) => c['referralId'] === d['referralId'] && c['outcome'] === 'placed'),
      ).length,
    );

    const ended = new Set(ofType('PlacementEnded').map((d) => d['placementId']));
    const openPlacements = await pageAll<{ placementId: string; open: boolean }>(
      server,
      '/v1/placements?open=true&limit=200',
      TOKENS.placement,
    );
    expect(openPlacements.items.map((p) => p.placementId).sort()).toEqual(
      ofType('PlacementStarted')
        .map((d) => String(d['placementId']))
        .filter((id) => !ended.has(id))
        .sort(),
    );
    const inBeechcroft = await pageAll<{ childId: string; unit: Unit; open: boolean }>(
      server,
      '/v1/placements?open=true&settingId=rmbc-ch-02',
      TOKENS.placement,
    );
    expect(inBeechcroft.items.map((p) => p.childId).sort()).toEqual(['c0004', 'c0005']);
    // Who lives where: the same two children, by the children list.
    const living = await pageAll<{ childId: string; livesAt: { unit: Unit } }>(
      server,
      '/v1/children?settingId=rmbc-ch-02',
      TOKENS.auditor,
    );
    expect(living.items.map((c) => c.childId)).toEqual(['c0004', 'c0005']);
    expect(living.items.every((c) => c.livesAt.unit.settingId === 'rmbc-ch-02')).toBe(true);

    const households = await pageAll<{ householdId: string; childrenPlaced: number; status: string }>(
      server,
      '/v1/foster-households?status=approved&limit=200',
      TOKENS.placement,
    );
    expect(households.items.every((h) => h.status === 'approved')).toBe(true);
    const busy = households.items.find((h) => h.childrenPlaced > 0 && h.householdId.startsWith('rmbc-'));
    expect(busy).toBeDefined();
    const record = await getPage<{ children: { childId: string }[]; childrenPlaced: number }>(
      server,
      `/v1/foster-households/${busy?.householdId}`,
      TOKENS.placement,
    );
    expect(record.status).toBe(200);
    expect(record.body.children).toHaveLength(record.body.childrenPlaced);
    const withHousehold = await pageAll<{ childId: string }>(
      server,
      `/v1/children?householdId=${busy?.householdId}`,
      TOKENS.placement,
    );
    expect(withHousehold.items.map((c) => c.childId).sort()).toEqual(record.body.children.map((c) => c.childId).sort());

    const planned = await pageAll<{ stepDownId: string }>(server, '/v1/step-downs?status=planned', TOKENS.placement);
    expect(planned.items.map((s) => s.stepDownId)).toEqual(['sd-ls-d', 'sd-ls-b', 'sd-ls-a']);
    const abandoned = await pageAll<{ stepDownId: string; abandoned: unknown }>(
      server,
      '/v1/step-downs?status=abandoned',
      TOKENS.placement,
    );
    expect(abandoned.items).toEqual([
      expect.objectContaining({ stepDownId: 'sd-ls-c', abandoned: { on: '2026-12-01', reason: 'child-wishes' } }),
    ]);

    // Homes: the seeded in-house estate is 16 residential and 2 emergency beds; Beechcroft has 3 beds, 2 residents.
    const homes = await pageAll<{
      settingId: string;
      provider: { kind: string };
      beds: { residential: number; emergency: number; total: number };
      residents: number;
    }>(server, '/v1/settings', TOKENS.placement);
    const seeded = homes.items.filter((s) => s.settingId.startsWith('rmbc-ch-'));
    expect(seeded.reduce((n, s) => n + s.beds.residential, 0)).toBe(16);
    expect(seeded.reduce((n, s) => n + s.beds.emergency, 0)).toBe(2);
    expect(homes.items.find((s) => s.settingId === 'rmbc-ch-02')).toMatchObject({ beds: { total: 3 }, residents: 2 });
    expect(homes.items.find((s) => s.settingId === 'ls-home')).toMatchObject({ beds: { total: 3 }, residents: 3 });
  }, 120_000);

  it('refuses a bad filter, limit or cursor with a 400 naming the field and the rule, and writes nothing', async () => {
    const before = events.length;
    const cases: [string, string, string][] = [
      ['/v1/referrals?status=waiting', 'status', 'isIn'],
      ['/v1/referrals?urgency=urgent', 'urgency', 'isIn'],
      ['/v1/placements?open=yes', 'open', 'isIn'],
      ['/v1/placements?settingId=no%20such%20home', 'settingId', 'matches'],
      ['/v1/children?householdId=-bad', 'householdId', 'matches'],
      ['/v1/step-downs?status=done', 'status', 'isIn'],
      ['/v1/foster-households?status=active', 'status', 'isIn'],
      ['/v1/settings?limit=0', 'limit', 'min'],
      ['/v1/settings?limit=201', 'limit', 'max'],
      ['/v1/block-bookings?limit=ten', 'limit', 'isInt'],
      ['/v1/referrals?limit=2.5', 'limit', 'isInt'],
      ['/v1/children?cursor=not-a-cursor', 'cursor', 'isCursor'],
      ['/v1/children?cursor=abc%2Fdef', 'cursor', 'matches'],
      ['/v1/referrals?minPosition=-1', 'minPosition', 'matches'],
      ['/v1/settings?sort=name', 'sort', 'whitelistValidation'],
    ];
    for (const [route, field, rule] of cases) {
      const res = await getPage<Problem>(server, route, TOKENS.placement);
      expect([route, res.status, res.contentType.split(';')[0]]).toEqual([route, 400, 'application/problem+json']);
      // Every violation names the field; a non-number limit also breaks min and max, but isInt is among them.
      expect([route, res.body.errors?.every((e) => e.field === field)]).toEqual([route, true]);
      expect([route, res.body.errors?.map((e) => e.rule)]).toEqual([route, expect.arrayContaining([rule])]);
    }
    // A cursor is tied to its list and its filters.
    const openPage = await getPage<ListPage<unknown>>(server, '/v1/referrals?status=open&limit=1', TOKENS.placement);
    const cursor = new URL(openPage.body.next ?? '', server.baseUrl).searchParams.get('cursor') ?? '';
    expect(cursor).not.toBe('');
    expect((await getPage(server, `/v1/referrals?status=open&limit=1&cursor=${cursor}`, TOKENS.placement)).status).toBe(
      200,
    );
    for (const route of [`/v1/referrals?status=placed&cursor=${cursor}`, `/v1/settings?cursor=${cursor}`]) {
      const res = await getPage<Problem>(server, route, TOKENS.placement);
      expect([route, res.status, res.body.errors?.[0]]).toEqual([
        route,
        400,
        expect.objectContaining({ field: 'cursor', rule: 'isCursor' }),
      ]);
    }
    const store = await openSqliteEventStore({ path: server.sqlitePath, readonly: true });
    expect((await store.readAll()).length).toBe(before);
    await store.close();
  });

  it('describes every list and record, with its query parameters, in the OpenAPI document', async () => {
    const doc = await getPage<{ paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }> }>(
      server,
      '/docs/openapi.json',
      TOKENS.auditor,
    );
    const queryOf = (path: string) =>
      (doc.body.paths[path]?.get?.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort();
    const paging = ['cursor', 'limit', 'minPosition'];
    expect(queryOf('/v1/referrals')).toEqual([...paging, 'status', 'urgency'].sort());
    expect(queryOf('/v1/placements')).toEqual([...paging, 'householdId', 'open', 'settingId'].sort());
    expect(queryOf('/v1/step-downs')).toEqual([...paging, 'status'].sort());
    expect(queryOf('/v1/settings')).toEqual(paging);
    expect(queryOf('/v1/foster-households')).toEqual([...paging, 'status'].sort());
    expect(queryOf('/v1/block-bookings')).toEqual(paging);
    expect(queryOf('/v1/children')).toEqual([...paging, 'householdId', 'settingId'].sort());
    expect(queryOf('/v1/foster-households/{id}')).toEqual(['minPosition']);
    expect(queryOf('/v1/block-bookings/{id}')).toEqual(['minPosition']);
  });

  it('answers 404 for a household or contract never recorded; the utilisation report keeps its route', async () => {
    const contracts = ofType('BlockBookingContracted');
    const k = await getPage<{ contractId: string; beds: { contracted: number }; bedAllocations: unknown[] }>(
      server,
      `/v1/block-bookings/${String(contracts[0]['contractId'])}`,
      TOKENS.auditor,
    );
    expect(k.status).toBe(200);
    expect(k.body.bedAllocations).toHaveLength(k.body.beds.contracted);
    expect((await getPage<Problem>(server, '/v1/block-bookings/no-such-contract', TOKENS.auditor)).body.status).toBe(
      404,
    );
    expect(
      (await getPage<Problem>(server, '/v1/foster-households/no-such-household', TOKENS.auditor)).body.status,
    ).toBe(404);
    const report = await getPage<{ from: string; rows: unknown[] }>(
      server,
      '/v1/block-bookings/utilisation?from=2026-01-01&to=2026-03-31',
      TOKENS.auditor,
    );
    expect(report.status).toBe(200);
    expect(report.body.from).toBe('2026-01-01');
    expect(report.body.rows.length).toBeGreaterThan(0);
  });

  it('limits a residential manager to the homes they keep and the children living in them', async () => {
    const homes = await pageAll<{ settingId: string }>(server, '/v1/settings', TOKENS.manager);
    expect(homes.items.map((s) => s.settingId)).toEqual(DEMO_MANAGER_HOMES);
    const demoChildren = await pageAll<{ childId: string; livesAt: { unit: Unit } | null }>(
      server,
      '/v1/children',
      TOKENS.manager,
    );
    expect(demoChildren.items.length).toBeGreaterThan(0);
    expect(demoChildren.items.every((c) => DEMO_MANAGER_HOMES.includes(c.livesAt?.unit.settingId ?? ''))).toBe(true);
    let livingInTheirHomes = 0;
    for (const home of DEMO_MANAGER_HOMES)
      livingInTheirHomes += (await pageAll(server, `/v1/children?settingId=${home}`, TOKENS.placement)).items.length;
    expect(demoChildren.items).toHaveLength(livingInTheirHomes);

    // Our manager keeps ls-home only.
    const children = await pageAll<{ childId: string }>(server, '/v1/children', MANAGER_SECRET);
    expect(children.items.map((c) => c.childId)).toEqual(['ls-a', 'ls-b', 'ls-c']);
    const placements = await pageAll<{ placementId: string }>(server, '/v1/placements', MANAGER_SECRET);
    expect(placements.items.map((p) => p.placementId).sort()).toEqual(['p-ls-a', 'p-ls-b', 'p-ls-c']);
    const stepDowns = await pageAll<{ stepDownId: string }>(server, '/v1/step-downs', MANAGER_SECRET);
    expect(stepDowns.items.map((s) => s.stepDownId)).toEqual(['sd-ls-b', 'sd-ls-a', 'sd-ls-c']);
    const referrals = await pageAll<{ referralId: string }>(server, '/v1/referrals', MANAGER_SECRET);
    expect(referrals.items.map((r) => r.referralId)).toEqual(['r-ls-a', 'r-ls-b', 'r-ls-c']);
    expect((await pageAll(server, '/v1/settings', MANAGER_SECRET)).items).toEqual([
      expect.objectContaining({ settingId: 'ls-home', residents: 3 }),
    ]);
    // Another home's list is refused outright; households and contracts are listed, their children are not named.
    for (const route of ['/v1/children?settingId=ls-other', '/v1/placements?settingId=rmbc-ch-02']) {
      const res = await getPage<Problem>(server, route, MANAGER_SECRET);
      expect([route, res.status]).toEqual([route, 403]);
    }
    const household = await getPage<{ children: { childId: string | null }[] }>(
      server,
      '/v1/foster-households/ls-fh',
      MANAGER_SECRET,
    );
    expect(household.status).toBe(200);
    expect(household.body.children).toEqual([]);
    const busy = (
      await pageAll<{ householdId: string; childrenPlaced: number }>(
        server,
        '/v1/foster-households?limit=200',
        MANAGER_SECRET,
      )
    ).items.find((h) => h.childrenPlaced > 0);
    const seen = await getPage<{ children: { childId: string | null; placementId: string }[] }>(
      server,
      `/v1/foster-households/${busy?.householdId}`,
      MANAGER_SECRET,
    );
    expect(seen.body.children.length).toBeGreaterThan(0);
    expect(seen.body.children.every((c) => c.childId === null && c.placementId.length > 0)).toBe(true);
  }, 120_000);

  it('reads its own writes: a list shows a command’s result when asked with its position', async () => {
    const write = async (route: string, token: string, body: unknown) => {
      const res = await api<{ position: string }>(server, 'POST', route, { token, body });
      expect([route, res.status]).toEqual([route, 201]);
      return res.body.position;
    };
    const lastOf = async <T>(route: string, token = TOKENS.placement) => {
      const all = await pageAll<T>(server, route, token);
      return all.items;
    };

    let position = await write('/v1/settings', TOKENS.admin, aSetting({ settingId: 'ls-new', urn: 'SC777001' }));
    expect(
      (await lastOf<{ settingId: string }>(`/v1/settings?minPosition=${position}`)).map((s) => s.settingId),
    ).toContain('ls-new');
    position = await write(
      '/v1/referrals',
      TOKENS.placement,
      aReferral({ referralId: 'r-ls-new', childId: 'ls-new-child', urgency: 'emergency' }),
    );
    const waiting = await lastOf<{ referralId: string }>(
      `/v1/referrals?status=open&urgency=emergency&minPosition=${position}`,
    );
    expect(waiting[waiting.length - 1].referralId).toBe('r-ls-new');
    expect(
      (await lastOf<{ childId: string; livesAt: unknown }>(`/v1/children?minPosition=${position}`)).find(
        (c) => c.childId === 'ls-new-child',
      ),
    ).toMatchObject({ livesAt: null });
    position = await write('/v1/foster-households', TOKENS.admin, aHousehold({ householdId: 'ls-fh-new' }));
    const household = await getPage<{ householdId: string; position: string }>(
      server,
      `/v1/foster-households/ls-fh-new?minPosition=${position}`,
      TOKENS.placement,
    );
    expect(household.status).toBe(200);
    expect(BigInt(household.body.position)).toBeGreaterThanOrEqual(BigInt(position));
    position = await write(
      '/v1/block-bookings',
      TOKENS.admin,
      aContract({ contractId: 'ls-contract', settingUrn: 'SC200009', endDate: '2027-12-31' }),
    );
    expect(
      (await getPage<{ beds: unknown }>(server, `/v1/block-bookings/ls-contract?minPosition=${position}`, TOKENS.admin))
        .body,
    ).toMatchObject({ beds: { contracted: 2, allocated: 0, void: 2 } });
    position = await write('/v1/step-downs/sd-ls-a/abandon', MANAGER_SECRET, {
      reason: 'needs-changed',
      date: '2026-12-02',
    });
    expect(
      (await lastOf<{ stepDownId: string }>(`/v1/step-downs?status=abandoned&minPosition=${position}`)).map(
        (s) => s.stepDownId,
      ),
    ).toEqual(['sd-ls-a', 'sd-ls-c']);
    // A position the log has not reached: the read waits, then says so (503), rather than answer stale.
    const ahead = await getPage<Problem>(
      server,
      `/v1/placements?minPosition=${BigInt(position) + 1000n}`,
      TOKENS.placement,
    );
    expect(ahead.status).toBe(503);
  }, 60_000);
});
