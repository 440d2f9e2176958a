import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { readPlacementList, type Page, type PlacementListFilter, type PlacementListItem } from '@placement/projections';
import type { Request, Response } from 'express';
import { CurrentActor } from '../auth/current-actor';
import { assertMayListSetting, listScopeOf } from '../auth/list-scope';
import type { AuthenticatedActor } from '../auth/token-registry';
import { ApiRead } from '../http/openapi';
import { IdFilter, ListBody, ListQuery, ListQueryDto, OneOfFilter, Pager } from '../http/pagination';
import { ProjectionsService } from '../projections/projections.service';

export class PlacementListQueryDto extends ListQueryDto {
  @OneOfFilter(['true', 'false'], 'true: not ended by today (planned arrivals included); false: ended')
  open?: 'true' | 'false';

  @IdFilter('Placements in this home')
  settingId?: string;

  @IdFilter('Placements with this foster household')
  householdId?: string;
}

export class ListPlacementsQuery extends ListQuery<PlacementListFilter> {}

@ApiTags('placements and step-downs')
@ApiBearerAuth()
@Controller('v1')
export class ListPlacementsRoute {
  constructor(private readonly queries: QueryBus) {}

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
}

@QueryHandler(ListPlacementsQuery)
export class ListPlacementsHandler implements IQueryHandler<ListPlacementsQuery, Page<PlacementListItem>> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ filter, scope, page, minPosition }: ListPlacementsQuery): Promise<Page<PlacementListItem>> {
    const { db, position, today } = await this.projections.readModel('child-list', minPosition);
    return readPlacementList(db, position, { today, filter, scope }, page);
  }
}
