import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  readPlacementList,
  type ListScope,
  type Page,
  type PageRequest,
  type PlacementListFilter,
  type PlacementListItem,
} from '@placement/projections';
import { IdFilter, ListQueryDto, OneOfFilter } from '../http/pagination';
import { ProjectionsService } from '../projections/projections.service';

export class PlacementListQueryDto extends ListQueryDto {
  @OneOfFilter(['true', 'false'], 'true: not ended by today (planned arrivals included); false: ended')
  open?: 'true' | 'false';

  @IdFilter('Placements in this home')
  settingId?: string;

  @IdFilter('Placements with this foster household')
  householdId?: string;
}

export class ListPlacementsQuery {
  constructor(
    readonly filter: PlacementListFilter,
    readonly scope: ListScope,
    readonly page: PageRequest,
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(ListPlacementsQuery)
export class ListPlacementsHandler implements IQueryHandler<ListPlacementsQuery, Page<PlacementListItem>> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ filter, scope, page, minPosition }: ListPlacementsQuery): Promise<Page<PlacementListItem>> {
    const { db, position, today } = await this.projections.readModel('child-list', minPosition);
    return readPlacementList(db, position, { today, filter, scope }, page);
  }
}
