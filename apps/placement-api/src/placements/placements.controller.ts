import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Clock } from '@placement/event-store';
import type { PlacementListItem } from '@placement/projections';
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
import { EndPlacementDto, RevisePlannedEndDto, StartPlacementDto, WithdrawPlannedEndDto } from './placements.dto';
import {
  EndPlacementCommand,
  RevisePlannedEndCommand,
  StartPlacementCommand,
  WithdrawPlannedEndCommand,
} from './placements.handlers';
import { ListPlacementsQuery, PlacementListQueryDto } from './placements.lists';
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
}
