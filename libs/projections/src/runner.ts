import type Database from 'better-sqlite3';
import { Subject, type Observable, type Subscription } from 'rxjs';
import { currentSchemaVersion, upcast } from '@placement/domain';
import type { EventStore, RecordedEvent } from '@placement/event-store';
import type { Projection } from './projection';
import type { ReadModelDb } from './read-model-db';

/**
 * `running` is catching up (UP); `rebuilding` is rebuilding from zero because the event log no
 * longer held the event its checkpoint stood on (DOWN until it has caught up); `failed` stopped.
 */
export type ProjectionState = 'running' | 'caught-up' | 'rebuilding' | 'failed';

/** What went wrong, without the error's message (it could carry a child's data): its type, SQLite code and where. */
export interface ProjectionFailure {
  readonly type: string;
  readonly code: string | null;
  /** The event the projection stopped at; its checkpoint is the position before it. */
  readonly position: bigint;
}

export interface ProjectionStatus {
  readonly name: string;
  /** The last position applied (−1 before any). */
  readonly position: bigint;
  readonly state: ProjectionState;
  /** Failed: what went wrong. Rebuilding: type `EventLogChanged` at the checkpoint whose event was gone or differed. */
  readonly error: ProjectionFailure | null;
}

/**
 * The event a checkpoint stands on (the last one applied): found again by its stream and
 * revision, it must still be at the same position with the same hash. A log cut or restored
 * from an older backup reuses positions, and this is how a read model notices.
 */
export interface CheckpointEvent {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: bigint;
  readonly hash: string;
}

/** The start of the message logged when a checkpoint's event is gone from the log or differs. */
export const LOG_CHANGED_MESSAGE = 'the event log no longer holds the event a read model last applied';

/** One committed batch: for each projection that moved, the checkpoint before and after. */
export interface BatchApplied {
  readonly projections: readonly { readonly name: string; readonly after: bigint; readonly through: bigint }[];
}

export interface RunnerLogEntry {
  readonly level: 'log' | 'warn' | 'error';
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  readonly db: ReadModelDb;
  readonly projections: readonly Projection[];
  /** Events per transaction while catching up or rebuilding. */
  readonly catchUpBatchSize?: number;
  /** Events per transaction once live (live batches are whatever arrived in one turn, up to this). */
  readonly liveBatchSize?: number;
  /** How often a started runner checks that the log still holds each checkpoint's event (default 1000 ms). */
  readonly checkIntervalMs?: number;
  readonly log?: (entry: RunnerLogEntry) => void;
}

interface Tracked {
  readonly projection: Projection;
  checkpoint: bigint;
  /** The event at `checkpoint` (null before any). */
  anchor: CheckpointEvent | null;
  failure: ProjectionFailure | null;
  /** Set while rebuilding because the log changed: the checkpoint whose event was gone or differed. */
  logChangedAt: bigint | null;
  caughtUpLogged: boolean;
}

interface CheckpointRow {
  readonly position: bigint;
  readonly version: number;
  readonly anchor: CheckpointEvent | null;
  readonly logChangedAt: bigint | null;
}

interface Waiter {
  readonly position: bigint;
  readonly names: readonly string[];
  readonly resolve: (reached: boolean) => void;
}

interface Outcome {
  readonly tracked: Tracked;
  readonly checkpoint: bigint;
  readonly anchor: CheckpointEvent | null;
  readonly failure: ProjectionFailure | null;
}

/** A projection whose checkpoint's event the log no longer holds, and that event as it was applied. */
interface Broken {
  readonly tracked: Tracked;
  readonly anchor: CheckpointEvent;
}

