import { Controller, Get, Query, Sse } from '@nestjs/common';
import type { MessageEvent } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CapacityView, SufficiencyTrends, UtilisationReport } from '@placement/projections';
import type { Observable } from 'rxjs';
import { CapacityQueryDto, TrendsQueryDto, UtilisationQueryDto } from './projections.dto';
import { GetCapacityQuery, GetSufficiencyTrendsQuery, GetUtilisationQuery } from './projections.queries';
import { ProjectionsService } from './projections.service';

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
  capacity(@Query() q: CapacityQueryDto): Promise<CapacityView> {
    return this.queries.execute(new GetCapacityQuery(q.minPosition, q.on));
  }

  /**
   * Server-Sent Events: `snapshot` on connect, then `delta` after every change to capacity, and at
   * midnight (London) a `delta` with `rolledOverFrom` listing the units whose night changed by date alone.
   */
  @Sse('capacity/stream')
  capacityStream(): Observable<MessageEvent> {
    return this.projections.capacityStream();
  }

  @Get('block-bookings/utilisation')
  utilisation(@Query() q: UtilisationQueryDto): Promise<UtilisationReport> {
    return this.queries.execute(new GetUtilisationQuery(q.from, q.to, q.minPosition));
  }

  @Get('sufficiency/trends')
  trends(@Query() q: TrendsQueryDto): Promise<SufficiencyTrends> {
    return this.queries.execute(new GetSufficiencyTrendsQuery(q.months ?? 12, q.minPosition));
  }
}
