import Database from 'better-sqlite3';
import { Observable } from 'rxjs';
import { canonicalJson } from '../canonical-json';
import { IdempotencyConflictError, StoreUnavailableError, WrongExpectedVersionError } from '../errors';
import { eventHashFromCanonicalText, globalHash } from '../hashing';
import {
  systemClock,
  type AppendOptions,
  type AppendResult,
  type Clock,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type VerifyOptions,
  type VerifyResult,
} from '../port';
import { currentSchemaVersion, migrate, readSchemaVersion } from './schema';
import {
  GLOBAL_HEAD,
  INSERT_EVENT,
  WRITE_PRAGMAS,
  WriterThread,
  type EventRow,
  type GlobalHead,
} from './writer-thread';

export interface SqliteEventStoreOptions {
  /** File path of the database (default in the apps: ./data/events.db). */
  readonly path: string;
  readonly clock?: Clock;
  /** How often live subscriptions look for events written by another process (ms). Default 200. */
  readonly pollIntervalMs?: number;
  /** How long a write waits for another process's lock before failing (ms). Default 5000. */
  readonly busyTimeoutMs?: number;
  /** Refuse to create the file or the schema. */
  readonly mustExist?: boolean;
  /** Open an existing store without writing to it (implies mustExist): for operator tools such as `verify`. */
  readonly readonly?: boolean;
}

