import { Inject } from '@nestjs/common';
import type { EventStore } from '@placement/event-store';
import { WrongExpectedVersionError } from '@placement/event-store';
import { upcast } from '@placement/domain';
import { UnitDirectory } from '../directory/unit-directory';
import { EVENT_STORE } from '../store/store.module';
import {
  assertSameRequest,
  commandResult,
  loadStream,
  MAX_ATTEMPTS,
  recordedHere,
  toAppend,
  type CommandOnBus,
  type CommandContext,
  type CommandResult,
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

/**
 * `handle` on a stream that may no longer call for the command (a bed's hold already released, a
 * referral already closed): decided when `due` says so of the state read, or when this command
 * already wrote there (a retry, answered from what it wrote); otherwise nothing is written (null).
 */
export async function handleWhenDue<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: StreamDecider<C, E, S>,
  streamId: string,
  ctx: CommandContext,
  due: (state: S) => boolean,
  command: (state: S) => NoInfer<C>,
): Promise<DecisionOutcome<E> | null> {
  const loaded = await loadStream(store, decider, streamId);
  if (!due(loaded.state) && !recordedHere(loaded, ctx)) return null;
  return handle(store, decider, streamId, ctx, command, { loaded });
}

/**
 * The handler of a command `C` decided on one stream, with the store injected:
 * `@CommandHandler(HoldBedCommand) export class HoldBedHandler extends StoreHandler<HoldBedCommand>`,
 * whose `execute` ends in `this.decide(…)`. One that asks the unit directory too extends
 * `DirectoryHandler`; one that needs more (the flow runner) declares its own constructor and calls
 * `handle` itself.
 */
export abstract class StoreHandler<C extends CommandOnBus<unknown>> {
  constructor(@Inject(EVENT_STORE) protected readonly store: EventStore) {}

  abstract execute(command: C): Promise<CommandResult>;

  /** `handle` on one stream, answered as a command route answers, with the resource's `id`. */
  protected async decide<D, E extends DomainEvent, S>(
    id: string,
    decider: StreamDecider<D, E, S>,
    streamId: string,
    ctx: CommandContext,
    command: (state: S, loaded: LoadedStream<E, S>) => NoInfer<D> | Promise<NoInfer<D>>,
    options: { loaded?: LoadedStream<E, S> } = {},
  ): Promise<CommandResult> {
    return commandResult(id, await handle(this.store, decider, streamId, ctx, command, options));
  }
}

/**
 * A `StoreHandler` that also asks the unit directory (fed from $all) what the streams it cannot
 * read say: a setting's beds and residents, whose a meeting id is, which beds are held for a
 * referral.
 */
export abstract class DirectoryHandler<C extends CommandOnBus<unknown>> extends StoreHandler<C> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    protected readonly directory: UnitDirectory,
  ) {
    super(store);
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
