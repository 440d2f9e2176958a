import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
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

/**
 * The port the API reports it bound, from its `listening` log line written after `from` (a
 * byte offset: the log is appended across restarts), or null while it has not said yet.
 */
function reportedPort(logPath: string, from: number): number | null {
  if (!existsSync(logPath)) return null;
  const fd = openSync(logPath, 'r');
  let text: string;
  try {
    const bytes = Buffer.alloc(Math.max(0, fstatSync(fd).size - from));
    readSync(fd, bytes, 0, bytes.length, from);
    text = bytes.toString('utf8');
  } finally {
    closeSync(fd);
  }
  for (const line of text.split('\n').slice(0, -1)) {
    if (!line.startsWith('{')) continue;
    try {
      // A pino line: flat fields, `{"level":"info",...,"msg":"listening","port":41234,...}`.
      const entry = JSON.parse(line) as { msg?: unknown; port?: unknown };
      if (entry.msg === 'listening' && typeof entry.port === 'number') return entry.port;
    } catch {
      // not a JSON log line
    }
  }
  return null;
}

/**
 * Starts the compiled API exactly as `npm start` does (node -r register main.js), on the
 * given files, listening on loopback only, and waits until /health answers. The API listens
 * on port 0 and reports the port it got: a port chosen here and handed over could be taken
 * by another process in between. The start-up reconciler runs before the server listens,
 * so "healthy" also means "repaired". `hungMs` only bounds a start-up that never comes.
 */
export async function startApi(
  files: ApiFiles,
  env: Record<string, string> = {},
  hungMs = 120_000,
): Promise<ApiProcess> {
  const logFrom = existsSync(files.logPath) ? statSync(files.logPath).size : 0;
  const log = openSync(files.logPath, 'a');
  const child = spawn(process.execPath, ['-r', REGISTER, API_MAIN], {
    cwd: ROOT,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
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
  const deadline = Date.now() + hungMs;
  let ended = false;
  void exited.then(() => (ended = true));
  let port: number | null = null;
  while (Date.now() < deadline) {
    if (ended) throw new Error(`the API exited during start-up; log tail:\n${tail(files.logPath)}`);
    port ??= reportedPort(files.logPath, logFrom);
    if (port !== null) {
      const api: ApiProcess = { baseUrl: `http://127.0.0.1:${port}`, port, child, exited };
      try {
        const res = await request(api.baseUrl, 'GET', '/health', { timeoutMs: 10_000 });
        if (res.status === 200) return api;
      } catch {
        // it reported the port and stopped answering: the next pass sees it exit
      }
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`the API had not started after ${hungMs} ms (hung); log tail:\n${tail(files.logPath)}`);
}

/** SIGKILL: no shutdown hook runs, nothing is flushed that was not already on disk. */
export async function killHard(api: ApiProcess): Promise<void> {
  api.child.kill('SIGKILL');
  await api.exited;
}

/** After a spec: each of its API processes still running killed hard, and its files removed (kept with KEEP_FILES). */
export async function cleanUp(files: ApiFiles, apis: readonly (ApiProcess | undefined)[]): Promise<void> {
  for (const api of apis) if (api && api.child.exitCode === null && api.child.signalCode === null) await killHard(api);
  if (!process.env['KEEP_FILES']) rmSync(files.dir, { recursive: true, force: true });
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
