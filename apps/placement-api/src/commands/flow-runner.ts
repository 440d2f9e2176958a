import { Global, Inject, Injectable, Logger, Module } from '@nestjs/common';
import {
  bedStreamId,
  childStreamId,
  compensationDue,
  contractStreamId,
  DomainError,
  exhaustive,
  householdStreamId,
  referralStreamId,
  settingStreamId,
  STREAM_DECIDERS,
  upcast,
} from '@placement/domain';
import type {
  BedHome,
  BedState,
  ChildState,
  ContractState,
  HouseholdState,
  PlacementFlow,
  ReferralState,
  SettingState,
  StreamAppend,
  UnitRef,
  UnitStreamState,
  UnitView,
} from '@placement/domain';
import type { EventStore, ExpectedRevision, RecordedEvent } from '@placement/event-store';
import { WrongExpectedVersionError } from '@placement/event-store';
import { UnitDirectory } from '../directory/unit-directory';
import { EVENT_STORE } from '../store/store.module';
import {
  loadStream,
  MAX_ATTEMPTS,
  toAppend,
  type CommandContext,
  type DecisionOutcome,
  type DomainEvent,
  type StreamDecider,
} from './command';

/** A compensation that keeps losing to other appends is left to the reconciler after this many tries. */
const COMPENSATION_ATTEMPTS = 10;

interface Loaded {
  readonly state: unknown;
  readonly recorded: readonly RecordedEvent[];
  revision: ExpectedRevision;
}

/**
 * The streams a flow reads, each loaded once with the revision it was read at; the runner
 * appends to each with exactly that revision. Typed loaders for each stream type, and the
 * composite reads a placement needs (a unit by its ref, a bed's home).
 */
export class FlowLoads {
  private readonly streams = new Map<string, Loaded>();

