import { Controller, Get, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { AlertItem } from '@placement/projections';
import type { Response } from 'express';
import { type BoardRequest } from '../board.port';
import { BoardPages } from '../pages/board-pages';
import { renderPage } from '../pages/page';
import { WebExceptionFilter } from '../pages/web-exception.filter';
import { SignedInGuard } from '../session/signed-in.guard';
import { WebRoutes } from '../web-routes';
import { workQueue } from './work-queue';

/** Pages of the alerts route read for one queue: newest first needs the whole queue; one this long is a backlog. */
const MAX_PAGES = 5;

/**
 * The work queue, for everyone signed in: the alerts the API lists for their role (a residential
 * manager's are about the homes they keep and the children known to them), newest first, each
 * with its rule in plain English, the child or unit, since when, and the board's page for it.
 */
@Controller('work-queue')
@WebRoutes()
@UseGuards(SignedInGuard)
@UseFilters(WebExceptionFilter)
export class WorkQueueController extends BoardPages {
  @Get()
  async page(@Req() req: BoardRequest, @Res() res: Response): Promise<void> {
    const alerts: AlertItem[] = [];
    let cursor: string | undefined;
    let more = false;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const page = await this.board.alerts(req, cursor);
      alerts.push(...page.items);
      cursor =
        page.next === null ? undefined : (new URLSearchParams(page.next.split('?')[1]).get('cursor') ?? undefined);
      more = cursor !== undefined;
      if (!more) break;
    }
    const role = req.actor?.role ?? 'auditor';
    renderPage(this.views, req, res, 'pages/work-queue.njk', { items: workQueue(alerts, role), more });
  }
}
