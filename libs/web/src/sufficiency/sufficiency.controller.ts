import { Controller, Get, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { type BoardRequest } from '../board.port';
import { monthlyChart, type ChartOptions } from '../charts/svg-chart';
import { BoardPages } from '../pages/board-pages';
import { renderPage } from '../pages/page';
import { WebExceptionFilter } from '../pages/web-exception.filter';
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
export class SufficiencyController extends BoardPages {
  @Get()
  async page(@Req() req: BoardRequest, @Res() res: Response): Promise<void> {
    const today = this.board.today();
    const utilisation = await this.board.utilisation(req, monthStart(today, 11), today);
    const trends = await this.board.trends(req, 12);
    type Month = (typeof trends.months)[number];
    const series = (pick: (m: Month) => number | null) =>
      trends.months.map((m) => ({ month: m.month, value: pick(m) }));
    const figure = (value: number | null, unit = '') => (value === null ? '—' : `${value}${unit}`);
    /** A chart of `pick` with its data table: the month, the charted figure, and any `more` columns. */
    const chart = (
      key: string,
      pick: (m: Month) => number | null,
      options: ChartOptions & { columnTitle?: string },
      more: { head: string; value: (m: Month) => number | null }[] = [],
    ) => ({
      key,
      title: options.title,
      svg: monthlyChart(series(pick), options),
      head: ['Month', options.columnTitle ?? 'Value', ...more.map((c) => c.head)],
      rows: trends.months.map((m) => [m.month, figure(pick(m), options.unit), ...more.map((c) => figure(c.value(m)))]),
    });
    /** Bar chart options: a bar a month, titled `title`, the table's figures headed `columnTitle` (else Value). */
    const bars = (title: string, columnTitle?: string): ChartOptions & { columnTitle?: string } => ({
      title,
      description: 'A bar a month for the last 12 months; the table beside it gives the figures.',
      kind: 'bar',
      columnTitle,
    });
    const charts = [
      chart(
        'lookedAfter',
        (m) => m.childrenLookedAfter,
        bars('Children looked after, at each month end (placed or not)', 'Looked after'),
        [
          { head: 'Not placed', value: (m) => m.lookedAfterNotPlaced },
          { head: 'Started', value: (m) => m.startedToBeLookedAfter },
          { head: 'Ceased', value: (m) => m.ceasedToBeLookedAfter },
        ],
      ),
      chart('placed', (m) => m.childrenPlaced, bars('Children in care placed, at each month end')),
      chart('inHouse', (m) => m.inHouseSharePercent, {
        title: "Share placed in the council's own provision",
        description: 'Per cent, a point a month for the last 12 months; the table beside it gives the figures.',
        kind: 'line',
        unit: '%',
        max: 100,
      }),
      chart('careLeavers', (m) => m.careLeavers.total, bars('Care leavers, at each month end', 'Care leavers'), [
        { head: 'Staying put', value: (m) => m.careLeavers.stayingPut },
        { head: '16+ supported', value: (m) => m.careLeavers.supportedAccommodation },
      ]),
      chart('stepDowns', (m) => m.stepDownsCompleted, bars('Step-downs to foster families completed')),
      chart('emergency', (m) => m.emergencyBedNights, bars('Emergency bed nights used')),
    ];
    renderPage(this.views, req, res, 'pages/sufficiency.njk', { utilisation, trends, charts });
  }
}