const CHECKPOINTS_DDL = `CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name TEXT PRIMARY KEY, position INTEGER NOT NULL, version INTEGER NOT NULL,
  stream_id TEXT, revision INTEGER, hash TEXT, log_changed_at INTEGER);
CREATE TABLE IF NOT EXISTS projection_source (key TEXT PRIMARY KEY, value TEXT NOT NULL)`;
/** Columns added after the first release: a file written before them gets them, empty (its checkpoints are rebuilt). */
const CHECKPOINT_COLUMNS_ADDED = ['stream_id TEXT', 'revision INTEGER', 'hash TEXT', 'log_changed_at INTEGER'];

/**
 * Feeds projections from the store's $all, each from its own checkpoint. A batch of events
 * is applied to every projection and their checkpoints written in ONE SQLite transaction,
 * so a crash anywhere leaves each read model exactly at its checkpoint. Each projection
 * runs under a savepoint: one that throws stops at that event, the others go on.
 *
 * A checkpoint keeps the event it stands on (position, stream, revision, hash). Before each
 * batch, on start, every `checkIntervalMs` and before `waitFor` answers from what is already
 * applied, the runner checks that the log still holds that event. If it is gone or differs
 * (the log was cut, or an older backup restored under this read-model file), new events would
 * reuse positions the checkpoint has passed and be skipped for ever: the read model is DOWN
 * (`rebuilding`, persisted across restarts) and rebuilt from zero.
 */
export class ProjectionRunner {
  private readonly tracked: readonly Tracked[];
  private readonly db: ReadModelDb;
  private readonly store: EventStore;
  private readonly catchUpBatchSize: number;
  private readonly liveBatchSize: number;
  private readonly log: (entry: RunnerLogEntry) => void;
  private readonly batchesSubject = new Subject<BatchApplied>();
  private subscription: Subscription | null = null;
  private buffer: RecordedEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushImmediate: NodeJS.Immediate | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private readonly checkIntervalMs: number;
  /** The batch being checked and applied; events received meanwhile wait for the next. */
  private draining: Promise<void> | null = null;
  private checking: Promise<void> | null = null;
  /** The head when the subscription began: below it the runner is catching up. */
  private target = -1n;
  private started = false;
  private generation = 0;
  private waiters: Waiter[] = [];
  private readonly sql: {
    readCheckpoint: Database.Statement;
    writeCheckpoint: Database.Statement;
    clearLogChanged: Database.Statement;
  };

  /** Emits after every committed batch (the capacity SSE stream listens here). */
  readonly batches$: Observable<BatchApplied> = this.batchesSubject.asObservable();

  constructor(options: ProjectionRunnerOptions) {
    const names = new Set<string>();
    for (const projection of options.projections) {
      if (names.has(projection.name)) throw new Error(`two projections are named ${projection.name}`);
      names.add(projection.name);
    }
    this.tracked = options.projections.map((projection) => ({
      projection,
      checkpoint: -1n,
      anchor: null,
      failure: null,
      logChangedAt: null,
      caughtUpLogged: false,
    }));
    this.db = options.db;
    this.store = options.store;
    this.catchUpBatchSize = options.catchUpBatchSize ?? 5000;
    this.liveBatchSize = options.liveBatchSize ?? 1000;
    this.checkIntervalMs = options.checkIntervalMs ?? 1000;
    this.log = options.log ?? (() => undefined);
    this.db.transaction(() => {
      this.db.exec(CHECKPOINTS_DDL);
      const columns = this.db.columnsOf('projection_checkpoints');
      for (const column of CHECKPOINT_COLUMNS_ADDED)
        if (!columns.has(column.split(' ')[0])) this.db.exec(`ALTER TABLE projection_checkpoints ADD COLUMN ${column}`);
    });
    this.sql = {
      readCheckpoint: this.db.db
        .prepare(
          `SELECT position, version, stream_id, revision, hash, log_changed_at
             FROM projection_checkpoints WHERE name = ?`,
        )
        .safeIntegers(true),
      writeCheckpoint: this.db.db.prepare(
        `INSERT INTO projection_checkpoints (name, position, version, stream_id, revision, hash, log_changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, version = excluded.version,
           stream_id = excluded.stream_id, revision = excluded.revision, hash = excluded.hash,
           log_changed_at = excluded.log_changed_at`,
      ),
      clearLogChanged: this.db.db.prepare('UPDATE projection_checkpoints SET log_changed_at = NULL WHERE name = ?'),
    };
  }

