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

describe('the README', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The wall clock, as for a new user: the flows and the seed are both dated from today.
    server = await startServer({ SEED_DEMO_ESTATE: 'true' }, { clock: systemClock });
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('has exactly the two Quick start commands', () => {
    const quickStart = README.split('## Quick start')[1].split(/\n#{2,3} /)[0];
    const commands = [...quickStart.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());
    expect(commands).toEqual(['npm install && npm start', 'npm install && npm test']);
  });

  it.each(['matched-placement', 'step-down'])('runs the %s curl flow against the seeded estate', async (name) => {
    const script = `set -euo pipefail\n${flow(name).replace('API=http://localhost:3000', `API=${server.baseUrl}`)}`;
    await expect(run('bash', ['-c', script], { timeout: 30_000 })).resolves.toBeDefined();
  });

  it('left the child stepped down into the foster household and the bed vacant', async () => {
    const setting = await api<{ beds: { bedId: string; state: { status: string } }[] }>(
      server,
      'GET',
      '/v1/settings/rmbc-ch-02',
      { token: TOKENS.auditor },
    );
    expect(setting.body.beds.find((b) => b.bedId === 'b3')?.state.status).toBe('Vacant');
    const child = await api<{ child: { placements: { placementId: string; endDate: string | null }[] } }>(
      server,
      'GET',
      '/v1/children/demo-1',
      { token: TOKENS.auditor },
    );
    expect(child.body.child.placements.map((p) => [p.placementId, p.endDate])).toEqual([
      ['pl-demo-1', '2027-01-11'],
      ['pl-demo-1-fh', null],
    ]);
  });
});
