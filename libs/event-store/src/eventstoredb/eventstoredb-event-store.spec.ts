import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { binaryEvent, jsonEvent, UnavailableError } from '@eventstore/db-client';
import { describeEventStoreContract, eventually } from '../testing';
import { StandInClient } from '../testing/esdb-stand-in-client';
import { StoreUnavailableError, WrongExpectedVersionError } from '../errors';
import type { EventStore, EventToAppend, RecordedEvent } from '../port';
import {
  eventStoreDbOverClient,
  openEventStoreDbEventStore,
  type ReconnectNotice,
  type RetryNotice,
} from './eventstoredb-event-store';
import { chainEvents, type ForeignEventNotice } from './mapping';

/*
 * The shared contract runs only against a live EventStoreDB (ESDB_CONNECTION_STRING,
 * e.g. esdb://localhost:2113?tls=false from docker/compose.yaml). Without one, every
 * contract case is declared under describe.skip so jest reports them as skipped, not passed.
 */
const connectionString = process.env['ESDB_CONNECTION_STRING'];
const contract = connectionString ? describe : describe.skip;

const against = connectionString ? 'a live server' : 'no server (set ESDB_CONNECTION_STRING to run)';

contract(`eventstoredb adapter against ${against}`, () => {
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
});

// Nothing listens on port 1 here, so these run on every machine.
const unreachable = 'esdb://127.0.0.1:1?tls=false';

describe('eventstoredb adapter start-up', () => {
  it('fails with one clear error saying the server cannot be reached (refused, not timed out)', async () => {
    const failure = await openEventStoreDbEventStore({ connectionString: unreachable, connectTimeoutMs: 30_000 }).then(
      () => new Error('expected start-up to fail'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    // The refusal itself, not the check's own timeout ("did not answer within ..."): it did not wait.
    expect((failure as Error).message).toMatch(
      /^Cannot reach EventStoreDB at esdb:\/\/127\.0\.0\.1:1\?tls=false: 14 UNAVAILABLE: .*ECONNREFUSED/,
    );
  }, 60_000);

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
        .then(() => { console.log('connected?'); process.exitCode = 2; },
          (error) => console.log('failed: ' + error.name));
    `);
    expect(child.timedOut).toBe(false);
    expect(child.stdout.trim()).toBe('failed: StoreUnavailableError');
    expect(child.status).toBe(0);
  }, 90_000);
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

  const backoffCase =
    'keeps a live subscription retrying with capped exponential backoff; close() completes it and stops retrying';
  it(
    backoffCase,
    async () => {
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
    },
    15_000,
  );

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
      openEventStoreDbEventStore({ connectionString: ${JSON.stringify(unreachable)}, verifyConnection: false,
        backoffMs: 20,
        onRetry: (retry) => { if (retry.attempt === 3) void store.close().then(() => console.log('closed')); },
      })
        .then((opened) => {
          store = opened;
          store.subscribeToAll().subscribe({ complete: () => console.log('completed') });
        });
      let store;
    `);
    expect(child.timedOut).toBe(false);
    expect(child.stdout.trim().split('\n')).toEqual(['completed', 'closed']);
    expect(child.status).toBe(0);
  }, 90_000);
});

/**
 * Runs `body` in a fresh node process with this adapter loaded from source, and reports
 * whether the process ended on its own: a leaked gRPC channel or timer keeps it alive
 * until the timeout kills it.
 */
function runChild(body: string): { stdout: string; status: number | null; timedOut: boolean } {
  const script = `
    const ts = require('typescript'); const fs = require('node:fs');
    const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
    require.extensions['.ts'] = (module, file) =>
      module._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options }).outputText, file);
    const adapter = ${JSON.stringify(path.join(__dirname, 'eventstoredb-event-store.ts'))};
    const { openEventStoreDbEventStore } = require(adapter);
    ${body}
  `;
  const child = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    // Only "hung": loading the adapter from source takes seconds on a busy machine.
    timeout: 60_000,
    cwd: path.resolve(__dirname, '../../../..'),
  });
  const timedOut = (child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { stdout: child.stdout, status: child.status, timedOut };
}

