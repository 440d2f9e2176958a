import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  readStepDownList,
  type Page,
  type StepDownListFilter,
  type StepDownListItem,
  type StepDownStatus,
} from '@placement/projections';
import type { Request, Response } from 'express';
import { CurrentActor } from '../auth/current-actor';
import { listScopeOf } from '../auth/list-scope';
import type { AuthenticatedActor } from '../auth/token-registry';
import { ApiRead } from '../http/openapi';
import { ListBody, ListQuery, ListQueryDto, OneOfFilter, Pager } from '../http/pagination';
import { ProjectionsService } from '../projections/projections.service';

export class StepDownListQueryDto extends ListQueryDto {
  @OneOfFilter(['planned', 'completed', 'abandoned'], 'The step-down’s status')
  status?: StepDownStatus;
}

export class ListStepDownsQuery extends ListQuery<StepDownListFilter> {}

@ApiTags('placements and step-downs')
@ApiBearerAuth()
@Controller('v1')
export class ListStepDownsRoute {
  constructor(private readonly queries: QueryBus) {}

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
}

@QueryHandler(ListStepDownsQuery)
export class ListStepDownsHandler implements IQueryHandler<ListStepDownsQuery, Page<StepDownListItem>> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ filter, scope, page, minPosition }: ListStepDownsQuery): Promise<Page<StepDownListItem>> {
    const { db, position, today } = await this.projections.readModel('child-list', minPosition);
    return readStepDownList(db, position, { today, filter, scope }, page);
  }
}
