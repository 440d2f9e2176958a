import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { Observable, type Subscriber } from 'rxjs';
import { IdempotencyConflictError, StoreUnavailableError, WrongExpectedVersionError } from '../errors';
import {
  systemClock,
  type AppendOptions,
  type AppendResult,
  type Clock,
  type EventStore,
  type EventToAppend,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type VerifyOptions,
  type VerifyResult,
} from '../port';
import {
  AllStreamCursor,
  checkLink,
  describeStartupFailure,
  mapResolvedEvent,
  type ForeignEventNotice,
  type BrokenLink,
  chainEvents,
  claimEvent,
  claimStreamName,
  claimedStream,
  isTransient,
  redactConnectionString,
  revisionSatisfies,
  sameContent,
  toEsdbExpectedRevision,
  resumeFrom,
  toRecordedEvent,
  translateError,
} from './mapping';

export interface EventStoreDbOptions {
  /** e.g. `esdb://localhost:2113?tls=false` (local dev) or `esdb+discover://…` for a cluster. */
  readonly connectionString: string;
  readonly clock?: Clock;
  /**
   * Prefix for every stream this store writes, stripped on read (default `placement-`). Its
   * $all subscription is filtered to the prefix on the server, and $all reads skip everything
   * outside it: a cluster other applications write to never reaches the projections. The
   * contract suite runs on a shared server with one namespace per test.
   */
  readonly namespace?: string;
  /** Bound on the start-up check, so a wrong address fails at start-up instead of hanging. */
  readonly connectTimeoutMs?: number;
  /** Retries of one read or append on a transient error (node down, leader change). */
  readonly maxRetries?: number;
  /** First backoff delay; doubles per attempt up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /**
   * Check at start-up that the server answers (default true). `false` only when the caller
   * wants to start before the server and rely on reconnection instead.
   */
  readonly verifyConnection?: boolean;
  /** Told of every retry after a transient failure or a lost race, e.g. to log it (no event data is passed). */
  readonly onRetry?: (retry: RetryNotice) => void;
  /** Told when a live subscription is back after failures (it resumed where it stopped). */
  readonly onReconnect?: (notice: ReconnectNotice) => void;
  /** Told of each event in the namespace this store did not write, which $all readers skip. */
  readonly onForeignEvent?: (notice: ForeignEventNotice) => void;
}

/** The prefix of this engine's streams unless configured otherwise (ESDB_STREAM_PREFIX). */
export const DEFAULT_STREAM_PREFIX = 'placement-';

export interface ReconnectNotice {
  readonly operation: 'subscribeToAll';
  /** Failed attempts before this one succeeded. */
  readonly afterAttempts: number;
}

