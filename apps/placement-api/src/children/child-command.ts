import { childDecider, childStreamId, DomainError } from '@placement/domain';
import type { ChildCommand } from '@placement/domain';
import type { CommandOnBus, CommandContext, CommandResult } from '../commands/command';
import { StoreHandler } from '../commands/handle';

/** A handler of a command on a registered child's record: a child never registered is NOT_FOUND. */
export abstract class ChildHandler<C extends CommandOnBus<unknown>> extends StoreHandler<C> {
  /** Load, decide, append on the child's record, answered with the child's id. */
  protected onRegisteredChild(childId: string, command: ChildCommand, ctx: CommandContext): Promise<CommandResult> {
    return this.decide(childId, childDecider, childStreamId(childId), ctx, (child) => {
      if (child.status === 'Unknown') throw new DomainError('NOT_FOUND', `child ${childId} is not registered`);
      return command;
    });
  }
}
