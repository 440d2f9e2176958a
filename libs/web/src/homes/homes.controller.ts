import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { addDays, isBusinessDate, MILESTONE_KINDS } from '@placement/domain';
import { BoardRefusal, type BoardRequest } from '../board.port';
import { ukDate } from '../views';
import { DIARY_NIGHTS, diaryNights, diaryRows, diaryTo } from './diary-grid';
import { BoardPages } from '../pages/board-pages';
import { dateField, dateParts, dateQuery, enteredDate, field, newId } from '../pages/form';
import { errorList, renderPage } from '../pages/page';
import { WebExceptionFilter } from '../pages/web-exception.filter';
import { rememberWrite, setNotice, takeNotice } from '../session/notice';
import { SignedInGuard } from '../session/signed-in.guard';
import { PageRoles, WebRoutes } from '../web-routes';

const OUT_OF_USE_REASONS = ['maintenance', 'staffing', 'damage', 'registration', 'other'];
const FOSTER_TYPES = ['emergency', 'short-term', 'long-term', 'respite'];
const LEAD_ROLES = [
  { value: 'supervising-social-worker', text: 'Supervising social worker' },
  { value: 'social-worker', text: "Child's social worker" },
  { value: 'registered-manager', text: 'Registered manager' },
];
const MILESTONE_ROWS = 3;
const DATE_ERROR = 'Enter a real date, for example 15 12 2026';
/** A night's column heading: "Mon 30 Nov". */
const WEEKDAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });

type Errors = { text: string; href?: string }[];

/**
 * My homes, for residential managers: each home's beds, a bed out of use and back, and
 * step-downs planned with a safety plan and milestones, tracked, and completed.
 */
@Controller()
@WebRoutes()
@UseGuards(SignedInGuard)
@UseFilters(WebExceptionFilter)
@PageRoles('residential-manager', 'admin')
export class HomesController extends BoardPages {
  @Get('homes')
  async homes(@Req() req: BoardRequest, @Res() res: Response): Promise<void> {
    const homes = await this.board.homes(req);
    const stepDowns = await this.board.stepDowns(req, { status: 'planned' });
    renderPage(this.views, req, res, 'pages/homes.njk', { homes, stepDowns, notice: takeNotice(req) });
  }

  @Get('homes/:settingId')
  async home(@Req() req: BoardRequest, @Res() res: Response, @Param('settingId') settingId: string): Promise<void> {
    await this.showHome(req, res, settingId);
  }

  /**
   * A home's beds as a two-week diary: a row per bed, a column per night from `from` (today by
   * default), each booking said (occupied, planned arrival or departure, out of use, held).
   */
  @Get('homes/:settingId/diary')
  async diary(
    @Req() req: BoardRequest,
    @Res() res: Response,
    @Param('settingId') settingId: string,
    @Query() q: Record<string, unknown>,
  ): Promise<void> {
    const today = this.board.today();
    const asked = dateQuery(q, 'from');
    const invalid = asked !== '' && !isBusinessDate(asked);
    const from = asked === '' || invalid ? today : asked;
    const home = await this.board.home(req, settingId);
    const diary = await this.board.settingDiary(req, settingId, from, diaryTo(from));
    const keeps = req.actor?.role === 'admin' || (req.actor?.settingIds ?? []).includes(settingId);
    const nights = diaryNights(from).map((night) => ({
      night,
      text: WEEKDAY.format(Date.parse(`${night}T00:00:00Z`)),
      today: night === today,
    }));
    renderPage(
      this.views,
      req,
      res,
      'pages/diary.njk',
      {
        settingId,
        home,
        from,
        to: diaryTo(from),
        nights,
        rows: diaryRows(diary, from, keeps),
        keeps,
        fromText: ukDate(from),
        toText: ukDate(diaryTo(from)),
        previous: addDays(from, -DIARY_NIGHTS),
        next: addDays(from, DIARY_NIGHTS),
        fromParts: invalid ? enteredDate(q, 'from', asked) : dateParts(from),
        dateError: invalid ? DATE_ERROR : undefined,
        errors: invalid ? [{ text: DATE_ERROR, href: '#from-day' }] : undefined,
      },
      invalid ? 400 : 200,
    );
  }

