import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_MAIN, CLI_MAIN, REGISTER, ROOT } from './build';
import { request } from './http';

export interface ApiProcess {
  readonly baseUrl: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Resolves when the process has ended, with its exit code or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ApiFiles {
  readonly dir: string;
  readonly sqlitePath: string;
  readonly readModelPath: string;
  /** stdout and stderr of every run, appended: it survives a SIGKILL. */
  readonly logPath: string;
}

export function tempFiles(prefix: string): ApiFiles {
  const dir = mkdtempSync(path.join(tmpdir(), `placement-system-${prefix}-`));
  return {
    dir,
    sqlitePath: path.join(dir, 'events.db'),
    readModelPath: path.join(dir, 'read-models.db'),
    logPath: path.join(dir, 'api.log'),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the compiled API exactly as `npm start` does (node -r register main.js), on the
 * given files, listening on loopback only, and waits until /health answers. The start-up
 * reconciler runs before the server listens, so "healthy" also means "repaired".
 */
export async function startApi(
  files: ApiFiles,
  env: Record<string, string> = {},
  readyTimeoutMs = 30_000,
): Promise<ApiProcess> {
  const port = await freePort();
  const log = openSync(files.logPath, 'a');
  const child = spawn(process.execPath, ['-r', REGISTER, API_MAIN], {
    cwd: ROOT,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      SQLITE_PATH: files.sqlitePath,
      READ_MODEL_PATH: files.readModelPath,
      SEED_DEMO_ESTATE: 'false',
      RECONCILE_STARTUP_GRACE_SECONDS: '0',
      RECONCILE_INTERVAL_SECONDS: '0',
      ...env,
    },
  });
  closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const api: ApiProcess = { baseUrl: `http://127.0.0.1:${port}`, port, child, exited };
  const deadline = Date.now() + readyTimeoutMs;
  let ended = false;
  void exited.then(() => (ended = true));
  while (Date.now() < deadline) {
    if (ended) throw new Error(`the API exited during start-up; log tail:\n${tail(files.logPath)}`);
    try {
      const res = await request(api.baseUrl, 'GET', '/health', { timeoutMs: 1000 });
      if (res.status === 200) return api;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`the API did not become healthy in ${readyTimeoutMs} ms; log tail:\n${tail(files.logPath)}`);
}

/** SIGKILL: no shutdown hook runs, nothing is flushed that was not already on disk. */
export async function killHard(api: ApiProcess): Promise<void> {
  api.child.kill('SIGKILL');
  await api.exited;
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The operator CLI, compiled, in its own process: `placement-cli <args>`. */
export function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['-r', REGISTER, CLI_MAIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI without blocking this process's event loop (so a driver keeps writing meanwhile). */
export function cliAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', REGISTER, CLI_MAIN, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const PROJECTOR = path.join(__dirname, 'projector.js');

/**
 * The projections runner following the log in its own process (killed together with the API),
 * on its own read-model file: never the API's READ_MODEL_PATH, which the API's runner may keep.
 */
export async function startProjector(files: ApiFiles, readModelPath: string): Promise<ChildProcess> {
  const log = openSync(files.logPath, 'a');
  const child = spawn(process.execPath, ['-r', REGISTER, PROJECTOR, 'follow', files.sqlitePath, readModelPath], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', log],
  });
  closeSync(log);
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`projector exited ${code} before following; log tail:\n${tail(files.logPath)}`)),
    );
    child.stdout?.once('data', () => resolve());
  });
  return child;
}

export interface ReadModelDump {
  caughtUp: boolean;
  head: string;
  status: { name: string; position: string; state: string; error: string | null }[];
  tables: Record<string, string[]>;
}

function projector(mode: 'once' | 'dump', sqlitePath: string, readModelPath: string): ReadModelDump {
  const result = spawnSync(process.execPath, ['-r', REGISTER, PROJECTOR, mode, sqlitePath, readModelPath], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`projector ${mode} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as ReadModelDump;
}

/** Resumes (or builds) the read models in `readModelPath`, catches up with the log and dumps them. */
export function projectOnce(sqlitePath: string, readModelPath: string): ReadModelDump {
  return projector('once', sqlitePath, readModelPath);
}

/** Dumps read models another process keeps, read-only, with their checkpoints. */
export function dumpReadModels(sqlitePath: string, readModelPath: string): ReadModelDump {
  return projector('dump', sqlitePath, readModelPath);
}