export interface RetryNotice {
  readonly operation: 'append' | 'read' | 'subscribeToAll';
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

/**
 * Opens the EventStoreDB adapter and checks, within `connectTimeoutMs`, that the server
 * answers. A malformed or unreachable connection string fails here with one
 * StoreUnavailableError (password redacted) rather than on the first command.
 */
export async function openEventStoreDbEventStore(options: EventStoreDbOptions): Promise<EventStore> {
  const where = redactConnectionString(options.connectionString);
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(options.connectionString);
  } catch (error) {
    throw new StoreUnavailableError(
      `ESDB_CONNECTION_STRING is not a valid EventStoreDB connection string (${where}): ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
  const store = new EventStoreDbEventStore(client, options);
  if (options.verifyConnection === false) return store;
  const timeoutMs = options.connectTimeoutMs ?? 5_000;
  try {
    await store.probe(timeoutMs);
  } catch (error) {
    await store.close();
    throw new StoreUnavailableError(describeStartupFailure(error, where, timeoutMs), { cause: error });
  }
  return store;
}

/**
 * The adapter over a client built elsewhere, with no start-up check: for tools that configure
 * the client themselves, and for tests that drive the adapter through a stand-in for the
 * gRPC client (no EventStoreDB server can run where this was built).
 */
export function eventStoreDbOverClient(
  client: EventStoreDBClient,
  options: Omit<EventStoreDbOptions, 'connectionString' | 'verifyConnection' | 'connectTimeoutMs'> = {},
): EventStore {
  return new EventStoreDbEventStore(client, { ...options, connectionString: '' });
}

/** The start-up check's own timeout, told apart from the client's errors. */
export class ProbeTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'ProbeTimeoutError';
  }
}

interface ActiveSubscription {
  end(): void;
}

class EventStoreDbEventStore implements EventStore {
  private readonly clock: Clock;
  private readonly namespace: string;
  private readonly maxRetries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly onRetry: (retry: RetryNotice) => void;
  private readonly onReconnect: (notice: ReconnectNotice) => void;
  private readonly onForeignEvent: (notice: ForeignEventNotice) => void;
  private readonly subscriptions = new Set<ActiveSubscription>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.namespace = options.namespace ?? DEFAULT_STREAM_PREFIX;
    this.maxRetries = options.maxRetries ?? 5;
    this.backoffMs = options.backoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.onRetry = options.onRetry ?? (() => undefined);
    this.onReconnect = options.onReconnect ?? (() => undefined);
    this.onForeignEvent = options.onForeignEvent ?? (() => undefined);
  }

  /** One read of $all's last event, bounded by our own timer (streaming reads ignore gRPC deadlines). */
  async probe(timeoutMs: number): Promise<void> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    const finished = drain(read, () => 'stop');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProbeTimeoutError(timeoutMs)), timeoutMs);
    });
    try {
      await Promise.race([finished, timeout]);
    } finally {
      clearTimeout(timer);
      await read.cancel().catch(() => undefined);
    }
  }

  /**
   * Happy path: the stream's last event, the id claims, one append with that exact
   * revision. The whole stream is read only when the expectation fails or a claim already
   * existed, which is where a retried batch may already be written (idempotency by id).
   */
  async append(streamId: string, events: readonly EventToAppend[], options?: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const expected = options?.expectedRevision ?? 'any';
    toEsdbExpectedRevision(expected); // rejects a negative revision before any I/O
    assertDistinctIds(streamId, events);
    let transientFailures = 0;
    let racesLost = 0;
    for (;;) {
      this.assertOpen(); // a backoff ends early when the store closes
      let tail = await this.withRetry(() => this.readTail(streamId));
      if (!revisionSatisfies(expected, tail?.revision ?? 'no_stream')) {
        // Either a real conflict or a retry of a batch that is already written.
        const retried = idempotentResult(streamId, await this.withRetry(() => this.readWhole(streamId)), events);
        if (retried !== null) return retried;
        throw new WrongExpectedVersionError(streamId, expected, tail?.revision ?? 'no_stream');
      }
      if (events.length === 0) return { nextExpectedRevision: tail?.revision ?? -1n, position: tail?.position ?? -1n };

      if ((await this.claimIds(streamId, events)) === 'some-claimed-before') {
        const stored = await this.withRetry(() => this.readWhole(streamId));
        const retried = idempotentResult(streamId, stored, events);
        if (retried !== null) return retried;
        tail = stored.at(-1) ?? null;
        if (!revisionSatisfies(expected, tail?.revision ?? 'no_stream')) {
          throw new WrongExpectedVersionError(streamId, expected, tail?.revision ?? 'no_stream');
        }
      }
      const chained = chainEvents(streamId, tail, events, this.clock.now().toISOString());
      try {
        // Always an exact revision on the wire: the chain was computed against this tail,
        // so a concurrent writer must make us re-read and re-chain, whatever the caller asked.
        const result = await this.client.appendToStream(
          this.namespace + streamId,
          chained.map((c) => c.eventData),
          { expectedRevision: tail === null ? NO_STREAM : tail.revision },
        );
        // A single event's append result carries its own position; for a batch, read the last
        // event back rather than trust which event of the batch the server reported.
        const position =
          events.length === 1 && result.position !== undefined
            ? result.position.commit
            : await this.positionOf(streamId, result.nextExpectedRevision);
        return { nextExpectedRevision: result.nextExpectedRevision, position };
      } catch (error) {
        if (this.closed) throw translateError(error, streamId, expected);
        if (error instanceof EsdbWrongExpectedVersionError) {
          // Another writer appended between our read and our append. With an exact expectation
          // the next read decides (a retried batch, or the caller's conflict). 'any' and
          // 'stream_exists' pin no revision, so contention never refuses them: back off (with
          // jitter, so racing replicas spread out) and re-chain on the new tail.
          if (expected === 'any' || expected === 'stream_exists') {
            racesLost += 1;
            await this.pause('append', racesLost, 'WrongExpectedVersionError: another writer appended first');
          }
          continue;
        }
        // Unknown outcome: the next attempt finds our claims and reads the stream to decide.
        if (isTransient(error) && transientFailures < this.maxRetries) {
          transientFailures += 1;
          await this.pause('append', transientFailures, error);
          continue;
        }
        throw translateError(error, streamId, expected);
      }
    }
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options?.direction === 'backwards';
    return this.withRetry(() =>
      this.readEvents(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options?.fromRevision ?? (backwards ? END : START),
        maxCount: options?.maxCount ?? Number.MAX_SAFE_INTEGER,
      }),
    );
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = options?.after;
    const maxCount = options?.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (maxCount <= 0) return [];
    return this.withRetry(async () => {
      const events: RecordedEvent[] = [];
      // This client version has no server-side filter on readAll: system and foreign events are skipped here.
      const cursor = new AllStreamCursor(this.namespace, after, this.onForeignEvent);
      const read = this.client.readAll({ direction: FORWARDS, fromPosition: resumeFrom(after) });
      await drain(read, (resolved) => {
        const event = cursor.next(resolved);
        if (event === null) return 'continue';
        events.push(event);
        return events.length >= maxCount ? 'stop' : 'continue';
      });
      return events;
    });
  }

  subscribeToAll(options?: SubscribeOptions): Observable<RecordedEvent> {
    return new Observable<RecordedEvent>((subscriber) => {
      if (this.closed) {
        subscriber.error(new StoreUnavailableError('The EventStoreDB store is closed'));
        return undefined;
      }
      return this.follow(subscriber, options?.after);
    });
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.withRetry(async () => {
      let head = -1n;
      const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END });
      await drain(read, (resolved) => {
        // The head is our last event: another application's events after it do not count.
        const mapped = mapResolvedEvent(resolved, this.namespace);
        if (mapped.kind !== 'ours') return 'continue';
        head = mapped.event.position;
        return 'stop';
      });
      return head;
    });
  }

  /** Walks every stream's chain in $all order; ESDB has no global chain (that is a sqlite extra). */
  async verify(options?: VerifyOptions): Promise<VerifyResult> {
    this.assertOpen();
    const tails = new Map<string, { revision: bigint; hash: string }>();
    // One mutable record: the callback below fills it (TS does not track assignments made in callbacks).
    const walk: {
      events: number;
      head: { position: bigint; hash: string } | null;
      headSeen: boolean;
      broken: BrokenLink | null;
    } = {
      events: 0,
      head: null,
      headSeen: false,
      broken: null,
    };
    const expectedHead = options?.expectedHead;
    const read = this.client.readAll({ direction: FORWARDS, fromPosition: START });
    await drain(read, (resolved) => {
      let event: RecordedEvent | null;
      try {
        event = toRecordedEvent(resolved, this.namespace);
      } catch (error) {
        const raw = resolved.event;
        walk.broken = {
          chain: 'stream',
          streamId: raw?.streamId.slice(this.namespace.length),
          revision: raw?.revision,
          position: raw?.position?.commit ?? -1n,
          reason: messageOf(error),
        };
        return 'stop';
      }
      if (event === null) return 'continue';
      walk.broken = checkLink(event, tails.get(event.streamId));
      if (walk.broken !== null) return 'stop';
      walk.events += 1;
      tails.set(event.streamId, { revision: event.revision, hash: event.hash });
      walk.head = { position: event.position, hash: event.hash };
      if (expectedHead !== undefined && event.position === expectedHead.position) {
        walk.headSeen = true;
        if (event.hash !== expectedHead.hash) {
          walk.broken = {
            chain: 'stream',
            streamId: event.streamId,
            revision: event.revision,
            position: event.position,
            reason:
              `recorded head at position ${expectedHead.position} had hash ${expectedHead.hash},` +
              ` found ${event.hash}`,
          };
          return 'stop';
        }
      }
      return 'continue';
    });
    if (walk.broken !== null) return { ok: false, events: walk.events, brokenLink: walk.broken };
    if (expectedHead !== undefined && !walk.headSeen) {
      const { position, hash } = expectedHead;
      return {
        ok: false,
        events: walk.events,
        brokenLink: { chain: 'stream', position, reason: `recorded head ${position}:${hash} is no longer in the log` },
      };
    }
    return { ok: true, events: walk.events, head: walk.head };
  }

  /**
   * Ends every live subscription (subscribers see `complete`), then disposes the client
   * and closes its gRPC channel: `dispose()` alone leaves the channel open, which keeps
   * the process alive.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    for (const subscription of [...this.subscriptions]) subscription.end();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const wake of [...this.sleepers]) wake();
    // dispose() waits for every gRPC stream to finish; bound it so close() itself cannot hang.
    await withTimeout(this.client.dispose(), 2_000).catch(() => undefined);
    await closeChannel(this.client);
  }

  // ------------------------------------------------------------------ internals

  private follow(subscriber: Subscriber<RecordedEvent>, after: bigint | undefined): () => void {
    const cursor = new AllStreamCursor(this.namespace, after, this.onForeignEvent);
    let current: AllStreamSubscription | undefined;
    let stopped = false;
    let failures = 0;
    let retryTimer: NodeJS.Timeout | undefined;
    const filter = this.namespace === '' ? excludeSystemEvents() : streamNameFilter({ prefixes: [this.namespace] });

    const stop = (): void => {
      stopped = true;
      if (retryTimer !== undefined) {
        clearTimeout(retryTimer);
        this.timers.delete(retryTimer);
      }
      this.subscriptions.delete(active);
      const subscription = current;
      current = undefined;
      if (subscription !== undefined) void subscription.unsubscribe().catch(() => undefined);
    };
    const active: ActiveSubscription = {
      end: () => {
        stop();
        subscriber.complete();
      },
    };
    const resubscribeLater = (reason: unknown): void => {
      failures += 1;
      const delayMs = this.backoff(failures);
      this.onRetry({ operation: 'subscribeToAll', attempt: failures, delayMs, reason: reasonOf(reason) });
      retryTimer = setTimeout(() => {
        if (retryTimer !== undefined) this.timers.delete(retryTimer);
        start();
      }, delayMs);
      this.timers.add(retryTimer);
    };
    const start = (): void => {
      if (stopped) return;
      // subscribeToAll's fromPosition is exclusive; the cursor also skips anything up to it.
      cursor.resume();
      const subscription = this.client.subscribeToAll({
        fromPosition: resumeFrom(cursor.position),
        filter,
      });
      current = subscription;
      subscription.on('confirmation', () => {
        if (stopped || current !== subscription || failures === 0) return;
        this.onReconnect({ operation: 'subscribeToAll', afterAttempts: failures });
        failures = 0;
      });
      subscription.on('data', (resolved: AllStreamResolvedEvent) => {
        if (stopped || current !== subscription) return;
        if (failures > 0) {
          this.onReconnect({ operation: 'subscribeToAll', afterAttempts: failures });
          failures = 0;
        }
        try {
          // Foreign events (another application's, in our namespace) are reported and skipped:
          // one of them must not stop every projection.
          const event = cursor.next(resolved);
          if (event !== null) subscriber.next(event);
        } catch (error) {
          stop();
          subscriber.error(error);
        }
      });
      const onBroken = (error: unknown): void => {
        if (stopped || current !== subscription) return;
        current = undefined;
        void subscription.unsubscribe().catch(() => undefined);
        // A live subscription outlives outages: transient failures resubscribe from the last delivered position.
        if (error === undefined || isTransient(error)) {
          resubscribeLater(error ?? 'the server ended the subscription');
          return;
        }
        stop();
        subscriber.error(translateError(error, '$all', 'any'));
      };
      subscription.on('error', onBroken);
      subscription.on('end', () => onBroken(undefined));
    };

    this.subscriptions.add(active);
    start();
    return stop;
  }

  /**
   * See "event-id claims" in mapping.ts. Refuses an id already claimed by another stream;
   * reports whether any id was claimed before (by an earlier attempt at this append).
   */
  private async claimIds(
    streamId: string,
    events: readonly EventToAppend[],
  ): Promise<'all-new' | 'some-claimed-before'> {
    const outcomes = await Promise.all(
      events.map(async (event): Promise<'new' | 'claimed-before'> => {
        const claimStream = claimStreamName(this.namespace, event.id);
        try {
          await this.withRetry(() =>
            this.client.appendToStream(claimStream, claimEvent(event.id, streamId), { expectedRevision: NO_STREAM }),
          );
          return 'new';
        } catch (error) {
          // Also reached when a retried claim had in fact been written: then it names this stream.
          if (!(error instanceof WrongExpectedVersionError)) throw error;
        }
        const owner = await this.withRetry(async () => {
          const claim: { owner: string | null } = { owner: null };
          await drain(this.client.readStream(claimStream, { fromRevision: START, maxCount: 1 }), (resolved) => {
            claim.owner = claimedStream(resolved);
            return 'stop';
          });
          return claim.owner;
        });
        if (owner !== streamId) {
          throw new IdempotencyConflictError(
            streamId,
            event.id,
            `the id is already used in stream ${owner ?? '(unknown)'}`,
          );
        }
        return 'claimed-before';
      }),
    );
    return outcomes.every((outcome) => outcome === 'new') ? 'all-new' : 'some-claimed-before';
  }

  /** The stream's last event, or null when the stream does not exist. */
  private async readTail(streamId: string): Promise<RecordedEvent | null> {
    const read = this.client.readStream(this.namespace + streamId, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    const found: { tail: RecordedEvent | null } = { tail: null };
    try {
      await drain(read, (resolved) => {
        found.tail = toRecordedEvent(resolved, this.namespace);
        return 'stop';
      });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
    return found.tail;
  }

  private readWhole(streamId: string): Promise<RecordedEvent[]> {
    return this.readEvents(streamId, { direction: FORWARDS, fromRevision: START });
  }

  /** One stream's events as the options read them; a stream that does not exist reads as none. */
  private async readEvents(
    streamId: string,
    options: Parameters<EventStoreDBClient['readStream']>[1],
  ): Promise<RecordedEvent[]> {
    const read = this.client.readStream(this.namespace + streamId, options);
    const events: RecordedEvent[] = [];
    try {
      await drain(read, (resolved) => {
        const event = toRecordedEvent(resolved, this.namespace);
        if (event !== null) events.push(event);
        return 'continue';
      });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /** Older servers omit the position from the append result: read the event back. */
  private async positionOf(streamId: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (event === undefined) throw new Error(`Event ${revision} of ${streamId} vanished right after it was appended`);
    return event.position;
  }

  private async withRetry<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await operation();
      } catch (error) {
        if (!isTransient(error) || attempt > this.maxRetries || this.closed) throw translateError(error, '$all', 'any');
        await this.pause('read', attempt, error);
        this.assertOpen();
      }
    }
  }

  private async pause(operation: RetryNotice['operation'], attempt: number, error: unknown): Promise<void> {
    const delayMs = this.backoff(attempt);
    this.onRetry({ operation, attempt, delayMs, reason: reasonOf(error) });
    await this.sleep(delayMs);
  }

  private backoff(attempt: number): number {
    const exponential = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (attempt - 1));
    return exponential / 2 + Math.random() * (exponential / 2); // jitter: replicas do not retry in step
  }

  /** Resolves after `ms`, or at once when the store closes (the caller then finds it closed). */
  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.timers.add(timer);
      this.sleepers.add(wake);
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('The EventStoreDB store is closed');
  }
}

/** Iterates a streaming read; stops (and cancels the gRPC call) when `onEvent` says so. */
async function drain<E extends ResolvedEvent | AllStreamResolvedEvent>(
  read: StreamingRead<E>,
  onEvent: (event: E) => 'continue' | 'stop',
): Promise<void> {
  let stopped = false;
  try {
    for await (const event of read) {
      if (onEvent(event) === 'stop') {
        stopped = true;
        break;
      }
    }
  } finally {
    if (stopped) await read.cancel().catch(() => undefined);
  }
}

/** Idempotency by event id: the stored result when the whole batch is already in the stream, else null. */
function idempotentResult(
  streamId: string,
  stored: readonly RecordedEvent[],
  events: readonly EventToAppend[],
): AppendResult | null {
  const byId = new Map(stored.map((event) => [event.id, event]));
  const present = events.filter((event) => byId.has(event.id));
  if (present.length === 0) return null;
  for (const event of present) {
    const original = byId.get(event.id);
    if (original !== undefined && !sameContent(original, event)) {
      throw new IdempotencyConflictError(streamId, event.id, 'already written with different content');
    }
  }
  if (present.length < events.length) {
    const missing = events.find((event) => !byId.has(event.id));
    throw new IdempotencyConflictError(
      streamId,
      missing?.id ?? '?',
      'part of this batch is already in the stream and part is not',
    );
  }
  // The original result: revision and position of the batch's last event.
  const originals = present.map((event) => byId.get(event.id)).filter((event) => event !== undefined);
  const last = originals.reduce((latest, event) => (event.revision > latest.revision ? event : latest));
  return { nextExpectedRevision: last.revision, position: last.position };
}

function assertDistinctIds(streamId: string, events: readonly EventToAppend[]): void {
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.id))
      throw new IdempotencyConflictError(streamId, event.id, 'the same id appears twice in one append');
    seen.add(event.id);
  }
}

/** The client keeps its gRPC channel private; its protected getter is the only handle on it. */
async function closeChannel(client: EventStoreDBClient): Promise<void> {
  const withChannel = client as unknown as { getChannel?: () => Promise<{ close(): void }> };
  if (typeof withChannel.getChannel !== 'function') return;
  let timer: NodeJS.Timeout | undefined;
  try {
    const channel = await Promise.race([
      withChannel.getChannel.call(client),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), 1_000);
        timer.unref();
      }),
    ]);
    channel?.close();
  } catch {
    // Discovery failed: there is no channel to close.
  } finally {
    clearTimeout(timer);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The error's class and gRPC message: what failed, never what was being written. */
function reasonOf(error: unknown): string {
  if (typeof error === 'string') return error;
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
