import { aSetting } from '@placement/test-support';
import { expectCreated, refer } from './support/fixtures';
import { getPage, startServer, TestServer, TOKENS } from './support/server';
import type { Problem } from './support/bodies';

/**
 * Issue 18 §1: a referral's matches answer a summary by default (the best ranked units, the
 * exclusions counted by reason), and page through every unit with a cursor on `detail=full`.
 */
interface Reason {
  code: string;
  message: string;
}
interface MatchesBody {
  detail: string;
  inputsHash: string;
  units: number;
  rankedTotal: number;
  excludedTotal: number;
  excludedByReason: Record<string, number>;
  ranked: { rank: number; unitId: string; score: { criterion: string }[] }[];
  excluded: { unitId: string; reasons: Reason[] }[];
  next: string | null;
}

const cursorOf = (next: string | null) => new URL(next ?? '', 'http://x').searchParams.get('cursor') ?? '';

describe('matches: a summary by default, every unit in pages on detail=full', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ SEED_DEMO_ESTATE: 'true' });
    for (const [referralId, childId] of [
      ['ref-pages-a', 'child-pages-a'],
      ['ref-pages-b', 'child-pages-b'],
    ])
      await refer(server, {
        referralId,
        childId,
        startDate: '2026-12-01',
        child: { sex: 'M', dateOfBirth: '2012-06-01' },
      });
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  it('answers the best 20 ranked units with their scores and the exclusions as counts by reason', async () => {
    const res = await getPage<MatchesBody>(server, '/v1/referrals/ref-pages-a/matches');
    expect(res.status).toBe(200);
    const m = res.body;
    expect(m.detail).toBe('summary');
    expect(m.units).toBe(18 + 114 + 7);
    expect(m.rankedTotal + m.excludedTotal).toBe(m.units);
    expect(m.rankedTotal).toBeGreaterThan(20);
    expect(m.ranked.map((r) => r.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(m.ranked.every((r) => r.score.length > 0)).toBe(true);
    expect(m.excluded).toEqual([]);
    expect(Object.values(m.excludedByReason).reduce((a, b) => a + b, 0)).toBe(m.excludedTotal);
    expect(m.next).toBeNull();
    expect(res.link).toBeNull();
    const five = (await getPage<MatchesBody>(server, '/v1/referrals/ref-pages-a/matches?limit=5')).body;
    expect(five.ranked).toEqual(m.ranked.slice(0, 5));
  });

  it('pages through the ranked then the excluded units with a cursor, each once, in order', async () => {
    const whole = (await getPage<MatchesBody>(server, '/v1/referrals/ref-pages-a/matches?detail=full&limit=200')).body;
    expect(whole.next).toBeNull();
    expect(whole.ranked.length + whole.excluded.length).toBe(whole.units);

    const ranked: MatchesBody['ranked'] = [];
    const excluded: MatchesBody['excluded'] = [];
    let url: string | null = '/v1/referrals/ref-pages-a/matches?detail=full&limit=25';
    let pages = 0;
    while (url !== null) {
      const res: Awaited<ReturnType<typeof getPage<MatchesBody>>> = await getPage<MatchesBody>(server, url);
      expect(res.status).toBe(200);
      expect(res.link).toBe(res.body.next === null ? null : `<${res.body.next}>; rel="next"`);
      const size = res.body.ranked.length + res.body.excluded.length;
      if (res.body.next === null) expect(size).toBeLessThanOrEqual(25);
      else expect(size).toBe(25);
      expect(res.body.inputsHash).toBe(whole.inputsHash);
      ranked.push(...res.body.ranked);
      excluded.push(...res.body.excluded);
      url = res.body.next;
      if (++pages > 20) throw new Error('paging did not end');
    }
    expect(pages).toBe(Math.ceil(whole.units / 25));
    expect(ranked).toEqual(whole.ranked);
    expect(excluded).toEqual(whole.excluded);
    expect(excluded.every((e) => e.reasons.length > 0)).toBe(true);
  });

  it('refuses the next page with 409 MATCH_INPUTS_CHANGED once the capacity moved on', async () => {
    const first = await getPage<MatchesBody>(server, '/v1/referrals/ref-pages-b/matches?detail=full&limit=10');
    expect(first.body.next).not.toBeNull();
    await expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'pages-home' }));
    await expectCreated(server, '/v1/settings/pages-home/beds', TOKENS.admin, {
      bedId: 'b1',
      kind: 'residential',
      label: 'b1',
    });
    const stale = await getPage<Problem>(server, first.body.next ?? '');
    expect(stale.status).toBe(409);
    expect(stale.contentType.split(';')[0]).toBe('application/problem+json');
    expect(stale.body.code).toBe('MATCH_INPUTS_CHANGED');
    // Starting again answers the new list.
    const again = await getPage<MatchesBody>(server, '/v1/referrals/ref-pages-b/matches?detail=full&limit=10');
    expect(again.status).toBe(200);
    expect(again.body.inputsHash).not.toBe(first.body.inputsHash);
  });

  it('refuses a bad detail, limit or cursor with a 400 naming the field', async () => {
    const full = await getPage<MatchesBody>(server, '/v1/referrals/ref-pages-a/matches?detail=full&limit=10');
    const cursor = cursorOf(full.body.next);
    expect(cursor).not.toBe('');
    const cases: [string, string, string][] = [
      ['?detail=everything', 'detail', 'isIn'],
      ['?limit=0', 'limit', 'min'],
      ['?limit=201', 'limit', 'max'],
      ['?limit=ten', 'limit', 'isInt'],
      ['?detail=full&cursor=not-a-cursor', 'cursor', 'isCursor'],
      ['?detail=full&cursor=abc%2Fdef', 'cursor', 'matches'],
      // A cursor belongs to its referral and its view.
      [`?detail=summary&cursor=${cursor}`, 'cursor', 'isCursor'],
      [`?detail=full&kind=residential-bed&cursor=${cursor}`, 'cursor', 'isCursor'],
    ];
    for (const [query, field, rule] of cases) {
      const res = await getPage<Problem>(server, `/v1/referrals/ref-pages-a/matches${query}`);
      expect([query, res.status, res.contentType.split(';')[0]]).toEqual([query, 400, 'application/problem+json']);
      expect([query, res.body.errors?.every((e) => e.field === field)]).toEqual([query, true]);
      expect([query, res.body.errors?.map((e) => e.rule)]).toEqual([query, expect.arrayContaining([rule])]);
    }
    const other = await getPage<Problem>(server, `/v1/referrals/ref-pages-b/matches?detail=full&cursor=${cursor}`);
    expect(other.status).toBe(400);
  });
});
