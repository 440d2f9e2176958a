import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, sleep } from './support/api-process';
import { API_MAIN, REGISTER } from './support/build';
import { request } from './support/http';

/*
 * `npm start` reads `.env` from its working directory, beneath the environment it was started
 * with, and refuses a misspelt boolean with one line naming the variable. The compiled API runs
 * in a folder of its own with only PATH in its environment (plus what each case sets).
 */
describe('the .env file of the compiled API', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'placement-system-env-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stops the start on SEED_DEMO_ESTATE=yes, saying which variable and why', () => {
    writeFileSync(path.join(dir, '.env'), 'NODE_ENV=test\nSEED_DEMO_ESTATE=yes\n');
    const run = spawnSync(process.execPath, ['-r', REGISTER, API_MAIN], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'placement-api failed to start: Invalid configuration:\n' +
        '  SEED_DEMO_ESTATE: SEED_DEMO_ESTATE must be true or false (or 1 or 0), got "yes"\n',
    );
  });

  it('serves on the port and files the .env names, with the started environment winning', async () => {
    const port = await freePort();
    writeFileSync(
      path.join(dir, '.env'),
      [
        'NODE_ENV=test',
        'HOST=127.0.0.1',
        `PORT=${port}`,
        'SQLITE_PATH=./log/events.db',
        'READ_MODEL_PATH=./log/read-models.db',
        'RECONCILE_INTERVAL_SECONDS=0',
        'LOG_LEVEL=warn',
        // Overridden by the environment below: the file's misspelling never reaches validation.
        'SEED_DEMO_ESTATE=yes',
        '',
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['-r', REGISTER, API_MAIN], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', SEED_DEMO_ESTATE: 'false', LOG_LEVEL: 'log' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      let status = 0;
      for (let i = 0; i < 600 && status !== 200 && child.exitCode === null; i += 1) {
        status = await request(`http://127.0.0.1:${port}`, 'GET', '/health/live', { timeoutMs: 1000 }).then(
          (res) => res.status,
          () => 0,
        );
        if (status !== 200) await sleep(50);
      }
      expect(`${status} ${output}`).toMatch(/^200 /);
      expect(readFileSync(path.join(dir, 'log/events.db')).length).toBeGreaterThan(0);
      // LOG_LEVEL=log from the environment, not warn from the file: the info line saying it listens.
      expect(output).toContain('"msg":"listening"');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
