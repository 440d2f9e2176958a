import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { childDecider, childStreamId, DomainError } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { ApiCommand, commandResult, CommandResult } from '../commands/command';
import { handle } from '../commands/handle';
import { EVENT_STORE } from '../store/store.module';
import type { ChangeLegalStatusDto } from './legal-status.dto';

export class ChangeLegalStatusCommand extends ApiCommand<ChangeLegalStatusDto & { childId: string }> {}

/** The child's legal status from a date (LegalStatusChanged); the SSDA903 episodes start a new one from it. */
@CommandHandler(ChangeLegalStatusCommand)
export class ChangeLegalStatusHandler implements ICommandHandler<ChangeLegalStatusCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: ChangeLegalStatusCommand): Promise<CommandResult> {
    const streamId = childStreamId(body.childId);
    const outcome = await handle(this.store, childDecider, streamId, ctx, (child) => {
      if (child.status === 'Unknown') throw new DomainError('NOT_FOUND', `child ${body.childId} is not registered`);
      return {
        type: 'ChangeLegalStatus' as const,
        data: { childId: body.childId, legalStatus: body.legalStatus, date: body.date },
        at: ctx.at,
      };
    });
    return commandResult(body.childId, outcome);
  }
}
