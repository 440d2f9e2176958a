import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { MessageEvent } from '@nestjs/common';
import type { Clock, EventStore } from '@placement/event-store';
import {
  allProjections,
  CapacitySummary,
  londonDateOf,
  openReadModelDb,
  ProjectionRunner,
  readCapacity,
  readCapacityChanges,
  readCapacityPage,
  type CapacityPage,
  type CapacityPageOptions,
  type CapacityView,
  type ReadModelDb,
} from '@placement/projections';
import { filter, interval, map, merge, Observable, share, Subject, type Subscription } from 'rxjs';
import { nextLondonMidnight } from '../http/london-date';
import type { Environment } from '../config/environment';
import { ENVIRONMENT } from '../config/tokens';
import { CLOCK, EVENT_STORE } from '../store/store.module';

/** How long a read with `?minPosition=` waits for the read model before answering 503. */
export const READ_YOUR_WRITES_WAIT_MS = 2000;

/**
 * Owns the read-model file and the runner for the API process: opened on init, started on
 * bootstrap (catch-up runs in the background), stopped before the store closes.
 */
@Injectable()
export class ProjectionsService
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('Projections');
  private readonly closing = new Subject<void>();
  private db!: ReadModelDb;
  private runnerInstance!: ProjectionRunner;
  /** The whole estate's capacity totals, kept between reads; counted again after the read model is rebuilt. */
  private capacitySummary!: CapacitySummary;
  private capacityRebuilds?: Subscription;
  private capacityDeltas!: Observable<{ type: 'snapshot' | 'delta'; view: CapacityView }>;
  /** Units whose night changed at midnight (London), with no event: pushed like a delta. */
  private readonly rollovers = new Subject<CapacityView>();
  /** The London date the last view pushed or served was read for. */
  private night!: string;
  /**
   * The log's head when this process began, or the read model was last rebuilt (null until read):
   * an id at or below it is from an earlier process or log, whose nights and units are not known.
   */
  private startedAfter: bigint | null = null;
  /** The position of the last rollover pushed: an id at or below it may be from the night before. */
  private rolledOverAt = -1n;
  private rolloverTimer?: NodeJS.Timeout;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get runner(): ProjectionRunner {
    return this.runnerInstance;
  }

  /** Emits when the server begins to shut down: open event streams end then. */
  get closing$(): Observable<void> {
    return this.closing.asObservable();
  }

  get readModels(): ReadModelDb {
    return this.db;
  }

  onModuleInit(): void {
    mkdirSync(path.dirname(path.resolve(this.env.READ_MODEL_PATH)), { recursive: true });
    this.db = openReadModelDb({ path: this.env.READ_MODEL_PATH });
    this.runnerInstance = new ProjectionRunner({
      store: this.store,
      db: this.db,
      projections: allProjections(),
      // Entries carry projection names, positions and error types only, never event data.
      log: ({ level, msg, ...fields }) => this.logger[level]({ msg, ...fields }),
    });
    this.capacitySummary = new CapacitySummary(this.db);
    this.capacityRebuilds = this.runnerInstance.batches$.subscribe((batch) => {
      if (!batch.projections.some((p) => p.name === 'capacity' && p.after < 0n)) return;
      this.capacitySummary.reset();
      this.startedAfter = null;
      void this.startAfterHead();
    });
    // One capacity read per committed batch, shared by every open stream: the rows it changed, by their
    // position index, with the totals kept between reads. A batch from zero
    // (the read model was rebuilt, e.g. after the log changed under it) goes whole as a snapshot:
    // units the log no longer has are gone, which a delta cannot say.
    this.capacityDeltas = this.runnerInstance.batches$.pipe(
      map((batch) => batch.projections.find((p) => p.name === 'capacity')),
      filter((moved): moved is NonNullable<typeof moved> => moved !== undefined),
      map((moved) =>
        moved.after < 0n
          ? { type: 'snapshot' as const, view: readCapacity(this.db, moved.through, { now: this.clock.now() }) }
          : {
              type: 'delta' as const,
              view: readCapacityChanges(this.db, this.capacitySummary, moved, this.clock.now()),
            },
      ),
      share(),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    this.night = londonDateOf(this.clock.now());
    await this.startAfterHead();
    await this.runnerInstance.start();
    this.scheduleRollover();
  }

  /** Ids up to the log's head now are from an earlier process or log: a client back with one is sent a snapshot. */
  private async startAfterHead(): Promise<void> {
    this.startedAfter = await this.store.headPosition();
  }

  /** The read model rolls over at midnight London time; a read after midnight does it too, whichever comes first. */
  private scheduleRollover(): void {
    const now = this.clock.now();
    // Capped, so a clock that moves by other means (a test's, a laptop woken from sleep) is looked at again soon.
    const wait = Math.min(Math.max(nextLondonMidnight(now).getTime() - now.getTime() + 1_000, 1_000), 3_600_000);
    this.rolloverTimer = setTimeout(() => {
      this.rollover();
      this.scheduleRollover();
    }, wait);
    this.rolloverTimer.unref();
  }

  /**
   * If the London date has turned since the last view, pushes the units whose night changed
   * (planned arrivals and departures, periods out of use beginning or ending) with the new totals.
   */
  rollover(): CapacityView | null {
    const today = londonDateOf(this.clock.now());
    if (this.night === undefined || today === this.night) return null;
    const status = this.runnerInstance.status().find((s) => s.name === 'capacity');
    if (!status || status.state === 'failed') return null;
    const view = readCapacity(this.db, status.position, { now: this.clock.now(), comparedWith: this.night });
    this.night = today;
    this.rolledOverAt = status.position;
    this.rollovers.next(view);
    return view;
  }

  /** Before the HTTP server closes: end the open event streams, so it can close. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.rolloverTimer) clearTimeout(this.rolloverTimer);
    this.capacityRebuilds?.unsubscribe();
    this.closing.next();
    this.closing.complete();
    // Let the ended responses flush, so their connections are idle when the server closes
    // them (otherwise each waits for its client to drop a keep-alive socket).
    await new Promise((resolve) => setTimeout(resolve, 50));
    await this.runnerInstance.stop();
  }

  onApplicationShutdown(): void {
    this.db.close();
  }

  /** The projection's checkpoint once it has applied `minPosition` (if given); 503 if it cannot. */
  async readyPosition(name: string, minPosition?: string): Promise<bigint> {
    const status = this.runnerInstance.status().find((s) => s.name === name);
    if (!status) throw new Error(`no projection ${name}`);
    if (status.state === 'failed') {
      throw new ServiceUnavailableException(
        `The ${name} read model stopped at position ${String(status.error?.position)}; see /health. ` +
          'Its figures would be out of date.',
      );
    }
    // Rebuilding from zero because the log changed: only a read waiting for its own write is answered meanwhile.
    if (status.state === 'rebuilding' && minPosition === undefined) {
      throw new ServiceUnavailableException(
        `The ${name} read model is being rebuilt because the event log changed; see /health. Retry shortly.`,
      );
    }
    if (minPosition !== undefined) {
      const reached = await this.runnerInstance.waitFor(BigInt(minPosition), {
        names: [name],
        timeoutMs: READ_YOUR_WRITES_WAIT_MS,
      });
      if (!reached)
        throw new ServiceUnavailableException(
          `The ${name} read model has not reached position ${minPosition} yet; retry shortly.`,
        );
    }
    return this.runnerInstance.status().find((s) => s.name === name)?.position ?? -1n;
  }

  /**
   * A read model ready to read (after `minPosition`, if given), with the instant and London
   * date its "now" and "today" are decided on: the lists decide open, lapsed and lives-there by them.
   */
  async readModel(
    name: string,
    minPosition?: string,
  ): Promise<{ db: ReadModelDb; position: bigint; now: Date; today: string }> {
    const position = await this.readyPosition(name, minPosition);
    const now = this.clock.now();
    return { db: this.db, position, now, today: londonDateOf(now) };
  }

  /**
   * Capacity on a night (today by default), every unit; a read after midnight first pushes
   * the rollover to open streams.
   */
  capacityNow(position: bigint, on?: string): CapacityView {
    this.rollover();
    return readCapacity(this.db, position, { now: this.clock.now(), on });
  }

  /**
   * A page of capacity on a night (today by default), with the whole estate's totals; a read
   * after midnight first pushes the rollover to open streams.
   */
  capacityPage(position: bigint, options: Omit<CapacityPageOptions, 'now'>): CapacityPage {
    this.rollover();
    return readCapacityPage(this.db, this.capacitySummary, position, { ...options, now: this.clock.now() });
  }

  /**
   * A full snapshot first, then a delta (whole totals, changed units only) after every capacity
   * batch, or a new snapshot when the read model starts again from zero (replace, do not merge).
   */
  capacityStream(lastEventId?: string): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      // A day turned since the last view is pushed to the streams already open; this one starts from today's snapshot.
      this.rollover();
      const position = this.runnerInstance.status().find((s) => s.name === 'capacity')?.position ?? -1n;
      // Subscribed in the same turn as the snapshot is read: no batch can fall between them.
      const deltas = merge(
        this.capacityDeltas,
        this.rollovers.pipe(map((view) => ({ type: 'delta' as const, view }))),
      ).subscribe(({ type, view }) => subscriber.next({ type, id: view.position, data: view }));
      // A client back with the id of the last event it had is sent what changed since, flagged as its
      // resumption: the units changed after that id, read by position. An id from before a rollover, this
      // process or a rebuild is sent the state now instead, which holds the nights that turned meanwhile too.
      const resumedAfter = resumedAfterOf(lastEventId, position);
      const after = resumedAfter === undefined ? undefined : BigInt(resumedAfter);
      const missed =
        after !== undefined && this.startedAfter !== null && after > this.startedAfter && after > this.rolledOverAt;
      const view = missed
        ? readCapacityChanges(this.db, this.capacitySummary, { after, through: position }, this.clock.now())
        : readCapacity(this.db, position, { now: this.clock.now() });
      subscriber.next({
        type: missed ? 'delta' : 'snapshot',
        id: position.toString(),
        data: resumedAfter === undefined ? view : { ...view, resumedAfter },
      });
      const heartbeat = keepAlive(this.env.SSE_KEEP_ALIVE_SECONDS).subscribe((comment) => subscriber.next(comment));
      const closing = this.closing.subscribe({ complete: () => subscriber.complete() });
      return () => {
        deltas.unsubscribe();
        heartbeat.unsubscribe();
        closing.unsubscribe();
      };
    });
  }
}

/**
 * The `Last-Event-ID` a reconnecting client sent, when it is a position this read model has
 * reached (an id from a log since rebuilt, or not ours, is a plain connect).
 */
export function resumedAfterOf(lastEventId: string | undefined, position: bigint): string | undefined {
  if (lastEventId === undefined || !/^\d{1,19}$/.test(lastEventId)) return undefined;
  return BigInt(lastEventId) <= position ? BigInt(lastEventId).toString() : undefined;
}

/** An SSE comment every `seconds`: no `id`, so a client's Last-Event-ID stays the last event's. */
export function keepAlive(seconds: number): Observable<MessageEvent> {
  return interval(seconds * 1000).pipe(map(() => ({ comment: 'keep-alive' })));
}
