import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { TZDate } from '@date-fns/tz';
import type { Clock, EventStore, RecordedEvent } from '@placement/event-store';
import type { UnitRef } from '@placement/domain';
import { MatchingIndex } from '@placement/matching';
import { Subscription } from 'rxjs';
import { londonDate } from '../http/london-date';
import { englandPostcodeDistricts } from '../seed/reference-data';
import { CLOCK, EVENT_STORE } from '../store/store.module';
import { CapacityState, type DistrictCentroid } from './capacity-state';

/** Rebuild the index this long after the last capacity change, so a burst of events costs one build. */
export const REBUILD_DEBOUNCE_MS = 250;
/** Indexes kept for different start dates (a handful of referrals are being matched at once). */
const MAX_NIGHTS_KEPT = 8;

/** A built index and what it was built from. */
export interface CapacityIndex {
  index: MatchingIndex;
  unitRefs: ReadonlyMap<string, UnitRef>;
  asAt: string;
  /** The night the units were read for: a placement from then on. */
  on: string;
  /** The capacity version (changes the engine reads) it reflects. */
  version: number;
  /** Last log position applied when it was built. */
  position: bigint;
}

/**
 * The matching engine's capacity, kept in memory from the store's $all subscription (the
 * pattern of UnitDirectory) and indexed once per change: a request reuses the built
 * MatchingIndex unless capacity changed or a hold lapsed since, so reads never rebuild
 * per request while nothing moves.
 *
 * The snapshot's `asAt` is the latest of: the last change the engine reads, the start of
 * today in London (residents' ages), and every hold that has lapsed by now. So it moves only
 * when something the engine reads moved, and the same inputs give the same hash.
 */
@Injectable()
export class CapacityProjection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CapacityProjection.name);
  readonly state: CapacityState;
  private position = -1n;
  private subscription?: Subscription;
  private waiters: { position: bigint; resolve: () => void }[] = [];
  /** Built indexes by the night they read units for. */
  private readonly builtFor = new Map<string, CapacityIndex>();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.state = new CapacityState(districtCentroids());
  }

  onModuleInit(): void {
    this.subscribe();
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
  }

  /** Resolves once every event committed before this call has been applied. */
  async caughtUp(): Promise<void> {
    const head = await this.store.headPosition();
    if (this.position >= head) return;
    await new Promise<void>((resolve) => this.waiters.push({ position: head, resolve }));
  }

  /** Centroid of a postcode district (for a referral's preferred area). */
  district(code: string): DistrictCentroid | undefined {
    return this.state.districtOf(code);
  }

  /**
   * The index for a placement from the night `on` (today by default): one already built for that
   * night unless capacity changed or a hold lapsed since. A few nights are kept (referrals start on
   * different days). A past night is read from the diaries as it was, for a back-dated placement:
   * who lived there that night (and who has arrived since), and which places were taken then.
   */
  async current(on?: string): Promise<CapacityIndex> {
    await this.caughtUp();
    const now = this.clock.now();
    const asAt = this.asAt(now);
    const night = on ?? londonDate(now);
    const built = this.builtFor.get(night);
    if (built && built.version === this.state.version && built.asAt === asAt) return built;
    return this.rebuild(asAt, night);
  }

  /** Today's London date on the projection's clock. */
  today(): string {
    return londonDate(this.clock.now());
  }

  /** The instant the snapshot describes; see the class comment. */
  asAt(now: Date): string {
    const nowMs = now.getTime();
    let asAt = startOfLondonDay(now);
    if (this.state.changedAt) asAt = Math.max(asAt, Date.parse(this.state.changedAt));
    // Holds may be written with any offset, so compare instants, not strings.
    for (const until of this.state.holdEnds()) {
      const ends = Date.parse(until);
      if (ends <= nowMs && ends > asAt) asAt = ends;
    }
    return new Date(asAt).toISOString();
  }

  private rebuild(asAt: string, on: string = londonDate(this.clock.now())): CapacityIndex {
    const started = performance.now();
    const { snapshot, unitRefs } = this.state.snapshot(asAt, on);
    const built: CapacityIndex = {
      index: MatchingIndex.build(snapshot),
      unitRefs,
      asAt,
      on,
      version: this.state.version,
      position: this.position,
    };
    this.logger.debug({
      msg: 'matching index rebuilt',
      units: snapshot.units.length,
      ms: Math.round(performance.now() - started),
    });
    // A few nights at most: the oldest built goes first.
    if (!this.builtFor.has(on) && this.builtFor.size >= MAX_NIGHTS_KEPT) {
      const oldest = this.builtFor.keys().next().value;
      if (oldest !== undefined) this.builtFor.delete(oldest);
    }
    this.builtFor.set(on, built);
    return built;
  }

  private scheduleRebuild(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.store
        .headPosition()
        .then((head) => {
          // Still catching up: build once at the end, not once per page of history.
          if (this.position < head) return this.scheduleRebuild();
          const today = this.builtFor.get(londonDate(this.clock.now()));
          if (today?.version !== this.state.version) this.rebuild(this.asAt(this.clock.now()));
          return undefined;
        })
        .catch(() => undefined);
    }, REBUILD_DEBOUNCE_MS);
    this.timer.unref();
  }

  private subscribe(): void {
    this.subscription = this.store.subscribeToAll({ after: this.position }).subscribe({
      next: (event) => this.apply(event),
      error: (error: unknown) => {
        this.logger.error({
          msg: 'capacity subscription failed; resubscribing',
          error: error instanceof Error ? error.name : 'unknown',
        });
        setTimeout(() => this.subscribe(), 500).unref();
      },
    });
  }

  private apply(event: RecordedEvent): void {
    const before = this.state.version;
    this.state.apply(event);
    this.position = event.position;
    if (this.state.version !== before) this.scheduleRebuild();
    if (this.waiters.length > 0) {
      const ready = this.waiters.filter((w) => w.position <= this.position);
      this.waiters = this.waiters.filter((w) => w.position > this.position);
      for (const w of ready) w.resolve();
    }
  }
}

function districtCentroids(): DistrictCentroid[] {
  return englandPostcodeDistricts().map((d) => ({
    district: d.district,
    laCode: d.laCode,
    easting: d.easting,
    northing: d.northing,
  }));
}

function startOfLondonDay(now: Date): number {
  const [y, m, d] = londonDate(now).split('-').map(Number);
  return new TZDate(y, m - 1, d, 0, 0, 0, 'Europe/London').getTime();
}
