import { Logger } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@placement/event-store';
import type { Subscription } from 'rxjs';
import type { ReadersSnapshotFile, SnapshotAt, SnapshotPart } from './readers-snapshot';

/** Events read at a time when `caughtUp` catches the tail up itself. */
const CATCH_UP_PAGE = 1000;
/** Wait before subscribing again after the subscription failed. */
const RESUBSCRIBE_MS = 500;
/** How often the tail asks itself whether to write a snapshot of its readers. */
const SNAPSHOT_CHECK_MS = 30_000;
/** A snapshot once this many events were applied since the last one… */
export const SNAPSHOT_EVERY_EVENTS = 10_000;
/** …or once this long passed since the last one and anything was applied. */
const SNAPSHOT_EVERY_MS = 60 * 60_000;

/**
 * The in-process readers' hold on the log: it subscribes to $all from a checkpoint, hands each
 * event to every reader once and in order, knows the position it has reached, and says when it
 * has caught up with the store's head. The app's in-memory read models (the unit directory, the
 * matching capacity) share one (LOG_TAIL in the store module), so each event is read and decoded
 * once for all of them: at startup on a long log, that is the whole log once instead of once each.
 *
 * With a snapshot file, every reader hands its state to the tail too (`follow`'s part): the tail
 * writes all of it at the position reached (every SNAPSHOT_EVERY_EVENTS events or
 * SNAPSHOT_EVERY_MS, and when it stops), and on start reads it back and tails the log from there,
 * unless the snapshot is another build's or the log at its position is not the one it was taken
 * on (another store, or one restored from an older backup): then it folds from the start.
 */
export class LogTail {
  private readonly logger: Logger;
  private current: bigint;
  private readonly checkpoint: bigint;
  private readonly readers: ((event: RecordedEvent) => void)[] = [];
  private subscription?: Subscription;
  private started = false;
  private stopped = false;
  private generation = 0;
  private waiters: { position: bigint; resolve: () => void }[] = [];
  private readingAhead?: Promise<void>;
  /** Restoring the snapshot, then subscribing. */
  private starting?: Promise<void>;
  private readonly parts: SnapshotPart[] = [];
  /** The hash of the event at `current`. */
  private lastHash?: string;
  private saved: { position: bigint; at: number; events: number } = { position: -1n, at: Date.now(), events: 0 };
  private snapshotTimer?: NodeJS.Timeout;
  /** The last snapshot asked for, written (or failed and logged); they are written one after another. */
  private snapshotWritten: Promise<void> = Promise.resolve();
  private snapshotsInProgress = 0;
  /** Events received while a snapshot takes the readers' state (which must not change meanwhile). */
  private held?: RecordedEvent[];

  /**
   * @param name for the log line when its subscription fails
   * @param apply a first reader: folds one event into its model (more `follow`)
   * @param from the position already folded (-1n: none)
   * @param snapshot where the readers' snapshot is kept (none: they fold from `from` on every start)
   */
  constructor(
    private readonly store: EventStore,
    name: string,
    apply?: (event: RecordedEvent) => void,
    from = -1n,
    private readonly snapshot?: ReadersSnapshotFile,
  ) {
    this.logger = new Logger(name);
    this.current = from;
    this.checkpoint = from;
    if (apply) this.readers.push(apply);
  }

  /** The position of the last event applied (-1n: none yet). */
  get position(): bigint {
    return this.current;
  }

  /**
   * Hands every event from the tail's checkpoint on to `apply` too: before the tail starts, so none
   * is missed. With `part`, the reader's state is in the tail's snapshot (without, there is none).
   */
  follow(apply: (event: RecordedEvent) => void, part?: SnapshotPart): void {
    if (this.started || this.current !== this.checkpoint)
      throw new Error('a reader follows a log tail before it reads');
    this.readers.push(apply);
    if (part) this.parts.push(part);
  }

  /** Starts reading (a second call does nothing: every reader sharing the tail may call it). */
  start(): void {
    if (this.started) return;
    this.started = true;
    const restored = this.restore().catch((error: unknown) =>
      this.logger.warn({
        msg: 'readers snapshot not read; folding from the start',
        error: error instanceof Error ? error.name : 'unknown',
      }),
    );
    this.starting = restored.then(() => {
      if (this.stopped) return;
      this.subscribe();
      if (this.snapshotFile() !== undefined) {
        this.snapshotTimer = setInterval(() => void this.snapshotIfDue().catch(() => undefined), SNAPSHOT_CHECK_MS);
        this.snapshotTimer.unref();
      }
    });
  }

  /** The snapshot file, when every reader has its part in it. */
  private snapshotFile(): ReadersSnapshotFile | undefined {
    return this.parts.length === this.readers.length ? this.snapshot : undefined;
  }

  /** Takes the readers' state from the snapshot, when it is this build's and was taken on this log. */
  private async restore(): Promise<void> {
    const file = this.snapshotFile();
    if (file === undefined || this.current !== -1n) return;
    const started = performance.now();
    const found = file.read(this.parts);
    if (found === undefined) return;
    const [there] = await this.store.readAll({ after: found.position - 1n, maxCount: 1 });
    if (there?.position !== found.position || there.hash !== found.hash) {
      this.logger.warn({
        msg: 'readers snapshot not taken on this log (another store, or one behind it); folding from the start',
        position: found.position.toString(),
      });
      return;
    }
    for (const part of this.parts) part.restore(found.parts.get(part.name));
    this.current = found.position;
    this.lastHash = found.hash;
    this.saved = { position: found.position, at: Date.now(), events: 0 };
    this.logger.log({
      msg: 'readers restored from their snapshot',
      position: found.position.toString(),
      ms: Math.round(performance.now() - started),
    });
  }

