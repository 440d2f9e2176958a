import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { Clock, EventStore, RecordedEvent } from '@placement/event-store';
import { londonDateOf, londonMidnight, upcast, type DomainEvent, type UnitRef } from '@placement/domain';
import {
  MatchingIndex,
  districtOf,
  evolve,
  holdEnds,
  initialCapacity,
  snapshotAt,
  type CapacityState,
  type DistrictCentroid,
} from '@placement/matching';
import { englandPostcodeDistricts } from '../seed/reference-data';
import { LogTail } from '../store/log-tail';
import { fieldsOf, fitsFieldsOf } from '../store/readers-snapshot';
import { CLOCK, EVENT_STORE, LOG_TAIL } from '../store/store.module';

/** Rebuild the index this long after the last capacity change, so a burst of events costs one build. */
export const REBUILD_DEBOUNCE_MS = 250;
/** Indexes kept for different start dates (a handful of referrals are being matched at once). */
const MAX_NIGHTS_KEPT = 8;
/** The capacity state's fields that come from the reference data, not from the log. */
const REFERENCE_DATA = ['districts', 'firstDistrictOfAuthority'];

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
 * The matching engine's capacity: the pure fold in libs/matching (`evolve`, `snapshotAt`), fed
 * from the log by the LogTail it shares with the unit directory, and indexed once per change: a
 * request reuses the built MatchingIndex unless capacity changed or a hold lapsed since, so
 * reads never rebuild per request while nothing moves.
 *
 * The snapshot's `asAt` is the latest of: the last change the engine reads, the start of
 * today in London (residents' ages), and every hold that has lapsed by now. So it moves only
 * when something the engine reads moved, and the same inputs give the same hash.
 */
@Injectable()
export class CapacityProjection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CapacityProjection.name);
  private state: CapacityState = initialCapacity(districtCentroids());
  private readonly tail: LogTail;
  /** Built indexes by the night they read units for. */
  private readonly builtFor = new Map<string, CapacityIndex>();
  private timer?: NodeJS.Timeout;

  /** @param tail the app's shared tail; without one (on its own, in a test) it reads the log itself */
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(LOG_TAIL) tail?: LogTail,
  ) {
    this.tail = tail ?? new LogTail(store, CapacityProjection.name);
    this.tail.follow((event) => this.apply(event), {
      name: CapacityProjection.name,
      code: `${String(CapacityProjection)}\n${String(evolve)}`,
      // The whole fold but the reference data, which is this build's own.
      save: () => fieldsOf(this.state, REFERENCE_DATA),
      fits: (state) => fitsFieldsOf(this.state, REFERENCE_DATA, state),
      restore: (state) => {
        this.state = { ...this.state, ...(state as Partial<CapacityState>) };
        this.scheduleRebuild();
      },
    });
  }

  onModuleInit(): void {
    this.tail.start();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.tail.stop();
  }

  /** Resolves once every event committed before this call has been applied. */
  caughtUp(): Promise<void> {
    return this.tail.caughtUp();
  }

  /** The position of the last event read (-1n: none yet). */
  get position(): bigint {
    return this.tail.position;
  }

  /** Centroid of a postcode district (for a referral's preferred area). */
  district(code: string): DistrictCentroid | undefined {
    return districtOf(this.state, code);
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
    const night = on ?? londonDateOf(now);
    const built = this.builtFor.get(night);
    if (built && built.version === this.state.version && built.asAt === asAt) return built;
    return this.rebuild(asAt, night);
  }

  /** Today's London date on the projection's clock. */
  today(): string {
    return londonDateOf(this.clock.now());
  }

  /** The instant the snapshot describes; see the class comment. */
  asAt(now: Date): string {
    const nowMs = now.getTime();
    let asAt = Date.parse(londonMidnight(londonDateOf(now)));
    if (this.state.changedAt) asAt = Math.max(asAt, Date.parse(this.state.changedAt));
    // Holds may be written with any offset, so compare instants, not strings.
    for (const until of holdEnds(this.state)) {
      const ends = Date.parse(until);
      if (ends <= nowMs && ends > asAt) asAt = ends;
    }
    return new Date(asAt).toISOString();
  }

  private rebuild(asAt: string, on: string = londonDateOf(this.clock.now())): CapacityIndex {
    const started = performance.now();
    const { snapshot, unitRefs } = snapshotAt(this.state, asAt, on);
    const built: CapacityIndex = {
      index: MatchingIndex.build(snapshot),
      unitRefs,
      asAt,
      on,
      version: this.state.version,
      position: this.tail.position,
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
          if (this.tail.position < head) return this.scheduleRebuild();
          const today = this.builtFor.get(londonDateOf(this.clock.now()));
          if (today?.version !== this.state.version) this.rebuild(this.asAt(this.clock.now()));
          return undefined;
        })
        .catch(() => undefined);
    }, REBUILD_DEBOUNCE_MS);
    this.timer.unref();
  }

  private apply(recorded: RecordedEvent): void {
    const before = this.state.version;
    const event = upcast<DomainEvent>(recorded);
    this.state = evolve(this.state, { ...event, recordedAt: recorded.metadata.recordedAt });
    if (this.state.version !== before) this.scheduleRebuild();
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
