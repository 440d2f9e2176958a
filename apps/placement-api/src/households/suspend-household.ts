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
import { IsIn } from 'class-validator';
import { IsBusinessDate } from '../http/dto-rules';
import { EVENT_STORE } from '../store/store.module';
import { onHousehold, type WithHousehold } from './household-command';

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
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new SuspendHouseholdCommand(
        { ...body, householdId },
        contextFor(actor, meta, `suspend-household:${householdId}:${body.date}`, this.clock),
      ),
    );
  }
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
