import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { IsIn } from 'class-validator';
import { IsBusinessDate } from '../http/dto-rules';
import { HouseholdHandler, type WithHousehold } from './household-command';

export const SUSPENSION_REASONS = ['allegation', 'standards', 'carer-request', 'other'] as const;

/** Suspended from a date (today or earlier): matching excludes the household and it takes no new child. */
export class SuspendHouseholdDto {
  @IsBusinessDate()
  date!: string;

  @ApiProperty({ enum: SUSPENSION_REASONS })
  @IsIn(SUSPENSION_REASONS)
  reason!: (typeof SUSPENSION_REASONS)[number];
}

export class SuspendHouseholdCommand extends CommandOnBus<WithHousehold<SuspendHouseholdDto>> {}

@ApiTags('foster households and block bookings')
@ApiBearerAuth()
@Controller('v1')
export class SuspendHouseholdRoute extends CommandRoute {
  @Post('foster-households/:id/suspend')
  @ApiCommand(
    'Suspend a foster household from a date (no new placements; matching excludes it)',
    {
      422: ['INVALID_STATE', 'DATE_IN_FUTURE'],
    },
    'suspendHousehold',
  )
  @HttpCode(201)
  @Roles('admin')
  suspend(
    @IdParam('id') householdId: string,
    @Body() body: SuspendHouseholdDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(
      SuspendHouseholdCommand,
      { ...body, householdId },
      sender,
      `suspend-household:${householdId}:${body.date}`,
    );
  }
}

/** Matching then excludes the household (out of use: household suspended) and it takes no new placement. */
@CommandHandler(SuspendHouseholdCommand)
export class SuspendHouseholdHandler extends HouseholdHandler<SuspendHouseholdCommand> {
  execute({ body, ctx }: SuspendHouseholdCommand): Promise<CommandResult> {
    const { householdId, date, reason } = body;
    return this.onHousehold(
      householdId,
      { type: 'SuspendHousehold', data: { householdId, date, reason }, at: ctx.at },
      ctx,
    );
  }
}
