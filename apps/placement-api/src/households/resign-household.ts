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

export class ResignHouseholdCommand extends CommandOnBus<WithHousehold<HouseholdDateDto>> {}

@ApiTags('foster households and block bookings')
@ApiBearerAuth()
@Controller('v1')
export class ResignHouseholdRoute extends CommandRoute {
  @Post('foster-households/:id/resign')
  @ApiCommand(
    'Record that a foster household resigned from a date (refused while children live there)',
    {
      422: ['HOUSEHOLD_HAS_CHILDREN', 'INVALID_STATE', 'DATE_IN_FUTURE'],
    },
    'resignHousehold',
  )
  @HttpCode(201)
  @Roles('admin')
  resign(
    @IdParam('id') householdId: string,
    @Body() body: HouseholdDateDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ResignHouseholdCommand(
        { ...body, householdId },
        contextFor(actor, meta, `resign-household:${householdId}`, this.clock),
      ),
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
