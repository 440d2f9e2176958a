import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@placement/domain';
import {
  readContract,
  readContractList,
  readHousehold,
  readHouseholdList,
  type ContractListItem,
  type ContractRecord,
  type HouseholdListItem,
  type HouseholdRecord,
  type HouseholdStatus,
  type ListScope,
  type Page,
  type PageRequest,
} from '@placement/projections';
import { ListQueryDto, OneOfFilter, type AtPosition } from '../http/pagination';
import { ProjectionsService } from '../projections/projections.service';

export class HouseholdListQueryDto extends ListQueryDto {
  @OneOfFilter(['approved', 'suspended', 'resigned'], 'The household’s approval status')
  status?: HouseholdStatus;
}

export class ListHouseholdsQuery {
  constructor(
    readonly filter: { readonly status?: HouseholdStatus },
    readonly page: PageRequest,
    readonly minPosition?: string,
  ) {}
}

export class GetHouseholdQuery {
  constructor(
    readonly householdId: string,
    readonly scope: ListScope,
    readonly minPosition?: string,
  ) {}
}

export class ListContractsQuery {
  constructor(
    readonly page: PageRequest,
    readonly minPosition?: string,
  ) {}
}

export class GetContractQuery {
  constructor(
    readonly contractId: string,
    readonly scope: ListScope,
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(ListHouseholdsQuery)
export class ListHouseholdsHandler implements IQueryHandler<ListHouseholdsQuery, Page<HouseholdListItem>> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ filter, page, minPosition }: ListHouseholdsQuery): Promise<Page<HouseholdListItem>> {
    const { db, position } = await this.projections.readModel('estate-list', minPosition);
    return readHouseholdList(db, position, filter, page);
  }
}

@QueryHandler(GetHouseholdQuery)
export class GetHouseholdHandler implements IQueryHandler<GetHouseholdQuery, AtPosition<HouseholdRecord>> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ householdId, scope, minPosition }: GetHouseholdQuery): Promise<AtPosition<HouseholdRecord>> {
    const { db, position, now, today } = await this.projections.readModel('estate-list', minPosition);
    const household = readHousehold(db, householdId, { now, today, scope });
    if (household === null) throw new DomainError('NOT_FOUND', `foster household ${householdId} is not approved`);
    return { position: position.toString(), ...household };
  }
}

@QueryHandler(ListContractsQuery)
export class ListContractsHandler implements IQueryHandler<ListContractsQuery, Page<ContractListItem>> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ page, minPosition }: ListContractsQuery): Promise<Page<ContractListItem>> {
    const { db, position, today } = await this.projections.readModel('estate-list', minPosition);
    return readContractList(db, position, today, page);
  }
}

@QueryHandler(GetContractQuery)
export class GetContractHandler implements IQueryHandler<GetContractQuery, AtPosition<ContractRecord>> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ contractId, scope, minPosition }: GetContractQuery): Promise<AtPosition<ContractRecord>> {
    const { db, position, now, today } = await this.projections.readModel('estate-list', minPosition);
    const contract = readContract(db, contractId, { now, today, scope });
    if (contract === null) throw new DomainError('NOT_FOUND', `block-booking contract ${contractId} is not contracted`);
    return { position: position.toString(), ...contract };
  }
}
