import { api, startServer, TestServer, TOKENS } from './support/server';

interface SettingView {
  setting: { status: string; setting: { urn: string; postcode: string; provider: { kind: string } } };
  beds: { bedId: string; state: { status: string; bed: { kind: string } } }[];
}

describe('npm start on an empty store seeds the demo Rotherham estate', () => {
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
  }, 60_000);
});
