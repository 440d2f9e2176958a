import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Clock } from '@placement/event-store';
import type { ContractListItem, ContractRecord, HouseholdListItem, HouseholdRecord } from '@placement/projections';
import type { Request, Response } from 'express';
import { CurrentActor } from '../auth/current-actor';
import { listScopeOf } from '../auth/list-scope';
import { Roles } from '../auth/roles';
import type { AuthenticatedActor } from '../auth/token-registry';
import { contextFor, Commands, type CommandResult, RequestMeta, RequestMetaParam } from '../commands/command';
import { IdParam } from '../http/id-param';
import { ListBody, ListQueryDto, Pager, type AtPosition } from '../http/pagination';
import { ReadYourWritesDto } from '../projections/projections.dto';
import { CLOCK } from '../store/store.module';
import { ApproveHouseholdDto } from './households.dto';
import { ApproveHouseholdCommand } from './households.handlers';
import {
  GetContractQuery,
  GetHouseholdQuery,
  HouseholdListQueryDto,
  ListContractsQuery,
  ListHouseholdsQuery,
} from './households.lists';
import { createHash } from 'node:crypto';
import {
  ChangeApprovalTermsDto,
  HouseholdDateDto,
  HouseholdMembersDto,
  SuspendHouseholdDto,
} from './household-changes.dto';
import {
  ChangeApprovalTermsCommand,
  RecordHouseholdMembersCommand,
  ReinstateHouseholdCommand,
  ResignHouseholdCommand,
  SuspendHouseholdCommand,
} from './household-changes.handlers';
import { ApiCommand, ApiRead } from '../http/openapi';

@ApiTags('foster households and block bookings')
@ApiBearerAuth()
@Controller('v1')
export class HouseholdsController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

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

  @Post('foster-households')
  @ApiCommand('Approve a foster household with its terms', { 409: ['ALREADY_EXISTS'], 422: ['INVALID_INPUT'] })
  @HttpCode(201)
  @Roles('admin')
  approve(
    @Body() body: ApproveHouseholdDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ApproveHouseholdCommand(body, contextFor(actor, meta, `approve-household:${body.householdId}`, this.clock)),
    );
  }

  @Post('foster-households/:id/suspend')
  @ApiCommand('Suspend a foster household from a date (no new placements; matching excludes it)', {
    422: ['INVALID_STATE', 'DATE_IN_FUTURE'],
  })
  @HttpCode(201)
  @Roles('admin')
  suspend(
    @IdParam('id') householdId: string,
    @Body() body: SuspendHouseholdDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new SuspendHouseholdCommand(
        { ...body, householdId },
        contextFor(actor, meta, `suspend-household:${householdId}:${body.date}`, this.clock),
      ),
    );
  }

  @Post('foster-households/:id/reinstate')
  @ApiCommand('Reinstate a suspended foster household from a date', { 422: ['INVALID_STATE', 'DATE_IN_FUTURE'] })
  @HttpCode(201)
  @Roles('admin')
  reinstate(
    @IdParam('id') householdId: string,
    @Body() body: HouseholdDateDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ReinstateHouseholdCommand(
        { ...body, householdId },
        contextFor(actor, meta, `reinstate-household:${householdId}:${body.date}`, this.clock),
      ),
    );
  }

  @Post('foster-households/:id/resign')
  @ApiCommand('Record that a foster household resigned from a date (refused while children live there)', {
    422: ['HOUSEHOLD_HAS_CHILDREN', 'INVALID_STATE', 'DATE_IN_FUTURE'],
  })
  @HttpCode(201)
  @Roles('admin')
  resign(
    @IdParam('id') householdId: string,
    @Body() body: HouseholdDateDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ResignHouseholdCommand(
        { ...body, householdId },
        contextFor(actor, meta, `resign-household:${householdId}`, this.clock),
      ),
    );
  }

  @Post('foster-households/:id/terms')
  @ApiCommand("Change a foster household's approval terms from a date", {
    422: ['APPROVAL_TERMS_EXCEEDED', 'HOUSEHOLD_NOT_AVAILABLE', 'INVALID_INPUT'],
  })
  @HttpCode(201)
  @Roles('admin')
  changeTerms(
    @IdParam('id') householdId: string,
    @Body() body: ChangeApprovalTermsDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    const digest = createHash('sha256').update(JSON.stringify(body.terms)).digest('hex').slice(0, 16);
    const naturalKey = `approval-terms:${householdId}:${body.effectiveDate}:${digest}`;
    return this.commands.execute(
      new ChangeApprovalTermsCommand({ ...body, householdId }, contextFor(actor, meta, naturalKey, this.clock)),
    );
  }

  /**
   * Who lives with the carers besides the children placed (the whole list). A list differs from the one on
   * record or writes nothing, so a retry without an Idempotency-Key is harmless and a list recorded again
   * after another is recorded again.
   */
  @Post('foster-households/:id/members')
  @ApiCommand("Record a foster household's members other than the carers (month of birth and relationship)", {
    422: ['HOUSEHOLD_NOT_AVAILABLE', 'DATE_IN_FUTURE'],
  })
  @HttpCode(201)
  @Roles('admin')
  recordMembers(
    @IdParam('id') householdId: string,
    @Body() body: HouseholdMembersDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    const digest = createHash('sha256').update(JSON.stringify(body.members)).digest('hex').slice(0, 16);
    const naturalKey = `household-members:${householdId}:${digest}:${this.clock.now().toISOString()}`;
    return this.commands.execute(
      new RecordHouseholdMembersCommand({ ...body, householdId }, contextFor(actor, meta, naturalKey, this.clock)),
    );
  }
}
