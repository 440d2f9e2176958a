import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import {
  bedDecider,
  bedStreamId,
  childDecider,
  childIdsHeldBy,
  childStreamId,
  contractDecider,
  contractStreamId,
  expiredHoldRelease,
  householdDecider,
  holdingsOf,
  householdStreamId,
  reconcile,
  referralDecider,
  referralRepair,
  referralStreamId,
  staleHoldRelease,
  currentSchemaVersion,
  exhaustive,
} from '@placement/domain';
import type { DomainEvent, ReconcileAttention, StreamAppend, UnitRef, UnitView } from '@placement/domain';
import type { Clock, EventStore, ExpectedRevision, RecordedEvent } from '@placement/event-store';
import { WrongExpectedVersionError } from '@placement/event-store';
import type { Environment } from '../config/environment';
import { ENVIRONMENT } from '../config/tokens';
import { deterministicEventId, loadStream, type LoadedStream, type StreamDecider } from '../commands/command';
import { UnitDirectory } from '../directory/unit-directory';
import { CLOCK, EVENT_STORE } from '../store/store.module';
import { ReconcileCheckpoints, type LogEvent, type ReconcileCheckpoint } from './reconcile-checkpoints';

export interface ReconcileReport {
  /** Streams repaired (one append each). */
  repaired: { streamId: string; events: string[] }[];
  /** Disagreements the reconciler will not guess a fix for. */
  attention: ReconcileAttention[];
}

const SYSTEM_ACTOR = { id: 'system-reconciler', role: 'system' } as const;
/** Repairs one unit can need in one pass: one per child it holds, plus a lapsed hold, with room to spare. */
const MAX_REPAIRS_PER_UNIT = 16;
/** Events read at a time when a pass reads what changed since its checkpoint. */
const CHANGES_PAGE = 1000;
/** One periodic pass in this many checks every unit (the first after start); the others, what changed. */
const FULL_PASS_EVERY = 60;

/** `full` checks every unit a child ever took; `changed`, those changed since the last pass, and the deferred. */
export type ReconcileScope = 'full' | 'changed';

