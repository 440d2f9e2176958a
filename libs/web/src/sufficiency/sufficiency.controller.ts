import { Controller, Get, Inject, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type nunjucks from 'nunjucks';
import { BOARD_PORT, type BoardPort, type BoardRequest } from '../board.port';
import { monthlyChart, type ChartOptions, type ChartPoint } from '../charts/svg-chart';
import { renderPage } from '../pages/page';
import { VIEWS, WebExceptionFilter } from '../pages/web-exception.filter';
import { SignedInGuard } from '../session/signed-in.guard';
import { PageRoles, WebRoutes } from '../web-routes';

/** The first day of the month `back` months before `today`'s (YYYY-MM-DD). */
export function monthStart(today: string, back: number): string {
  const [y, m] = today.split('-').map(Number);
  const index = y * 12 + (m - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/**
 * Sufficiency: block-booking utilisation per contract and month (void nights and their cost) and
 * the 12-month trends, each chart drawn on the server as SVG with its data table beside it.
 */
@Controller('sufficiency')
@WebRoutes()
@UseGuards(SignedInGuard)
@UseFilters(WebExceptionFilter)
@PageRoles('placement-officer', 'auditor', 'admin')
export class SufficiencyController {
  constructor(
    @Inject(VIEWS) private readonly views: nunjucks.Environment,
    @Inject(BOARD_PORT) private readonly board: BoardPort,
  ) {}

  @Get()
  async page(@Req() req: BoardRequest, @Res() res: Response): Promise<void> {
    const today = this.board.today();
    const utilisation = await this.board.utilisation(req, monthStart(today, 11), today);
    const trends = await this.board.trends(req, 12);
    const series = (pick: (m: (typeof trends.months)[number]) => number | null) =>
      trends.months.map((m) => ({ month: m.month, value: pick(m) }));
    const chart = (key: string, points: ChartPoint[], options: ChartOptions) => ({
      key,
      title: options.title,
      svg: monthlyChart(points, options),
    });
    const charts = [
      chart(
        'placed',

        series((m) => m.childrenPlaced),
        {
          title: 'Children in care placed, at each month end',
          description: 'A bar a month for the last 12 months; the table beside it gives the figures.',
          kind: 'bar',
        },
      ),
      chart(
        'inHouse',

        series((m) => m.inHouseSharePercent),
        {
          title: "Share placed in the council's own provision",
          description: 'Per cent, a point a month for the last 12 months; the table beside it gives the figures.',
          kind: 'line',
          unit: '%',
          max: 100,
        },
      ),
      chart(
        'stepDowns',

        series((m) => m.stepDownsCompleted),
        {
          title: 'Step-downs to foster families completed',
          description: 'A bar a month for the last 12 months; the table beside it gives the figures.',
          kind: 'bar',
        },
      ),
      chart(
        'emergency',

        series((m) => m.emergencyBedNights),
        {
          title: 'Emergency bed nights used',
          description: 'A bar a month for the last 12 months; the table beside it gives the figures.',
          kind: 'bar',
        },
      ),
    ];
    renderPage(this.views, req, res, 'pages/sufficiency.njk', { utilisation, trends, charts });
  }
}
