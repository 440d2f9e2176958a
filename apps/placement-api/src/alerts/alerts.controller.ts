import { Controller, Get, Headers, Inject, Query, Req, Res, Sse } from '@nestjs/common';
import type { MessageEvent } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AlertItem, Page } from '@placement/projections';
import type { Request, Response } from 'express';
import { concatMap, defer, filter, interval, map, merge, Observable, startWith, takeUntil } from 'rxjs';
import { CurrentActor } from '../auth/current-actor';
import { assertMayListSetting, listScopeOf } from '../auth/list-scope';
import type { AuthenticatedActor } from '../auth/token-registry';
import { ApiEventStream, ApiRead } from '../http/openapi';
import { ListBody, MAX_PAGE_SIZE, Pager } from '../http/pagination';
import type { Environment } from '../config/environment';
import { ENVIRONMENT } from '../config/tokens';
import { keepAlive, ProjectionsService, resumedAfterOf } from '../projections/projections.service';
import { AlertsQueryDto, ListAlertsQuery } from './alerts.queries';

/** How often an open stream looks again for alerts that a passing hour or day brings, with no event. */
const STREAM_TICK_MS = 60_000;

/**
 * Work queues. Every authenticated role reads (auditors included); a residential manager's
 * queue holds the homes they keep and the children known to them.
 */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1')
export class AlertsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly projections: ProjectionsService,
    @Inject(ENVIRONMENT) private readonly env: Environment,
  ) {}

  @Get('alerts')
  @ApiRead(
    'What needs attention today, oldest situation first: ' +
      'each alert with its rule, the child or unit, since when, a link',
    'AlertPage',
    { 403: [] },
  )
  async list(
    @Query() q: AlertsQueryDto,
    @CurrentActor() actor: AuthenticatedActor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListBody<AlertItem>> {
    assertMayListSetting(actor, q.settingId);
    const filters = { rule: q.rule, settingId: q.settingId, childId: q.childId };
    const pager = Pager.of(req, 'alerts', filters, q, ['string', 'string']);
    const page: Page<AlertItem> = await this.queries.execute(
      new ListAlertsQuery(filters, listScopeOf(actor), pager.request, q.minPosition),
    );
    return pager.respond(res, page);
  }

  /**
   * Server-Sent Events: an `alerts` event with the caller's first page of alerts (up to the
   * largest page) on connect, after every change to the read model, and when a passing hour
   * or day changes the queue with no event. Each event's `id` is the read model's position;
   * `: keep-alive` comments carry none. A client that reconnects with `Last-Event-ID` is sent the
   * queue now, with `resumedAfter` naming that id (the queue is its state: nothing else was missed).
   */
  @Sse('alerts/stream')
  @ApiEventStream('The caller’s alerts, pushed on connect and whenever the queue changes')
  stream(
    @CurrentActor() actor: AuthenticatedActor,
    @Headers('last-event-id') lastEventId?: string,
  ): Observable<MessageEvent> {
    const scope = listScopeOf(actor);
    const read = (): Promise<Page<AlertItem>> =>
      this.queries.execute(new ListAlertsQuery({}, scope, { limit: MAX_PAGE_SIZE, after: null }));
    const batches = this.projections.runner.batches$.pipe(
      filter((batch) => batch.projections.some((p) => p.name === 'alerts')),
      map(() => 'batch' as const),
    );
    const ticks = interval(STREAM_TICK_MS).pipe(map(() => 'tick' as const));
    return defer(() => {
      let last: string | null = null;
      let resuming = lastEventId !== undefined;
      const events = merge(batches, ticks).pipe(
        startWith('connect' as const),
        concatMap(async (why) => ({ why, page: await read() })),
        // A tick sends only when the clock changed the queue; a connect or a batch always sends.
        filter(({ why, page }) => {
          const key = JSON.stringify(page.items);
          const send = why !== 'tick' || key !== last;
          last = key;
          return send;
        }),
        map(({ page }): MessageEvent => {
          const resumedAfter = resuming ? resumedAfterOf(lastEventId, BigInt(page.position)) : undefined;
          resuming = false;
          const data = { position: page.position, items: page.items };
          return {
            type: 'alerts',
            id: page.position,
            data: resumedAfter === undefined ? data : { ...data, resumedAfter },
          };
        }),
      );
      return merge(events, keepAlive(this.env.SSE_KEEP_ALIVE_SECONDS));
    }).pipe(takeUntil(this.projections.closing$));
  }
}
