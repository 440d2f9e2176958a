import type { EventStore } from '@placement/event-store';
import { WrongExpectedVersionError } from '@placement/event-store';
import { upcast } from '@placement/domain';
import {
  assertSameRequest,
  loadStream,
  MAX_ATTEMPTS,
  toAppend,
  type CommandContext,
  type DecisionOutcome,
  type DomainEvent,
  type LoadedStream,
  type StreamDecider,
} from './command';

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
