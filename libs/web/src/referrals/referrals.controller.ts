import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import {
  bedBookingsOf,
  LEGAL_STATUS,
  PLACE,
  PLACE_PROVIDER,
  residentsToAssess,
  RISKS_TO_OTHERS,
  RISKS_TO_SELF,
} from '@placement/domain';
import type { Response } from 'express';
import { BoardRefusal, type BoardRequest, type MatchesPage } from '../board.port';
import { BoardPages } from '../pages/board-pages';
import { dateField, dateParts, field, fields, newId } from '../pages/form';
import { errorList, renderPage } from '../pages/page';
import { WebExceptionFilter } from '../pages/web-exception.filter';
import { SignedInGuard } from '../session/signed-in.guard';
import { rememberWrite, setNotice, takeNotice } from '../session/notice';
import { bindingExclusionsAt } from './overrides';
import { PageRoles, WebRoutes } from '../web-routes';

const WORKERS = ['placement-officer', 'admin'] as const;

export const ATTENDEE_ROLES = [
  { value: 'registered-manager', text: 'Registered manager of the home' },
  { value: 'social-worker', text: "Child's social worker" },
  { value: 'placement-officer', text: 'Placement officer' },
  { value: 'team-manager', text: 'Team manager' },
  { value: 'supervising-social-worker', text: 'Supervising social worker' },
  { value: 'independent-reviewing-officer', text: 'Independent reviewing officer' },
  { value: 'health', text: 'Health' },
  { value: 'education', text: 'Education' },
  { value: 'other', text: 'Other' },
];

const REASONS = [
  { value: 'NEEDS_MET', text: "The home can meet the child's needs" },
  { value: 'RISKS_MANAGEABLE', text: 'The risks to and from the children living there are manageable' },
  { value: 'OVERRIDE_RANKING', text: 'Override: a lower-ranked option chosen (say why below)' },
  { value: 'NEEDS_NOT_MET', text: "The home cannot meet the child's needs" },
  { value: 'IMPACT_UNACCEPTABLE', text: 'The impact on a child living there is unacceptable' },
  { value: 'MORE_INFORMATION', text: 'More information is needed' },
];

const HOLD_HOURS = [24, 48, 72];

/** Exclusions grouped by their first reason's code, largest group first. */
export function exclusionsByReason(matches: MatchesPage) {
  const groups = new Map<string, { code: string; message: string; units: MatchesPage['excluded'][number][] }>();
  for (const unit of matches.excluded) {
    const first = unit.reasons[0] ?? { code: 'OTHER', message: 'Excluded' };
    const group = groups.get(first.code) ?? { code: first.code, message: first.message, units: [] };
    group.units.push(unit);
    groups.set(first.code, group);
  }
  return [...groups.values()].sort((a, b) => b.units.length - a.units.length || a.code.localeCompare(b.code));
}

/**
 * Referrals, for the placement team: the open list, a referral's needs, its ranked matches with
 * the score breakdown and the exclusions grouped by reason; hold a bed, record the matching
 * meeting with an impact assessment per resident, and place.
 */
@Controller('referrals')
@WebRoutes()
@UseGuards(SignedInGuard)
@UseFilters(WebExceptionFilter)
@PageRoles(...WORKERS, 'auditor')
export class ReferralsController extends BoardPages {
  @Get()
  async list(@Req() req: BoardRequest, @Res() res: Response, @Query('status') status?: string): Promise<void> {
    const shown = ['open', 'placed', 'closed', 'withdrawn'].includes(status ?? '') ? status : 'open';
    const page = await this.board.referrals(req, { status: shown });
    renderPage(this.views, req, res, 'pages/referrals.njk', { page, status: shown, notice: takeNotice(req) });
  }

  @Get(':id')
  async referral(@Req() req: BoardRequest, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const referral = await this.board.referral(req, id);
    const held = (await this.board.capacity(req)).units.beds.filter(
      (b) => b.hold?.referralId === id && !b.hold.lapsed && b.status === 'held',
    );
    renderPage(this.views, req, res, 'pages/referral.njk', { id, referral, held, notice: takeNotice(req) });
  }

  @Get(':id/matches')
  async matches(@Req() req: BoardRequest, @Res() res: Response, @Param('id') id: string): Promise<void> {
    await this.showMatches(req, res, id);
  }

  @Post(':id/holds')
  @PageRoles(...WORKERS)
  async hold(
    @Req() req: BoardRequest,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
  ): Promise<void> {
    const hours = Number(field(form, 'hours')) || 48;
    const until = new Date(this.board.now().getTime() + hours * 3_600_000).toISOString();
    const body = { settingId: field(form, 'settingId'), bedId: field(form, 'bedId'), until };
    try {
      rememberWrite(req, await this.board.hold(req, id, body));
    } catch (error) {
      if (!(error instanceof BoardRefusal)) throw error;
      return this.showMatches(req, res, id, errorList(error.problem), error.problem.status);
    }
    setNotice(req, `Bed ${body.bedId} at ${body.settingId} is held for ${hours} hours`);
    res.redirect(303, `/referrals/${encodeURIComponent(id)}/meeting?settingId=${encodeURIComponent(body.settingId)}`);
  }

