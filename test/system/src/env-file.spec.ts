import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sleep } from './support/api-process';
import { API_MAIN, REGISTER } from './support/build';
import { HUNG_MS, request } from './support/http';

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
      timeout: HUNG_MS,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'placement-api failed to start: Invalid configuration:\n' +
        '  SEED_DEMO_ESTATE: SEED_DEMO_ESTATE must be true or false (or 1 or 0), got "yes"\n',
    );
  });

  it(
    'serves on the interface and files the .env names, at the level the started environment sets',
    async () => {
      writeFileSync(
        path.join(dir, '.env'),
        [
          'NODE_ENV=test',
          'HOST=127.0.0.1',
          // Any free port (the default is 3000): the API names the one it bound in its `listening` line.
          'PORT=0',
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
        // LOG_LEVEL=log from the environment, not warn from the file: the info line saying it listens.
        const listening = await eventually(
          () => (child.exitCode === null ? listeningLine(output) : Promise.reject(new Error(`exited:\n${output}`))),
          () => `the listening line (output so far:\n${output.slice(-2000)})`,
        );
        expect(listening).toMatchObject({ level: 'info', msg: 'listening', store: 'sqlite' });
        expect(listening.port).not.toBe(3000);
        const live = await request(`http://127.0.0.1:${listening.port}`, 'GET', '/health/live', { timeoutMs: HUNG_MS });
        expect(live.status).toBe(200);
        expect(readFileSync(path.join(dir, 'log/events.db')).length).toBeGreaterThan(0);
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    },
    2 * HUNG_MS,
  );
});

/** The pino line the API writes once it listens, or undefined while it has not yet. */
async function listeningLine(output: string): Promise<{ port: number } & Record<string, unknown>> {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry['msg'] === 'listening' && typeof entry['port'] === 'number') return entry as { port: number };
  }
  throw new Error('not listening yet');
}

/** Retries `read` until it resolves; gives up only after HUNG_MS (a hung start, not a slow one). */
async function eventually<T>(read: () => Promise<T>, what: () => string): Promise<T> {
  const deadline = Date.now() + HUNG_MS;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > deadline || /^exited/.test((error as Error).message)) {
        throw new Error(`${what()}: ${(error as Error).message}`);
      }
      await sleep(50);
    }
  }
}
