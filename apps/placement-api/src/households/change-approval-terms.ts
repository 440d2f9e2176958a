import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
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
import { createHash } from 'node:crypto';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { IsBusinessDate } from '../http/dto-rules';
import { ApprovalTermsDto } from './households.dto';

/** New approval terms from a date (ahead of today too: the terms are dated). */
export class ChangeApprovalTermsDto {
  @ApiProperty({ type: ApprovalTermsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ApprovalTermsDto)
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
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    const digest = createHash('sha256').update(JSON.stringify(body.terms)).digest('hex').slice(0, 16);
    const naturalKey = `approval-terms:${householdId}:${body.effectiveDate}:${digest}`;
    return this.commands.execute(
      new ChangeApprovalTermsCommand({ ...body, householdId }, contextFor(actor, meta, naturalKey, this.clock)),
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
