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
import { IsBusinessDate, IsId } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { EVENT_STORE } from '../store/store.module';
import { loadStepDownChild } from './step-down-child';

export class StepDownMilestoneDto {
  @IsId()
  milestoneId!: string;

  @IsBusinessDate()
  date!: string;

  @ApiProperty({ enum: ['met', 'missed', 'rescheduled'] })
  @IsIn(['met', 'missed', 'rescheduled'])
  outcome!: 'met' | 'missed' | 'rescheduled';
}

export class RecordStepDownMilestoneCommand extends CommandOnBus<StepDownMilestoneDto & { stepDownId: string }> {}

@ApiTags('placements and step-downs')
@ApiBearerAuth()
@Controller('v1')
export class RecordStepDownMilestoneRoute extends CommandRoute {
  @Post('step-downs/:id/milestones')
  @ApiCommand('Record a step-down milestone', { 422: ['STEP_DOWN_NOT_ACTIVE', 'DATE_IN_FUTURE'] })
  @HttpCode(201)
  @Roles('residential-manager', 'placement-officer', 'admin')
  milestone(
    @IdParam('id') stepDownId: string,
    @Body() body: StepDownMilestoneDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    const naturalKey = `step-down-milestone:${stepDownId}:${body.milestoneId}:${body.date}:${body.outcome}`;
    return this.send(RecordStepDownMilestoneCommand, { ...body, stepDownId }, sender, naturalKey);
  }
}

@CommandHandler(RecordStepDownMilestoneCommand)
export class RecordStepDownMilestoneHandler implements ICommandHandler<RecordStepDownMilestoneCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: RecordStepDownMilestoneCommand): Promise<CommandResult> {
    const { childId, loaded } = await loadStepDownChild(this.directory, this.store, body.stepDownId, ctx);
    const command = { type: 'RecordStepDownMilestone' as const, data: { childId, ...body }, at: ctx.at };
    const outcome = await handle(this.store, childDecider, childStreamId(childId), ctx, () => command, { loaded });
    return commandResult(body.stepDownId, outcome);
  }
}
