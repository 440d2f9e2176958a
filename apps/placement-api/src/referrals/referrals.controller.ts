import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ReferralState } from '@placement/domain';
import type { Clock } from '@placement/event-store';
import type { ChildListItem, ReferralListItem } from '@placement/projections';
import type { Request, Response } from 'express';
import { ChildRecordAccess } from '../access/child-record-access';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { assertKeepsSetting, CurrentActor } from '../auth/current-actor';
import { assertMayListSetting, listScopeOf } from '../auth/list-scope';
import { Roles } from '../auth/roles';
import type { AuthenticatedActor } from '../auth/token-registry';
import { contextFor, Commands, type CommandResult, RequestMeta, RequestMetaParam } from '../commands/command';
import { IdParam } from '../http/id-param';
import { ListBody, Pager } from '../http/pagination';
import { CLOCK } from '../store/store.module';
import { MatchingMeetingDto, ReceiveReferralDto } from './referrals.dto';
import {
  ChildView,
  GetChildQuery,
  GetReferralQuery,
  ReceiveReferralCommand,
  RecordMatchingMeetingCommand,
} from './referrals.handlers';
import { ChildListQueryDto, ListChildrenQuery, ListReferralsQuery, ReferralListQueryDto } from './referrals.lists';
import { ApiCommand, ApiRead } from '../http/openapi';

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('v1')
export class ReferralsController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: ChildRecordAccess,
  ) {}

  @Post('referrals')
  @ApiCommand('Receive a referral for a child who needs a placement', {
    404: ['NOT_FOUND'],
    409: ['ALREADY_EXISTS'],
    422: ['INVALID_INPUT'],
  })
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  receive(
    @Body() body: ReceiveReferralDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ReceiveReferralCommand(body, contextFor(actor, meta, `referral:${body.referralId}`, this.clock)),
    );
  }

  @Post('referrals/:id/matching-meetings')
  @ApiCommand("Record a matching meeting's decision on a referral", {
    409: ['ALREADY_EXISTS'],
    422: ['REFERRAL_NOT_OPEN', 'DATE_IN_FUTURE', 'INVALID_INPUT', 'IMPACT_UNACCEPTABLE', 'OVERRIDE_NOT_ALLOWED'],
  })
  @HttpCode(201)
  @Roles('placement-officer', 'residential-manager', 'admin')
  meeting(
    @IdParam('id') referralId: string,
    @Body() body: MatchingMeetingDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    // A manager's meeting can satisfy MATCHING_REQUIRED for the home it names: only their own homes.
    if (actor.role === 'residential-manager')
      assertKeepsSetting(actor, body.unitConsidered.kind === 'setting' ? (body.unitConsidered.settingId ?? '') : '');
    return this.commands.execute(
      new RecordMatchingMeetingCommand(
        { ...body, referralId },
        contextFor(actor, meta, `meeting:${referralId}:${body.meetingId}`, this.clock),
      ),
    );
  }

  /** Referrals in the order received; a residential manager's list holds those considered for their homes. */
  @Get('referrals')
  @ApiRead('List referrals (paged)', 'ReferralPage')
  async list(
    @Query() q: ReferralListQueryDto,
    @CurrentActor() actor: AuthenticatedActor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListBody<ReferralListItem>> {
    const filter = { status: q.status, urgency: q.urgency };
    const pager = Pager.of(req, 'referrals', filter, q, ['number']);
    const page = await this.queries.execute(
      new ListReferralsQuery(filter, listScopeOf(actor), pager.request, q.minPosition),
    );
    return pager.respond(res, page);
  }

  /** Who lives where today; a residential manager lists the children living in the homes they keep. */
  @Get('children')
  @ApiRead('List children known to the service (paged)', 'ChildPage', { 403: [] })
  async children(
    @Query() q: ChildListQueryDto,
    @CurrentActor() actor: AuthenticatedActor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListBody<ChildListItem>> {
    assertMayListSetting(actor, q.settingId);
    const filter = { settingId: q.settingId, householdId: q.householdId };
    const pager = Pager.of(req, 'children', filter, q, ['string']);
    const page = await this.queries.execute(
      new ListChildrenQuery(filter, listScopeOf(actor), pager.request, q.minPosition),
    );
    return pager.respond(res, page);
  }

  /** A referral carries the child's needs and risks: part of the child's record (need to know, access log). */
  @Get('referrals/:id')
  @ApiRead("A referral's state", 'ReferralBody')
  async get(@IdParam('id') referralId: string, @Req() req: AuthenticatedRequest): Promise<ReferralState> {
    await this.access.assertMayReadReferral(req, referralId);
    const referral: Exclude<ReferralState, { status: 'NotReceived' }> = await this.queries.execute(
      new GetReferralQuery(referralId),
    );
    this.access.recordRead(req, [referral.referral.childId]);
    return referral;
  }

  @Get('children/:id')
  @ApiRead("A child's record (need to know; the read is logged)", 'ChildBody')
  async child(@IdParam('id') childId: string, @Req() req: AuthenticatedRequest): Promise<ChildView> {
    await this.access.assertMayReadChild(req, childId);
    const view: ChildView = await this.queries.execute(new GetChildQuery(childId));
    this.access.recordRead(req, [childId]);
    return view;
  }
}