export function openSqliteEventStore(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
  try {
    return Promise.resolve(new SqliteEventStore(options));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** An event prepared before its transaction: JSON encoded once, outside the write lock. */
interface EncodedEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadata: Readonly<Record<string, unknown>>;
}

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly EncodedEvent[];
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome =
  | { readonly ok: true; readonly result: AppendResult; readonly wrote: boolean }
  | { readonly ok: false; readonly error: unknown };

interface StreamHead {
  readonly revision: bigint;
  readonly hash: string;
}

/** What one group of appends came to: each append's outcome, the log's head after it, the streams it moved. */
interface GroupResult {
  readonly outcomes: Outcome[];
  readonly head: GlobalHead;
  readonly heads: ReadonlyMap<string, StreamHead | null>;
}

/**
 * Where a group's rows go: inserted at once (every id looked up before), or kept for the writer thread
 * (ids looked up only for an append that is refused).
 */
interface RowSink {
  readonly lookUpIds: boolean;
  readonly write: (row: EventRow) => void;
}

/** A group checked, hashed and chained on the log as it will be, sent to the writer thread, not yet durable. */
interface GroupInFlight extends GroupResult {
  readonly batch: readonly PendingAppend[];
  /** The head it is chained on: the thread writes it only if the log's head is still this one. */
  readonly start: GlobalHead;
  readonly rows: readonly EventRow[];
}

/** How many groups may wait in the writer thread: one committing, one chained behind it. */
const GROUPS_IN_FLIGHT = 2;
/**
 * From this many appends waiting, the writer thread takes them in two groups. Below it, with no group in
 * flight, they are one group written on the store's own connection: a single append (an officer's command)
 * waits for one fsync and no hand-over between threads, and a second fsync would cost more than the
 * overlap saves.
 */
const PIPELINE_FROM = 16;

/** Streams whose heads are remembered between groups; past this the cache starts again. */
const STREAM_HEAD_CACHE_SIZE = 50_000;

/** An insert that failed after its append's checks passed: a fault of the write, not a refusal. */
class InsertFault extends Error {
  constructor(cause: unknown) {
    super('insert failed', { cause });
  }
}

// Column order shared by every read; rows come back as arrays (`raw`) because that is the fastest path.
const COLUMNS = 'position, stream_id, revision, event_id, type, schema_version, data, metadata, prev_hash, hash';
type Row = [bigint, string, bigint, string, string, bigint, string, string, string | null, string];
type VerifyRow = [...Row, string | null, string];
// What a retry is compared with: the recorded event with the given id.
const RECORDED_COLUMNS = 'event_id, stream_id, revision, position, type, schema_version, data, metadata';
type RecordedRow = [string, string, bigint, bigint, string, bigint, string, string];

function recordedRowOf(row: EventRow): RecordedRow {
  const [position, streamId, revision, id, type, schemaVersion, dataJson, metadataJson] = row;
  return [id, streamId, revision, position, type, BigInt(schemaVersion), dataJson, metadataJson];
}

function decode(row: Row): RecordedEvent {
  return {
    id: row[3],
    type: row[4],
    schemaVersion: Number(row[5]),
    data: JSON.parse(row[6]),
    metadata: JSON.parse(row[7]),
    streamId: row[1],
    revision: row[2],
    position: row[0],
    prevHash: row[8],
    hash: row[9],
  };
}

export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly wakers = new Set<() => void>();
  private readonly completers = new Set<() => void>();
  private readonly readonly: boolean;
  private readonly sql;
  /**
   * Stream heads (last revision and hash) as of our last commit, so a group need not look
   * each one up again. Valid only while the log's head is the one we wrote last: any other
   * writer (another process on the same file) moves the head and empties the cache.
   */
  private readonly streamHeads = new Map<string, StreamHead | null>();
  private ownHead: GlobalHead | null = null;
  private readonly path: string;
  private readonly busyTimeoutMs: number;
  /** Commits groups off the event loop; started at the first burst of appends, never for a read-only store. */
  private writer: WriterThread | null = null;
  private noWriter = false;
  /** Groups in the writer thread, oldest first; each is chained on the one before. */
  private readonly inFlight: GroupInFlight[] = [];
  /** The events of the groups in flight by id, for the retry check of an append that would be refused. */
  private readonly pendingIds = new Map<string, RecordedRow>();
  /** Appends of groups the writer thread did not write, to be written again once it has none left. */
  private redo: PendingAppend[] | null = null;
  /** Set once close() is called: no append is taken after it. */
  private closing: Promise<void> | null = null;
  private readonly idleWaiters = new Set<() => void>();

  constructor(options: SqliteEventStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.readonly = options.readonly ?? false;
    try {
      this.db = new Database(options.path, {
        fileMustExist: this.readonly || (options.mustExist ?? false),
        readonly: this.readonly,
      });
    } catch (error) {
      throw new StoreUnavailableError(`cannot open ${options.path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      this.db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
      if (this.readonly || options.mustExist) {
        const version = readSchemaVersion(this.db);
        if (version === null) throw new Error('it is not an event store (no schema_version table)');
        if (this.readonly && version !== currentSchemaVersion) {
          throw new Error(`its schema version is ${version}, this software reads ${currentSchemaVersion}`);
        }
      }
      if (!this.readonly) {
        for (const pragma of WRITE_PRAGMAS) this.db.pragma(pragma);
        migrate(this.db);
      }
    } catch (error) {
      this.db.close();
      throw new StoreUnavailableError(`cannot use ${options.path}: ${(error as Error).message}`, { cause: error });
    }
    this.path = options.path;
    this.busyTimeoutMs = Math.trunc(options.busyTimeoutMs ?? 5000);
    const db = this.db;
    const reader = (source: string) => db.prepare(source).safeIntegers(true).raw(true);
    this.sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT append'),
      release: db.prepare('RELEASE append'),
      rollbackTo: db.prepare('ROLLBACK TO append'),
      byId: reader(`SELECT ${RECORDED_COLUMNS} FROM events WHERE event_id = ?`),
      // One look-up for every id of a many-event append, instead of one statement per event.
      byIds: reader(`SELECT ${RECORDED_COLUMNS} FROM events WHERE event_id IN (SELECT value FROM json_each(?))`),
      streamHead: reader('SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
      globalHead: reader(GLOBAL_HEAD),
      insert: db.prepare(INSERT_EVENT),
      readAll: reader(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
      readForwards: reader(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      ),
      readBackwards: reader(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      ),
      verifyPage: reader(
        `SELECT ${COLUMNS}, global_prev_hash, global_hash FROM events
         WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
      ),
    };
  }

  append(streamId: string, events: readonly EventToAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.closed || this.closing !== null)
      return Promise.reject(new StoreUnavailableError('the event store is closed'));
    if (this.readonly) return Promise.reject(new StoreUnavailableError('the event store was opened read-only'));
    let encoded: EncodedEvent[];
    try {
      encoded = events.map((event) => ({
        id: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion ?? 1,
        dataJson: canonicalJson(event.data),
        metadata: event.metadata as unknown as Record<string, unknown>,
      }));
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events: encoded, expected: options.expectedRevision ?? 'any', resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Group commit: the appends made in this turn of the event loop share their transactions and fsyncs.
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Group commit: the appends made in one turn of the event loop share transactions and fsyncs. A few
   * are one group, written here. Under load, groups are checked, hashed and chained here, on the log as
   * it will be once the groups before them are written, and committed by the writer thread while the
   * next group is prepared. A group the thread did not write (another connection wrote first, an id
   * already recorded, a fault) is written again here, with every group chained on it, once the thread
   * has nothing left.
   */
  private flush(): void {
    this.flushScheduled = false;
    while (this.queue.length > 0 && this.redo === null && this.inFlight.length < GROUPS_IN_FLIGHT) {
      const idle = this.inFlight.length === 0;
      const writer = idle && this.queue.length < PIPELINE_FROM ? null : this.writerThread();
      if (writer === null) {
        // A few appends and nothing in flight: one transaction here is quicker than handing it over.
        const batch = this.queue;
        this.queue = [];
        this.writeNow(batch);
        this.afterGroup();
        return;
      }
      // With nothing in flight, a long queue is cut in two: its second half is prepared while the first
      // commits, and from then on the writers fall into two groups that take turns.
      this.send(this.queue.splice(0, idle ? Math.ceil(this.queue.length / 2) : this.queue.length), writer);
    }
  }

  /** The writer thread, started at the first burst; null when none can run (then every group is written here). */
  private writerThread(): WriterThread | null {
    if (this.writer === null && !this.noWriter) {
      try {
        this.writer = new WriterThread(this.path, this.busyTimeoutMs);
      } catch {
        this.noWriter = true;
      }
    }
    return this.writer?.alive ? this.writer : null;
  }

  private send(batch: PendingAppend[], writer: WriterThread): void {
    let group: GroupInFlight;
    try {
      group = this.prepare(batch, this.inFlight.at(-1)?.head ?? null);
    } catch (error) {
      // A read failed: nothing was sent, so only this group's appends fail.
      this.reject(batch, new StoreUnavailableError(`the write failed: ${(error as Error).message}`, { cause: error }));
      return;
    }
    this.inFlight.push(group);
    void writer.write({ expectedHead: group.start, rows: group.rows }).then((written) => this.landed(group, written));
  }

  /**
   * Checks, hashes and chains a group without writing it: its rows are kept for the writer thread. It
   * is chained on the group before it when one is in flight, else on the log's head as it is now.
   */
  private prepare(batch: readonly PendingAppend[], chainedOn: GlobalHead | null): GroupInFlight {
    let start = chainedOn;
    if (start === null) {
      start = this.readGlobalHead();
      this.forgetHeadsIfMoved(start);
    }
    const rows: EventRow[] = [];
    try {
      // The ids are not looked up: the writer thread's insert meets the unique index on event_id, and a
      // group holding an id already recorded (a client's retry, a reused id) is not written but written
      // again on this connection, where every id is looked up. Only a refused append is looked up here.
      const result = this.writeEach(batch, start, this.clock.now().toISOString(), false, {
        lookUpIds: false,
        write: (row) => {
          rows.push(row);
          // Seen by a later append's retry check, in this group or the next, as an insert would be.
          this.pendingIds.set(row[3], recordedRowOf(row));
        },
      });
      return { ...result, batch, rows, start };
    } catch (error) {
      for (const row of rows) this.pendingIds.delete(row[3]);
      throw error;
    }
  }

  /** The writer thread's answer for the oldest group in flight. */
  private landed(group: GroupInFlight, written: boolean): void {
    this.inFlight.shift();
    for (const row of group.rows) this.pendingIds.delete(row[3]);
    if (written) {
      // Written on the head it was chained to: its checks were made on the log exactly as it is.
      this.committed(group.batch, group);
    } else {
      // Not written; nothing chained on it can be, so those groups come back too and join the redo.
      this.redo = [...(this.redo ?? []), ...group.batch];
    }
    if (this.inFlight.length === 0 && this.redo !== null) {
      const redo = this.redo;
      this.redo = null;
      this.streamHeads.clear();
      this.ownHead = null;
      this.writeNow(redo);
    }
    this.afterGroup();
  }

  /** A group on this connection, checked and written inside one write transaction (no thread, or a redo). */
  private writeNow(batch: readonly PendingAppend[]): void {
    try {
      this.sql.begin.run();
    } catch (error) {
      this.reject(
        batch,
        new StoreUnavailableError(`cannot start a write: ${(error as Error).message}`, { cause: error }),
      );
      return;
    }
    let result: GroupResult;
    try {
      // Read inside the write lock: another process may have appended since our last look.
      const start = this.readGlobalHead();
      this.forgetHeadsIfMoved(start);
      result = this.writeGroup(batch, start, this.clock.now().toISOString());
      this.sql.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.sql.rollback.run();
      this.streamHeads.clear();
      this.ownHead = null;
      this.reject(batch, new StoreUnavailableError(`the write failed: ${(error as Error).message}`, { cause: error }));
      return;
    }
    this.committed(batch, result);
  }

  /** A group is durable: remember where it left the log and its streams, wake followers, answer its appends. */
  private committed(batch: readonly PendingAppend[], { outcomes, head, heads }: GroupResult): void {
    this.ownHead = head;
    for (const [streamId, streamHead] of heads) {
      if (this.streamHeads.size >= STREAM_HEAD_CACHE_SIZE) this.streamHeads.clear();
      this.streamHeads.set(streamId, streamHead);
    }
    if (outcomes.some((outcome) => outcome.ok && outcome.wrote)) for (const wake of this.wakers) wake();
    batch.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
  }

  private reject(batch: readonly PendingAppend[], error: unknown): void {
    for (const pending of batch) pending.reject(error);
  }

  /** The cached stream heads are ours only while nobody else has written since our last commit. */
  private forgetHeadsIfMoved(head: GlobalHead): void {
    if (this.ownHead === null || this.ownHead.position !== head.position || this.ownHead.hash !== head.hash) {
      this.streamHeads.clear();
    }
  }

  /** After a group: the appends that queued meanwhile are the next group; close() waits for this to go quiet. */
  private afterGroup(): void {
    if (this.queue.length > 0) {
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
      return;
    }
    if (this.inFlight.length > 0 || this.redo !== null) return;
    for (const idle of [...this.idleWaiters]) idle();
  }

  /**
   * Every append of the group inside one transaction. Each is checked before it writes (a
   * retry, a wrong revision or a reused id throws before any insert), so a refused append
   * leaves nothing behind and needs no savepoint. An insert that throws anyway (a fault, not
   * a refusal) rolls the group back and it is written again one savepoint per append, so
   * that only the faulty append fails.
   */
  private writeGroup(batch: readonly PendingAppend[], start: GlobalHead, recordedAt: string): GroupResult {
    try {
      return this.writeEach(batch, start, recordedAt, false, this.inserter);
    } catch (error) {
      if (!(error instanceof InsertFault)) throw error;
      // Rolling back gives up the write lock: read the head afresh once it is taken again.
      this.sql.rollback.run();
      this.streamHeads.clear();
      this.sql.begin.run();
      return this.writeEach(batch, this.readGlobalHead(), recordedAt, true, this.inserter);
    }
  }

  /** Rows inserted at once, in the write transaction on this connection; every id is looked up first. */
  private readonly inserter: RowSink = {
    lookUpIds: true,
    write: (row) => {
      try {
        this.sql.insert.run(row);
      } catch (error) {
        throw new InsertFault(error);
      }
    },
  };

  private writeEach(
    batch: readonly PendingAppend[],
    start: GlobalHead,
    recordedAt: string,
    isolated: boolean,
    sink: RowSink,
  ): GroupResult {
    const outcomes: Outcome[] = [];
    const heads = new Map<string, StreamHead | null>();
    let head = start;
    for (const pending of batch) {
      if (isolated) this.sql.savepoint.run();
      try {
        const { result, newHead, streamHead } = this.applyAppend(pending, head, recordedAt, heads, sink);
        if (isolated) this.sql.release.run();
        if (streamHead !== undefined) heads.set(pending.streamId, streamHead);
        outcomes.push({ ok: true, result, wrote: newHead !== head });
        head = newHead;
      } catch (error) {
        if (error instanceof InsertFault && !isolated) throw error;
        if (isolated) {
          this.sql.rollbackTo.run();
          this.sql.release.run();
        }
        outcomes.push({ ok: false, error: error instanceof InsertFault ? (error.cause ?? error) : error });
      }
    }
    return { outcomes, head, heads };
  }

  private readGlobalHead(): GlobalHead {
    const row = this.sql.globalHead.get() as [bigint, string] | undefined;
    return row ? { position: row[0], hash: row[1] } : { position: -1n, hash: null };
  }

  /**
   * The last revision and hash of a stream: this group's own writes first, then the groups in flight,
   * then the cache, then the database.
   */
  private streamHead(streamId: string, heads: ReadonlyMap<string, StreamHead | null>): StreamHead | null {
    const inGroup = heads.get(streamId);
    if (inGroup !== undefined) return inGroup;
    for (let index = this.inFlight.length - 1; index >= 0; index -= 1) {
      const inFlight = this.inFlight[index].heads.get(streamId);
      if (inFlight !== undefined) return inFlight;
    }
    const cached = this.streamHeads.get(streamId);
    if (cached !== undefined) return cached;
    const row = this.sql.streamHead.get(streamId) as [bigint, string] | undefined;
    return row ? { revision: row[0], hash: row[1] } : null;
  }

  /** One append inside the group's transaction: every check first, then the inserts. */
  private applyAppend(
    pending: PendingAppend,
    head: GlobalHead,
    recordedAt: string,
    heads: ReadonlyMap<string, StreamHead | null>,
    sink: RowSink,
  ): { result: AppendResult; newHead: GlobalHead; streamHead?: StreamHead | null } {
    const { streamId, events, expected } = pending;
    if (sink.lookUpIds) {
      const retried = this.findRetry(streamId, events);
      if (retried) return { result: retried, newHead: head };
    }
    const streamHead = this.streamHead(streamId, heads);
    const actual: bigint | 'no_stream' = streamHead ? streamHead.revision : 'no_stream';
    if (!sink.lookUpIds && !meetsExpected(expected, actual)) {
      // A refusal stands only once the append is known not to be a retry of events already recorded.
      const retried = this.findRetry(streamId, events);
      if (retried) return { result: retried, newHead: head };
    }
    checkExpected(streamId, expected, actual);
    if (events.length === 0) {
      return {
        result: { nextExpectedRevision: streamHead ? streamHead.revision : -1n, position: head.position },
        newHead: head,
        streamHead,
      };
    }

    let revision = streamHead ? streamHead.revision : -1n;
    let prevHash = streamHead ? streamHead.hash : null;
    let position = head.position;
    let globalPrev = head.hash;
    for (const event of events) {
      revision += 1n;
      position += 1n;
      const metadataJson = canonicalJson({ ...event.metadata, recordedAt });
      const hash = eventHashFromCanonicalText({
        id: event.id,
        streamId,
        revision,
        type: event.type,
        schemaVersion: event.schemaVersion,
        dataJson: event.dataJson,
        metadataJson,
        prevHash,
      });
      const link = globalHash(position, hash, globalPrev);
      sink.write([
        position,
        streamId,
        revision,
        event.id,
        event.type,
        event.schemaVersion,
        event.dataJson,
        metadataJson,
        prevHash,
        hash,
        globalPrev,
        link,
      ]);
      prevHash = hash;
      globalPrev = link;
    }
    return {
      result: { nextExpectedRevision: revision, position },
      newHead: { position, hash: globalPrev },
      streamHead: { revision, hash: prevHash as string },
    };
  }

  /**
   * A client retry: every id already recorded in this stream with the same content is a
   * success that writes nothing. Any other reuse of an id is a conflict, never silent.
   */
  private findRetry(streamId: string, events: readonly EncodedEvent[]): AppendResult | null {
    let found = 0;
    let last: AppendResult | null = null;
    const seen = new Set<string>();
    const recorded = this.recordedEvents(events);
    for (const event of events) {
      if (seen.has(event.id))
        throw new IdempotencyConflictError(streamId, event.id, 'the id appears twice in one append');
      seen.add(event.id);
      const row = recorded.get(event.id);
      if (row === undefined) continue;
      const [, storedStream, revision, position, type, schemaVersion, dataJson, metadataJson] = row;
      if (storedStream !== streamId) {
        throw new IdempotencyConflictError(streamId, event.id, `the id is already recorded in another stream`);
      }
      const { recordedAt: _stored, ...storedMetadata } = JSON.parse(metadataJson) as Record<string, unknown>;
      const { recordedAt: _given, ...givenMetadata } = event.metadata;
      const same =
        type === event.type &&
        Number(schemaVersion) === event.schemaVersion &&
        dataJson === event.dataJson &&
        canonicalJson(storedMetadata) === canonicalJson(givenMetadata);
      if (!same)
        throw new IdempotencyConflictError(streamId, event.id, 'the id is already recorded with different content');
      found += 1;
      last = { nextExpectedRevision: revision, position };
    }
    if (found === 0) return null;
    if (found < events.length) {
      throw new IdempotencyConflictError(
        streamId,
        events[0].id,
        'part of this append is already recorded and part is not',
      );
    }
    return last;
  }

  /** The events already recorded, or in a group in flight, under any of these ids (usually none). */
  private recordedEvents(events: readonly EncodedEvent[]): ReadonlyMap<string, RecordedRow> {
    let recorded: Map<string, RecordedRow>;
    if (events.length > 1) {
      const rows = this.sql.byIds.all(JSON.stringify(events.map((event) => event.id))) as RecordedRow[];
      recorded = new Map(rows.map((row) => [row[0], row]));
    } else {
      const row = events.length === 1 ? (this.sql.byId.get(events[0].id) as RecordedRow | undefined) : undefined;
      recorded = new Map(row === undefined ? [] : [[row[0], row]]);
    }
    if (this.pendingIds.size > 0) {
      for (const event of events) {
        const pending = this.pendingIds.get(event.id);
        if (pending !== undefined) recorded.set(event.id, pending);
      }
    }
    return recorded;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount ?? -1;
    const rows =
      options.direction === 'backwards'
        ? this.sql.readBackwards.all(streamId, options.fromRevision ?? BigInt(Number.MAX_SAFE_INTEGER), limit)
        : this.sql.readForwards.all(streamId, options.fromRevision ?? 0n, limit);
    return (rows as Row[]).map(decode);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readPage(options.after ?? -1n, options.maxCount ?? -1);
  }

  private readPage(after: bigint, limit: number): RecordedEvent[] {
    return (this.sql.readAll.all(after, limit) as Row[]).map(decode);
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    const row = this.sql.globalHead.get() as [bigint, string] | undefined;
    return row ? row[0] : -1n;
  }

  subscribeToAll(options: SubscribeOptions = {}): Observable<RecordedEvent> {
    return new Observable<RecordedEvent>((subscriber) => {
      if (this.closed) {
        subscriber.error(new StoreUnavailableError('the event store is closed'));
        return undefined;
      }
      // The cursor is the only state: every pump reads "after the last delivered position"
      // from the database, so catch-up and live are one loop and cannot gap or repeat.
      let cursor = options.after ?? -1n;
      let pumping = false;
      let again = false;
      let stopped = false;
      const pageSize = 500;
      const pump = (): void => {
        if (stopped) return;
        if (pumping) {
          again = true;
          return;
        }
        pumping = true;
        again = false;
        let page: RecordedEvent[];
        try {
          page = this.readPage(cursor, pageSize);
        } catch (error) {
          pumping = false;
          stop();
          subscriber.error(
            new StoreUnavailableError(`subscription read failed: ${(error as Error).message}`, { cause: error }),
          );
          return;
        }
        for (const event of page) {
          if (stopped) break;
          cursor = event.position;
          subscriber.next(event);
        }
        pumping = false;
        // A full page means more may be waiting; yield to the event loop between pages.
        if (!stopped && (page.length === pageSize || again)) setImmediate(pump);
      };
      const complete = (): void => {
        stop();
        subscriber.complete();
      };
      // A live subscription keeps the process alive, as a follower should; unsubscribe or close() to stop it.
      const timer = setInterval(pump, this.pollIntervalMs);
      const stop = (): void => {
        stopped = true;
        clearInterval(timer);
        this.wakers.delete(pump);
        this.completers.delete(complete);
      };
      this.wakers.add(pump);
      this.completers.add(complete);
      setImmediate(pump);
      return stop;
    });
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    this.assertOpen();
    const headRow = this.sql.globalHead.get() as [bigint, string] | undefined;
    const last = headRow ? headRow[0] : -1n;
    const streams = new Map<string, { revision: bigint; hash: string }>();
    let events = 0;
    let previous: { position: bigint; hash: string } | null = null;
    let expectedHeadFound: string | null = null;
    const pageSize = 5000;
    let cursor = -1n;
    for (;;) {
      const rows = this.sql.verifyPage.all(cursor, last, pageSize) as VerifyRow[];
      for (const row of rows) {
        const broken = checkRow(row, streams, previous);
        if (broken) return { ok: false, events, brokenLink: broken };
        events += 1;
        const [position, streamId, revision, , , , , , , hash, , link] = row;
        streams.set(streamId, { revision, hash });
        previous = { position, hash: link };
        if (options.expectedHead?.position === position) expectedHeadFound = link;
      }
      if (rows.length < pageSize) break;
      cursor = rows[rows.length - 1][0];
      // Long logs: let appends and subscriptions run between pages.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const expectedHead = options.expectedHead;
    if (expectedHead !== undefined && expectedHeadFound !== expectedHead.hash) {
      const reason =
        expectedHeadFound === null
          ? `the recorded head at position ${expectedHead.position} is gone (the log was cut)`
          : `the recorded head hash ${expectedHead.hash} does not match ${expectedHeadFound}`;
      return { ok: false, events, brokenLink: { chain: 'global', position: expectedHead.position, reason } };
    }
    return { ok: true, events, head: previous };
  }

  close(): Promise<void> {
    this.closing ??= this.closeWhenWritten();
    return this.closing;
  }

  private async closeWhenWritten(): Promise<void> {
    // Appends already accepted are written before the file closes.
    await new Promise<void>((resolve) => {
      this.idleWaiters.add(resolve);
      this.afterGroup();
    });
    this.idleWaiters.clear();
    await this.writer?.close();
    this.closed = true;
    for (const complete of [...this.completers]) complete();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }
}

function meetsExpected(expected: ExpectedRevision, actual: bigint | 'no_stream'): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 'no_stream';
  if (expected === 'stream_exists') return actual !== 'no_stream';
  return actual === expected;
}

function checkExpected(streamId: string, expected: ExpectedRevision, actual: bigint | 'no_stream'): void {
  if (!meetsExpected(expected, actual)) throw new WrongExpectedVersionError(streamId, expected, actual);
}

type BrokenLink = Extract<VerifyResult, { ok: false }>['brokenLink'];

/** The first thing wrong with a row given everything before it, or null. */
function checkRow(
  row: VerifyRow,
  streams: ReadonlyMap<string, { revision: bigint; hash: string }>,
  previous: { position: bigint; hash: string } | null,
): BrokenLink | null {
  const [
    position,
    streamId,
    revision,
    id,
    type,
    schemaVersion,
    dataJson,
    metadataJson,
    prevHash,
    hash,
    globalPrev,
    link,
  ] = row;
  const expectedPosition = previous ? previous.position + 1n : 0n;
  if (position !== expectedPosition) {
    const reason =
      position > expectedPosition
        ? `position ${expectedPosition} is missing (found ${position} next)`
        : `position ${position} is out of order`;
    return { chain: 'global', streamId, revision, position, reason };
  }
  const recomputed = eventHashFromCanonicalText({
    id,
    streamId,
    revision,
    type,
    schemaVersion: Number(schemaVersion),
    dataJson,
    metadataJson,
    prevHash,
  });
  if (recomputed !== hash) {
    return {
      chain: 'stream',
      streamId,
      revision,
      position,
      reason: `the event's content does not match its hash (stored ${hash}, recomputed ${recomputed})`,
    };
  }
  const streamPrevious = streams.get(streamId);
  const expectedRevision = streamPrevious ? streamPrevious.revision + 1n : 0n;
  if (revision !== expectedRevision) {
    return {
      chain: 'stream',
      streamId,
      revision,
      position,
      reason: `expected revision ${expectedRevision}, found ${revision} (an event is missing or reordered)`,
    };
  }
  const expectedPrevHash = streamPrevious ? streamPrevious.hash : null;
  if (prevHash !== expectedPrevHash) {
    return {
      chain: 'stream',
      streamId,
      revision,
      position,
      reason: `prevHash ${String(prevHash)} does not match the previous event's hash ${String(expectedPrevHash)}`,
    };
  }
  const expectedGlobalPrev = previous ? previous.hash : null;
  if (globalPrev !== expectedGlobalPrev) {
    return {
      chain: 'global',
      streamId,
      revision,
      position,
      reason: `global prevHash ${String(globalPrev)} does not match the previous link ${String(expectedGlobalPrev)}`,
    };
  }
  const recomputedLink = globalHash(position, hash, globalPrev);
  if (recomputedLink !== link) {
    return {
      chain: 'global',
      streamId,
      revision,
      position,
      reason: `the global link does not match (stored ${link}, recomputed ${recomputedLink})`,
    };
  }
  return null;
}