  @Get(':id/meeting')
  @PageRoles(...WORKERS)
  async meetingForm(
    @Req() req: BoardRequest,
    @Res() res: Response,
    @Param('id') id: string,
    @Query('settingId') settingId?: string,
  ): Promise<void> {
    await this.showMeeting(req, res, id, {
      meetingId: newId('mtg'),
      settingId: settingId ?? '',
      heldOn: dateParts(this.board.today()),
      attendees: ['registered-manager', 'social-worker', 'placement-officer'],
      outcomes: {},
      risks: {},
      decision: '',
      reasonCode: '',
      reasonText: '',
      overrides: {},
    });
  }

  @Post(':id/meeting')
  @PageRoles(...WORKERS)
  async meeting(
    @Req() req: BoardRequest,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
  ): Promise<void> {
    const residents = fields(form, 'residents');
    const entered = {
      meetingId: field(form, 'meetingId'),
      settingId: field(form, 'settingId'),
      heldOn: { day: field(form, 'heldOn-day'), month: field(form, 'heldOn-month'), year: field(form, 'heldOn-year') },
      attendees: fields(form, 'attendees'),
      outcomes: Object.fromEntries(residents.map((r) => [r, field(form, `outcome-${r}`)])),
      risks: Object.fromEntries(residents.map((r) => [r, fields(form, `risks-${r}`)])),
      decision: field(form, 'decision'),
      reasonCode: field(form, 'reasonCode'),
      reasonText: field(form, 'reasonText'),
      // Each exclusion the meeting set aside: its code ticked, with the reason and the role that authorised it.
      overrides: Object.fromEntries(
        fields(form, 'overrides').map((code) => [
          code,
          { reason: field(form, `override-reason-${code}`), role: field(form, `override-role-${code}`) },
        ]),
      ),
    };
    const overrides = Object.entries(entered.overrides).map(([code, o]) => ({
      code,
      reason: o.reason,
      authorisedBy: { role: o.role },
    }));
    const body = {
      meetingId: entered.meetingId,
      heldOn: dateField(form, 'heldOn'),
      attendees: entered.attendees.map((role) => ({ role })),
      unitConsidered: { kind: 'setting', settingId: entered.settingId },
      impactAssessments: residents.map((r) => ({
        residentChildId: r,
        outcome: entered.outcomes[r],
        risksConsidered: entered.risks[r],
      })),
      decision: entered.decision,
      reasons: entered.reasonCode
        ? [
            {
              code: entered.reasonCode,
              text: entered.reasonText || REASONS.find((x) => x.value === entered.reasonCode)?.text,
            },
          ]
        : [],
      ...(overrides.length > 0 ? { overrides } : {}),
    };
    const missing = this.meetingGaps(entered, residents);
    if (missing.length > 0) return this.showMeeting(req, res, id, entered, missing, 400);
    try {
      rememberWrite(req, await this.board.recordMeeting(req, id, body));
    } catch (error) {
      if (!(error instanceof BoardRefusal)) throw error;
      const errors = errorList(error.problem, { heldOn: 'heldOn-day', attendees: 'attendees', decision: 'decision' });
      return this.showMeeting(req, res, id, entered, errors, error.problem.status);
    }
    setNotice(req, `Matching meeting recorded: ${entered.decision.replace('-', ' ')}`);
    res.redirect(303, `/referrals/${encodeURIComponent(id)}`);
  }

  @Get(':id/placement')
  @PageRoles(...WORKERS)
  async placementForm(@Req() req: BoardRequest, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const referral = await this.board.referral(req, id);
    const startDate = referral.status === 'NotReceived' ? undefined : referral.referral.startDate;
    await this.showPlacement(req, res, id, {
      placementId: newId('pl'),
      bed: '',
      place: 'K2',
      placeProvider: 'PR1',
      legalStatus: '',
      startDate: dateParts(startDate),
      emergency: referral.status !== 'NotReceived' && referral.referral.urgency === 'emergency' ? 'yes' : 'no',
    });
  }

