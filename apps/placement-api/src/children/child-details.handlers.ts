import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { childDecider, childStreamId, DomainError } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { ApiCommand, commandResult, CommandResult, loadStream } from '../commands/command';
import { decideOnStream } from '../commands/handle';
import { EVENT_STORE } from '../store/store.module';
import type { UpdateChildDetailsDto } from './child-details.dto';

/** The body's fields sit at the top, as the client sent them, so an ID_IN_USE names `upn`, not a wrapper. */
export class UpdateChildDetailsCommand extends ApiCommand<
  UpdateChildDetailsDto & {
    readonly childId: string;
    /** The client sent an Idempotency-Key: a repeat of it is a retry whatever happened since. */
    readonly clientKey: boolean;
  }
> {}

@CommandHandler(UpdateChildDetailsCommand)
export class UpdateChildDetailsHandler implements ICommandHandler<UpdateChildDetailsCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: UpdateChildDetailsCommand): Promise<CommandResult> {
    const streamId = childStreamId(body.childId);
    const loaded = await loadStream(this.store, childDecider, streamId);
    if (loaded.state.status === 'Unknown')
      throw new DomainError('NOT_FOUND', `child ${body.childId} is not registered`);
    // Setting values is naturally idempotent (the decider records nothing when nothing changes), so
    // without a client key the command is keyed by the record it was decided on: the same values sent
    // again later (A, then B, then A again) are a new decision, while two racing copies of one request
    // get one id and are written once.
    const command = body.clientKey ? ctx : { ...ctx, commandId: `${ctx.commandId}@${String(loaded.expectedRevision)}` };
    const details = body;
    const outcome = await decideOnStream(
      this.store,
      childDecider,
      streamId,
      {
        type: 'UpdateChildDetails',
        data: {
          childId: body.childId,
          ...(details.upn === undefined ? {} : { upn: details.upn }),
          ...(details.mother === undefined ? {} : { mother: details.mother }),
          ...(details.motherChildDateOfBirth === undefined
            ? {}
            : { motherChildDateOfBirth: details.motherChildDateOfBirth }),
        },
      },
      command,
      { loaded },
    );
    return commandResult(body.childId, outcome);
  }
}
