import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { systemClock } from '@placement/event-store';
import { api, startServer, TestServer, TOKENS } from './support/server';

const run = promisify(execFile);
const README = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');

/** The shell blocks between `<!-- flow:start name -->` and `<!-- flow:end -->`, as a new user would copy them. */
function flow(name: string): string {
  const match = new RegExp(`<!-- flow:start ${name} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\s*<!-- flow:end -->`).exec(
    README,
  );
  if (!match) throw new Error(`README has no flow "${name}"`);
  return match[1];
}

async function runFlow(server: TestServer, name: string): Promise<void> {
  const script = `set -euo pipefail\n${flow(name).replace('API=http://localhost:3000', `API=${server.baseUrl}`)}`;
  await expect(run('bash', ['-c', script], { timeout: 60_000 })).resolves.toBeDefined();
}

describe('the README', () => {
  it('has exactly the two Quick start commands', () => {
    const quickStart = README.split('## Quick start')[1].split(/\n#{2,3} /)[0];
    const commands = [...quickStart.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());
    expect(commands).toEqual(['npm install && npm start', 'npm install && npm test']);
  });
});

// Each flow runs on its own freshly seeded server, so each case stands alone (`-t` runs any one of them).
describe('the README flows, run as written against the seeded estate', () => {
  let server: TestServer;
  beforeEach(async () => {
    // The wall clock, as for a new user: the flows and the seed are both dated from today.
    server = await startServer({ SEED_DEMO_ESTATE: 'true' }, { clock: systemClock });
  });
  afterEach(async () => {
    await server.close();
  });

  it("runs a placement officer's morning: open referrals, the alerts, the emergency referral's matches", async () => {
    await runFlow(server, 'morning');
    const open = await api<{ items: { referralId: string; urgency: string }[] }>(
      server,
      'GET',
      '/v1/referrals?status=open',
      { token: TOKENS.placement },
    );
    expect(open.body.items.map((r) => [r.referralId, r.urgency])).toContainEqual(['ref-c0063', 'emergency']);
    const alerts = await api<{ items: { rule: string }[] }>(server, 'GET', '/v1/alerts', { token: TOKENS.placement });
    expect(alerts.body.items.map((a) => a.rule)).toEqual(
      expect.arrayContaining(['NO_OPEN_PLACEMENT', 'BLOCK_BED_VOID', 'UNMATCHED_EMERGENCY']),
    );
  });

  it('runs the matched-placement curl flow: the child is placed in Beechcroft b3', async () => {
    await runFlow(server, 'matched-placement');
    const setting = await api<{ beds: { bedId: string; state: { status: string } }[] }>(
      server,
      'GET',
      '/v1/settings/rmbc-ch-02',
      { token: TOKENS.auditor },
    );
    expect(setting.body.beds.find((b) => b.bedId === 'b3')?.state.status).toBe('Occupied');
  });

  it('runs the step-down curl flow after the placement it follows: child fostered, bed vacant', async () => {
    await runFlow(server, 'matched-placement');
    await runFlow(server, 'step-down');
    const setting = await api<{ beds: { bedId: string; state: { status: string } }[] }>(
      server,
      'GET',
      '/v1/settings/rmbc-ch-02',
      { token: TOKENS.auditor },
    );
    expect(setting.body.beds.find((b) => b.bedId === 'b3')?.state.status).toBe('Vacant');
    const child = await api<{
      child: { placements: { placementId: string; startDate: string; endDate: string | null }[] };
    }>(server, 'GET', '/v1/children/demo-1', { token: TOKENS.auditor });
    const [home, family] = child.body.child.placements;
    // The dates are relative to the day the flows run: the home placement ends the day the foster one starts.
    expect(child.body.child.placements.map((p) => p.placementId)).toEqual(['pl-demo-1', 'pl-demo-1-fh']);
    expect(home?.endDate).toBe(family?.startDate);
    expect(family?.endDate).toBeNull();
  });

  it('runs the planned-moves curl flow: the bed at Silverwood House is booked from the day c0001 leaves', async () => {
    await runFlow(server, 'planned-moves');
    const setting = await api<{
      beds: { bedId: string; state: { status: string; next: { change: string } | null } }[];
    }>(server, 'GET', '/v1/settings/rmbc-ch-01', { token: TOKENS.auditor });
    expect(setting.body.beds.find((b) => b.bedId === 'b1')?.state).toMatchObject({
      status: 'Occupied',
      next: { change: 'departure' },
    });
    const placementsOf = async (childId: string) =>
      (
        await api<{ child: { placements: { placementId: string; startDate: string; endDate: string | null }[] } }>(
          server,
          'GET',
          `/v1/children/${childId}`,
          { token: TOKENS.auditor },
        )
      ).body.child.placements;
    const leaving = (await placementsOf('c0001')).find((p) => p.placementId === 'pl-c0001');
    expect(leaving?.endDate).toEqual(expect.any(String));
    expect(await placementsOf('demo-2')).toEqual([
      expect.objectContaining({ placementId: 'pl-demo-2', startDate: leaving?.endDate }),
    ]);
  });
});