  @Post('homes/:settingId/beds/:bedId/out-of-use')
  async outOfUse(
    @Req() req: BoardRequest,
    @Res() res: Response,
    @Param('settingId') settingId: string,
    @Param('bedId') bedId: string,
    @Body() form: Record<string, unknown>,
  ): Promise<void> {
    const to = dateField(form, `to-${bedId}`);
    const body = { reason: field(form, 'reason'), from: dateField(form, `from-${bedId}`), ...(to ? { to } : {}) };
    try {
      rememberWrite(req, await this.board.outOfUse(req, settingId, bedId, body));
    } catch (error) {
      if (!(error instanceof BoardRefusal)) throw error;
      const errors = errorList(error.problem, { from: `from-${bedId}-day`, to: `to-${bedId}-day` });
      return this.showHome(req, res, settingId, errors, error.problem.status);
    }
    setNotice(req, `Bed ${bedId} is out of use from ${body.from}`);
    res.redirect(303, `/homes/${encodeURIComponent(settingId)}`);
  }

  @Post('homes/:settingId/beds/:bedId/back-in-use')
  async backInUse(
    @Req() req: BoardRequest,
    @Res() res: Response,
    @Param('settingId') settingId: string,
    @Param('bedId') bedId: string,
  ): Promise<void> {
    const date = this.board.today();
    try {
      rememberWrite(req, await this.board.backInUse(req, settingId, bedId, { date }));
    } catch (error) {
      if (!(error instanceof BoardRefusal)) throw error;
      return this.showHome(req, res, settingId, errorList(error.problem), error.problem.status);
    }
    setNotice(req, `Bed ${bedId} is back in use from ${date}`);
    res.redirect(303, `/homes/${encodeURIComponent(settingId)}`);
  }

  @Get('step-downs/new')
  async planForm(
    @Req() req: BoardRequest,
    @Res() res: Response,
    @Query('childId') childId = '',
    @Query('settingId') settingId = '',
  ): Promise<void> {
    await this.showPlan(req, res, {
      stepDownId: newId('sd'),
      childId,
      settingId,
      toHouseholdId: '',
      placementType: 'long-term',
      plannedDate: { day: '', month: '', year: '' },
      summaryProvided: '',
      reviewDate: { day: '', month: '', year: '' },
      contingencyAgreed: '',
      leadRole: 'supervising-social-worker',
      milestones: Array.from({ length: MILESTONE_ROWS }, (_, i) => ({
        milestoneId: `ms-${i + 1}`,
        kind: '',
        due: { day: '', month: '', year: '' },
      })),
    });
  }

  @Post('step-downs')
  async plan(@Req() req: BoardRequest, @Res() res: Response, @Body() form: Record<string, unknown>): Promise<void> {
    const parts = (name: string) => ({
      day: field(form, `${name}-day`),
      month: field(form, `${name}-month`),
      year: field(form, `${name}-year`),
    });
    const entered = {
      stepDownId: field(form, 'stepDownId'),
      childId: field(form, 'childId'),
      settingId: field(form, 'settingId'),
      toHouseholdId: field(form, 'toHouseholdId'),
      placementType: field(form, 'placementType'),
      plannedDate: parts('plannedDate'),
      summaryProvided: field(form, 'summaryProvided'),
      reviewDate: parts('reviewDate'),
      contingencyAgreed: field(form, 'contingencyAgreed'),
      leadRole: field(form, 'leadRole'),
      milestones: Array.from({ length: MILESTONE_ROWS }, (_, i) => ({
        milestoneId: `ms-${i + 1}`,
        kind: field(form, `milestone-${i}-kind`),
        due: parts(`milestone-${i}-due`),
      })),
    };
    // A safety plan with nothing in it is no plan: the route refuses SAFETY_PLAN_REQUIRED.
    const planGiven = entered.summaryProvided || entered.contingencyAgreed || dateField(form, 'reviewDate');
    const body = {
      stepDownId: entered.stepDownId,
      childId: entered.childId,
      toHouseholdId: entered.toHouseholdId,
      placementType: entered.placementType,
      plannedDate: dateField(form, 'plannedDate'),
      safetyPlan: planGiven
        ? {
            summaryProvided: entered.summaryProvided === 'yes',
            reviewDate: dateField(form, 'reviewDate'),
            contingencyAgreed: entered.contingencyAgreed === 'yes',
            leadRole: entered.leadRole,
          }
        : null,
      milestones: entered.milestones
        .map((m, i) => ({ milestoneId: m.milestoneId, kind: m.kind, dueDate: dateField(form, `milestone-${i}-due`) }))
        .filter((m) => m.kind !== ''),
    };
    if (!body.toHouseholdId)
      return this.showPlan(req, res, entered, [{ text: 'Select the foster household', href: '#toHouseholdId' }], 400);
    try {
      rememberWrite(req, await this.board.planStepDown(req, body));
    } catch (error) {
      if (!(error instanceof BoardRefusal)) throw error;
      const errors = errorList(error.problem, {
        plannedDate: 'plannedDate-day',
        'safetyPlan.reviewDate': 'reviewDate-day',
        safetyPlan: 'summaryProvided',
      });
      return this.showPlan(req, res, entered, errors, error.problem.status);
    }
    setNotice(req, `Step-down planned for child ${body.childId}`);
    res.redirect(303, `/step-downs/${encodeURIComponent(body.stepDownId)}`);
  }