  /**
   * Creates each read model's tables, rebuilding one whose version changed or whose checkpoint's
   * event the log no longer holds, then subscribes from the checkpoints.
   */
  async start(): Promise<void> {
    // A read-model file follows one event log: its first event's id identifies the log.
    const first = (await this.store.readAll({ maxCount: 1 }))[0];
    // And each checkpoint's event must still be where it was applied.
    const applied: Broken[] = [];
    for (const t of this.tracked) {
      const anchor = this.readCheckpoint(t.projection.name)?.anchor ?? null;
      if (anchor !== null) applied.push({ tracked: t, anchor });
    }
    const gone = await this.brokenAmong(applied);
    const changed: Broken[] = [];
    this.db.transaction(() => {
      const recorded = this.db.get<{ value: string }>(
        "SELECT value FROM projection_source WHERE key = 'first-event-id'",
      )?.value;
      const otherLog = recorded !== undefined && recorded !== first?.id;
      if (otherLog)
        this.log({
          level: 'warn',
          msg: 'the read models were built from another event log; rebuilding them from zero',
        });
      if (first !== undefined)
        this.db.run("INSERT OR REPLACE INTO projection_source (key, value) VALUES ('first-event-id', ?)", first.id);
      else this.db.run("DELETE FROM projection_source WHERE key = 'first-event-id'");
      for (const t of this.tracked) {
        const row = this.readCheckpoint(t.projection.name);
        const standsOn = row?.anchor ?? null;
        const broken = gone.find((b) => b.tracked === t && standsOn !== null && sameEvent(b.anchor, standsOn));
        if (otherLog || row === null) {
          this.reset(t.projection, null);
        } else if (broken !== undefined) {
          changed.push(broken);
          this.reset(t.projection, broken.anchor.position);
        } else if (row.version !== t.projection.version) {
          this.log({
            level: 'warn',
            msg: 'projection schema changed; rebuilding from zero',
            projection: t.projection.name,
          });
          this.reset(t.projection, row.logChangedAt);
        } else if (row.position >= 0n && row.anchor === null) {
          this.log({
            level: 'warn',
            msg: 'the checkpoint keeps no event to check the log against (an older file); rebuilding from zero',
            projection: t.projection.name,
          });
          this.reset(t.projection, row.logChangedAt);
        } else {
          this.db.exec(t.projection.schema);
        }
      }
    });
    for (const t of this.tracked) {
      const row = this.readCheckpoint(t.projection.name);
      t.checkpoint = row?.position ?? -1n;
      t.anchor = row?.anchor ?? null;
      t.logChangedAt = row?.logChangedAt ?? null;
      t.failure = null;
      t.caughtUpLogged = false;
    }
    if (changed.length > 0) this.logChangedEntry(changed);
    this.started = true;
    this.log({
      level: 'log',
      msg: 'projections starting',
      checkpoints: Object.fromEntries(this.tracked.map((t) => [t.projection.name, t.checkpoint.toString()])),
    });
    this.checkTimer = setInterval(() => {
      if (this.draining === null) void this.checkCheckpoints();
    }, this.checkIntervalMs);
    this.checkTimer.unref();
    await this.resubscribe();
  }

