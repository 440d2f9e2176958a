import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Clock } from '@placement/event-store';
import type { PlacementListItem, StepDownListItem } from '@placement/projections';
import type { Request, Response } from 'express';
import { CurrentActor } from '../auth/current-actor';
import { assertMayListSetting, listScopeOf } from '../auth/list-scope';
import { Roles } from '../auth/roles';
import type { AuthenticatedActor } from '../auth/token-registry';
import { contextFor } from '../commands/command-base';
import { Commands } from '../commands/commands';
import type { CommandResult } from '../commands/command-result';
import { RequestMeta, RequestMetaParam } from '../commands/request-context';
import { IdParam } from '../http/id-param';
import { ListBody, Pager } from '../http/pagination';
import { CLOCK } from '../store/store.module';
import {
  AbandonStepDownDto,
  CompleteStepDownDto,
  EndPlacementDto,
  PlanStepDownDto,
  RevisePlannedEndDto,
  StartPlacementDto,
  StepDownMilestoneDto,
  WithdrawPlannedEndDto,
} from './placements.dto';
import {
  AbandonStepDownCommand,
  CompleteStepDownCommand,
  EndPlacementCommand,
  PlanStepDownCommand,
  RecordStepDownMilestoneCommand,
  RevisePlannedEndCommand,
  StartPlacementCommand,
  WithdrawPlannedEndCommand,
} from './placements.handlers';
import {
  ListPlacementsQuery,
  ListStepDownsQuery,
  PlacementListQueryDto,
  StepDownListQueryDto,
} from './placements.lists';
import { ApiCommand, ApiRead } from '../http/openapi';

@ApiTags('placements and step-downs')
@ApiBearerAuth()
@Controller('v1')
export class PlacementsController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Placements by start date; a residential manager's list holds their homes' placements and their residents'. */
  @Get('placements')
  @ApiRead('List placements (paged)', 'PlacementPage', { 403: [] })
  async list(
    @Query() q: PlacementListQueryDto,
    @CurrentActor() actor: AuthenticatedActor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListBody<PlacementListItem>> {
    assertMayListSetting(actor, q.settingId);
    const filter = { open: q.open, settingId: q.settingId, householdId: q.householdId };
    const pager = Pager.of(req, 'placements', filter, q, ['string', 'string']);
    const open = q.open === undefined ? undefined : q.open === 'true';
    const page = await this.queries.execute(
      new ListPlacementsQuery({ ...filter, open }, listScopeOf(actor), pager.request, q.minPosition),
    );
    return pager.respond(res, page);
  }

  /** Step-downs by planned date; a residential manager's list holds those from their homes and of their residents. */
  @Get('step-downs')
  @ApiRead('List step-down plans (paged)', 'StepDownPage')
  async stepDowns(
    @Query() q: StepDownListQueryDto,
    @CurrentActor() actor: AuthenticatedActor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListBody<StepDownListItem>> {
    const filter = { status: q.status };
    const pager = Pager.of(req, 'step-downs', filter, q, ['string', 'string']);
    const page = await this.queries.execute(
      new ListStepDownsQuery(filter, listScopeOf(actor), pager.request, q.minPosition),
    );
    return pager.respond(res, page);
  }

  @Post('placements')
  @ApiCommand('Start a placement in a bed or foster household', {
    404: ['NOT_FOUND'],
    409: ['ALREADY_EXISTS', 'OVERLAPPING_PLACEMENT', 'BED_NOT_VACANT', 'HOUSEHOLD_FULL', 'BLOCK_BED_ALLOCATED'],
    422: [
      'INVALID_INPUT',
      'INVALID_DATES',
      'INVALID_CODE',
      'REFERRAL_NOT_OPEN',
      'EXCLUDED_BY_MATCHING',
      'SETTING_CLOSED',
      'OUTSIDE_REGISTRATION',
      'MATCHING_REQUIRED',
      'HOUSEHOLD_NOT_AVAILABLE',
      'APPROVAL_TERMS_EXCEEDED',
      'CONTRACT_ENDED',
      'OUTSIDE_CONTRACT',
    ],
  })
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
  @ApiCommand('End a placement', { 409: ['ALREADY_EXISTS'], 422: ['INVALID_DATES', 'INVALID_CODE'] })
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

  /** Moves a planned end (an end dated after today) before it happens; the unit's next booking is respected. */
  @Post('placements/:id/end/revise')
  @ApiCommand("Revise a placement's planned end date", {
    409: ['ALREADY_EXISTS', 'BED_NOT_VACANT', 'OVERLAPPING_PLACEMENT', 'HOUSEHOLD_FULL', 'BLOCK_BED_ALLOCATED'],
    422: [
      'INVALID_STATE',
      'END_HAS_HAPPENED',
      'INVALID_DATES',
      'INVALID_CODE',
      'APPROVAL_TERMS_EXCEEDED',
      'CONTRACT_ENDED',
    ],
  })
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  reviseEnd(
    @IdParam('id') placementId: string,
    @Body() body: RevisePlannedEndDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new RevisePlannedEndCommand(
        { ...body, placementId },
        contextFor(actor, meta, `revise-end:${placementId}:${body.endDate}`, this.clock),
      ),
    );
  }

  /** Takes back a planned end before it happens: the placement is open-ended again. */
  @Post('placements/:id/end/withdraw')
  @ApiCommand("Withdraw a placement's planned end", {
    409: ['ALREADY_EXISTS', 'BED_NOT_VACANT', 'OVERLAPPING_PLACEMENT', 'HOUSEHOLD_FULL', 'BLOCK_BED_ALLOCATED'],
    422: ['INVALID_STATE', 'END_HAS_HAPPENED', 'APPROVAL_TERMS_EXCEEDED', 'CONTRACT_ENDED'],
  })
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  withdrawEnd(
    @IdParam('id') placementId: string,
    @Body() _body: WithdrawPlannedEndDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new WithdrawPlannedEndCommand(
        { placementId },
        contextFor(actor, meta, `withdraw-end:${placementId}`, this.clock),
      ),
    );
  }

  @Post('step-downs')
  @ApiCommand('Plan a step-down from residential care to family', {
    404: ['NOT_FOUND'],
    409: ['ALREADY_EXISTS', 'HOUSEHOLD_FULL'],
    422: [
      'SAFETY_PLAN_REQUIRED',
      'NOT_RESIDENTIAL',
      'INVALID_DATES',
      'INVALID_INPUT',
      'HOUSEHOLD_NOT_AVAILABLE',
      'APPROVAL_TERMS_EXCEEDED',
    ],
  })
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
  @ApiCommand('Record a step-down milestone', { 422: ['STEP_DOWN_NOT_ACTIVE', 'DATE_IN_FUTURE'] })
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
  @ApiCommand('Complete a step-down (the child moves)', {
    409: ['ALREADY_EXISTS', 'HOUSEHOLD_FULL'],
    422: [
      'STEP_DOWN_NOT_ACTIVE',
      'INVALID_DATES',
      'DATE_IN_FUTURE',
      'HOUSEHOLD_NOT_AVAILABLE',
      'APPROVAL_TERMS_EXCEEDED',
    ],
  })
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
  @ApiCommand('Abandon a step-down plan', { 422: ['STEP_DOWN_NOT_ACTIVE'] })
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
