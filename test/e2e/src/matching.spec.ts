import { aReferral, aSetting } from '@placement/test-support';
import { TestClock } from './support/clock';
import { eventually } from './support/eventually';
import { expectCreated } from './support/fixtures';
import { api, startServer, TestServer, TOKENS } from './support/server';

interface Reason {
  code: string;
  message: string;
}
interface RankedView {
  rank: number;
  unitId: string;
  unit: { kind: string; settingId?: string; bedId?: string; householdId?: string; contractId?: string };
  kind: string;
  route: string;
  cautions: Reason[];
  score: { criterion: string; tier: number; explanation: string }[];
}
interface ExcludedView {
  unitId: string;
  unit: RankedView['unit'];
  kind: string;
  route: string;
  reasons: Reason[];
}
interface MatchesView {
  referralId: string;
  engineVersion: string;
  inputsHash: string;
  asAt: string;
  detail: string;
  units: number;
  rankedTotal: number;
  excludedTotal: number;
  excludedByReason: Record<string, number>;
  ranked: RankedView[];
  excluded: ExcludedView[];
}
interface ProposalResult {
  id: string;
  events: string[];
  replayed: boolean;
  inputsHash: string;
  options: number;
  excluded: number;
}
interface AuditView {
  entries: {
    type: string;
    data: {
      inputsHash?: string;
      engineVersion?: string;
      options?: { rank: number; unit: unknown }[];
      excluded?: { reasons: string[] }[];
    };
  }[];
}
interface SettingView {
  beds: { bedId: string; state: { status: string } }[];
}

const HOUR = 3_600_000;

/** A 14-year-old boy who fits the in-house homes registered for 11–17 near S60. */
function boyOf14(referralId: string, childId: string) {
  return aReferral({ referralId, childId, startDate: '2026-12-01', child: { sex: 'M', dateOfBirth: '2012-06-01' } });
}

