import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@placement/event-store';
import { CurrentActor } from '../auth/current-actor';
import { Roles } from '../auth/roles';
import type { AuthenticatedActor } from '../auth/token-registry';
import {
  ApiCommand as CommandOnBus,
  CommandRoute,
  contextFor,
  RequestMetaParam,
  type CommandResult,
  type RequestMeta,
} from '../commands/command';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { EVENT_STORE } from '../store/store.module';
import { onHousehold, type WithHousehold } from './household-command';
import { HouseholdDateDto } from './households.dto';

export class ReinstateHouseholdCommand extends CommandOnBus<WithHousehold<HouseholdDateDto>> {}

@ApiTags('foster households and block bookings')
@ApiBearerAuth()
@Controller('v1')
export class ReinstateHouseholdRoute extends CommandRoute {
  @Post('foster-households/:id/reinstate')
  @ApiCommand(
    'Reinstate a suspended foster household from a date',
    { 422: ['INVALID_STATE', 'DATE_IN_FUTURE'] },
    'reinstateHousehold',
  )
  @HttpCode(201)
  @Roles('admin')
  reinstate(
    @IdParam('id') householdId: string,
    @Body() body: HouseholdDateDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ReinstateHouseholdCommand(
        { ...body, householdId },
        contextFor(actor, meta, `reinstate-household:${householdId}:${body.date}`, this.clock),
      ),
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