  /**
   * Writes a snapshot when one is due, once the readers are at the log's head: while they catch up
   * on a long log, writing one would hold the catch-up up (seconds, at England's scale) for a state
   * soon behind.
   */
  private async snapshotIfDue(): Promise<void> {
    const { events, at } = this.saved;
    if (events < SNAPSHOT_EVERY_EVENTS && (events === 0 || Date.now() - at < SNAPSHOT_EVERY_MS)) return;
    if (this.snapshotsInProgress > 0) return;
    if (this.readingAhead !== undefined || this.current < (await this.store.headPosition())) return;
    await this.writeSnapshot();
  }

  /**
   * Writes the readers' state at the position reached, once the snapshots asked for before are
   * written (a failure is logged: the next start folds more). Requests are answered throughout:
   * while the state is taken, slice by slice, the events that arrive wait (a caller of `caughtUp`
   * waits for them); while the file is written, they are applied.
   */
  writeSnapshot(): Promise<void> {
    this.snapshotsInProgress += 1;
    this.snapshotWritten = this.snapshotWritten
      .then(() => this.writeSnapshotNow())
      .finally(() => (this.snapshotsInProgress -= 1));
    return this.snapshotWritten;
  }

  private async writeSnapshotNow(): Promise<void> {
    const file = this.snapshotFile();
    if (file === undefined || this.lastHash === undefined || this.current === this.saved.position) return;
    const started = performance.now();
    let takenMs = 0;
    const at: SnapshotAt = { position: this.current, hash: this.lastHash };
    const eventsBefore = this.saved.events;
    // The state is taken a slice at a time: events that arrive meanwhile wait, and are applied once it is taken.
    this.held = [];
    try {
      await file.write(this.parts, at, () => {
        takenMs = performance.now() - started;
        this.release();
      });
      // What was applied while the file was written counts towards the next snapshot.
      this.saved = { position: at.position, at: Date.now(), events: this.saved.events - eventsBefore };
      this.logger.log({
        msg: 'readers snapshot written',
        position: at.position.toString(),
        ms: Math.round(performance.now() - started),
        takenMs: Math.round(takenMs),
      });
    } catch (error) {
      this.logger.warn({
        msg: 'readers snapshot not written',
        error: error instanceof Error ? error.name : 'unknown',
      });
    } finally {
      this.release();
    }
  }

  /** Applies the events held while the readers' state was being taken, and stops holding them. */
  private release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const event of held) this.apply(event);
  }

  /** The position of the last event received: applied, or held while a snapshot is taken. */
  private get reached(): bigint {
    return this.held?.at(-1)?.position ?? this.current;
  }

  private subscribe(): void {
    const generation = ++this.generation;
    this.subscription = this.store.subscribeToAll({ after: this.reached }).subscribe({
      next: (event) => this.receive(event),
      error: (error: unknown) => {
        this.logger.error({
          msg: 'log subscription failed; resubscribing',
          error: error instanceof Error ? error.name : 'unknown',
        });
        setTimeout(() => {
          // Not if stopped, or if a catch-up has subscribed again meanwhile.
          if (!this.stopped && this.generation === generation) this.subscribe();
        }, RESUBSCRIBE_MS).unref();
      },
    });
  }

  /**
   * Stops reading and writes the readers' snapshot; resolves once it is on disk. A second call
   * writes nothing more and resolves with the first.
   */
  stop(): Promise<void> {
    if (this.stopped) return this.snapshotWritten;
    this.stopped = true;
    this.subscription?.unsubscribe();
    clearInterval(this.snapshotTimer);
    return this.writeSnapshot();
  }

  /**
   * Resolves once every event committed before this call has been applied. What the
   * subscription has not delivered yet (another process's writes wait for its next poll) is
   * read here and applied at once. One read ahead at a time, however many callers wait on it.
   */
  async caughtUp(): Promise<void> {
    await this.starting;
    const head = await this.store.headPosition();
    if (this.current >= head) return;
    this.readingAhead ??= this.readAhead().finally(() => (this.readingAhead = undefined));
    await this.readingAhead;
    if (this.current >= head) return;
    await new Promise<void>((resolve) => this.waiters.push({ position: head, resolve }));
  }

  /**
   * Reads the log from the position reached up to its head, page by page. The subscription
   * stops meanwhile and starts again from where the read ended, so no event is read twice (at
   * startup on a long log, that is the whole log); between pages, requests are answered.
   */
  private async readAhead(): Promise<void> {
    const subscribed = this.subscription !== undefined && !this.stopped;
    if (subscribed) {
      this.generation += 1; // a pending retry of a failed subscription is not needed either
      this.subscription?.unsubscribe();
    }
    try {
      for (;;) {
        const page = await this.store.readAll({ after: this.reached, maxCount: CATCH_UP_PAGE });
        for (const event of page) this.receive(event);
        if (page.length < CATCH_UP_PAGE || this.stopped) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      if (subscribed && !this.stopped) this.subscribe();
    }
  }

  private receive(event: RecordedEvent): void {
    // Delivered twice (read by caughtUp, then by the subscription): the first one counts.
    if (event.position <= this.reached) return;
    if (this.held !== undefined) this.held.push(event);
    else this.apply(event);
  }

  private apply(event: RecordedEvent): void {
    for (const apply of this.readers) apply(event);
    this.current = event.position;
    this.lastHash = event.hash;
    this.saved.events += 1;
    if (this.waiters.length > 0) {
      const ready = this.waiters.filter((w) => w.position <= this.current);
      this.waiters = this.waiters.filter((w) => w.position > this.current);
      for (const w of ready) w.resolve();
    }
  }
}