  @Get('step-downs/:id')
  async stepDown(@Req() req: BoardRequest, @Res() res: Response, @Param('id') id: string): Promise<void> {
    await this.showStepDown(req, res, id);
  }

  @Post('step-downs/:id/milestones')
  async milestone(
    @Req() req: BoardRequest,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
  ): Promise<void> {
    const milestoneId = field(form, 'milestoneId');
    const body = { milestoneId, date: dateField(form, `date-${milestoneId}`), outcome: field(form, 'outcome') };
    try {
      rememberWrite(req, await this.board.recordMilestone(req, id, body));
    } catch (error) {
      if (!(error instanceof BoardRefusal)) throw error;
      const errors = errorList(error.problem, { date: `date-${milestoneId}-day`, outcome: `outcome-${milestoneId}` });
      return this.showStepDown(req, res, id, errors, error.problem.status);
    }
    setNotice(req, `Milestone ${milestoneId} recorded: ${body.outcome}`);
    res.redirect(303, `/step-downs/${encodeURIComponent(id)}`);
  }

  @Post('step-downs/:id/complete')
  async complete(
    @Req() req: BoardRequest,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
  ): Promise<void> {
    const body = {
      newPlacementId: field(form, 'newPlacementId'),
      date: dateField(form, 'completeOn'),
      place: field(form, 'place'),
    };
    try {
      rememberWrite(req, await this.board.completeStepDown(req, id, body));
    } catch (error) {
      if (!(error instanceof BoardRefusal)) throw error;
      const errors = errorList(error.problem, { date: 'completeOn-day', place: 'place' });
      return this.showStepDown(req, res, id, errors, error.problem.status);
    }
    setNotice(req, `Step-down completed on ${body.date}: the bed is free again`);
    res.redirect(303, `/step-downs/${encodeURIComponent(id)}`);
  }

  private async showHome(req: BoardRequest, res: Response, settingId: string, errors?: Errors, status = 200) {
    const home = await this.board.home(req, settingId);
    const stepDowns = (await this.board.stepDowns(req, {})).items.filter((s) => s.fromSettingId === settingId);
    const keeps = req.actor?.role === 'admin' || (req.actor?.settingIds ?? []).includes(settingId);
    renderPage(
      this.views,
      req,
      res,
      'pages/home.njk',
      {
        settingId,
        home,
        stepDowns,
        keeps,
        errors,
        reasons: OUT_OF_USE_REASONS,
        today: dateParts(this.board.today()),
        notice: takeNotice(req),
      },
      status,
    );
  }

  private async showPlan(
    req: BoardRequest,
    res: Response,
    entered: Record<string, unknown>,
    errors?: Errors,
    status = 200,
  ) {
    const households = (await this.board.capacity(req)).units.households.filter(
      (h) => h.status === 'approved' && h.freePlaces > 0,
    );
    renderPage(
      this.views,
      req,
      res,
      'pages/step-down-plan.njk',
      { entered, households, errors, kinds: MILESTONE_KINDS, fosterTypes: FOSTER_TYPES, leadRoles: LEAD_ROLES },
      status,
    );
  }

  private async showStepDown(req: BoardRequest, res: Response, id: string, errors?: Errors, status = 200) {
    const stepDown = (await this.board.stepDowns(req, {})).items.find((s) => s.stepDownId === id);
    if (!stepDown) throw new NotFoundException(`No step-down ${id} among those you may see`);
    renderPage(
      this.views,
      req,
      res,
      'pages/step-down.njk',
      {
        stepDown,
        errors,
        today: dateParts(this.board.today()),
        planned: dateParts(stepDown.plannedDate),
        newPlacementId: newId('pl'),
        notice: takeNotice(req),
      },
      status,
    );
  }
}