/**
 * Finishes what a crash between the appends of a cross-stream flow left half done, and what
 * no longer stands once a flow finished. Per flow and crash point (the rules are the domain's,
 * in reconcile.ts; this class only loads and appends):
 * - placement, after the unit was taken, before the child's record → the unit is freed
 *   (compensation); a unit taken for a placement the child has in another unit, likewise;
 * - placement, after the child's record, before the referral closed → the referral is closed
 *   as placed, naming the placement;
 * - end of placement, after the child's record, before the unit was freed → the unit is freed;
 * - step-down completion, after the household place, before the child's record → the place is
 *   given back; after the child's record, before the bed was vacated → the bed is vacated;
 * - a hold that lapsed, or whose referral is closed, withdrawn or placed under → released.
 * It runs on start-up and then periodically. Every repair is an ordinary event with an exact
 * expected revision, so two replicas reconciling at once cannot clash. A unit taken less than
 * the grace period ago is left alone: its command may still be running.
 *
 * A pass leaves a checkpoint (ReconcileCheckpoints): the log's event it checked every unit as of
 * (the directory's last, or else the newest it read), and the units it deferred. A unit settled
 * then stays settled until an event of its own or of a child it holds (a child's record names
 * each unit of its placements), or until time moves on — a hold lapses, a take leaves the grace
 * period, attention is given — and those are deferred. So the next pass checks only the units
 * the log changed after the checkpoint, and the deferred: on a settled estate the start-up pass
 * reads the few events since the last one instead of every unit and child. With no checkpoint,
 * or one the log does not hold (put back from a backup, replaced), and on the first of every
 * FULL_PASS_EVERY periodic passes, every unit is checked.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<ReconcileReport>;
  private periodicPasses = 0;
  /** The pass in progress: the log position its directory has reached, and the newest event up to it read so far. */
  private seen: { upTo: bigint; last: LogEvent | null } = { upTo: -1n, last: null };

  /** @param checkpoints where a pass leaves its checkpoint; without them every pass checks every unit */
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly directory: UnitDirectory,
    @Optional() private readonly checkpoints?: ReconcileCheckpoints,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const report = await this.run(this.env.RECONCILE_STARTUP_GRACE_SECONDS, 'changed');
    if (report.repaired.length > 0 || report.attention.length > 0) {
      this.logger.warn({
        msg: 'start-up reconciliation',
        repaired: report.repaired.length,
        attention: report.attention.length,
      });
    }
    if (this.env.RECONCILE_INTERVAL_SECONDS > 0) {
      this.timer = setInterval(() => {
        const scope = this.periodicPasses++ % FULL_PASS_EVERY === 0 ? 'full' : 'changed';
        void this.run(this.env.RECONCILE_GRACE_SECONDS, scope).catch(() => undefined);
      }, this.env.RECONCILE_INTERVAL_SECONDS * 1000);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over every unit (`full`) or those that may have changed; concurrent calls share the pass in progress. */
  run(graceSeconds: number, scope: ReconcileScope = 'full'): Promise<ReconcileReport> {
    this.running ??= this.pass(graceSeconds, scope).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(graceSeconds: number, scope: ReconcileScope): Promise<ReconcileReport> {
    await this.directory.caughtUp();
    // Every event up to here is in the directory: a unit it lists is checked on a read at least this new.
    const upTo = this.directory.position;
    const head = this.directory.lastEvent?.position === upTo ? this.directory.lastEvent : null;
    const checkpoint = scope === 'changed' ? (this.checkpoints?.load() ?? null) : null;
    const since = checkpoint !== null && (await this.holds(checkpoint.event, upTo)) ? checkpoint : null;
    this.seen = { upTo, last: since?.event ?? null };
    const changed = since === null ? null : await this.unitsChangedSince(since, upTo);
    const inScope = (streamId: string) => changed === null || changed.has(streamId);
    const deferred = new Set<string>();
    const report: ReconcileReport = { repaired: [], attention: [] };
    for (const { referralId, childId } of this.directory.openReferralsPlacedUnder()) {
      const referral = await this.load(referralDecider, referralStreamId(referralId));
      const child = await this.load(childDecider, childStreamId(childId));
      const repair = referralRepair(referral.state, child.state, this.clock.now().toISOString());
      if (repair) await this.append(repair, referral.expectedRevision, report);
    }
    // Only units a child ever held or took: any other has no hold or resident to check, and
    // loading every unit of a national estate (61,525 streams) held up start-up with the estate.
    for (const { settingId, bedId } of this.directory.bedsEverTaken()) {
      const streamId = bedStreamId(settingId, bedId);
      if (!inScope(streamId)) continue;
      await this.reconcileUnit(
        streamId,
        async () => {
          const loaded = await this.load(bedDecider, streamId);
          return { unit: { kind: 'bed', settingId, bedId, state: loaded.state }, revision: loaded.expectedRevision };
        },
        graceSeconds,
        report,
        deferred,
      );
    }
    for (const householdId of this.directory.householdsEverTaken()) {
      const streamId = householdStreamId(householdId);
      if (!inScope(streamId)) continue;
      await this.reconcileUnit(
        streamId,
        async () => {
          const loaded = await this.load(householdDecider, streamId);
          return { unit: { kind: 'household', householdId, state: loaded.state }, revision: loaded.expectedRevision };
        },
        graceSeconds,
        report,
        deferred,
      );
    }
    for (const contractId of this.directory.contractIds()) {
      const streamId = contractStreamId(contractId);
      if (!inScope(streamId)) continue;
      const loaded = await this.load(contractDecider, streamId);
      if (loaded.state.status !== 'Active') continue;
      for (const bedRef of new Set(loaded.state.allocations.map((a) => a.bedRef))) {
        await this.reconcileUnit(
          streamId,
          async () => {
            const current = await this.load(contractDecider, streamId);
            return current.state.status === 'Active'
              ? {
                  unit: { kind: 'block-bed', contractId, bedRef, state: current.state },
                  revision: current.expectedRevision,
                }
              : null;
          },
          graceSeconds,
          report,
          deferred,
        );
      }
    }
    for (const a of report.attention)
      this.logger.warn({ msg: 'reconciler needs attention', code: a.code, placementId: a.placementId });
    // Every unit was checked on reads at least as new as the directory's last event; if it does
    // not know that event, the newest event read stands for it (the events after are read again).
    this.checkpoints?.save({ event: head ?? this.seen.last, deferred: [...deferred].sort() });
    return report;
  }

  /**
   * The unit streams a pass from `checkpoint` must check: those with events after it (up to
   * `upTo`), those named by the placements of a child with events after it, and the deferred.
   */
  private async unitsChangedSince(checkpoint: ReconcileCheckpoint, upTo: bigint): Promise<Set<string>> {
    const units = new Set(checkpoint.deferred);
    const children = new Set<string>();
    for (let after = checkpoint.event?.position ?? -1n; after < upTo;) {
      const page = await this.store.readAll({ after, maxCount: CHANGES_PAGE });
      for (const event of page) {
        if (event.position > upTo) break;
        this.saw(event);
        if (event.streamId === childStreamOf(event)) children.add(event.streamId);
        else units.add(event.streamId);
      }
      if (page.length < CHANGES_PAGE) break;
      after = page[page.length - 1].position;
    }
    for (const streamId of children) {
      const child = await this.load(childDecider, streamId);
      if (child.state.status !== 'Registered') continue;
      for (const { unit } of child.state.child.placements) {
        const unitStream = unitStreamOf(unit);
        if (unitStream !== null) units.add(unitStream);
      }
    }
    return units;
  }

  /** Whether the log still holds `event` (null: an empty log, which every log begins with) at or before `upTo`. */
  private async holds(event: LogEvent | null, upTo: bigint): Promise<boolean> {
    if (event === null) return true;
    if (event.position > upTo) return false;
    const [found] = await this.store.readStream(event.streamId, { fromRevision: event.revision, maxCount: 1 });
    return found?.revision === event.revision && found.position === event.position && found.hash === event.hash;
  }

  /** A stream as loaded, its last event noted (`seen`) for the checkpoint. */
  private async load<C, E extends DomainEvent, S>(
    decider: StreamDecider<C, E, S>,
    streamId: string,
  ): Promise<LoadedStream<E, S>> {
    const loaded = await loadStream(this.store, decider, streamId);
    const last = loaded.recorded.at(-1);
    if (last !== undefined) this.saw(last);
    return loaded;
  }

  private saw(event: LogEvent): void {
    const { upTo, last } = this.seen;
    if (event.position <= upTo && (last === null || event.position > last.position)) this.seen.last = event;
  }

  /**
   * A unit may need more than one repair (a household with two places half-taken by one crash,
   * a contract with two block beds): after each, it is read again and checked again, so one
   * pass (the start-up one above all) leaves nothing half-taken. Bounded, in case of a churn.
   */
  private async reconcileUnit(
    streamId: string,
    load: () => Promise<{ unit: UnitView; revision: ExpectedRevision } | null>,
    graceSeconds: number,
    report: ReconcileReport,
    deferred: Set<string>,
  ): Promise<void> {
    for (let round = 0; round < MAX_REPAIRS_PER_UNIT; round++) {
      const loaded = await load();
      if (loaded === null) return;
      const attentionBefore = report.attention.length;
      if (!(await this.check(loaded.unit, loaded.revision, graceSeconds, report))) {
        if (report.attention.length > attentionBefore || this.unsettledByTime(loaded.unit, graceSeconds))
          deferred.add(streamId);
        return;
      }
      // Attention is reported once per pass, not once per round.
      report.attention.splice(attentionBefore);
    }
    deferred.add(streamId); // still churning: next pass
  }

  /** A unit with nothing to repair now that time alone may change: a hold, or a take within the grace period. */
  private unsettledByTime(unit: UnitView, graceSeconds: number): boolean {
    if (unit.kind === 'bed' && unit.state.status === 'Added' && unit.state.hold !== null) return true;
    const now = this.clock.now().getTime();
    return holdingsOf(unit).some((h) => now - Date.parse(h.at) < graceSeconds * 1000);
  }

  /** True when it appended (or found the unit moved on): the caller reads the unit again. */
  private async check(
    unit: UnitView,
    revision: ExpectedRevision,
    graceSeconds: number,
    report: ReconcileReport,
  ): Promise<boolean> {
    const now = this.clock.now().toISOString();
    const hold = expiredHoldRelease(unit, now);
    if (hold) return this.append(hold, revision, report);
    if (unit.kind === 'bed' && unit.state.status === 'Added' && unit.state.hold !== null) {
      const { referralId, childId } = unit.state.hold;
      const referral = await this.load(referralDecider, referralStreamId(referralId));
      const child = await this.load(childDecider, childStreamId(childId));
      const stale = staleHoldRelease(unit, referral.state, child.state, now);
      if (stale) return this.append(stale, revision, report);
    }
    for (const childId of childIdsHeldBy(unit)) {
      const child = await this.load(childDecider, childStreamId(childId));
      const result = reconcile(unit, childId, child.state, { now, graceSeconds });
      report.attention.push(...result.attention);
      for (const repair of result.appends) {
        if (await this.append(repair, revision, report)) return true; // the unit changed: read it again
      }
    }
    return false;
  }

  private async append(repair: StreamAppend, revision: ExpectedRevision, report: ReconcileReport): Promise<boolean> {
    const commandId = `reconcile:${repair.streamId}:${String(revision)}`;
    try {
      await this.store.append(
        repair.streamId,
        repair.events.map((e, i) => ({
          id: deterministicEventId(commandId, repair.streamId, i),
          type: e.type,
          schemaVersion: currentSchemaVersion(e.type),
          data: e.data,
          metadata: { commandId, correlationId: commandId, causationId: commandId, actor: SYSTEM_ACTOR },
        })),
        { expectedRevision: revision },
      );
      report.repaired.push({ streamId: repair.streamId, events: repair.events.map((e) => e.type) });
      this.logger.log({
        msg: 'reconciler repaired a unit',
        streamId: repair.streamId,
        events: repair.events.map((e) => e.type),
      });
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return true; // someone else moved it on; re-checked next pass
      throw error;
    }
  }
}

/** The event's stream when that is its child's record, else null. */
function childStreamOf(event: RecordedEvent): string | null {
  const { childId } = event.data as { childId?: unknown };
  return typeof childId === 'string' ? childStreamId(childId) : null;
}

/** The stream of the unit a placement names (null: a spot purchase, no stream of ours). */
function unitStreamOf(unit: UnitRef): string | null {
  switch (unit.kind) {
    case 'bed':
      return bedStreamId(unit.settingId, unit.bedId);
    case 'household':
      return householdStreamId(unit.householdId);
    case 'block-bed':
      return contractStreamId(unit.contractId);
    case 'external':
      return null;
    default:
      return exhaustive(unit);
  }
}
