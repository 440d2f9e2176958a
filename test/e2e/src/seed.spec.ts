import { Seeder } from '@placement/api';
import { daysAfter, E2E_TODAY, TestClock } from './support/clock';
import { api, startServer, withServer, TestServer, TOKENS } from './support/server';

interface SettingView {
  setting: { status: string; setting: { urn: string; postcode: string; provider: { kind: string } } };
  beds: { bedId: string; state: { status: string; bed: { kind: string } } }[];
}

describe('npm start on an empty store seeds the demo Rotherham estate', () => {
  // Not `withServer`: two tests restart the server on the same store.
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ SEED_DEMO_ESTATE: 'true' });
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('has 7 in-house homes with 16 residential beds (14 occupied) and 2 emergency beds (1 in use)', async () => {
    const beds: { kind: string; status: string }[] = [];
    for (let i = 1; i <= 7; i++) {
      const res = await api<SettingView>(server, 'GET', `/v1/settings/rmbc-ch-0${i}`, { token: TOKENS.auditor });
      expect(res.status).toBe(200);
      expect(res.body.setting.setting.urn).toMatch(/^SC\d{6}$/);
      expect(res.body.setting.setting.postcode).toMatch(/^S6[0-6] \d[A-Z]{2}$/);
      expect(res.body.setting.setting.provider.kind).toBe('in-house');
      beds.push(...res.body.beds.map((b) => ({ kind: b.state.bed.kind, status: b.state.status })));
    }
    const residential = beds.filter((b) => b.kind === 'residential');
    const emergency = beds.filter((b) => b.kind === 'emergency');
    expect(residential).toHaveLength(16);
    expect(residential.filter((b) => b.status === 'Occupied')).toHaveLength(14);
    expect(emergency).toHaveLength(2);
    expect(emergency.filter((b) => b.status === 'Occupied')).toHaveLength(1);
  });

  it('is idempotent: a second start on the same store writes nothing', async () => {
    const before = await api<{ details: { eventStore: { headPosition: string } } }>(server, 'GET', '/health');
    await server.close({ keepFiles: true });
    server = await startServer({ SEED_DEMO_ESTATE: 'true' }, { dir: server.dir });
    const after = await api<{ details: { eventStore: { headPosition: string } } }>(server, 'GET', '/health');
    expect(after.body.details.eventStore.headPosition).toBe(before.body.details.eventStore.headPosition);
  });

  it('seeded again a month later (placement-cli seed), keeps its first day and writes nothing', async () => {
    const head = async () =>
      (await api<{ details: { eventStore: { headPosition: string } } }>(server, 'GET', '/health')).body.details
        .eventStore.headPosition;
    const before = await head();
    await server.close({ keepFiles: true });
    server = await startServer({}, { dir: server.dir, clock: new TestClock(`${daysAfter(E2E_TODAY, 31)}T09:00:00Z`) });
    const summary = await server.app.get(Seeder).seedRotherham();
    expect(summary.asAt).toBe(E2E_TODAY);
    expect(await head()).toBe(before);
  });
});

interface ReferralView {
  status: string;
  referral: { childId: string; startDate: string; urgency: string };
}
interface ChildRecord {
  child: { placements: { startDate: string; endDate: string | null }[] };
}
interface UnitsView {
  units: number;
  ranked: { kind: string; route: string }[];
  excluded: { route: string; reasons: { code: string }[] }[];
}

