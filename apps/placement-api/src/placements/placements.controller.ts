import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Clock } from '@placement/event-store';
import { CurrentActor } from '../auth/current-actor';
import { Roles } from '../auth/roles';
import type { AuthenticatedActor } from '../auth/token-registry';
import { contextFor } from '../commands/command-base';
import { Commands } from '../commands/commands';
import type { CommandResult } from '../commands/command-result';
import { RequestMeta, RequestMetaParam } from '../commands/request-context';
import { IdParam } from '../http/id-param';
import { CLOCK } from '../store/store.module';
import {
  AbandonStepDownDto,
  CompleteStepDownDto,
  EndPlacementDto,
  PlanStepDownDto,
  StartPlacementDto,
  StepDownMilestoneDto,
} from './placements.dto';
import {
  AbandonStepDownCommand,
  CompleteStepDownCommand,
  EndPlacementCommand,
  PlanStepDownCommand,
  RecordStepDownMilestoneCommand,
  StartPlacementCommand,
} from './placements.handlers';

@ApiTags('placements and step-downs')
@ApiBearerAuth()
@Controller('v1')
export class PlacementsController {
  constructor(
    private readonly commands: Commands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('placements')
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  start(
    @Body() body: StartPlacementDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new StartPlacementCommand(body, contextFor(actor, meta, `placement:${body.placementId}`, this.clock)),
    );
  }

  @Post('placements/:id/end')
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  end(
    @IdParam('id') placementId: string,
    @Body() body: EndPlacementDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new EndPlacementCommand(
        { ...body, placementId },
        contextFor(actor, meta, `end-placement:${placementId}`, this.clock),
      ),
    );
  }

  @Post('step-downs')
  @HttpCode(201)
  @Roles('residential-manager', 'placement-officer', 'admin')
  plan(
    @Body() body: PlanStepDownDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new PlanStepDownCommand(body, contextFor(actor, meta, `step-down:${body.stepDownId}`, this.clock)),
    );
  }

  @Post('step-downs/:id/milestones')
  @HttpCode(201)
  @Roles('residential-manager', 'placement-officer', 'admin')
  milestone(
    @IdParam('id') stepDownId: string,
    @Body() body: StepDownMilestoneDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    const naturalKey = `step-down-milestone:${stepDownId}:${body.milestoneId}:${body.date}:${body.outcome}`;
    return this.commands.execute(
      new RecordStepDownMilestoneCommand({ ...body, stepDownId }, contextFor(actor, meta, naturalKey, this.clock)),
    );
  }

  @Post('step-downs/:id/complete')
  @HttpCode(201)
  @Roles('residential-manager', 'placement-officer', 'admin')
  complete(
    @IdParam('id') stepDownId: string,
    @Body() body: CompleteStepDownDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new CompleteStepDownCommand(
        { ...body, stepDownId },
        contextFor(actor, meta, `complete-step-down:${stepDownId}`, this.clock),
      ),
    );
  }

  @Post('step-downs/:id/abandon')
  @HttpCode(201)
  @Roles('residential-manager', 'placement-officer', 'admin')
  abandon(
    @IdParam('id') stepDownId: string,
    @Body() body: AbandonStepDownDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new AbandonStepDownCommand(
        { ...body, stepDownId },
        contextFor(actor, meta, `abandon-step-down:${stepDownId}`, this.clock),
      ),
    );
  }
}
