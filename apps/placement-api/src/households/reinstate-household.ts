import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { HouseholdHandler, type WithHousehold } from './household-command';
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
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(
      ReinstateHouseholdCommand,
      { ...body, householdId },
      sender,
      `reinstate-household:${householdId}:${body.date}`,
    );
  }
}

@CommandHandler(ReinstateHouseholdCommand)
export class ReinstateHouseholdHandler extends HouseholdHandler<ReinstateHouseholdCommand> {
  execute({ body, ctx }: ReinstateHouseholdCommand): Promise<CommandResult> {
    const { householdId, date } = body;
    return this.onHousehold(householdId, { type: 'ReinstateHousehold', data: { householdId, date }, at: ctx.at }, ctx);
  }
}
