import { currentSchemaVersion, upcast } from '@placement/domain';
import type { EventStore, EventToAppend, ExpectedRevision, RecordedEvent } from '@placement/event-store';
import { CommandContext, deterministicEventId, metadataFor } from './command-context';
import { assertSameRequest } from './id-in-use';

export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

export interface StreamDecider<C, E extends DomainEvent, S> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  initialState: S;
}

export interface LoadedStream<E extends DomainEvent, S> {
  state: S;
  recorded: RecordedEvent[];
  expectedRevision: ExpectedRevision;
  events: E[];
}

export async function loadStream<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: StreamDecider<C, E, S>,
  streamId: string,
): Promise<LoadedStream<E, S>> {
  const recorded = await store.readStream(streamId);
  // Every stored event is read in its current shape: events written by earlier builds still load.
  const events = recorded.map((r) => upcast<E>(r));
  const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState);
  const last = recorded[recorded.length - 1];
  return { state, recorded, events, expectedRevision: last ? last.revision : 'no_stream' };
}

export interface DecisionOutcome<E> {
  /** The events this command wrote, or, on a retry, the events its first attempt wrote. */
  events: E[];
  /** True when the command had already been handled: nothing new was written. */
  replayed: boolean;
  position: bigint;
}

/** Whether this command (its id) already wrote to the loaded stream. */
export function recordedHere(loaded: { recorded: readonly RecordedEvent[] }, ctx: CommandContext): boolean {
  return loaded.recorded.some((r) => r.metadata.commandId === ctx.commandId);
}

/**
 * Load, decide, append with the exact revision that was read. A command already recorded
 * on the stream (same command id) with the same request returns its first outcome and
 * writes nothing; with another request it is refused (`ID_IN_USE`).
 */
export async function decideOnStream<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: StreamDecider<C, E, S>,
  streamId: string,
  command: C,
  ctx: CommandContext,
  options: { effectiveAt?: string; loaded?: LoadedStream<E, S> } = {},
): Promise<DecisionOutcome<E>> {
  const loaded = options.loaded ?? (await loadStream(store, decider, streamId));
  const earlier = loaded.recorded.filter((r) => r.metadata.commandId === ctx.commandId);
  if (earlier.length > 0) {
    assertSameRequest(earlier, ctx);
    return {
      events: earlier.map((r) => upcast<E>(r)),
      replayed: true,
      position: earlier[earlier.length - 1].position,
    };
  }
  const events = decider.decide(command, loaded.state);
  if (events.length === 0) return { events, replayed: false, position: -1n };
  const result = await store.append(streamId, toAppend(events, streamId, ctx, ctx.commandId, options.effectiveAt), {
    expectedRevision: loaded.expectedRevision,
  });
  return { events, replayed: false, position: result.position };
}

/**
 * Events as the store takes them: ids derived from `idBase` (the command id, or the command id
 * and the revision for a second write to one stream), this build's schema version of each type,
 * and the command's metadata.
 */
export function toAppend(
  events: readonly DomainEvent[],
  streamId: string,
  ctx: CommandContext,
  idBase: string = ctx.commandId,
  effectiveAt?: string,
): EventToAppend[] {
  return events.map((e, i) => ({
    id: deterministicEventId(idBase, streamId, i),
    type: e.type,
    schemaVersion: currentSchemaVersion(e.type),
    data: e.data,
    metadata: metadataFor(ctx, ctx.commandId, effectiveAt),
  }));
}
