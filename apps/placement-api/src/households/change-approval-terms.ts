import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { HouseholdHandler, type WithHousehold } from './household-command';
import { createHash } from 'node:crypto';
import { IsBusinessDate } from '../http/dto-rules';
import { ApprovalTermsDto, IsApprovalTerms } from './households.dto';

/** New approval terms from a date (ahead of today too: the terms are dated). */
export class ChangeApprovalTermsDto {
  @IsApprovalTerms()
  terms!: ApprovalTermsDto;

  @IsBusinessDate()
  effectiveDate!: string;
}

export class ChangeApprovalTermsCommand extends CommandOnBus<WithHousehold<ChangeApprovalTermsDto>> {}

@ApiTags('foster households and block bookings')
@ApiBearerAuth()
@Controller('v1')
export class ChangeApprovalTermsRoute extends CommandRoute {
  @Post('foster-households/:id/terms')
  @ApiCommand(
    "Change a foster household's approval terms from a date",
    {
      422: ['APPROVAL_TERMS_EXCEEDED', 'HOUSEHOLD_NOT_AVAILABLE', 'INVALID_INPUT'],
    },
    'changeApprovalTerms',
  )
  @HttpCode(201)
  @Roles('admin')
  changeTerms(
    @IdParam('id') householdId: string,
    @Body() body: ChangeApprovalTermsDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    const digest = createHash('sha256').update(JSON.stringify(body.terms)).digest('hex').slice(0, 16);
    const naturalKey = `approval-terms:${householdId}:${body.effectiveDate}:${digest}`;
    return this.send(ChangeApprovalTermsCommand, { ...body, householdId }, sender, naturalKey);
  }
}

/** Refused if a child placed there would be outside the new terms on any night from the change on, naming them. */
@CommandHandler(ChangeApprovalTermsCommand)
export class ChangeApprovalTermsHandler extends HouseholdHandler<ChangeApprovalTermsCommand> {
  execute({ body, ctx }: ChangeApprovalTermsCommand): Promise<CommandResult> {
    const { householdId, effectiveDate } = body;
    const terms = { ...body.terms, agencyName: body.terms.agencyName ?? null };
    return this.onHousehold(
      householdId,
      { type: 'ChangeApprovalTerms', data: { householdId, terms, effectiveDate } },
      ctx,
    );
  }
}
