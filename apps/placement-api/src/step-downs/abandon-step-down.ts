import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { childDecider, childStreamId } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { Roles } from '../auth/roles';
import {
  ApiCommand as CommandOnBus,
  CommandRoute,
  commandResult,
  type CommandResult,
  Sender,
  type CommandSender,
} from '../commands/command';
import { handle } from '../commands/handle';
import { UnitDirectory } from '../directory/unit-directory';
import { IsBusinessDate } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { EVENT_STORE } from '../store/store.module';
import { loadStepDownChild } from './step-down-child';

const ABANDON_REASONS = [
  'placement-ended',
  'child-wishes',
  'household-withdrew',
  'needs-changed',
  'safety-concern',
  'other',
] as const;

export class AbandonStepDownDto {
  @ApiProperty({ enum: ABANDON_REASONS })
  @IsIn(ABANDON_REASONS)
  reason!: (typeof ABANDON_REASONS)[number];

  @IsBusinessDate()
  date!: string;
}

export class AbandonStepDownCommand extends CommandOnBus<AbandonStepDownDto & { stepDownId: string }> {}

@ApiTags('placements and step-downs')
@ApiBearerAuth()
@Controller('v1')
export class AbandonStepDownRoute extends CommandRoute {
  @Post('step-downs/:id/abandon')
  @ApiCommand('Abandon a step-down plan', { 422: ['STEP_DOWN_NOT_ACTIVE'] })
  @HttpCode(201)
  @Roles('residential-manager', 'placement-officer', 'admin')
  abandon(
    @IdParam('id') stepDownId: string,
    @Body() body: AbandonStepDownDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(AbandonStepDownCommand, { ...body, stepDownId }, sender, `abandon-step-down:${stepDownId}`);
  }
}

@CommandHandler(AbandonStepDownCommand)
export class AbandonStepDownHandler implements ICommandHandler<AbandonStepDownCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: AbandonStepDownCommand): Promise<CommandResult> {
    const { childId, loaded } = await loadStepDownChild(this.directory, this.store, body.stepDownId, ctx);
    const command = { type: 'AbandonStepDown' as const, data: { childId, ...body } };
    const outcome = await handle(this.store, childDecider, childStreamId(childId), ctx, () => command, { loaded });
    return commandResult(body.stepDownId, outcome);
  }
}
