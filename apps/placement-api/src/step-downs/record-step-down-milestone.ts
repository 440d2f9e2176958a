import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { IsBusinessDate, IsId } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { StepDownHandler } from './step-down-child';

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
export class RecordStepDownMilestoneHandler extends StepDownHandler<RecordStepDownMilestoneCommand> {
  execute({ body, ctx }: RecordStepDownMilestoneCommand): Promise<CommandResult> {
    return this.decideOnChild(body.stepDownId, ctx, (childId) => ({
      type: 'RecordStepDownMilestone' as const,
      data: { childId, ...body },
      at: ctx.at,
    }));
  }
}
