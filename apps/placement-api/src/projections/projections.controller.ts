import { Controller, Get, Headers, Query, Req, Res, Sse } from '@nestjs/common';
import type { MessageEvent } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  CAPACITY_KEY_TYPES,
  type CapacityPage,
  type SufficiencyTrends,
  type UtilisationReport,
} from '@placement/projections';
import type { Observable } from 'rxjs';
import type { Request, Response } from 'express';
import type { CapacityBody } from '../http/response-bodies';
import { MAX_PAGE_SIZE, Pager } from '../http/pagination';
import { CapacityQueryDto } from './capacity-query.dto';
import { TrendsQueryDto, UtilisationQueryDto } from './projections.dto';
import { GetCapacityPageQuery, GetSufficiencyTrendsQuery, GetUtilisationQuery } from './projections.queries';
import { ProjectionsService } from './projections.service';
import { ApiEventStream, ApiRead } from '../http/openapi';

/** Reads from the read models; every authenticated role may read. */
@ApiTags('capacity')
@ApiBearerAuth()
@Controller('v1')
export class ProjectionsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('capacity')
  @ApiRead(
    'Capacity on a night (tonight by default, `?on=` any date): beds free, held, occupied, out of use',
    'CapacityBody',
  )
  async capacity(
    @Query() q: CapacityQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CapacityBody> {
    const { on, authority, settingId, kind, state, ageBand, sex } = q;
    const pager = Pager.of(
      req,
      'capacity',
      { on, authority, settingId, kind, state, ageBand, sex },
      { limit: q.limit ?? MAX_PAGE_SIZE, cursor: q.cursor },
      CAPACITY_KEY_TYPES,
    );
    const { limit, after } = pager.request;
    const filter = { authority, settingId, kind, state, ageBand, sex };
    const page: CapacityPage = await this.queries.execute(
      new GetCapacityPageQuery(filter, after, limit, q.minPosition, on),
    );
    return { ...page.view, next: pager.next(res, page.nextAfter) };
  }

  /**
   * Server-Sent Events: `snapshot` on connect, then `delta` after every change to capacity, and at
   * midnight (London) a `delta` with `rolledOverFrom` listing the units whose night changed by date alone.
   * Each event's `id` is the read model's position; `: keep-alive` comments carry none. A client that
   * reconnects with `Last-Event-ID` is sent a `delta` of the units changed since that id, with
   * `resumedAfter` naming it (a snapshot, so flagged, when the night turned or the server started since).
   */
  @Sse('capacity/stream')
  @ApiEventStream('Capacity as a live stream: a snapshot, then a delta after every change')
  capacityStream(@Headers('last-event-id') lastEventId?: string): Observable<MessageEvent> {
    return this.projections.capacityStream(lastEventId);
  }

  @Get('block-bookings/utilisation')
  @ApiRead('Block-booking utilisation: contracted beds used and paid for empty', 'UtilisationBody')
  utilisation(@Query() q: UtilisationQueryDto): Promise<UtilisationReport> {
    return this.queries.execute(new GetUtilisationQuery(q.from, q.to, q.minPosition));
  }

  @Get('sufficiency/trends')
  @ApiRead('Sufficiency trends: demand and capacity by month', 'SufficiencyTrendsBody')
  trends(@Query() q: TrendsQueryDto): Promise<SufficiencyTrends> {
    return this.queries.execute(new GetSufficiencyTrendsQuery(q.months ?? 12, q.minPosition));
  }
}
