import type Database from 'better-sqlite3';
import { Subject, type Observable, type Subscription } from 'rxjs';
import type { EventStore, RecordedEvent } from '@placement/event-store';
import type { Projection } from './projection';
import type { ReadModelDb } from './read-model-db';

export type ProjectionState = 'running' | 'caught-up' | 'failed';

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
  readonly error: ProjectionFailure | null;
}

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
  readonly log?: (entry: RunnerLogEntry) => void;
}

interface Tracked {
  readonly projection: Projection;
  checkpoint: bigint;
  failure: ProjectionFailure | null;
  caughtUpLogged: boolean;
}

interface Waiter {
  readonly position: bigint;
  readonly names: readonly string[];
  readonly resolve: (reached: boolean) => void;
}

interface Outcome {
  readonly tracked: Tracked;
  readonly checkpoint: bigint;
  readonly failure: ProjectionFailure | null;
}

const CHECKPOINTS_DDL = `CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name TEXT PRIMARY KEY, position INTEGER NOT NULL, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS projection_source (key TEXT PRIMARY KEY, value TEXT NOT NULL)`;

/**
 * Feeds projections from the store's $all, each from its own checkpoint. A batch of events
 * is applied to every projection and their checkpoints written in ONE SQLite transaction,
 * so a crash anywhere leaves each read model exactly at its checkpoint. Each projection
 * runs under a savepoint: one that throws stops at that event, the others go on.
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
  /** The head when the subscription began: below it the runner is catching up. */
  private target = -1n;
  private started = false;
  private generation = 0;
  private waiters: Waiter[] = [];
  private readonly sql: {
    readCheckpoint: Database.Statement;
    writeCheckpoint: Database.Statement;
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
      failure: null,
      caughtUpLogged: false,
    }));
    this.db = options.db;
    this.store = options.store;
    this.catchUpBatchSize = options.catchUpBatchSize ?? 5000;
    this.liveBatchSize = options.liveBatchSize ?? 1000;
    this.log = options.log ?? (() => undefined);
    this.db.exec(CHECKPOINTS_DDL);
    this.sql = {
      readCheckpoint: this.db.db
        .prepare('SELECT position, version FROM projection_checkpoints WHERE name = ?')
        .safeIntegers(true),
      writeCheckpoint: this.db.db.prepare(
        `INSERT INTO projection_checkpoints (name, position, version) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, version = excluded.version`,
      ),
    };
  }

  /** Creates each read model's tables (rebuilding one whose version changed), then subscribes from the checkpoints. */
  async start(): Promise<void> {
    // A read-model file follows one event log: its first event's id identifies the log.
    const first = (await this.store.readAll({ maxCount: 1 }))[0];
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
        if (otherLog || row === null || row.version !== t.projection.version) {
          if (row !== null && !otherLog)
            this.log({
              level: 'warn',
              msg: 'projection schema changed; rebuilding from zero',
              projection: t.projection.name,
            });
          this.reset(t.projection);
        } else {
          this.db.exec(t.projection.schema);
        }
      }
    });
    for (const t of this.tracked) {
      t.checkpoint = this.readCheckpoint(t.projection.name)?.position ?? -1n;
      t.failure = null;
      t.caughtUpLogged = false;
    }
    this.started = true;
    this.log({
      level: 'log',
      msg: 'projections starting',
      checkpoints: Object.fromEntries(this.tracked.map((t) => [t.projection.name, t.checkpoint.toString()])),
    });
    await this.resubscribe();
  }

  /** Applies what was already received, then stops reading. */
  async stop(): Promise<void> {
    this.started = false;
    this.generation += 1;
    this.unsubscribe();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.buffer.length > 0) this.flush();
    this.clearScheduledFlush();
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters = [];
  }

  status(): ProjectionStatus[] {
    return this.tracked.map((t) => ({
      name: t.projection.name,
      position: t.checkpoint,
      state: this.stateOf(t),
      error: t.failure,
    }));
  }

  names(): string[] {
    return this.tracked.map((t) => t.projection.name);
  }

  /**
   * Resolves true once the named projections (default: all) have applied `position`;
   * false after `timeoutMs`, or at once if one of them has failed.
   */
  waitFor(position: bigint, options: { timeoutMs?: number; names?: readonly string[] } = {}): Promise<boolean> {
    const names = options.names ?? this.names();
    for (const name of names) this.lookup(name);
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
      if (options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs)) {
        timer = setTimeout(() => waiter.resolve(false), options.timeoutMs);
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
    this.db.transaction(() => {
      for (const t of chosen) this.reset(t.projection);
    });
    for (const t of chosen) {
      t.checkpoint = -1n;
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
    this.logCaughtUp();
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
          const stored = this.readCheckpoint(t.projection.name)?.position ?? null;
          if (stored === null || stored < t.checkpoint) {
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
    for (const { tracked, checkpoint, failure } of outcomes) {
      if (checkpoint !== tracked.checkpoint)
        moved.push({ name: tracked.projection.name, after: tracked.checkpoint, through: checkpoint });
      tracked.checkpoint = checkpoint;
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
    this.logCaughtUp();
    this.notifyWaiters();
    if (resetElsewhere && this.started) {
      this.log({ level: 'warn', msg: 'a checkpoint moved back (rebuilt by another process); re-reading from it' });
      for (const t of this.tracked) t.checkpoint = this.readCheckpoint(t.projection.name)?.position ?? -1n;
      void this.resubscribe();
    } else if (this.tracked.every((t) => t.failure !== null)) {
      this.unsubscribe();
    }
  }

  /** One projection's share of the batch, under a savepoint so a throw undoes only its writes. */
  private applyBatch(t: Tracked, events: readonly RecordedEvent[], from: bigint): Outcome {
    const last = events[events.length - 1].position;
    if (from >= last) return { tracked: t, checkpoint: from, failure: null };
    const { projection } = t;
    this.db.exec('SAVEPOINT projection');
    let current: RecordedEvent | null = null;
    try {
      for (const event of events) {
        if (event.position <= from) continue;
        current = event;
        if (projection.eventTypes.has(event.type)) projection.apply(event, this.db);
      }
      this.writeCheckpoint(projection, last);
      this.db.exec('RELEASE projection');
      return { tracked: t, checkpoint: last, failure: null };
    } catch (error) {
      this.db.exec('ROLLBACK TO projection');
      const failedAt = current?.position ?? from + 1n;
      const failure: ProjectionFailure = { ...describe(error), position: failedAt };
      // Re-apply the events before the one that threw, so the checkpoint stops right before it.
      let checkpoint = from;
      try {
        for (const event of events) {
          if (event.position <= from || event.position >= failedAt) continue;
          if (projection.eventTypes.has(event.type)) projection.apply(event, this.db);
          checkpoint = event.position;
        }
        this.writeCheckpoint(projection, checkpoint);
      } catch {
        this.db.exec('ROLLBACK TO projection');
        checkpoint = from;
      }
      this.db.exec('RELEASE projection');
      return { tracked: t, checkpoint, failure };
    }
  }

  private reset(projection: Projection): void {
    for (const table of projection.tables) this.db.exec(`DROP TABLE IF EXISTS ${table}`);
    this.db.clearStatements();
    this.db.exec(projection.schema);
    this.writeCheckpoint(projection, -1n);
  }

  private readCheckpoint(name: string): { position: bigint; version: number } | null {
    const row = this.sql.readCheckpoint.get(name) as { position: bigint; version: bigint } | undefined;
    return row ? { position: row.position, version: Number(row.version) } : null;
  }

  private writeCheckpoint(projection: Projection, position: bigint): void {
    this.sql.writeCheckpoint.run(projection.name, position, projection.version);
  }

  private logCaughtUp(): void {
    for (const t of this.tracked) {
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
