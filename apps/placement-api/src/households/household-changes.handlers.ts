import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { householdDecider, householdStreamId } from '@placement/domain';
import type { HouseholdCommand } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { ApiCommand, commandResult, CommandResult } from '../commands/command';
import { handle } from '../commands/handle';
import { EVENT_STORE } from '../store/store.module';
import type {
  ChangeApprovalTermsDto,
  HouseholdDateDto,
  HouseholdMembersDto,
  SuspendHouseholdDto,
} from './household-changes.dto';

type WithHousehold<T> = T & { householdId: string };
export class SuspendHouseholdCommand extends ApiCommand<WithHousehold<SuspendHouseholdDto>> {}
export class ReinstateHouseholdCommand extends ApiCommand<WithHousehold<HouseholdDateDto>> {}
export class ResignHouseholdCommand extends ApiCommand<WithHousehold<HouseholdDateDto>> {}
export class ChangeApprovalTermsCommand extends ApiCommand<WithHousehold<ChangeApprovalTermsDto>> {}
export class RecordHouseholdMembersCommand extends ApiCommand<WithHousehold<HouseholdMembersDto>> {}

/** Load, decide, append on the household's stream: every household command is decided there alone. */
async function onHousehold(
  store: EventStore,
  householdId: string,
  command: HouseholdCommand,
  ctx: ApiCommand<unknown>['ctx'],
): Promise<CommandResult> {
  const outcome = await handle(store, householdDecider, householdStreamId(householdId), ctx, () => command);
  return commandResult(householdId, outcome);
}

/** Matching then excludes the household (out of use: household suspended) and it takes no new placement. */
@CommandHandler(SuspendHouseholdCommand)
export class SuspendHouseholdHandler implements ICommandHandler<SuspendHouseholdCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ body, ctx }: SuspendHouseholdCommand): Promise<CommandResult> {
    const { householdId, date, reason } = body;
    return onHousehold(
      this.store,
      householdId,
      { type: 'SuspendHousehold', data: { householdId, date, reason }, at: ctx.at },
      ctx,
    );
  }
}

@CommandHandler(ReinstateHouseholdCommand)
export class ReinstateHouseholdHandler implements ICommandHandler<ReinstateHouseholdCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ body, ctx }: ReinstateHouseholdCommand): Promise<CommandResult> {
    const { householdId, date } = body;
    return onHousehold(
      this.store,
      householdId,
      { type: 'ReinstateHousehold', data: { householdId, date }, at: ctx.at },
      ctx,
    );
  }
}

/** Refused while children live there after the date (HOUSEHOLD_HAS_CHILDREN, naming them). */
@CommandHandler(ResignHouseholdCommand)
export class ResignHouseholdHandler implements ICommandHandler<ResignHouseholdCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ body, ctx }: ResignHouseholdCommand): Promise<CommandResult> {
    const { householdId, date } = body;
    return onHousehold(
      this.store,
      householdId,
      { type: 'RecordHouseholdResigned', data: { householdId, date }, at: ctx.at },
      ctx,
    );
  }
}

/** Refused if a child placed there would be outside the new terms on any night from the change on, naming them. */
@CommandHandler(ChangeApprovalTermsCommand)
export class ChangeApprovalTermsHandler implements ICommandHandler<ChangeApprovalTermsCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ body, ctx }: ChangeApprovalTermsCommand): Promise<CommandResult> {
    const { householdId, effectiveDate } = body;
    const terms = { ...body.terms, agencyName: body.terms.agencyName ?? null };
    return onHousehold(
      this.store,
      householdId,
      { type: 'ChangeApprovalTerms', data: { householdId, terms, effectiveDate } },
      ctx,
    );
  }
}

/** The whole list each time; the list already on record writes nothing. Matching reads the members' ages. */
@CommandHandler(RecordHouseholdMembersCommand)
export class RecordHouseholdMembersHandler implements ICommandHandler<RecordHouseholdMembersCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ body, ctx }: RecordHouseholdMembersCommand): Promise<CommandResult> {
    const { householdId } = body;
    const members = body.members.map(({ bornIn, relationship }) => ({ bornIn, relationship }));
    return onHousehold(
      this.store,
      householdId,
      { type: 'RecordHouseholdMembers', data: { householdId, members }, at: ctx.at },
      ctx,
    );
  }
}
