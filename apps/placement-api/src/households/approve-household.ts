import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, Matches, ValidateNested } from 'class-validator';
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
import { IsBusinessDate, IsId } from '../http/dto-rules';
import { ApiCommand } from '../http/openapi';
import { EVENT_STORE } from '../store/store.module';
import { onHousehold } from './household-command';
import { ApprovalTermsDto } from './households.dto';

export class ApproveHouseholdDto {
  @IsId()
  householdId!: string;

  @ApiProperty({ description: 'A household reference such as FH-012, never a carer name' })
  @Matches(/^[A-Za-z0-9 _-]{1,32}$/, {
    message: '$property must be a short reference (letters, digits, space, _ or -)',
  })
  reference!: string;

  @ApiProperty({ type: ApprovalTermsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ApprovalTermsDto)
  terms!: ApprovalTermsDto;

  @IsBusinessDate()
  approvedOn!: string;
}

export class ApproveHouseholdCommand extends CommandOnBus<ApproveHouseholdDto> {}

@ApiTags('foster households and block bookings')
@ApiBearerAuth()
@Controller('v1')
export class ApproveHouseholdRoute extends CommandRoute {
  @Post('foster-households')
  @ApiCommand(
    'Approve a foster household with its terms',
    { 409: ['ALREADY_EXISTS'], 422: ['INVALID_INPUT'] },
    'approveHousehold',
  )
  @HttpCode(201)
  @Roles('admin')
  approve(
    @Body() body: ApproveHouseholdDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ApproveHouseholdCommand(body, contextFor(actor, meta, `approve-household:${body.householdId}`, this.clock)),
    );
  }
}

@CommandHandler(ApproveHouseholdCommand)
export class ApproveHouseholdHandler implements ICommandHandler<ApproveHouseholdCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ body, ctx }: ApproveHouseholdCommand): Promise<CommandResult> {
    const data = { ...body, terms: { ...body.terms, agencyName: body.terms.agencyName ?? null } };
    return onHousehold(this.store, body.householdId, { type: 'ApproveFosterHousehold', data }, ctx);
  }
}
