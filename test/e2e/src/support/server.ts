import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bootstrapApplication } from '@placement/api';
import type { Clock } from '@placement/event-store';
import { TestClock } from './clock';
import { TOKENS } from '@placement/test-support';
import { noteProblem } from './documented-problems';

/** The server's JSON log lines, kept in memory (pass it as `startServer`'s `logger`). */
export class LogCapture {
  readonly lines: string[] = [];

  write(line: string): void {
    for (const one of line.split('\n')) if (one !== '') this.lines.push(one);
  }

  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export interface TestServer {
  baseUrl: string;
  dir: string;
  app: INestApplication;
  sqlitePath: string;
  /** The server's clock: recorded instants and "today" come from it, never from the wall clock. */
  clock: Clock;
  /** Stops the server; the temp folder is removed unless `keepFiles` (to restart on the same store). */
  close(options?: { keepFiles?: boolean }): Promise<void>;
}

/**
 * The real API (same bootstrap as `npm start`) listening on a random loopback port,
 * on a real SQLite file in a fresh temp folder, with a `TestClock` (starting on E2E_TODAY)
 * unless a test gives its own clock.
 */
export async function startServer(
  env: Record<string, string> = {},
  options: { dir?: string; clock?: Clock; logger?: LogCapture } = {},
): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'placement-e2e-'));
  const sqlitePath = path.join(dir, 'events.db');
  const clock = options.clock ?? new TestClock();
  const started = bootstrapApplication({
    nestFactory: NestFactory,
    logger: options.logger ?? false,
    clock,
    env: {
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      SQLITE_PATH: sqlitePath,
      READ_MODEL_PATH: path.join(dir, 'read-models.db'),
      SEED_DEMO_ESTATE: 'false',
      ...env,
    },
  });
  // A refused start (bad configuration) leaves no temp folder behind.
  const { app } = await started.catch((error: unknown) => {
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    dir,
    app,
    sqlitePath,
    clock,
    async close(closeOptions?: { keepFiles?: boolean }) {
      await app.close();
      if (!closeOptions?.keepFiles) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One server for the enclosing `describe` (or spec file): started before its first test, closed
 * after its last. The handle it returns stands for that server from inside a hook or a test.
 */
export function withServer(
  env: Record<string, string> = {},
  options: { clock?: Clock; logger?: LogCapture } = {},
): TestServer {
  let started: TestServer | undefined;
  beforeAll(async () => {
    started = await startServer(env, options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const running = (): TestServer => {
    if (started === undefined) throw new Error('the server starts in beforeAll: use it from a hook or a test');
    return started;
  };
  return {
    get baseUrl() {
      return running().baseUrl;
    },
    get dir() {
      return running().dir;
    },
    get app() {
      return running().app;
    },
    get sqlitePath() {
      return running().sqlitePath;
    },
    get clock() {
      return running().clock;
    },
    close: (closeOptions) => running().close(closeOptions),
  };
}

export { TOKENS };

/** A GET as a list's client makes it: the body, its `Link` header (a page's next) and its size in bytes. */
export async function getPage<T>(server: TestServer, route: string, token: string = TOKENS.placement) {
  const res = await fetch(`${server.baseUrl}${route}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: res.status,
    link: res.headers.get('link'),
    contentType: res.headers.get('content-type') ?? '',
    bytes: Number(res.headers.get('content-length') ?? '0'),
    body: (await res.json()) as T,
  };
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  contentType: string;
}

export async function api<T = unknown>(
  server: TestServer,
  method: string,
  route: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${server.baseUrl}${route}`, { method, headers, body });
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const parsed = contentType.includes('json') && text ? (JSON.parse(text) as T) : (text as unknown as T);
  if (contentType.includes('application/problem+json')) {
    await noteProblem(server.baseUrl, method, route, res.status, parsed);
  }
  return { status: res.status, body: parsed, contentType };
}