  constructor(
    private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  private async load<C, E extends DomainEvent, S>(decider: StreamDecider<C, E, S>, streamId: string): Promise<S> {
    const known = this.streams.get(streamId);
    if (known) return known.state as S;
    const loaded = await loadStream(this.store, decider, streamId);
    this.streams.set(streamId, { state: loaded.state, recorded: loaded.recorded, revision: loaded.expectedRevision });
    return loaded.state;
  }

  child(childId: string): Promise<ChildState> {
    return this.load(STREAM_DECIDERS.child, childStreamId(childId));
  }
  referral(referralId: string): Promise<ReferralState> {
    return this.load(STREAM_DECIDERS.referral, referralStreamId(referralId));
  }
  setting(settingId: string): Promise<SettingState> {
    return this.load(STREAM_DECIDERS.setting, settingStreamId(settingId));
  }
  bed(settingId: string, bedId: string): Promise<BedState> {
    return this.load(STREAM_DECIDERS.bed, bedStreamId(settingId, bedId));
  }
  household(householdId: string): Promise<HouseholdState> {
    return this.load(STREAM_DECIDERS.household, householdStreamId(householdId));
  }
  contract(contractId: string): Promise<ContractState> {
    return this.load(STREAM_DECIDERS.contract, contractStreamId(contractId));
  }

  /** The contended unit's stream, as the flows take it. */
  async unit(ref: UnitRef): Promise<UnitView> {
    switch (ref.kind) {
      case 'bed':
        return { ...ref, state: await this.bed(ref.settingId, ref.bedId) };
      case 'household':
        return { ...ref, state: await this.household(ref.householdId) };
      case 'block-bed':
        return { ...ref, state: await this.contract(ref.contractId) };
      case 'external':
        return ref;
      default:
        return exhaustive(ref);
    }
  }

  /** A bed's home: its setting and every other bed's diary (read, never appended to). */
  async home(settingId: string, bedId: string): Promise<BedHome> {
    await this.directory.caughtUp();
    const otherBeds: BedState[] = [];
    for (const other of this.directory.bedsOf(settingId)) {
      if (other !== bedId) otherBeds.push(await this.bed(settingId, other));
    }
    return { setting: await this.setting(settingId), otherBeds };
  }

  revision(streamId: string): ExpectedRevision {
    const loaded = this.streams.get(streamId);
    // A flow appends only to streams it read: anything else is a bug in the flow, not bad input.
    if (!loaded) throw new Error(`the flow appends to ${streamId}, which it did not load`);
    return loaded.revision;
  }

  /** After an append, a later step or a compensation on the same stream expects the new revision. */
  advanced(streamId: string, revision: bigint): void {
    const loaded = this.streams.get(streamId);
    if (loaded) loaded.revision = revision;
  }

  /** Whether this command already wrote to the stream (then a new write needs new event ids). */
  wroteTo(streamId: string, commandId: string): boolean {
    return this.streams.get(streamId)?.recorded.some((r) => r.metadata.commandId === commandId) ?? false;
  }

  /** What this command wrote on the streams read, oldest first: a retry's answer. */
  writtenBy(commandId: string): DecisionOutcome<DomainEvent>[] {
    const outcomes: DecisionOutcome<DomainEvent>[] = [];
    for (const { recorded } of this.streams.values()) {
      const mine = recorded.filter((r) => r.metadata.commandId === commandId);
      const last = mine[mine.length - 1];
      if (last) outcomes.push({ events: mine.map((r) => upcast(r)), replayed: true, position: last.position });
    }
    return outcomes.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  }
}

/**
 * Runs the domain's cross-stream flows (placement, ending, planned ends, step-down completion):
 * `decide` loads the streams it needs and asks the domain; the runner appends the steps in
 * order, each with the exact revision it was read at, so a lost race is a conflict and never a
 * double booking. A lost race is decided again on fresh streams (the domain asks only for what
 * is not yet written). If the step that makes the flow stand fails after the unit was taken,
 * the runner appends the domain's compensation. Handlers only load and call this.
 */
@Injectable()
export class FlowRunner {
  private readonly logger = new Logger(FlowRunner.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async run(
    ctx: CommandContext,
    decide: (loads: FlowLoads) => Promise<PlacementFlow>,
  ): Promise<DecisionOutcome<DomainEvent>[]> {
    const written: DecisionOutcome<DomainEvent>[] = [];
    /** A take this run wrote whose flow does not stand yet: undone if the flow fails. */
    let pending: { compensation: StreamAppend; loads: FlowLoads } | null = null;
    for (let attempt = 1; ; attempt++) {
      const loads = new FlowLoads(this.store, this.directory);
      let flow: PlacementFlow;
      try {
        flow = await decide(loads);
      } catch (error) {
        if (pending) await this.compensate(pending.compensation, pending.loads, ctx);
        throw error;
      }
      if (flow.steps.length === 0) {
        if (written.length > 0) return written;
        const replay = loads.writtenBy(ctx.commandId);
        if (replay.length > 0) return replay;
        throw new DomainError('ALREADY_EXISTS', 'this is already recorded: the request changes nothing');
      }
      let raced = false;
      for (const [i, step] of flow.steps.entries()) {
        try {
          written.push(await this.append(step, loads, ctx));
        } catch (error) {
          if (error instanceof WrongExpectedVersionError && attempt < MAX_ATTEMPTS) {
            raced = true;
            break;
          }
          // Undo a take if the flow does not stand: one this attempt wrote, or one its retry resumed from.
          const taken = i > 0 || flow.standsAt === 0;
          if (i <= flow.standsAt && taken && flow.compensation) await this.compensate(flow.compensation, loads, ctx);
          else if (pending) await this.compensate(pending.compensation, pending.loads, ctx);
          throw error;
        }
        if (i < flow.standsAt && flow.compensation) pending = { compensation: flow.compensation, loads };
        if (i >= flow.standsAt) pending = null;
      }
      if (!raced) return written;
    }
  }

  private async append(
    step: StreamAppend,
    loads: FlowLoads,
    ctx: CommandContext,
  ): Promise<DecisionOutcome<DomainEvent>> {
    const revision = loads.revision(step.streamId);
    // A second write by one command to one stream (a retake after a compensation) needs its own event ids.
    const idBase = loads.wroteTo(step.streamId, ctx.commandId) ? `${ctx.commandId}:${String(revision)}` : ctx.commandId;
    const result = await this.store.append(step.streamId, toAppend(step.events, step.streamId, ctx, idBase), {
      expectedRevision: revision,
    });
    loads.advanced(step.streamId, result.nextExpectedRevision);
    return { events: [...step.events], replayed: false, position: result.position };
  }

  /**
   * Gives the unit back. Another append to the unit's stream in between is no reason to give up:
   * the stream is read again and the compensation appended if it still has something to undo.
   * If it never gets through, the reconciler repairs the unit (its child never got the placement).
   */
  private async compensate(compensation: StreamAppend, loads: FlowLoads, ctx: CommandContext): Promise<void> {
    if (compensation.kind === 'child' || compensation.kind === 'referral') return;
    let revision = loads.revision(compensation.streamId);
    for (let attempt = 1; attempt <= COMPENSATION_ATTEMPTS; attempt++) {
      try {
        await this.store.append(
          compensation.streamId,
          toAppend(compensation.events, compensation.streamId, ctx, `${ctx.commandId}:compensate:${String(revision)}`),
          { expectedRevision: revision },
        );
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) {
          this.logger.error({ msg: 'compensation failed; reconciler will repair', error: errorName(error) });
          return;
        }
        const current = await this.unitStream(compensation.kind, compensation.streamId);
        if (!compensationDue(compensation, current.unit)) return;
        revision = current.revision;
      }
    }
    this.logger.error({
      msg: 'compensation kept losing races; reconciler will repair',
      streamId: compensation.streamId,
    });
  }

  private async unitStream(
    kind: UnitStreamState['kind'],
    streamId: string,
  ): Promise<{ unit: UnitStreamState; revision: ExpectedRevision }> {
    switch (kind) {
      case 'bed': {
        const loaded = await loadStream(this.store, STREAM_DECIDERS.bed, streamId);
        return { unit: { kind, state: loaded.state }, revision: loaded.expectedRevision };
      }
      case 'household': {
        const loaded = await loadStream(this.store, STREAM_DECIDERS.household, streamId);
        return { unit: { kind, state: loaded.state }, revision: loaded.expectedRevision };
      }
      case 'contract': {
        const loaded = await loadStream(this.store, STREAM_DECIDERS.contract, streamId);
        return { unit: { kind, state: loaded.state }, revision: loaded.expectedRevision };
      }
      default:
        return exhaustive(kind);
    }
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}

@Global()
@Module({ providers: [FlowRunner], exports: [FlowRunner] })
export class FlowModule {}