/*
 * The adapter's own behaviour around the client, driven through a stand-in for the gRPC client
 * (../testing/esdb-stand-in-client.ts: one node's streams in memory, the client's own shapes
 * and errors). What only a live server can show is the contract suite's job, above.
 */
describe('eventstoredb adapter over a stand-in client', () => {
  const ns = 'placement-';
  const actor = { id: 'officer-1', role: 'placement-officer' };
  const ours = (id: string, data: Record<string, unknown> = {}): EventToAppend => ({
    id,
    type: 'BedAdded',
    data,
    metadata: { commandId: `c-${id}`, correlationId: 'corr', causationId: `c-${id}`, actor },
  });
  /** Appends one of our events to `streamId` as another replica of this engine would. */
  const writeOurs = (client: StandInClient, streamId: string, event: EventToAppend): void => {
    const tail = client.tailOf(ns + streamId);
    const previous = tail === null ? null : { revision: tail.revision, hash: (tail.metadata as { hash: string }).hash };
    const [chained] = chainEvents(streamId, previous, [event], '2026-11-30T09:00:00.000Z');
    client.write(ns + streamId, [chained.eventData]);
  };
  /** What another application sharing the cluster writes: not JSON, or JSON with its own metadata. */
  const writeForeign = (client: StandInClient, streamName: string) => {
    const binary = binaryEvent({ type: 'Invoice', data: Buffer.from('Ellie Smith, 14 Canal St') });
    const json = jsonEvent({
      type: 'PatientAdmitted',
      data: { name: 'Ellie Smith', dateOfBirth: '2011-09-23' },
      metadata: { $correlationId: 'x', source: 'another-app' },
    });
    client.write(streamName, [binary, json]);
    return { binaryId: binary.id, jsonId: json.id };
  };

  it('skips and reports foreign events in the namespace, and the subscription carries on', async () => {
    const client = new StandInClient();
    const notices: ForeignEventNotice[] = [];
    const store = eventStoreDbOverClient(client.asClient(), { namespace: ns, onForeignEvent: (n) => notices.push(n) });
    writeOurs(client, 'bed-1.a', ours('e1'));
    const foreign = writeForeign(client, `${ns}billing-7`);
    client.write('orders-1', [jsonEvent({ type: 'OrderPlaced', data: { n: 1 } })]); // outside the namespace
    writeOurs(client, 'bed-1.a', ours('e2'));

    const received: RecordedEvent[] = [];
    const errors: unknown[] = [];
    const subscription = store
      .subscribeToAll()
      .subscribe({ next: (e) => received.push(e), error: (e) => errors.push(e) });
    const live = client.subscriptions[0];
    for (const resolved of client.resolvedAll()) live.emit('data', resolved);
    // And live after the foreign events: still delivering.
    writeOurs(client, 'bed-1.a', ours('e3'));
    live.emit('data', client.resolvedAll().at(-1));

    expect(errors).toEqual([]);
    expect(received.map((e) => [e.streamId, e.id])).toEqual([
      ['bed-1.a', 'e1'],
      ['bed-1.a', 'e2'],
      ['bed-1.a', 'e3'],
    ]);
    const positions = client.resolvedAll().map((r) => r.event?.position?.commit);
    expect(notices).toEqual([
      { eventId: foreign.binaryId, position: positions[1], reason: 'not JSON; this store writes JSON only' },
      { eventId: foreign.jsonId, position: positions[2], reason: 'metadata.actor is missing or malformed' },
    ]);
    // What is reported is safe to log: nothing of the foreign events' data.
    expect(JSON.stringify(notices, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toMatch(
      /Ellie|Canal|2011/,
    );
    subscription.unsubscribe();
    await store.close();
  });

  it('reads $all past foreign events the same way, and refuses one inside a stream of its own', async () => {
    const client = new StandInClient();
    const notices: ForeignEventNotice[] = [];
    const store = eventStoreDbOverClient(client.asClient(), { namespace: ns, onForeignEvent: (n) => notices.push(n) });
    writeOurs(client, 'bed-1.a', ours('e1'));
    writeForeign(client, `${ns}bed-1.a`);
    writeOurs(client, 'bed-2.a', ours('e2'));

    expect((await store.readAll()).map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(notices.map((n) => n.reason)).toEqual([
      'not JSON; this store writes JSON only',
      'metadata.actor is missing or malformed',
    ]);
    expect(await store.headPosition()).toBe(client.resolvedAll().at(-1)?.event?.position?.commit);
    // A decision is never taken on a stream something else has written into.
    await expect(store.readStream('bed-1.a')).rejects.toThrow(/was not written by this store: not JSON/);
    await store.close();
  });

  it("backs an 'any' append off under contention, never refusing it (15 lost races; old limit: 10)", async () => {
    let rivals = 15;
    const client = new StandInClient({
      beforeAppend: (streamName, c) => {
        if (streamName !== `${ns}bed-1.a` || rivals === 0) return;
        rivals -= 1;
        writeOurs(c, 'bed-1.a', ours(`rival-${rivals}`)); // another replica gets in first
      },
    });
    const retries: RetryNotice[] = [];
    const store = eventStoreDbOverClient(client.asClient(), {
      namespace: ns,
      backoffMs: 1,
      maxBackoffMs: 4,
      onRetry: (r) => retries.push(r),
    });
    const result = await store.append('bed-1.a', [ours('mine')], { expectedRevision: 'any' });
    expect(result.nextExpectedRevision).toBe(15n);
    const stream = await store.readStream('bed-1.a');
    expect(stream.map((e) => e.id).at(-1)).toBe('mine');
    expect(stream).toHaveLength(16);
    expect(await store.verify()).toMatchObject({ ok: true, events: 16 });
    expect(retries.map((r) => [r.operation, r.attempt, r.reason])).toEqual(
      Array.from({ length: 15 }, (_, i) => [
        'append',
        i + 1,
        'WrongExpectedVersionError: another writer appended first',
      ]),
    );
    for (const [i, r] of retries.entries()) {
      const ceiling = Math.min(4, 2 ** i);
      expect(r.delayMs).toBeGreaterThanOrEqual(ceiling / 2);
      expect(r.delayMs).toBeLessThanOrEqual(ceiling);
    }
    await store.close();
  });

  it('refuses an exact expectation that lost its race at once, without backing off', async () => {
    let rival = true;
    const client = new StandInClient({
      beforeAppend: (streamName, c) => {
        if (streamName !== `${ns}bed-1.a` || !rival) return;
        rival = false;
        writeOurs(c, 'bed-1.a', ours('rival'));
      },
    });
    const retries: RetryNotice[] = [];
    const store = eventStoreDbOverClient(client.asClient(), { namespace: ns, onRetry: (r) => retries.push(r) });
    await expect(store.append('bed-1.a', [ours('mine')], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    expect(retries).toEqual([]);
    expect((await store.readStream('bed-1.a')).map((e) => e.id)).toEqual(['rival']);
    await store.close();
  });

  it('ends an append that is backing off as soon as the store closes', async () => {
    const client = new StandInClient({
      beforeAppend: (streamName, c) => {
        if (streamName === `${ns}bed-1.a`) writeOurs(c, 'bed-1.a', ours(`rival-${Math.random()}`));
      },
    });
    const store = eventStoreDbOverClient(client.asClient(), {
      namespace: ns,
      backoffMs: 600_000,
      maxBackoffMs: 600_000,
      onRetry: () => void store.close(),
    });
    await expect(store.append('bed-1.a', [ours('mine')])).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('tells of a subscription that is back after a failure', async () => {
    const client = new StandInClient();
    const reconnects: ReconnectNotice[] = [];
    const retries: RetryNotice[] = [];
    const store = eventStoreDbOverClient(client.asClient(), {
      namespace: ns,
      backoffMs: 1,
      onRetry: (r) => retries.push(r),
      onReconnect: (n) => reconnects.push(n),
    });
    const subscription = store.subscribeToAll().subscribe();
    client.subscriptions[0].emit('error', new UnavailableError(undefined, 'node restarting'));
    await eventually(() => expect(client.subscriptions).toHaveLength(2));
    client.subscriptions[1].emit('confirmation');
    expect(retries.map((r) => [r.operation, r.attempt])).toEqual([['subscribeToAll', 1]]);
    expect(reconnects).toEqual([{ operation: 'subscribeToAll', afterAttempts: 1 }]);
    subscription.unsubscribe();
    await store.close();
  });
});
