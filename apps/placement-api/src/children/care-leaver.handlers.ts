import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { childDecider, childStreamId, DomainError } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { ApiCommand, commandResult, CommandResult } from '../commands/command';
import { handle } from '../commands/handle';
import { EVENT_STORE } from '../store/store.module';
import type { RecordCareLeaverDto } from './care-leaver.dto';

export class RecordCareLeaverCommand extends ApiCommand<RecordCareLeaverDto & { childId: string }> {}

/** A care leaver's accommodation from a date (CareLeaverRecorded): the trends count staying put and 16+ supported. */
@CommandHandler(RecordCareLeaverCommand)
export class RecordCareLeaverHandler implements ICommandHandler<RecordCareLeaverCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: RecordCareLeaverCommand): Promise<CommandResult> {
    const streamId = childStreamId(body.childId);
    const outcome = await handle(this.store, childDecider, streamId, ctx, (child) => {
      if (child.status === 'Unknown') throw new DomainError('NOT_FOUND', `child ${body.childId} is not registered`);
      return {
        type: 'RecordCareLeaver' as const,
        data: { childId: body.childId, accommodation: body.accommodation, from: body.from },
        at: ctx.at,
      };
    });
    return commandResult(body.childId, outcome);
  }
}
