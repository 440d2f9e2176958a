import { childDecider, childStreamId, DomainError } from '@placement/domain';
import type { ChildCommand } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { commandResult, type ApiCommand, type CommandResult } from '../commands/command';
import { handle } from '../commands/handle';

/** Load, decide, append on a registered child's record: a child never registered is NOT_FOUND. */
export async function onRegisteredChild(
  store: EventStore,
  childId: string,
  command: ChildCommand,
  ctx: ApiCommand<unknown>['ctx'],
): Promise<CommandResult> {
  const outcome = await handle(store, childDecider, childStreamId(childId), ctx, (child) => {
    if (child.status === 'Unknown') throw new DomainError('NOT_FOUND', `child ${childId} is not registered`);
    return command;
  });
  return commandResult(childId, outcome);
}
