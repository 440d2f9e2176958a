import { Logger } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@placement/event-store';
import type { Subscription } from 'rxjs';

/** Events read at a time when `caughtUp` catches the tail up itself. */
const CATCH_UP_PAGE = 1000;
/** Wait before subscribing again after the subscription failed. */
const RESUBSCRIBE_MS = 500;

/**
 * The in-process readers' hold on the log: it subscribes to $all from a checkpoint, hands each
 * event to every reader once and in order, knows the position it has reached, and says when it
 * has caught up with the store's head. The app's in-memory read models (the unit directory, the
 * matching capacity) share one (LOG_TAIL in the store module), so each event is read and decoded
 * once for all of them: at startup on a long log, that is the whole log once instead of once each.
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

  /**
   * @param name for the log line when its subscription fails
   * @param apply a first reader: folds one event into its model (more `follow`)
   * @param from the position already folded (-1n: none)
   */
  constructor(
    private readonly store: EventStore,
    name: string,
    apply?: (event: RecordedEvent) => void,
    from = -1n,
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

  /** Hands every event from the tail's checkpoint on to `apply` too: before the tail starts, so none is missed. */
  follow(apply: (event: RecordedEvent) => void): void {
    if (this.started || this.current !== this.checkpoint)
      throw new Error('a reader follows a log tail before it reads');
    this.readers.push(apply);
  }

  /** Starts reading (a second call does nothing: every reader sharing the tail may call it). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.subscribe();
  }

  private subscribe(): void {
    const generation = ++this.generation;
    this.subscription = this.store.subscribeToAll({ after: this.current }).subscribe({
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

  stop(): void {
    this.stopped = true;
    this.subscription?.unsubscribe();
  }

  /**
   * Resolves once every event committed before this call has been applied. What the
   * subscription has not delivered yet (another process's writes wait for its next poll) is
   * read here and applied at once. One read ahead at a time, however many callers wait on it.
   */
  async caughtUp(): Promise<void> {
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
        const page = await this.store.readAll({ after: this.current, maxCount: CATCH_UP_PAGE });
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
    if (event.position <= this.current) return;
    for (const apply of this.readers) apply(event);
    this.current = event.position;
    if (this.waiters.length > 0) {
      const ready = this.waiters.filter((w) => w.position <= this.current);
      this.waiters = this.waiters.filter((w) => w.position > this.current);
      for (const w of ready) w.resolve();
    }
  }
}