  /** Applies what was already received, then stops reading. */
  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.checkTimer = null;
    // The batch in flight, then what else was received: checked and applied like any other.
    while (this.draining !== null || this.buffer.length > 0) {
      this.flush();
      if (this.draining !== null) await this.draining;
    }
    if (this.checking !== null) await this.checking;
    this.generation += 1;
    this.clearScheduledFlush();
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters = [];
  }

  status(): ProjectionStatus[] {
    return this.tracked.map((t) => ({
      name: t.projection.name,
      position: t.checkpoint,
      state: this.stateOf(t),
      error:
        t.failure ??
        (t.logChangedAt === null ? null : { type: 'EventLogChanged', code: null, position: t.logChangedAt }),
    }));
  }

  names(): string[] {
    return this.tracked.map((t) => t.projection.name);
  }

  /**
   * Resolves true once the named projections (default: all) have applied `position`;
   * false after `timeoutMs`, or at once if one of them has failed. When they are already past
   * it, the log is first checked to still hold what they applied: after a cut, `position` may
   * be a new event at a reused position, which a rebuild applies before this resolves.
   */
  async waitFor(position: bigint, options: { timeoutMs?: number; names?: readonly string[] } = {}): Promise<boolean> {
    const names = options.names ?? this.names();
    for (const name of names) this.lookup(name);
    if (this.started && position >= 0n && this.verdict(position, names) === true) await this.freshCheck();
    return this.awaitPosition(position, names, options.timeoutMs);
  }

  private awaitPosition(position: bigint, names: readonly string[], timeoutMs: number | undefined): Promise<boolean> {
    const verdict = this.verdict(position, names);
    if (verdict !== null) return Promise.resolve(verdict);
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const waiter: Waiter = {
        position,
        names,
        resolve: (reached) => {
          if (timer) clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(reached);
        },
      };
      this.waiters.push(waiter);
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => waiter.resolve(false), timeoutMs);
        timer.unref();
      }
    });
  }

  /** Resolves true when every projection has applied the head as it is now; false if one failed. */
  async whenCaughtUp(): Promise<boolean> {
    const head = await this.store.headPosition();
    return this.waitFor(head);
  }

  /**
   * Drops the named read models (default: all) and rebuilds them from the first event, in
   * batches. If the runner is started it resubscribes; await `whenCaughtUp()` for the end.
   */
  async rebuild(names?: readonly string[]): Promise<void> {
    const chosen = (names ?? this.names()).map((name) => this.lookup(name));
    this.generation += 1;
    this.unsubscribe();
    this.buffer = [];
    this.clearScheduledFlush();
    // A read model rebuilding because the log changed stays DOWN until it has caught up.
    this.db.transaction(() => {
      for (const t of chosen)
        this.reset(t.projection, t.logChangedAt ?? this.readCheckpoint(t.projection.name)?.logChangedAt ?? null);
    });
    for (const t of chosen) {
      t.checkpoint = -1n;
      t.anchor = null;
      t.failure = null;
      t.caughtUpLogged = false;
    }
    this.log({ level: 'log', msg: 'projections reset for rebuild', projections: chosen.map((t) => t.projection.name) });
    if (this.started) await this.resubscribe();
  }

  private lookup(name: string): Tracked {
    const found = this.tracked.find((t) => t.projection.name === name);
    if (!found) throw new Error(`no projection named ${name} (known: ${this.names().join(', ')})`);
    return found;
  }

  private stateOf(t: Tracked): ProjectionState {
    if (t.failure) return 'failed';
    if (t.logChangedAt !== null) return 'rebuilding';
    return this.subscription !== null && t.checkpoint >= this.target ? 'caught-up' : 'running';
  }

  private verdict(position: bigint, names: readonly string[]): boolean | null {
    const chosen = names.map((name) => this.lookup(name));
    if (chosen.every((t) => t.checkpoint >= position)) return true;
    if (chosen.some((t) => t.failure !== null)) return false;
    return null;
  }

  private notifyWaiters(): void {
    for (const waiter of [...this.waiters]) {
      const verdict = this.verdict(waiter.position, waiter.names);
      if (verdict !== null) waiter.resolve(verdict);
    }
  }

  private async resubscribe(): Promise<void> {
    this.unsubscribe();
    this.buffer = [];
    this.clearScheduledFlush();
    const generation = ++this.generation;
    const active = this.tracked.filter((t) => t.failure === null);
    if (active.length === 0) return;
    const from = active.reduce((min, t) => (t.checkpoint < min ? t.checkpoint : min), active[0].checkpoint);
    const head = await this.store.headPosition();
    if (generation !== this.generation || !this.started) return;
    this.target = head;
    this.subscription = this.store.subscribeToAll({ after: from }).subscribe({
      next: (event) => this.receive(event),
      error: (error: unknown) => this.subscriptionFailed(error, generation),
    });
    this.settle();
    this.notifyWaiters();
  }

  private unsubscribe(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  private subscriptionFailed(error: unknown, generation: number): void {
    if (generation !== this.generation || !this.started) return;
    this.subscription = null;
    this.log({ level: 'error', msg: 'projection subscription failed; retrying in 1 s', error: errorType(error) });
    // What was received is still good: apply it, then read on from the checkpoints.
    if (this.buffer.length > 0) this.flush();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.started) void this.resubscribe();
    }, 1000);
    this.retryTimer.unref();
  }

  private receive(event: RecordedEvent): void {
    this.buffer.push(event);
    const catchingUp = event.position < this.target;
    if (this.buffer.length >= (catchingUp ? this.catchUpBatchSize : this.liveBatchSize)) {
      this.flush();
    } else if (!catchingUp) {
      // Live: whatever arrived in this turn of the event loop is one batch.
      this.flushImmediate ??= setImmediate(() => this.flush());
    } else {
      // Catching up: keep filling the batch; the timer only guards against a stalled read.
      this.flushTimer ??= setTimeout(() => this.flush(), 100);
      this.flushTimer.unref();
    }
  }

  private clearScheduledFlush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.flushImmediate) clearImmediate(this.flushImmediate);
    this.flushTimer = null;
    this.flushImmediate = null;
  }

  private flush(): void {
    this.clearScheduledFlush();
    if (this.draining !== null || this.buffer.length === 0) return;
    this.draining = this.drain()
      .catch((error: unknown) => this.checkFailed(error))
      .finally(() => {
        this.draining = null;
        // Events that arrived while the last batch was checked make the next one.
        if (this.buffer.length > 0 && this.subscription !== null) this.flush();
      });
  }

  /** Checks that the log still holds each checkpoint's event, then applies what was received on top of it. */
  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      if (this.logChanged(await this.brokenAmong(this.checkable()))) return;
      this.applyBuffered();
    }
  }

  /** An unchecked batch is never applied: it is dropped and read again from the checkpoints a second later. */
  private checkFailed(error: unknown): void {
    this.log({
      level: 'error',
      msg: 'a batch could not be checked against the event log; reading it again in 1 s',
      error: errorType(error),
    });
    this.generation += 1;
    this.unsubscribe();
    this.buffer = [];
    this.clearScheduledFlush();
    if (!this.started || this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.started) void this.resubscribe();
    }, 1000);
    this.retryTimer.unref();
  }

  /** The projections whose checkpoints stand on an event (the failed ones are checked when restarted). */
  private checkable(): Broken[] {
    return this.tracked
      .filter((t) => t.failure === null && t.anchor !== null)
      .map((t) => ({ tracked: t, anchor: t.anchor as CheckpointEvent }));
  }

  /** Of `candidates`, those whose checkpoint's event is gone from the log or differs: one read per distinct event. */
  private async brokenAmong(candidates: readonly Broken[]): Promise<Broken[]> {
    const distinct = new Map<string, CheckpointEvent>();
    for (const { anchor } of candidates) distinct.set(eventKey(anchor), anchor);
    const keys = [...distinct.keys()];
    const verdicts = await Promise.all(keys.map((key) => this.holds(distinct.get(key) as CheckpointEvent)));
    const held = new Map(keys.map((key, i) => [key, verdicts[i]]));
    return candidates.filter((c) => held.get(eventKey(c.anchor)) === false);
  }

  private async holds(anchor: CheckpointEvent): Promise<boolean> {
    const [event] = await this.store.readStream(anchor.streamId, { fromRevision: anchor.revision, maxCount: 1 });
    return (
      event !== undefined &&
      event.revision === anchor.revision &&
      event.position === anchor.position &&
      event.hash === anchor.hash
    );
  }

  /** Checks every running projection's checkpoint event now (shared by concurrent callers); never throws. */
  private checkCheckpoints(): Promise<void> {
    this.checking ??= (async () => {
      try {
        this.logChanged(await this.brokenAmong(this.checkable()));
      } catch (error) {
        this.log({ level: 'warn', msg: 'could not check the event log', error: errorType(error) });
      }
    })().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  /** A check that reads the log after this call: one already in flight may have read it before a change. */
  private freshCheck(): Promise<void> {
    const inFlight = this.checking;
    return inFlight === null ? this.checkCheckpoints() : inFlight.then(() => this.checkCheckpoints());
  }

  /**
   * The log no longer holds the events these checkpoints stand on: each read model is reset
   * and marked DOWN (persisted) until it has been rebuilt from zero. Returns whether any was.
   */
  private logChanged(broken: readonly Broken[]): boolean {
    // Only checkpoints still standing on the event found gone (a concurrent check may have acted already).
    const chosen = broken.filter(
      ({ tracked, anchor }) => tracked.failure === null && tracked.anchor !== null && sameEvent(tracked.anchor, anchor),
    );
    if (chosen.length === 0) return false;
    this.generation += 1;
    this.unsubscribe();
    this.buffer = [];
    this.clearScheduledFlush();
    this.db.transaction(() => {
      for (const { tracked, anchor } of chosen) this.reset(tracked.projection, anchor.position);
    });
    for (const { tracked, anchor } of chosen) {
      tracked.checkpoint = -1n;
      tracked.anchor = null;
      tracked.logChangedAt = anchor.position;
      tracked.caughtUpLogged = false;
    }
    this.logChangedEntry(chosen);
    if (this.started) void this.resubscribe();
    this.notifyWaiters();
    return true;
  }

  private logChangedEntry(chosen: readonly Broken[]): void {
    this.log({
      level: 'error',
      msg: `${LOG_CHANGED_MESSAGE} (it was cut, or an older copy restored); rebuilding from zero, DOWN until done`,
      projections: chosen.map((c) => c.tracked.projection.name),
      checkpoints: Object.fromEntries(chosen.map((c) => [c.tracked.projection.name, c.anchor.position.toString()])),
    });
  }

  /** Applies the received events in one transaction (their checks done). */
  private applyBuffered(): void {
    this.clearScheduledFlush();
    const events = this.buffer;
    this.buffer = [];
    if (events.length === 0) return;
    const outcomes: Outcome[] = [];
    let resetElsewhere = false;
    try {
      this.db.transaction(() => {
        for (const t of this.tracked) {
          if (t.failure) continue;
          // Read inside the write lock: another process (the CLI's rebuild) may have moved it.
          const stored = this.readCheckpoint(t.projection.name);
          if (stored === null || stored.position < t.checkpoint) {
            resetElsewhere = true;
            continue;
          }
          outcomes.push(this.applyBatch(t, events, stored));
        }
      });
    } catch (error) {
      // The transaction itself failed (disk full, I/O): nothing of this batch was written.
      const failure: ProjectionFailure = { ...describe(error), position: events[0].position };
      for (const t of this.tracked) if (!t.failure) t.failure = failure;
      this.log({
        level: 'error',
        msg: 'projection batch could not be committed; projections stopped',
        error: failure.type,
        code: failure.code,
        position: failure.position.toString(),
      });
      this.unsubscribe();
      this.notifyWaiters();
      return;
    }
    const moved: { name: string; after: bigint; through: bigint }[] = [];
    for (const { tracked, checkpoint, anchor, failure } of outcomes) {
      if (checkpoint !== tracked.checkpoint)
        moved.push({ name: tracked.projection.name, after: tracked.checkpoint, through: checkpoint });
      tracked.checkpoint = checkpoint;
      tracked.anchor = anchor;
      if (failure) {
        tracked.failure = failure;
        this.log({
          level: 'error',
          msg: 'projection failed; it stays at its checkpoint until restarted or rebuilt',
          projection: tracked.projection.name,
          error: failure.type,
          code: failure.code,
          position: failure.position.toString(),
          checkpoint: checkpoint.toString(),
        });
      }
    }
    if (moved.length > 0) this.batchesSubject.next({ projections: moved });
    this.settle();
    this.notifyWaiters();
    if (resetElsewhere && this.started) {
      this.log({ level: 'warn', msg: 'a checkpoint moved back (rebuilt by another process); re-reading from it' });
      for (const t of this.tracked) {
        const row = this.readCheckpoint(t.projection.name);
        t.checkpoint = row?.position ?? -1n;
        t.anchor = row?.anchor ?? null;
        t.logChangedAt = row?.logChangedAt ?? null;
      }
      void this.resubscribe();
    } else if (this.tracked.every((t) => t.failure !== null)) {
      this.unsubscribe();
    }
  }

  /** One projection's share of the batch, under a savepoint so a throw undoes only its writes. */
  private applyBatch(t: Tracked, events: readonly RecordedEvent[], stored: CheckpointRow): Outcome {
    const from = stored.position;
    const lastEvent = events[events.length - 1];
    if (from >= lastEvent.position) return { tracked: t, checkpoint: from, anchor: stored.anchor, failure: null };
    const { projection } = t;
    this.db.exec('SAVEPOINT projection');
    let current: RecordedEvent | null = null;
    try {
      for (const event of events) {
        if (event.position <= from) continue;
        current = event;
        if (projection.eventTypes.has(event.type)) projection.apply(inCurrentShape(event), this.db);
      }
      const anchor = anchorOf(lastEvent);
      this.writeCheckpoint(projection, anchor.position, anchor, stored.logChangedAt);
      this.db.exec('RELEASE projection');
      return { tracked: t, checkpoint: anchor.position, anchor, failure: null };
    } catch (error) {
      this.db.exec('ROLLBACK TO projection');
      const failedAt = current?.position ?? from + 1n;
      const failure: ProjectionFailure = { ...describe(error), position: failedAt };
      // Re-apply the events before the one that threw, so the checkpoint stops right before it.
      let anchor = stored.anchor;
      try {
        for (const event of events) {
          if (event.position <= from || event.position >= failedAt) continue;
          if (projection.eventTypes.has(event.type)) projection.apply(inCurrentShape(event), this.db);
          anchor = anchorOf(event);
        }
        this.writeCheckpoint(projection, anchor?.position ?? from, anchor, stored.logChangedAt);
      } catch {
        this.db.exec('ROLLBACK TO projection');
        anchor = stored.anchor;
      }
      this.db.exec('RELEASE projection');
      return { tracked: t, checkpoint: anchor?.position ?? from, anchor, failure };
    }
  }

  /** Drops the read model's tables and starts it from zero; `logChangedAt` keeps it DOWN until rebuilt. */
  private reset(projection: Projection, logChangedAt: bigint | null): void {
    for (const table of projection.tables) this.db.exec(`DROP TABLE IF EXISTS ${table}`);
    this.db.clearStatements();
    this.db.exec(projection.schema);
    this.writeCheckpoint(projection, -1n, null, logChangedAt);
  }

  private readCheckpoint(name: string): CheckpointRow | null {
    const row = this.sql.readCheckpoint.get(name) as
      | {
          position: bigint;
          version: bigint;
          stream_id: string | null;
          revision: bigint | null;
          hash: string | null;
          log_changed_at: bigint | null;
        }
      | undefined;
    if (row === undefined) return null;
    const anchor =
      row.position >= 0n && row.stream_id !== null && row.revision !== null && row.hash !== null
        ? { position: row.position, streamId: row.stream_id, revision: row.revision, hash: row.hash }
        : null;
    return { position: row.position, version: Number(row.version), anchor, logChangedAt: row.log_changed_at };
  }

  private writeCheckpoint(
    projection: Projection,
    position: bigint,
    anchor: CheckpointEvent | null,
    logChangedAt: bigint | null,
  ): void {
    this.sql.writeCheckpoint.run(
      projection.name,
      position,
      projection.version,
      anchor?.streamId ?? null,
      anchor?.revision ?? null,
      anchor?.hash ?? null,
      logChangedAt,
    );
  }

  /** Marks what has caught up: a read model rebuilt after the log changed is UP again (and says so once). */
  private settle(): void {
    for (const t of this.tracked) {
      if (t.logChangedAt !== null && t.failure === null && this.subscription !== null && t.checkpoint >= this.target) {
        try {
          this.sql.clearLogChanged.run(t.projection.name);
        } catch {
          continue; // The file is busy: still DOWN, cleared at the next batch or start.
        }
        t.logChangedAt = null;
        this.log({
          level: 'warn',
          msg: 'projection rebuilt after the event log changed; UP again',
          projection: t.projection.name,
          position: t.checkpoint.toString(),
        });
      }
      if (!t.caughtUpLogged && this.stateOf(t) === 'caught-up') {
        t.caughtUpLogged = true;
        this.log({
          level: 'log',
          msg: 'projection caught up',
          projection: t.projection.name,
          position: t.checkpoint.toString(),
        });
      }
    }
  }
}

