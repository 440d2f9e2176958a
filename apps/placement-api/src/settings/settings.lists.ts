import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  readSettingList,
  type ListScope,
  type Page,
  type PageRequest,
  type SettingListItem,
} from '@placement/projections';
import { ProjectionsService } from '../projections/projections.service';

export class ListSettingsQuery {
  constructor(
    readonly scope: ListScope,
    readonly page: PageRequest,
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(ListSettingsQuery)
export class ListSettingsHandler implements IQueryHandler<ListSettingsQuery, Page<SettingListItem>> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ scope, page, minPosition }: ListSettingsQuery): Promise<Page<SettingListItem>> {
    const { db, position, now, today } = await this.projections.readModel('estate-list', minPosition);
    return readSettingList(db, position, { now, today, scope }, page);
  }
}
