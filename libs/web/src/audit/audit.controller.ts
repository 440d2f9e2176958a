import { Controller, Get, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { TZDate } from '@date-fns/tz';
import type { Response } from 'express';
import { BoardRefusal, type BoardRequest } from '../board.port';
import { BoardPages } from '../pages/board-pages';
import { dateField, field } from '../pages/form';
import { errorList, renderPage } from '../pages/page';
import { WebExceptionFilter } from '../pages/web-exception.filter';
import { SignedInGuard } from '../session/signed-in.guard';
import { PageRoles, WebRoutes } from '../web-routes';

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** A London date and time (what a person types) as the instant the API's `asOf` takes, or null if not one. */
export function londonInstant(date: string, time: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time || '23:59');
  if (!d || !t) return null;
  const at = new TZDate(
    Number(d[1]),
    Number(d[2]) - 1,
    Number(d[3]),
    Number(t[1]),
    Number(t[2]),
    59,
    999,
    'Europe/London',
  );
  if (at.getDate() !== Number(d[3])) return null;
  return new Date(at.getTime()).toISOString();
}

/**
 * Audit, for auditors: a child's timeline "as of" a past moment (what the record said then:
 * recorded and effective dates side by side), verify with its head, the access log, and the
 * SSDA903 return. Every page here is a read; auditors never write.
 */
@Controller('audit')
@WebRoutes()
@UseGuards(SignedInGuard)
@UseFilters(WebExceptionFilter)
@PageRoles('auditor', 'admin')
export class AuditController extends BoardPages {
  @Get()
  start(@Req() req: BoardRequest, @Res() res: Response): void {
    const year = Number(this.board.today().slice(0, 4));
    renderPage(this.views, req, res, 'pages/audit.njk', { years: [year + 1, year, year - 1, year - 2], entered: {} });
  }

  /** The search form's answer: on to the child's timeline, as of the moment typed (London time). */
  @Get('children')
  find(@Req() req: BoardRequest, @Res() res: Response, @Query() q: Record<string, unknown>): void {
    const childId = field(q, 'childId');
    const date = dateField(q, 'asOf');
    const time = field(q, 'asOfTime');
    const errors: { text: string; href: string }[] = [];
    if (!ID.test(childId)) errors.push({ text: 'Enter the child id, such as c0004', href: '#childId' });
    const asOf = date ? londonInstant(date, time) : null;
    if (date && asOf === null)
      errors.push({ text: 'The date and time must be real, such as 30 11 2026 and 09:30', href: '#asOf-day' });
    if (errors.length > 0) {
      const year = Number(this.board.today().slice(0, 4));
      return renderPage(this.views, req, res, 'pages/audit.njk', { errors, entered: q, years: [year + 1, year] }, 400);
    }
    const query = asOf ? `?asOf=${encodeURIComponent(asOf)}` : '';
    res.redirect(303, `/audit/children/${encodeURIComponent(childId)}${query}`);
  }

  @Get('children/:childId')
  async child(
    @Req() req: BoardRequest,
    @Res() res: Response,
    @Param('childId') childId: string,
    @Query('asOf') asOf?: string,
  ): Promise<void> {
    const audit = await this.board.childTimeline(req, childId, asOf);
    renderPage(this.views, req, res, 'pages/audit-child.njk', { childId, audit, asOf });
  }

  @Get('verify')
  async verify(@Req() req: BoardRequest, @Res() res: Response): Promise<void> {
    const report = await this.board.verify(req);
    renderPage(this.views, req, res, 'pages/audit-verify.njk', { report, at: this.board.now().toISOString() });
  }

  @Get('access')
  @PageRoles('auditor')
  async access(@Req() req: BoardRequest, @Res() res: Response, @Query() q: Record<string, unknown>): Promise<void> {
    const childId = field(q, 'childId') || undefined;
    const cursor = field(q, 'cursor') || undefined;
    try {
      const page = await this.board.accessLog(req, { childId, cursor });
      renderPage(this.views, req, res, 'pages/audit-access.njk', { page, childId });
    } catch (error) {
      if (!(error instanceof BoardRefusal)) throw error;
      const errors = errorList(error.problem);
      renderPage(this.views, req, res, 'pages/audit-access.njk', { errors, childId }, error.problem.status);
    }
  }

  /** The SSDA903 episodes file, as the API's export gives it (each child in it is recorded in the access log). */
  @Get('ssda903/episodes.csv')
  async ssda903(@Req() req: BoardRequest, @Res() res: Response, @Query('year') year = ''): Promise<void> {
    const file = await this.board.ssda903Episodes(req, year);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(file.csv);
  }
}