describe('matching on the seeded Rotherham estate', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ SEED_DEMO_ESTATE: 'true' });
    await expectCreated(server, '/v1/referrals', TOKENS.placement, boyOf14('ref-match-a', 'child-match-a'));
    await expectCreated(server, '/v1/referrals', TOKENS.placement, boyOf14('ref-match-b', 'child-match-b'));
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  const matches = (referralId: string, query = '?detail=full&limit=200') =>
    api<MatchesView>(server, 'GET', `/v1/referrals/${referralId}/matches${query}`, { token: TOKENS.placement });

  it('lists every unit of the estate once, ranked or excluded with its reasons', async () => {
    const res = await matches('ref-match-a', '?detail=full&limit=200');
    expect(res.status).toBe(200);
    const m = res.body;
    // The seed: 18 beds in 7 homes, 114 foster households (106 in-house, 8 IFA), 7 block-booked beds.
    expect(m.units).toBe(18 + 114 + 7);
    expect(m.ranked.length + m.excluded.length).toBe(m.units);
    expect(m.rankedTotal).toBe(m.ranked.length);
    expect(m.excludedTotal).toBe(m.excluded.length);
    const ids = [...m.ranked.map((r) => r.unitId), ...m.excluded.map((e) => e.unitId)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(m.ranked.map((r) => r.rank)).toEqual(m.ranked.map((_, i) => i + 1));
    expect(m.ranked.length).toBeGreaterThan(0);
    for (const e of m.excluded) {
      expect(e.reasons.length).toBeGreaterThan(0);
      for (const r of e.reasons) expect(r.message.length).toBeGreaterThan(0);
    }
    // Every bed of every in-house home is there, under its domain name.
    for (let i = 1; i <= 7; i++) {
      const setting = await api<SettingView>(server, 'GET', `/v1/settings/rmbc-ch-0${i}`, { token: TOKENS.auditor });
      for (const bed of setting.body.beds) expect(ids).toContain(`bed:rmbc-ch-0${i}.${bed.bedId}`);
    }
    const byId = new Map(m.excluded.map((e) => [e.unitId, e]));
    // A planned referral never gets an emergency bed; an occupied bed says so.
    expect(byId.get('bed:rmbc-ch-07.e2')?.reasons.map((r) => r.code)).toContain('EMERGENCY_BED_PLANNED_REFERRAL');
    expect(byId.get('bed:rmbc-ch-01.b1')?.reasons.map((r) => r.code)).toContain('OCCUPIED');
    // Each ranked unit names its score parts in the policy's order, family-based first of the house criteria.
    expect(m.ranked[0].score.map((p) => p.criterion)).toEqual([
      'placement-preference',
      'family-based',
      'route',
      'siblings-together',
      'distance',
      'cost',
    ]);
    expect(m.ranked.some((r) => r.unit.kind === 'household')).toBe(true);
  });

  it("lists every unit for each of the seed's own waiting referrals", async () => {
    // The seed numbers its children c0001…; its waiting referrals are the ones still open.
    const waiting: string[] = [];
    for (let n = 1; n <= 80; n++) {
      const id = `ref-c${String(n).padStart(4, '0')}`;
      const res = await api<{ status: string }>(server, 'GET', `/v1/referrals/${id}`, { token: TOKENS.placement });
      if (res.status === 200 && res.body.status === 'Open') waiting.push(id);
    }
    expect(waiting).toHaveLength(4);
    for (const id of waiting) {
      const m = (await matches(id, '?detail=full&limit=200')).body;
      expect(m.ranked.length + m.excluded.length).toBe(m.units);
      expect(m.units).toBe(18 + 114 + 7);
      expect(m.excluded.every((e) => e.reasons.length > 0)).toBe(true);
    }
  });

  it('filters the view without changing the list it is cut from', async () => {
    const all = (await matches('ref-match-a', '?detail=full&limit=200')).body;
    const beds = (await matches('ref-match-a', '?detail=full&limit=200&kind=residential-bed&include=excluded')).body;
    expect(beds.inputsHash).toBe(all.inputsHash);
    expect(beds.ranked).toEqual([]);
    expect(beds.excluded.length).toBeGreaterThan(0);
    expect(beds.excluded.every((e) => e.kind === 'residential-bed')).toBe(true);
    expect(beds.excluded).toEqual(all.excluded.filter((e) => e.kind === 'residential-bed'));
    const summary = (await matches('ref-match-a', '?detail=summary&limit=3')).body;
    expect(summary.inputsHash).toBe(all.inputsHash);
    expect(summary.ranked).toEqual(all.ranked.slice(0, 3));
    expect(summary.excluded).toEqual([]);
    expect(Object.values(summary.excludedByReason).reduce((a, b) => a + b, 0)).toBe(all.excluded.length);
    const bad = await matches('ref-match-a', '?detail=everything&limit=0');
    expect(bad.status).toBe(400);
    const unknown = await matches('ref-match-a', '?colour=blue');
    expect(unknown.status).toBe(400);
  });

  it('gives the same list and hash when nothing changed, records the proposal once; the audit shows it', async () => {
    const first = (await matches('ref-match-a')).body;
    const again = (await matches('ref-match-a')).body;
    expect(again).toEqual(first);

    const recorded = await api<ProposalResult>(server, 'POST', '/v1/referrals/ref-match-a/matches/proposals', {
      token: TOKENS.placement,
      body: { inputsHash: first.inputsHash },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.events).toEqual(['MatchesProposed']);
    expect(recorded.body.inputsHash).toBe(first.inputsHash);
    expect(recorded.body.options).toBe(first.ranked.length);
    expect(recorded.body.excluded).toBe(first.excluded.length);

    // Recording is not a capacity change: the list and its hash stand, and a re-run records nothing new.
    const after = (await matches('ref-match-a')).body;
    expect(after.inputsHash).toBe(first.inputsHash);
    expect(after.ranked).toEqual(first.ranked);
    const rerun = await api<ProposalResult>(server, 'POST', '/v1/referrals/ref-match-a/matches/proposals', {
      token: TOKENS.placement,
      body: {},
    });
    expect(rerun.status).toBe(201);
    expect(rerun.body.replayed).toBe(true);

    const audit = await api<AuditView>(server, 'GET', '/v1/audit/referrals/ref-match-a', { token: TOKENS.auditor });
    expect(audit.status).toBe(200);
    const proposals = audit.body.entries.filter((e) => e.type === 'MatchesProposed');
    expect(proposals).toHaveLength(1);
    const data = proposals[0].data;
    expect(data.inputsHash).toBe(first.inputsHash);
    expect(data.engineVersion).toBe(first.engineVersion);
    expect(data.options?.map((o) => o.unit)).toEqual(first.ranked.map((r) => r.unit));
    expect(data.excluded).toHaveLength(first.excluded.length);
    expect(data.excluded?.every((e) => e.reasons.length > 0)).toBe(true);
  });

  it('refuses to record a list whose inputs changed, and auditors may read but not record', async () => {
    const stale = await api<{ code: string }>(server, 'POST', '/v1/referrals/ref-match-b/matches/proposals', {
      token: TOKENS.placement,
      body: { inputsHash: 'a'.repeat(64) },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('MATCH_INPUTS_CHANGED');
    expect((await matches('ref-match-b')).status).toBe(200);
    expect((await api(server, 'GET', '/v1/referrals/ref-match-b/matches', { token: TOKENS.auditor })).status).toBe(200);
    expect(
      (await api(server, 'POST', '/v1/referrals/ref-match-b/matches/proposals', { token: TOKENS.auditor, body: {} }))
        .status,
    ).toBe(403);
    expect((await matches('no-such-referral')).status).toBe(404);
  });

  it('a hold makes the bed HELD for other referrals and HELD_FOR_THIS_REFERRAL for its own', async () => {
    const before = (await matches('ref-match-b')).body;
    // rmbc-ch-02 b3 is the seed's empty bed in a home registered for 11–17.
    expect(before.ranked.map((r) => r.unitId)).toContain('bed:rmbc-ch-02.b3');
    const held = await api(server, 'POST', '/v1/referrals/ref-match-a/holds', {
      token: TOKENS.placement,
      body: {
        settingId: 'rmbc-ch-02',
        bedId: 'b3',
        until: new Date(server.clock.now().getTime() + HOUR).toISOString(),
      },
    });
    expect(held.status).toBe(201);

    const forOther = (await matches('ref-match-b')).body;
    expect(forOther.inputsHash).not.toBe(before.inputsHash);
    const excluded = forOther.excluded.find((e) => e.unitId === 'bed:rmbc-ch-02.b3');
    expect(excluded?.reasons.map((r) => r.code)).toContain('HELD');
    expect(forOther.ranked.map((r) => r.unitId)).not.toContain('bed:rmbc-ch-02.b3');

    const forOwn = (await matches('ref-match-a')).body;
    const ranked = forOwn.ranked.find((r) => r.unitId === 'bed:rmbc-ch-02.b3');
    expect(ranked?.cautions.map((c) => c.code)).toContain('HELD_FOR_THIS_REFERRAL');
  });
});

/** A home with free beds b1 and b2, and two waiting referrals for boys who fit it. */
async function holdHome(server: TestServer): Promise<void> {
  await expectCreated(
    server,
    '/v1/settings',
    TOKENS.admin,
    aSetting({
      settingId: 'hold-home',
      maxChildren: 2,
    }),
  );
  for (const bedId of ['b1', 'b2'])
    await expectCreated(server, '/v1/settings/hold-home/beds', TOKENS.admin, {
      bedId,
      kind: 'residential',
      label: bedId,
    });
  await expectCreated(server, '/v1/referrals', TOKENS.placement, boyOf14('ref-holder', 'child-holder'));
  await expectCreated(server, '/v1/referrals', TOKENS.placement, boyOf14('ref-other', 'child-other'));
}

const hold = (server: TestServer, bedId: string, until: string) =>
  api(server, 'POST', '/v1/referrals/ref-holder/holds', {
    token: TOKENS.placement,
    body: { settingId: 'hold-home', bedId, until },
  });
const matchesForOther = (server: TestServer) =>
  api<MatchesView>(server, 'GET', '/v1/referrals/ref-other/matches?detail=full&limit=200', { token: TOKENS.placement });
const bedStatus = async (server: TestServer, bedId: string) =>
  (await api<SettingView>(server, 'GET', '/v1/settings/hold-home', { token: TOKENS.auditor })).body.beds.find(
    (b) => b.bedId === bedId,
  )?.state.status;

describe('a hold expires by itself', () => {
  const clock = new TestClock();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ RECONCILE_INTERVAL_SECONDS: '1', RECONCILE_GRACE_SECONDS: '0' }, { clock });
    await holdHome(server);
  });
  afterAll(async () => {
    await server.close();
  });

  it('is HELD until its time, then free for matching and released on the bed stream', async () => {
    const until = clock.inMs(HOUR);
    expect((await hold(server, 'b1', until)).status).toBe(201);
    const whileHeld = await matchesForOther(server);
    const held = whileHeld.body.excluded.find((e) => e.unitId === 'bed:hold-home.b1');
    expect(held?.reasons.map((r) => r.code)).toEqual(['HELD']);
    // The reconciler passes every second meanwhile: an hour ahead, the hold stands.
    expect(await bedStatus(server, 'b1')).toBe('Held');

    // Past its time the bed is free at once (a lapsed hold holds nothing), and the reconciler's next pass
    // records the release.
    clock.advance(HOUR);
    expect(await bedStatus(server, 'b1')).toBe('Vacant');
    const entries = await eventually(
      async () =>
        (
          await api<{ entries: { type: string; data: { reason?: string; at?: string } }[] }>(
            server,
            'GET',
            '/v1/audit/beds/hold-home/b1',
            { token: TOKENS.auditor },
          )
        ).body.entries,
      (recorded) => recorded.length >= 3,
      'the lapsed hold released',
    );
    expect(entries.map((e) => e.type)).toEqual(['BedAdded', 'BedHeld', 'BedHoldReleased']);
    expect(entries[2].data.reason).toBe('expired');
    expect(Date.parse(entries[2].data.at ?? '')).toBeGreaterThanOrEqual(Date.parse(until));

    const afterwards = await matchesForOther(server);
    expect(afterwards.body.ranked.map((r) => r.unitId)).toContain('bed:hold-home.b1');
    expect(afterwards.body.excluded.find((e) => e.unitId === 'bed:hold-home.b1')).toBeUndefined();
  });
});

