import { householdDecider, householdStreamId } from '@placement/domain';
import type { HouseholdCommand } from '@placement/domain';
import type { CommandOnBus, CommandContext, CommandResult } from '../commands/command';
import { StoreHandler } from '../commands/handle';

/** A household command's body: what the client sent, with the household the route names. */
export type WithHousehold<T> = T & { householdId: string };

/** A household command's handler: every household command is decided on the household's stream alone. */
export abstract class HouseholdHandler<C extends CommandOnBus<unknown>> extends StoreHandler<C> {
  /** Load, decide, append on the household's stream, answered with the household's id. */
  protected onHousehold(householdId: string, command: HouseholdCommand, ctx: CommandContext): Promise<CommandResult> {
    return this.decide(householdId, householdDecider, householdStreamId(householdId), ctx, () => command);
  }
}
