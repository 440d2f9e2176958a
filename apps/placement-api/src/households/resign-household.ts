import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { HouseholdHandler, type WithHousehold } from './household-command';
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
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(ResignHouseholdCommand, { ...body, householdId }, sender, `resign-household:${householdId}`);
  }
}

/** Refused while children live there after the date (HOUSEHOLD_HAS_CHILDREN, naming them). */
@CommandHandler(ResignHouseholdCommand)
export class ResignHouseholdHandler extends HouseholdHandler<ResignHouseholdCommand> {
  execute({ body, ctx }: ResignHouseholdCommand): Promise<CommandResult> {
    const { householdId, date } = body;
    return this.onHousehold(
      householdId,
      { type: 'RecordHouseholdResigned', data: { householdId, date }, at: ctx.at },
      ctx,
    );
  }
}