  @Post(':id/placement')
  @PageRoles(...WORKERS)
  async place(
    @Req() req: BoardRequest,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
  ): Promise<void> {
    const entered = {
      placementId: field(form, 'placementId'),
      bed: field(form, 'bed'),
      place: field(form, 'place'),
      placeProvider: field(form, 'placeProvider'),
      legalStatus: field(form, 'legalStatus'),
      startDate: {
        day: field(form, 'startDate-day'),
        month: field(form, 'startDate-month'),
        year: field(form, 'startDate-year'),
      },
      emergency: field(form, 'emergency'),
    };
    if (!entered.bed) return this.showPlacement(req, res, id, entered, [{ text: 'Select the bed', href: '#bed' }], 400);
    const referral = await this.board.referral(req, id);
    const [settingId, bedId] = entered.bed.split('/');
    const body = {
      placementId: entered.placementId,
      childId: referral.status === 'NotReceived' ? '' : referral.referral.childId,
      referralId: id,
      unit: { kind: 'bed', settingId, bedId },
      place: entered.place,
      placeProvider: entered.placeProvider,
      // Blank: the child's current legal status, as the route defaults it.
      ...(entered.legalStatus ? { legalStatus: entered.legalStatus } : {}),
      startDate: dateField(form, 'startDate'),
      emergency: entered.emergency === 'yes',
    };
    try {
      rememberWrite(req, await this.board.place(req, body));
    } catch (error) {
      if (!(error instanceof BoardRefusal)) throw error;
      const errors = errorList(error.problem, {
        startDate: 'startDate-day',
        'unit.bedId': 'bed',
        place: 'place',
        legalStatus: 'legalStatus',
      });
      return this.showPlacement(req, res, id, entered, errors, error.problem.status);
    }
    setNotice(req, `Placed: bed ${bedId} at ${settingId} from ${body.startDate}`);
    res.redirect(303, `/referrals/${encodeURIComponent(id)}`);
  }

  private meetingGaps(
    entered: {
      attendees: string[];
      decision: string;
      outcomes: Record<string, string>;
      overrides: Record<string, { reason: string; role: string }>;
    },
    residents: string[],
  ) {
    const gaps: { text: string; href: string }[] = [];
    if (entered.attendees.length === 0) gaps.push({ text: 'Select who attended the meeting', href: '#attendees' });
    for (const r of residents)
      if (!entered.outcomes[r])
        gaps.push({ text: `Select the impact on ${r}, who lives there`, href: `#outcome-${r}` });
    if (!entered.decision) gaps.push({ text: 'Select the decision', href: '#decision' });
    for (const [code, o] of Object.entries(entered.overrides)) {
      if (!o.reason) gaps.push({ text: `Say why the meeting sets aside ${code}`, href: `#override-reason-${code}` });
      if (!o.role) gaps.push({ text: `Select who authorised the override of ${code}`, href: `#override-role-${code}` });
    }
    return gaps;
  }

  private async showMatches(
    req: BoardRequest,
    res: Response,
    id: string,
    errors?: { text: string; href?: string }[],
    status = 200,
  ): Promise<void> {
    const matches = await this.board.matches(req, id);
    renderPage(
      this.views,
      req,
      res,
      'pages/matches.njk',
      { id, matches, groups: exclusionsByReason(matches), holdHours: HOLD_HOURS, errors, mayWrite: mayWrite(req) },
      status,
    );
  }

  private async showMeeting(
    req: BoardRequest,
    res: Response,
    id: string,
    entered: Record<string, unknown> & { settingId: string },
    errors?: { text: string; href?: string }[],
    status = 200,
  ): Promise<void> {
    const referral = await this.board.referral(req, id);
    const matches = await this.board.matches(req, id);
    const homes = [...new Set(matches.ranked.filter((r) => r.unit.kind === 'bed').map((r) => r.settingId))];
    const home = entered.settingId ? await this.board.home(req, entered.settingId) : null;
    // Reg 14: the impact on every child living there is assessed; the form lists them. They are the
    // children the placement rule asks for: those living there on the referral's start date (and, for a
    // back-dated start, those who arrived since), read from the beds' diaries. In a home this person
    // does not keep the diaries name no child, and there is no one the form could list.
    const residents =
      home && referral.status !== 'NotReceived'
        ? residentsToAssess(
            bedBookingsOf(home.beds.map((b) => b.diary)).filter((n) => typeof n.childId === 'string'),
            referral.referral.childId,
            referral.referral.startDate,
            this.board.today(),
          )
        : [];
    renderPage(
      this.views,
      req,
      res,
      'pages/meeting.njk',
      {
        id,
        referral,
        homes,
        home,
        residents,
        // The binding exclusions of this home's beds: each a field the meeting may set aside.
        exclusions: entered.settingId ? bindingExclusionsAt(matches, entered.settingId) : [],
        entered,
        errors,
        attendeeRoles: ATTENDEE_ROLES,
        reasons: REASONS,
        risks: [...RISKS_TO_SELF, ...RISKS_TO_OTHERS],
        notice: takeNotice(req),
      },
      status,
    );
  }

  private async showPlacement(
    req: BoardRequest,
    res: Response,
    id: string,
    entered: Record<string, unknown>,
    errors?: { text: string; href?: string }[],
    status = 200,
  ): Promise<void> {
    const referral = await this.board.referral(req, id);
    const held = (await this.board.capacity(req)).units.beds.filter(
      (b) => b.hold?.referralId === id && !b.hold.lapsed && b.status === 'held',
    );
    renderPage(
      this.views,
      req,
      res,
      'pages/placement.njk',
      { id, referral, held, entered, errors, places: PLACE, providers: PLACE_PROVIDER, legalStatuses: LEGAL_STATUS },
      status,
    );
  }
}

function mayWrite(req: BoardRequest): boolean {
  return req.actor?.role === 'placement-officer' || req.actor?.role === 'admin';
}
