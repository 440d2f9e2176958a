import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { readSettingList, type Page, type SettingListItem } from '@placement/projections';
import { ListQuery } from '../http/pagination';
import { ProjectionsService } from '../projections/projections.service';

/** Homes have no filter: a residential manager's scope is the only narrowing. */
export class ListSettingsQuery extends ListQuery<Record<string, never>> {}

@QueryHandler(ListSettingsQuery)
export class ListSettingsHandler implements IQueryHandler<ListSettingsQuery, Page<SettingListItem>> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ scope, page, minPosition }: ListSettingsQuery): Promise<Page<SettingListItem>> {
    const { db, position, now, today } = await this.projections.readModel('estate-list', minPosition);
    return readSettingList(db, position, { now, today, scope }, page);
  }
}
