import type { CapacityBody } from '@placement/api';
import { getPage, startServer, TestServer } from './support/server';
import type { Problem } from './support/bodies';

/**
 * Issue 18 §2: capacity filtered by authority, setting, kind, state, age band and sex, and paged
 * with the lists' keyset cursor; the estate's totals on every page.
 */
interface Range {
  min: number;
  max: number;
}

const idsOf = (b: CapacityBody) => [
  ...b.units.beds.map((u) => `bed:${u.settingId}.${u.bedId}`),
  ...b.units.households.map((u) => `household:${u.householdId}`),
  ...b.units.blockBeds.map((u) => `block:${u.contractId}.${u.bedRef}`),
];

describe('capacity: filtered and paged', () => {
  let server: TestServer;
  let whole: CapacityBody;
  beforeAll(async () => {
    server = await startServer({ SEED_DEMO_ESTATE: 'true' });
    whole = (await getPage<CapacityBody>(server, '/v1/capacity?limit=200')).body;
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  /** Follows `next` to the end: every page's units, the page count, and each page's totals. */
  async function pageAll(route: string) {
    const ids: string[] = [];
    const bodies: CapacityBody[] = [];
    let url: string | null = route;
    while (url !== null) {
      const res: Awaited<ReturnType<typeof getPage<CapacityBody>>> = await getPage<CapacityBody>(server, url);
      expect([url, res.status]).toEqual([url, 200]);
      expect(res.link).toBe(res.body.next === null ? null : `<${res.body.next}>; rel="next"`);
      ids.push(...idsOf(res.body));
      bodies.push(res.body);
      url = res.body.next;
      if (bodies.length > 100) throw new Error('paging did not end');
    }
    return { ids, bodies };
  }

  it('pages through every unit once in a stable order, with the 16 + 2 totals on every page', async () => {
    expect(whole.next).toBeNull();
    const all = idsOf(whole);
    expect(all).toHaveLength(18 + 114 + 7);
    const { ids, bodies } = await pageAll('/v1/capacity?limit=20');
    expect(ids).toEqual(all);
    expect(bodies).toHaveLength(Math.ceil(all.length / 20));
    for (const b of bodies) {
      expect(idsOf(b).length).toBeLessThanOrEqual(20);
      expect(b.totals).toEqual(whole.totals);
      expect([b.totals.residential.beds, b.totals.emergency.beds]).toEqual([16, 2]);
    }
  });

  it('filters by setting, kind, state, age band, sex and authority', async () => {
    const home = (await getPage<CapacityBody>(server, '/v1/capacity?settingId=rmbc-ch-02')).body;
    expect(idsOf(home)).toEqual(
      whole.units.beds.filter((b) => b.settingId === 'rmbc-ch-02').map((b) => `bed:rmbc-ch-02.${b.bedId}`),
    );
    expect(home.totals).toEqual(whole.totals);

    const emergency = (await getPage<CapacityBody>(server, '/v1/capacity?kind=emergency-bed')).body;
    expect(emergency.units.beds.map((b) => b.kind)).toEqual(['emergency', 'emergency']);
    expect([emergency.units.households, emergency.units.blockBeds]).toEqual([[], []]);
    const blocks = (await getPage<CapacityBody>(server, '/v1/capacity?kind=block-booked-bed')).body;
    expect(blocks.units.blockBeds).toEqual(whole.units.blockBeds);
    expect(blocks.units.beds).toEqual([]);

    const free = (await getPage<CapacityBody>(server, '/v1/capacity?state=free&limit=200')).body;
    expect(free.units.beds).toEqual(
      whole.units.beds.filter((b) => b.settingOpen && (b.status === 'vacant' || b.status === 'reserved')),
    );
    expect(free.units.households).toEqual(whole.units.households.filter((h) => h.freePlaces > 0));
    expect(free.units.blockBeds).toEqual(
      whole.units.blockBeds.filter((b) => b.contractActive && b.status !== 'allocated'),
    );
    const occupied = (await getPage<CapacityBody>(server, '/v1/capacity?state=occupied&kind=residential-bed')).body;
    expect(occupied.units.beds.length).toBeGreaterThan(0);
    expect(occupied.units.beds.every((b) => b.status === 'occupied' && b.kind === 'residential')).toBe(true);

    const fits = (r: Range, sexes: string) => r.min <= 15 && r.max >= 11 && (sexes === 'F' || sexes === 'any');
    const girls = (await getPage<CapacityBody>(server, '/v1/capacity?ageBand=11-15&sex=F&limit=200')).body;
    expect(girls.units.beds).toEqual(whole.units.beds.filter((b) => fits(b.ageRange, b.sexes)));
    expect(girls.units.households).toEqual(whole.units.households.filter((h) => fits(h.ageRange, h.sexes)));
    expect(girls.units.blockBeds).toEqual([]);

    // The demo's homes are Rotherham's; another authority has none.
    const rotherham = (await getPage<CapacityBody>(server, '/v1/capacity?authority=E08000018&limit=200')).body;
    expect(rotherham.units.beds).toEqual(whole.units.beds);
    expect([rotherham.units.households, rotherham.units.blockBeds]).toEqual([[], []]);
    const sheffield = await getPage<CapacityBody>(server, '/v1/capacity?authority=E08000019');
    expect(sheffield.status).toBe(200);
    expect(idsOf(sheffield.body)).toEqual([]);
    expect(sheffield.body.next).toBeNull();

    // Filters page, and keep working for another night.
    const paged = await pageAll('/v1/capacity?kind=foster-household&state=approved&limit=30');
    expect(paged.ids).toEqual(
      whole.units.households.filter((h) => h.status === 'approved').map((h) => `household:${h.householdId}`),
    );
    const later = await getPage<CapacityBody>(
      server,
      '/v1/capacity?on=2027-01-15&kind=residential-bed&settingId=rmbc-ch-01',
    );
    expect(later.status).toBe(200);
    expect(later.body.on).toBe('2027-01-15');
    expect(later.body.units.beds.every((b) => b.settingId === 'rmbc-ch-01' && b.kind === 'residential')).toBe(true);
    expect(later.body.units.beds.length).toBeGreaterThan(0);
  });

  it('refuses a bad filter, limit or cursor with a 400 naming the field; ties a cursor to its filters', async () => {
    const cases: [string, string, string][] = [
      ['authority=Rotherham', 'authority', 'matches'],
      ['settingId=-bad', 'settingId', 'matches'],
      ['kind=castle', 'kind', 'isIn'],
      ['state=fine', 'state', 'isIn'],
      ['ageBand=3-9', 'ageBand', 'isIn'],
      ['sex=X', 'sex', 'isIn'],
      ['limit=0', 'limit', 'min'],
      ['limit=201', 'limit', 'max'],
      ['cursor=not-a-cursor', 'cursor', 'isCursor'],
    ];
    for (const [query, field, rule] of cases) {
      const res = await getPage<Problem>(server, `/v1/capacity?${query}`);
      expect([query, res.status, res.contentType.split(';')[0]]).toEqual([query, 400, 'application/problem+json']);
      expect([query, res.body.errors?.every((e) => e.field === field)]).toEqual([query, true]);
      expect([query, res.body.errors?.map((e) => e.rule)]).toEqual([query, expect.arrayContaining([rule])]);
    }
    const first = (await getPage<CapacityBody>(server, '/v1/capacity?kind=foster-household&limit=5')).body;
    const cursor = new URL(first.next ?? '', 'http://x').searchParams.get('cursor');
    expect(cursor).not.toBeNull();
    expect((await getPage(server, `/v1/capacity?kind=foster-household&limit=5&cursor=${cursor}`)).status).toBe(200);
    expect((await getPage(server, `/v1/capacity?kind=residential-bed&cursor=${cursor}`)).status).toBe(400);
  });
});
