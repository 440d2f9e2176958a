import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ReferralState } from '@placement/domain';
import type { ChildListItem, ReferralListItem } from '@placement/projections';
import type { Request, Response } from 'express';
import { ChildRecordAccess } from '../access/child-record-access';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor';
import { assertMayListSetting, listScopeOf } from '../auth/list-scope';
import type { AuthenticatedActor } from '../auth/token-registry';
import { IdParam } from '../http/id-param';
import { ListBody, Pager } from '../http/pagination';
import { ChildView, GetChildQuery, GetReferralQuery } from './referrals.handlers';
import { ChildListQueryDto, ListChildrenQuery, ListReferralsQuery, ReferralListQueryDto } from './referrals.lists';
import { ApiRead } from '../http/openapi';

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('v1')
export class ReferralsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly access: ChildRecordAccess,
  ) {}

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
