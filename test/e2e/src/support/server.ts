import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bootstrapApplication } from '@placement/api';
import type { Clock } from '@placement/event-store';
import { TestClock } from './clock';
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

export const TOKENS = {
  placement: 'dev-placement',
  manager: 'dev-manager',
  auditor: 'dev-auditor',
  admin: 'dev-admin',
} as const;

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