// The seed is dated from the day it runs: on any day, placements have started, waiting
// referrals are still to start, and the block contracts are running.
describe.each(['2027-06-01', '2031-01-01'])('the demo estate seeded on %s', (today) => {
  const server = withServer({ SEED_DEMO_ESTATE: 'true' }, { clock: new TestClock(`${today}T09:00:00Z`) });

  /** The seed numbers its children c0001…; each has a referral ref-cNNNN. */
  async function seededReferrals(): Promise<ReferralView[]> {
    const referrals: ReferralView[] = [];
    for (let n = 1; ; n++) {
      const res = await api<ReferralView>(server, 'GET', `/v1/referrals/ref-c${String(n).padStart(4, '0')}`, {
        token: TOKENS.auditor,
      });
      if (res.status === 404) return referrals;
      expect(res.status).toBe(200);
      referrals.push(res.body);
    }
  }

  it('shows its care leavers in the trends: one staying put, one in 16+ supported accommodation', async () => {
    const res = await api<{ months: { careLeavers: unknown; lookedAfterNotPlaced: number }[] }>(
      server,
      'GET',
      '/v1/sufficiency/trends?months=1',
      { token: TOKENS.auditor },
    );
    expect(res.status).toBe(200);
    expect(res.body.months[0].careLeavers).toEqual({ total: 2, stayingPut: 1, supportedAccommodation: 1 });
  });

  it('has every placement started by then and every waiting referral still to start', async () => {
    const referrals = await seededReferrals();
    const waiting = referrals.filter((r) => r.status === 'Open');
    expect(waiting).toHaveLength(4);
    for (const r of waiting) expect(r.referral.startDate > today).toBe(true);
    const placed = referrals.filter((r) => r.status === 'Closed');
    expect(placed.length).toBeGreaterThan(40);
    for (const r of placed) {
      const child = await api<ChildRecord>(server, 'GET', `/v1/children/${r.referral.childId}`, {
        token: TOKENS.auditor,
      });
      expect(child.body.child.placements).toEqual([expect.objectContaining({ endDate: null })]);
      expect(child.body.child.placements[0].startDate <= today).toBe(true);
    }
  });

  it('offers every unit to matching, the 7 block-booked beds included: their contracts run on that day', async () => {
    const waiting = (await seededReferrals()).find((r) => r.status === 'Open');
    if (!waiting) throw new Error('the seed has no waiting referral');
    const res = await api<UnitsView>(
      server,
      'GET',
      `/v1/referrals/ref-${waiting.referral.childId}/matches?detail=full&limit=200`,
      {
        token: TOKENS.placement,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.units).toBe(18 + 114 + 7);
    const blockBooked = [...res.body.ranked, ...res.body.excluded].filter((u) => u.route === 'block-booked');
    expect(blockBooked).toHaveLength(7);
  });

  it('records each home’s statement of purpose and who else lives with some carers; matching reads both', async () => {
    const statements: { emergencyAdmissions: string; risksNotAccepted: string[] }[] = [];
    for (let i = 1; i <= 7; i++) {
      const res = await api<{ setting: { setting: { statementOfPurpose: (typeof statements)[number] | null } } }>(
        server,
        'GET',
        `/v1/settings/rmbc-ch-0${i}`,
        { token: TOKENS.auditor },
      );
      const statement = res.body.setting.setting.statementOfPurpose;
      if (statement === null) throw new Error(`rmbc-ch-0${i} has no statement of purpose`);
      statements.push(statement);
    }
    expect(statements.filter((s) => s.risksNotAccepted.includes('cse')).length).toBeGreaterThan(0);
    expect(statements.filter((s) => s.emergencyAdmissions === 'none')).toHaveLength(1);
    expect(statements[6].emergencyAdmissions).toBe('emergency-beds');

    const household = await api<{ members: { bornIn: string; relationship: string }[] }>(
      server,
      'GET',
      '/v1/foster-households/rmbc-fh-001',
      { token: TOKENS.placement },
    );
    expect(household.body.members).toEqual([
      expect.objectContaining({ relationship: 'carers-child' }),
      expect.objectContaining({ relationship: 'carers-child' }),
    ]);

    // The emergency referral: the home taking no emergency admissions is closed to it, bed by bed.
    const emergency = (await seededReferrals()).find((r) => r.status === 'Open' && r.referral.urgency === 'emergency');
    if (!emergency) throw new Error('the seed has no waiting emergency referral');
    const matches = await api<{ excluded: { unitId: string; reasons: { code: string; message: string }[] }[] }>(
      server,
      'GET',
      `/v1/referrals/ref-${emergency.referral.childId}/matches?detail=full&limit=200`,
      { token: TOKENS.placement },
    );
    const none = `rmbc-ch-0${statements.findIndex((s) => s.emergencyAdmissions === 'none') + 1}`;
    const closed = matches.body.excluded.filter((u) => u.unitId.startsWith(`bed:${none}.`));
    expect(closed.length).toBeGreaterThan(0);
    for (const unit of closed)
      expect(unit.reasons).toContainEqual({
        code: 'NOT_EMERGENCY_APPROVED',
        message: 'setting takes no emergency admissions (its statement of purpose)',
      });
  });
});
