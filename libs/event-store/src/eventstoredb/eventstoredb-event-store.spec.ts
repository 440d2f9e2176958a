import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { describeEventStoreContract } from '../testing';
import { StoreUnavailableError } from '../errors';
import type { EventStore, RecordedEvent } from '../port';
import { openEventStoreDbEventStore, type RetryNotice } from './eventstoredb-event-store';

/*
 * The shared contract runs only against a live EventStoreDB (ESDB_CONNECTION_STRING,
 * e.g. esdb://localhost:2113?tls=false from docker/compose.yaml). Without one, every
 * contract case is declared under describe.skip so jest reports them as skipped, not passed.
 */
const connectionString = process.env['ESDB_CONNECTION_STRING'];
const contract = connectionString ? describe : describe.skip;

contract(
  `eventstoredb adapter against ${connectionString ? 'a live server' : 'no server (set ESDB_CONNECTION_STRING to run)'}`,
  () => {
    // Each case starts in an empty namespace, whose head is found by scanning $all backwards:
    // on a dev server holding earlier runs that takes longer than jest's default 5 s.
    jest.setTimeout(60_000);
    describeEventStoreContract(
      'eventstoredb',
      async () => {
        // A namespace per case: the server is shared and cannot be wiped between cases.
        const namespace = `contract-${randomUUID().slice(0, 8)}:`;
        const open = () => openEventStoreDbEventStore({ connectionString: connectionString ?? '', namespace });
        const opened: EventStore[] = [await open()];
        return {
          store: opened[0],
          reopen: async () => {
            const again = await open();
            opened.push(again);
            return again;
          },
          // ESDB's log is append-only from a client's side: no tamper hooks, those cases are skipped.
          cleanup: async () => {
            await Promise.all(opened.map((store) => store.close()));
          },
        };
      },
      { reopen: true, tamperHooks: [] },
    );
  },
);

// Nothing listens on port 1 here, so these run on every machine.
const unreachable = 'esdb://127.0.0.1:1?tls=false';

describe('eventstoredb adapter start-up', () => {
  // Start-up gives up (rather than retrying for ever) with one error; jest's timeout is the "hung" bound.
  it('fails with one clear error when the server is unreachable', async () => {
    const failure = await openEventStoreDbEventStore({ connectionString: unreachable, connectTimeoutMs: 3_000 }).then(
      () => new Error('expected start-up to fail'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toMatch(/^Cannot reach EventStoreDB at esdb:\/\/127\.0\.0\.1:1\?tls=false: /);
  });

  it('rejects a malformed connection string without echoing its password', async () => {
    const failure = await openEventStoreDbEventStore({ connectionString: 'esdb://admin:hunter2@:2113?tls=maybe' }).then(
      () => new Error('expected start-up to fail'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toMatch(/not a valid EventStoreDB connection string/);
    expect((failure as Error).message).not.toContain('hunter2');
  });

  it('lets the process exit after a failed start-up: no gRPC handle is left behind', () => {
    const child = runChild(`
      openEventStoreDbEventStore({ connectionString: ${JSON.stringify(unreachable)}, connectTimeoutMs: 2000 })
        .then(() => { console.log('connected?'); process.exitCode = 2; }, (error) => console.log('failed: ' + error.name));
    `);
    expect(child.timedOut).toBe(false);
    expect(child.stdout.trim()).toBe('failed: StoreUnavailableError');
    expect(child.status).toBe(0);
  }, 20_000);
});

describe('eventstoredb adapter with the server down (the real client, nothing listening)', () => {
  const open = (onRetry: (retry: RetryNotice) => void, maxRetries = 5) =>
    openEventStoreDbEventStore({
      connectionString: unreachable,
      verifyConnection: false,
      backoffMs: 20,
      maxBackoffMs: 160,
      maxRetries,
      onRetry,
    });

  it('keeps a live subscription retrying with capped exponential backoff; close() completes it and stops retrying', async () => {
    const retries: RetryNotice[] = [];
    const store = await open((retry) => retries.push(retry));
    const errors: unknown[] = [];
    let completed = false;
    store.subscribeToAll().subscribe({ error: (error) => errors.push(error), complete: () => (completed = true) });
    await eventually(() => expect(retries.length).toBeGreaterThanOrEqual(5));
    retries.forEach((retry, i) => {
      const ceiling = Math.min(160, 20 * 2 ** i);
      expect(retry).toMatchObject({
        operation: 'subscribeToAll',
        attempt: i + 1,
        reason: expect.stringMatching(/^UnavailableError: /),
      });
      expect(retry.delayMs).toBeGreaterThanOrEqual(ceiling / 2);
      expect(retry.delayMs).toBeLessThanOrEqual(ceiling);
    });
    await store.close();
    expect(completed).toBe(true);
    expect(errors).toEqual([]);
    const seen = retries.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(retries.length).toBe(seen);
  }, 15_000);

  it('retries a read a bounded number of times, then fails with StoreUnavailableError', async () => {
    const retries: RetryNotice[] = [];
    const store = await open((retry) => retries.push(retry), 3);
    try {
      await expect(store.readStream('bed-1.a')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(retries.map((r) => [r.operation, r.attempt])).toEqual([
        ['read', 1],
        ['read', 2],
        ['read', 3],
      ]);
      await expect(store.append('bed-1.a', [])).rejects.toThrow(/EventStoreDB is unavailable/);
    } finally {
      await store.close();
    }
  }, 15_000);

  it('refuses work after close()', async () => {
    const store = await open(() => undefined);
    await store.close();
    await expect(store.headPosition()).rejects.toThrow(/closed/);
    const failure = await new Promise<unknown>((resolve) =>
      store.subscribeToAll().subscribe({ error: resolve, next: (e: RecordedEvent) => resolve(e) }),
    );
    expect(failure).toBeInstanceOf(StoreUnavailableError);
  });

  it('lets the process exit after close() with a subscription still reconnecting', () => {
    const child = runChild(`
      openEventStoreDbEventStore({ connectionString: ${JSON.stringify(unreachable)}, verifyConnection: false, backoffMs: 20,
        onRetry: (retry) => { if (retry.attempt === 3) void store.close().then(() => console.log('closed')); } })
        .then((opened) => { store = opened; store.subscribeToAll().subscribe({ complete: () => console.log('completed') }); });
      let store;
    `);
    expect(child.timedOut).toBe(false);
    expect(child.stdout.trim().split('\n')).toEqual(['completed', 'closed']);
    expect(child.status).toBe(0);
  }, 20_000);
});

/**
 * Runs `body` in a fresh node process with this adapter loaded from source, and reports
 * whether the process ended on its own: a leaked gRPC channel or timer keeps it alive
 * until the timeout kills it.
 */
function runChild(body: string): { stdout: string; status: number | null; timedOut: boolean } {
  const script = `
    const ts = require('typescript'); const fs = require('node:fs');
    require.extensions['.ts'] = (module, file) => module._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'),
      { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, file);
    const { openEventStoreDbEventStore } = require(${JSON.stringify(path.join(__dirname, 'eventstoredb-event-store.ts'))});
    ${body}
  `;
  const child = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    timeout: 12_000,
    cwd: path.resolve(__dirname, '../../../..'),
  });
  const timedOut = (child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { stdout: child.stdout, status: child.status, timedOut };
}

async function eventually(assertion: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
