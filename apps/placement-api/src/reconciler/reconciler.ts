import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
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
  householdStreamId,
  reconcile,
  referralDecider,
  referralRepair,
  referralStreamId,
  staleHoldRelease,
  currentSchemaVersion,
} from '@placement/domain';
import type { ReconcileAttention, StreamAppend, UnitView } from '@placement/domain';
import type { Clock, EventStore, ExpectedRevision } from '@placement/event-store';
import { WrongExpectedVersionError } from '@placement/event-store';
import type { Environment } from '../config/environment';
import { ENVIRONMENT } from '../config/tokens';
import { deterministicEventId, loadStream } from '../commands/command';
import { UnitDirectory } from '../directory/unit-directory';
import { CLOCK, EVENT_STORE } from '../store/store.module';

export interface ReconcileReport {
  /** Streams repaired (one append each). */
  repaired: { streamId: string; events: string[] }[];
  /** Disagreements the reconciler will not guess a fix for. */
  attention: ReconcileAttention[];
}

const SYSTEM_ACTOR = { id: 'system-reconciler', role: 'system' } as const;
/** Repairs one unit can need in one pass: one per child it holds, plus a lapsed hold, with room to spare. */
const MAX_REPAIRS_PER_UNIT = 16;

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
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<ReconcileReport>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly directory: UnitDirectory,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const report = await this.run(this.env.RECONCILE_STARTUP_GRACE_SECONDS);
    if (report.repaired.length > 0 || report.attention.length > 0) {
      this.logger.warn({
        msg: 'start-up reconciliation',
        repaired: report.repaired.length,
        attention: report.attention.length,
      });
    }
    if (this.env.RECONCILE_INTERVAL_SECONDS > 0) {
      this.timer = setInterval(
        () => void this.run(this.env.RECONCILE_GRACE_SECONDS).catch(() => undefined),
        this.env.RECONCILE_INTERVAL_SECONDS * 1000,
      );
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over every unit; concurrent calls share the pass in progress. */
  run(graceSeconds: number): Promise<ReconcileReport> {
    this.running ??= this.pass(graceSeconds).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(graceSeconds: number): Promise<ReconcileReport> {
    await this.directory.caughtUp();
    const report: ReconcileReport = { repaired: [], attention: [] };
    for (const { referralId, childId } of this.directory.openReferralsPlacedUnder()) {
      const referral = await loadStream(this.store, referralDecider, referralStreamId(referralId));
      const child = await loadStream(this.store, childDecider, childStreamId(childId));
      const repair = referralRepair(referral.state, child.state, this.clock.now().toISOString());
      if (repair) await this.append(repair, referral.expectedRevision, report);
    }
    // Only units a child ever held or took: any other has no hold or resident to check, and
    // loading every unit of a national estate (61,525 streams) held up start-up with the estate.
    for (const { settingId, bedId } of this.directory.bedsEverTaken()) {
      await this.reconcileUnit(
        async () => {
          const loaded = await loadStream(this.store, bedDecider, bedStreamId(settingId, bedId));
          return { unit: { kind: 'bed', settingId, bedId, state: loaded.state }, revision: loaded.expectedRevision };
        },
        graceSeconds,
        report,
      );
    }
    for (const householdId of this.directory.householdsEverTaken()) {
      await this.reconcileUnit(
        async () => {
          const loaded = await loadStream(this.store, householdDecider, householdStreamId(householdId));
          return { unit: { kind: 'household', householdId, state: loaded.state }, revision: loaded.expectedRevision };
        },
        graceSeconds,
        report,
      );
    }
    for (const contractId of this.directory.contractIds()) {
      const loaded = await loadStream(this.store, contractDecider, contractStreamId(contractId));
      if (loaded.state.status !== 'Active') continue;
      for (const bedRef of new Set(loaded.state.allocations.map((a) => a.bedRef))) {
        await this.reconcileUnit(
          async () => {
            const current = await loadStream(this.store, contractDecider, contractStreamId(contractId));
            return current.state.status === 'Active'
              ? {
                  unit: { kind: 'block-bed', contractId, bedRef, state: current.state },
                  revision: current.expectedRevision,
                }
              : null;
          },
          graceSeconds,
          report,
        );
      }
    }
    for (const a of report.attention)
      this.logger.warn({ msg: 'reconciler needs attention', code: a.code, placementId: a.placementId });
    return report;
  }

  /**
   * A unit may need more than one repair (a household with two places half-taken by one crash,
   * a contract with two block beds): after each, it is read again and checked again, so one
   * pass (the start-up one above all) leaves nothing half-taken. Bounded, in case of a churn.
   */
  private async reconcileUnit(
    load: () => Promise<{ unit: UnitView; revision: ExpectedRevision } | null>,
    graceSeconds: number,
    report: ReconcileReport,
  ): Promise<void> {
    for (let round = 0; round < MAX_REPAIRS_PER_UNIT; round++) {
      const loaded = await load();
      if (loaded === null) return;
      const attentionBefore = report.attention.length;
      if (!(await this.check(loaded.unit, loaded.revision, graceSeconds, report))) return;
      // Attention is reported once per pass, not once per round.
      report.attention.splice(attentionBefore);
    }
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
      const referral = await loadStream(this.store, referralDecider, referralStreamId(referralId));
      const child = await loadStream(this.store, childDecider, childStreamId(childId));
      const stale = staleHoldRelease(unit, referral.state, child.state, now);
      if (stale) return this.append(stale, revision, report);
    }
    for (const childId of childIdsHeldBy(unit)) {
      const child = await loadStream(this.store, childDecider, childStreamId(childId));
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
