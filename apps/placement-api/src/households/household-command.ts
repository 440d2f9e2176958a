import { householdDecider, householdStreamId } from '@placement/domain';
import type { HouseholdCommand } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { commandResult, type ApiCommand, type CommandResult } from '../commands/command';
import { handle } from '../commands/handle';

/** A household command's body: what the client sent, with the household the route names. */
export type WithHousehold<T> = T & { householdId: string };

/** Load, decide, append on the household's stream: every household command is decided there alone. */
export async function onHousehold(
  store: EventStore,
  householdId: string,
  command: HouseholdCommand,
  ctx: ApiCommand<unknown>['ctx'],
): Promise<CommandResult> {
  const outcome = await handle(store, householdDecider, householdStreamId(householdId), ctx, () => command);
  return commandResult(householdId, outcome);
}