/** A read model's checkpoint as its file keeps it. */
export interface StoredCheckpoint {
  /** The last position applied (−1 before any). */
  readonly position: bigint;
  /** The projection version that built it: rows built by another version may mean something else. */
  readonly version: number;
  /** The event it stands on; null before any, or in a file written before checkpoints kept it. */
  readonly anchor: CheckpointEvent | null;
}

/**
 * A read model's checkpoint read straight from the file, for a reader that runs no runner (an
 * operator's replay) or must see it in the same read transaction as the rows. Null when the
 * file keeps none for it.
 */
export function readStoredCheckpoint(db: ReadModelDb, name: string): StoredCheckpoint | null {
  if (!db.columnsOf('projection_checkpoints').has('hash')) return null;
  const row = db.getExact<{
    position: bigint;
    version: bigint;
    stream_id: string | null;
    revision: bigint | null;
    hash: string | null;
  }>('SELECT position, version, stream_id, revision, hash FROM projection_checkpoints WHERE name = ?', name);
  if (row === undefined) return null;
  const anchor =
    row.position >= 0n && row.stream_id !== null && row.revision !== null && row.hash !== null
      ? { position: row.position, streamId: row.stream_id, revision: row.revision, hash: row.hash }
      : null;
  return { position: row.position, version: Number(row.version), anchor };
}

function anchorOf(event: RecordedEvent): CheckpointEvent {
  return { position: event.position, streamId: event.streamId, revision: event.revision, hash: event.hash };
}

function eventKey(anchor: CheckpointEvent): string {
  return `${anchor.position}:${anchor.streamId}:${anchor.revision}:${anchor.hash}`;
}

function sameEvent(a: CheckpointEvent, b: CheckpointEvent): boolean {
  return eventKey(a) === eventKey(b);
}

function describe(error: unknown): { type: string; code: string | null } {
  const type = errorType(error);
  const code =
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : null;
  return { type, code };
}

/** By its name, not instanceof: a native addon's errors may come from another realm (jest's sandboxes). */
function errorType(error: unknown): string {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : typeof error;
}

/** Projections read every event in its current shape: an event written by an earlier build is upcast first. */
function inCurrentShape(event: RecordedEvent): RecordedEvent {
  const version = currentSchemaVersion(event.type);
  return event.schemaVersion === version ? event : { ...event, schemaVersion: version, data: upcast(event).data };
}
