import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { householdDecider, householdStreamId } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { ApiCommand, commandResult, CommandResult } from '../commands/command';
import { handle } from '../commands/handle';
import { EVENT_STORE } from '../store/store.module';
import type { ApproveHouseholdDto } from './households.dto';

export class ApproveHouseholdCommand extends ApiCommand<ApproveHouseholdDto> {}

@CommandHandler(ApproveHouseholdCommand)
export class ApproveHouseholdHandler implements ICommandHandler<ApproveHouseholdCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: ApproveHouseholdCommand): Promise<CommandResult> {
    const data = { ...body, terms: { ...body.terms, agencyName: body.terms.agencyName ?? null } };
    const outcome = await handle(this.store, householdDecider, householdStreamId(body.householdId), ctx, () => ({
      type: 'ApproveFosterHousehold' as const,
      data,
    }));
    return commandResult(body.householdId, outcome);
  }
}
