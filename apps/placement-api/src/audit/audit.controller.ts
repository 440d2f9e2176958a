import { Controller, ForbiddenException, Get, Inject, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { londonDateOf } from '@placement/domain';
import { ApiRead } from '../http/openapi';
import { parseAsOf, type BedAudit, type ChildAudit, type ReferralAudit } from '@placement/projections';
import { ChildRecordAccess } from '../access/child-record-access';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor';
import { Roles } from '../auth/roles';
import type { AuthenticatedActor } from '../auth/token-registry';
import { IdParam } from '../http/id-param';
import type { Clock } from '@placement/event-store';
import { CLOCK } from '../store/store.module';
import { AsOfQueryDto, BedAuditQueryDto, VerifyQueryDto } from './audit.dto';
import {
  GetBedAuditQuery,
  GetChildAuditQuery,
  GetReferralAuditQuery,
  VerifyLogQuery,
  type VerifyReport,
} from './audit.queries';

const asOfOf = (q: AsOfQueryDto): string | null => (q.asOf === undefined ? null : parseAsOf(q.asOf));

/**
 * Who may replay what: auditors and admins everything; the placement team the decision
 * history of the children and referrals it works (normal practice, and it reads it anyway);
 * residential managers the beds of their own homes. Proving the log intact is for auditors
 * and admins. Every route is a read: auditors never write.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly queries: QueryBus,
    private readonly access: ChildRecordAccess,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('children/:childId')
  @Roles('auditor', 'admin', 'placement-officer')
  @ApiRead("A child's decision history and state as the record stood at asOf", 'ChildAuditBody')
  async child(
    @IdParam('childId') childId: string,
    @Query() q: AsOfQueryDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<ChildAudit> {
    await this.access.assertMayReadChild(req, childId);
    const audit: ChildAudit = await this.queries.execute(new GetChildAuditQuery(childId, asOfOf(q)));
    this.access.recordRead(req, [childId]);
    return audit;
  }

  @Get('referrals/:referralId')
  @Roles('auditor', 'admin', 'placement-officer')
  @ApiRead("A referral's proposals, meetings, holds and the placement it led to, as of asOf", 'ReferralAuditBody')
  async referral(
    @IdParam('referralId') referralId: string,
    @Query() q: AsOfQueryDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<ReferralAudit> {
    await this.access.assertMayReadReferral(req, referralId);
    const audit: ReferralAudit = await this.queries.execute(new GetReferralAuditQuery(referralId, asOfOf(q)));
    this.access.recordRead(req, [await this.access.childOfReferral(referralId)]);
    return audit;
  }

  @Get('beds/:settingId/:bedId')
  @Roles('auditor', 'admin', 'placement-officer', 'residential-manager')
  @ApiRead("A bed's history as of asOf, with the options each occupant was chosen from", 'BedAuditBody')
  bed(
    @IdParam('settingId') settingId: string,
    @IdParam('bedId') bedId: string,
    @Query() q: BedAuditQueryDto,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<BedAudit> {
    if (actor.role === 'residential-manager' && !actor.settingIds.includes(settingId)) {
      throw new ForbiddenException('A residential manager may only replay the beds of their own settings');
    }
    const asOf = asOfOf(q);
    const on = q.on ?? (asOf === null ? londonDateOf(this.clock.now()) : null);
    return this.queries.execute(new GetBedAuditQuery(settingId, bedId, asOf, on));
  }

  @Get('verify')
  @Roles('auditor', 'admin')
  @ApiRead(
    'Recompute every hash chain; returns the first broken link or the head to record (check it later with ?head=)',
    'VerifyBody',
  )
  verify(@Query() q: VerifyQueryDto): Promise<VerifyReport> {
    return this.queries.execute(new VerifyLogQuery(q.head ?? null, q.accessHead ?? null));
  }
}
