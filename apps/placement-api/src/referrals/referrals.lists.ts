import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  readChildList,
  readReferralList,
  REFERRAL_STATUSES,
  type ChildListFilter,
  type ChildListItem,
  type Page,
  type ReferralListFilter,
  type ReferralListItem,
  type ReferralListStatus,
} from '@placement/projections';
import type { Urgency } from '@placement/domain';
import { IdFilter, ListQuery, ListQueryDto, OneOfFilter } from '../http/pagination';
import { ProjectionsService } from '../projections/projections.service';

export class ReferralListQueryDto extends ListQueryDto {
  @OneOfFilter(REFERRAL_STATUSES, 'open: waiting; placed; closed: closed without a placement; withdrawn')
  status?: ReferralListStatus;

  @OneOfFilter(['emergency', 'planned'], 'The referral’s urgency')
  urgency?: Urgency;
}

export class ChildListQueryDto extends ListQueryDto {
  @IdFilter('Children living today in this home')
  settingId?: string;

  @IdFilter('Children living today with this foster household')
  householdId?: string;
}

export class ListReferralsQuery extends ListQuery<ReferralListFilter> {}

export class ListChildrenQuery extends ListQuery<ChildListFilter> {}

@QueryHandler(ListReferralsQuery)
export class ListReferralsHandler implements IQueryHandler<ListReferralsQuery, Page<ReferralListItem>> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ filter, scope, page, minPosition }: ListReferralsQuery): Promise<Page<ReferralListItem>> {
    const { db, position } = await this.projections.readModel('referral-list', minPosition);
    return readReferralList(db, position, { filter, scope }, page);
  }
}

@QueryHandler(ListChildrenQuery)
export class ListChildrenHandler implements IQueryHandler<ListChildrenQuery, Page<ChildListItem>> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ filter, scope, page, minPosition }: ListChildrenQuery): Promise<Page<ChildListItem>> {
    const { db, position, today } = await this.projections.readModel('child-list', minPosition);
    return readChildList(db, position, { today, filter, scope }, page);
  }
}
