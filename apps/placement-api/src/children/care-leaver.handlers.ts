import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { childDecider, childStreamId, DomainError } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { ApiCommand } from '../commands/command-base';
import { commandResult, CommandResult } from '../commands/command-result';
import { decideOnStream, loadStream } from '../commands/stream-decider';
import { EVENT_STORE } from '../store/store.module';
import type { RecordCareLeaverDto } from './care-leaver.dto';

export class RecordCareLeaverCommand extends ApiCommand<RecordCareLeaverDto & { childId: string }> {}

/** A care leaver's accommodation from a date (CareLeaverRecorded): the trends count staying put and 16+ supported. */
@CommandHandler(RecordCareLeaverCommand)
export class RecordCareLeaverHandler implements ICommandHandler<RecordCareLeaverCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: RecordCareLeaverCommand): Promise<CommandResult> {
    const streamId = childStreamId(body.childId);
    const loaded = await loadStream(this.store, childDecider, streamId);
    if (loaded.state.status === 'Unknown')
      throw new DomainError('NOT_FOUND', `child ${body.childId} is not registered`);
    const command = {
      type: 'RecordCareLeaver' as const,
      data: { childId: body.childId, accommodation: body.accommodation, from: body.from },
      at: ctx.at,
    };
    const outcome = await decideOnStream(this.store, childDecider, streamId, command, ctx, { loaded });
    return commandResult(body.childId, outcome);
  }
}
