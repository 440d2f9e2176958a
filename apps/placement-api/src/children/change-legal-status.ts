import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { LEGAL_STATUS_CODES, type LegalStatusCode } from '@placement/domain';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { IsBusinessDate } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { ChildHandler } from './child-command';

/** A change of the child's legal status (SSDA903 LS), from the date it took effect: today or earlier. */
export class ChangeLegalStatusDto {
  @ApiProperty({ enum: LEGAL_STATUS_CODES, description: 'SSDA903 LS code', example: 'C2' })
  @IsIn(LEGAL_STATUS_CODES)
  legalStatus!: LegalStatusCode;

  @IsBusinessDate()
  date!: string;
}

export class ChangeLegalStatusCommand extends CommandOnBus<ChangeLegalStatusDto & { childId: string }> {}

@ApiTags('children')
@ApiBearerAuth()
@Controller('v1/children')
export class ChangeLegalStatusRoute extends CommandRoute {
  /** A change of legal status (SSDA903 LS) from a date: a decision already made, so today or earlier. */
  @Post(':id/legal-status')
  @ApiCommand(
    "Change a child's legal status (SSDA903 LS) from a date",
    {
      422: ['DATE_IN_FUTURE', 'INVALID_STATE'],
    },
    'changeLegalStatus',
  )
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  legalStatus(
    @IdParam('id') childId: string,
    @Body() body: ChangeLegalStatusDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(
      ChangeLegalStatusCommand,
      { ...body, childId },
      sender,
      `legal-status:${childId}:${body.legalStatus}:${body.date}`,
    );
  }
}

/** The child's legal status from a date (LegalStatusChanged); the SSDA903 episodes start a new one from it. */
@CommandHandler(ChangeLegalStatusCommand)
export class ChangeLegalStatusHandler extends ChildHandler<ChangeLegalStatusCommand> {
  execute({ body, ctx }: ChangeLegalStatusCommand): Promise<CommandResult> {
    const { childId, legalStatus, date } = body;
    return this.onRegisteredChild(
      childId,
      { type: 'ChangeLegalStatus', data: { childId, legalStatus, date }, at: ctx.at },
      ctx,
    );
  }
}
