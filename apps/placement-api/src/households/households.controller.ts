import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ContractListItem, ContractRecord, HouseholdListItem, HouseholdRecord } from '@placement/projections';
import type { Request, Response } from 'express';
import { CurrentActor } from '../auth/current-actor';
import { listScopeOf } from '../auth/list-scope';
import type { AuthenticatedActor } from '../auth/token-registry';
import { IdParam } from '../http/id-param';
import { ListBody, ListQueryDto, Pager, type AtPosition } from '../http/pagination';
import { ReadYourWritesDto } from '../projections/projections.dto';
import {
  GetContractQuery,
  GetHouseholdQuery,
  HouseholdListQueryDto,
  ListContractsQuery,
  ListHouseholdsQuery,
} from './households.lists';
import { ApiRead } from '../http/openapi';

@ApiTags('foster households and block bookings')
@ApiBearerAuth()
@Controller('v1')
export class HouseholdsController {
  constructor(private readonly queries: QueryBus) {}

  /** Foster households by id, with their terms, children placed and free places. */
  @Get('foster-households')
  @ApiRead('List approved foster households (paged)', 'HouseholdPage')
  async households(
    @Query() q: HouseholdListQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListBody<HouseholdListItem>> {
    const filter = { status: q.status };
    const pager = Pager.of(req, 'foster-households', filter, q, ['string']);
    return pager.respond(
      res,
      await this.queries.execute(new ListHouseholdsQuery(filter, pager.request, q.minPosition)),
    );
  }

  /** One household: its terms and the children placed now (a residential manager sees only children of their homes). */
  @Get('foster-households/:id')
  @ApiRead("A foster household's record", 'HouseholdBody')
  householdRecord(
    @IdParam('id') householdId: string,
    @Query() q: ReadYourWritesDto,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<AtPosition<HouseholdRecord>> {
    return this.queries.execute(new GetHouseholdQuery(householdId, listScopeOf(actor), q.minPosition));
  }

  /** Block-booking contracts by id, with beds allocated and void. */
  @Get('block-bookings')
  @ApiRead('List block-booking contracts (paged)', 'ContractPage')
  async contracts(
    @Query() q: ListQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListBody<ContractListItem>> {
    const pager = Pager.of(req, 'block-bookings', {}, q, ['string']);
    return pager.respond(res, await this.queries.execute(new ListContractsQuery(pager.request, q.minPosition)));
  }

  /** One contract with each bed's allocation (`block-bookings/utilisation` is registered first: see AppModule). */
  @Get('block-bookings/:id')
  @ApiRead("A block-booking contract's record", 'ContractBody')
  contractRecord(
    @IdParam('id') contractId: string,
    @Query() q: ReadYourWritesDto,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<AtPosition<ContractRecord>> {
    return this.queries.execute(new GetContractQuery(contractId, listScopeOf(actor), q.minPosition));
  }
}
