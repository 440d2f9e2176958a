import { currentSchemaVersion, upcast } from '@placement/domain';
import type { EventStore, EventToAppend, ExpectedRevision, RecordedEvent } from '@placement/event-store';
import { WrongExpectedVersionError } from '@placement/event-store';
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

/** A single-stream command decided on a stale read is decided again; a run of lost races this long is a conflict. */
export const MAX_ATTEMPTS = 8;

/**
 * A single-stream command, start to end: load the stream (or take the one the caller loaded),
 * answer a retry from what this command id already wrote there (another request under the id is
 * refused `ID_IN_USE`), build the command from the state read, ask the decider, and append with
 * the exact revision read. `command` runs only when the command is not a retry, so the checks it
 * makes on other streams are not asked of a replay. A lost race is decided again on a fresh read,
 * up to `MAX_ATTEMPTS` times; then the `409` stands.
 */
export async function handle<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: StreamDecider<C, E, S>,
  streamId: string,
  ctx: CommandContext,
  command: (state: S, loaded: LoadedStream<E, S>) => NoInfer<C> | Promise<NoInfer<C>>,
  options: { effectiveAt?: string; loaded?: LoadedStream<E, S> } = {},
): Promise<DecisionOutcome<E>> {
  for (let attempt = 1; ; attempt++) {
    const loaded = attempt === 1 && options.loaded ? options.loaded : await loadStream(store, decider, streamId);
    try {
      return await decideOnce(store, decider, streamId, ctx, loaded, command, options.effectiveAt);
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** One attempt of `handle`, with no retry: for a caller that runs its own (or none). */
export async function decideOnStream<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: StreamDecider<C, E, S>,
  streamId: string,
  command: C,
  ctx: CommandContext,
  options: { effectiveAt?: string; loaded?: LoadedStream<E, S> } = {},
): Promise<DecisionOutcome<E>> {
  const loaded = options.loaded ?? (await loadStream(store, decider, streamId));
  return decideOnce(store, decider, streamId, ctx, loaded, () => command, options.effectiveAt);
}

async function decideOnce<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: StreamDecider<C, E, S>,
  streamId: string,
  ctx: CommandContext,
  loaded: LoadedStream<E, S>,
  command: (state: S, loaded: LoadedStream<E, S>) => C | Promise<C>,
  effectiveAt: string | undefined,
): Promise<DecisionOutcome<E>> {
  const earlier = loaded.recorded.filter((r) => r.metadata.commandId === ctx.commandId);
  if (earlier.length > 0) {
    assertSameRequest(earlier, ctx);
    return {
      events: earlier.map((r) => upcast<E>(r)),
      replayed: true,
      position: earlier[earlier.length - 1].position,
    };
  }
  const events = decider.decide(await command(loaded.state, loaded), loaded.state);
  if (events.length === 0) return { events, replayed: false, position: -1n };
  const result = await store.append(streamId, toAppend(events, streamId, ctx, ctx.commandId, effectiveAt), {
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
