import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { IsBusinessDate } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { StepDownHandler } from './step-down-child';

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
export class AbandonStepDownHandler extends StepDownHandler<AbandonStepDownCommand> {
  execute({ body, ctx }: AbandonStepDownCommand): Promise<CommandResult> {
    return this.decideOnChild(body.stepDownId, ctx, (childId) => ({
      type: 'AbandonStepDown' as const,
      data: { childId, ...body },
    }));
  }
}