describe('a lapsed hold holds nothing, before the reconciler records its release', () => {
  const clock = new TestClock();
  let server: TestServer;
  beforeAll(async () => {
    // No periodic reconciler: nothing records the release, so the bed stream still says Held.
    server = await startServer({ RECONCILE_INTERVAL_SECONDS: '0' }, { clock });
    await holdHome(server);
  });
  afterAll(async () => {
    await server.close();
  });

  it('is HELD for another referral until its time, and ranks for it after', async () => {
    const until = clock.inMs(HOUR);
    expect((await hold(server, 'b2', until)).status).toBe(201);
    const before = await matchesForOther(server);
    expect(before.body.excluded.find((e) => e.unitId === 'bed:hold-home.b2')?.reasons.map((r) => r.code)).toEqual([
      'HELD',
    ]);

    clock.advance(HOUR);
    const after = await matchesForOther(server);
    expect(new Date(after.body.asAt).getTime()).toBeGreaterThanOrEqual(Date.parse(until));
    expect(after.body.ranked.map((r) => r.unitId)).toContain('bed:hold-home.b2');
    // The bed tonight is free too; only its stream still waits for the release to be recorded.
    expect(await bedStatus(server, 'b2')).toBe('Vacant');
    const audit = await api<{ entries: { type: string }[] }>(server, 'GET', '/v1/audit/beds/hold-home/b2', {
      token: TOKENS.auditor,
    });
    expect(audit.body.entries.map((e) => e.type)).toEqual(['BedAdded', 'BedHeld']);
  });
});
