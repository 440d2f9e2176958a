import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Clock } from '@placement/event-store';
import type { SettingListItem } from '@placement/projections';
import type { Request, Response } from 'express';
import { withoutChildren } from '../access/without-children';
import { CurrentActor } from '../auth/current-actor';
import { listScopeOf } from '../auth/list-scope';
import { Roles } from '../auth/roles';
import type { AuthenticatedActor } from '../auth/token-registry';
import { contextFor, Commands, type CommandResult, RequestMeta, RequestMetaParam } from '../commands/command';
import { IdParam } from '../http/id-param';
import { ListBody, ListQueryDto, Pager } from '../http/pagination';
import { CLOCK } from '../store/store.module';
import { RegisterSettingDto } from './settings.dto';
import { GetSettingQuery, RegisterSettingCommand, SettingView } from './settings.handlers';
import { ListSettingsQuery } from './settings.lists';
import { ApiCommand, ApiRead } from '../http/openapi';
import { createHash } from 'node:crypto';
import { ChangeRegistrationDto, CloseSettingDto, StatementOfPurposeDto } from './setting-changes.dto';
import {
  ChangeRegistrationCommand,
  CloseSettingCommand,
  RecordStatementOfPurposeCommand,
} from './setting-changes.handlers';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class SettingsController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @ApiCommand("Register a setting (children's home or unit) with its Ofsted URN", {
    409: ['ALREADY_EXISTS'],
    422: ['INVALID_INPUT', 'OUTSIDE_REGISTRATION'],
  })
  @HttpCode(201)
  @Roles('admin')
  register(
    @Body() body: RegisterSettingDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new RegisterSettingCommand(body, contextFor(actor, meta, `register-setting:${body.settingId}`, this.clock)),
    );
  }

  /** A new registration from a date; refused if it would put a child living or booked there outside it. */
  @Post(':id/registration')
  @ApiCommand("Change a setting's registration (max children, ages, sexes) from a date", {
    422: ['OUTSIDE_REGISTRATION', 'SETTING_CLOSED', 'INVALID_INPUT'],
  })
  @HttpCode(201)
  @Roles('admin')
  changeRegistration(
    @IdParam('id') settingId: string,
    @Body() body: ChangeRegistrationDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    const digest = createHash('sha256')
      .update(JSON.stringify([body.registration, body.urn]))
      .digest('hex')
      .slice(0, 16);
    const naturalKey = `setting-registration:${settingId}:${body.effectiveDate}:${digest}`;
    return this.commands.execute(
      new ChangeRegistrationCommand({ ...body, settingId }, contextFor(actor, meta, naturalKey, this.clock)),
    );
  }

  /** The setting takes no one from the date; refused while children live or are booked there. */
  @Post(':id/close')
  @ApiCommand('Close a setting from a date', { 422: ['SETTING_HAS_RESIDENTS', 'SETTING_CLOSED'] })
  @HttpCode(201)
  @Roles('admin')
  close(
    @IdParam('id') settingId: string,
    @Body() body: CloseSettingDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new CloseSettingCommand(
        { ...body, settingId },
        contextFor(actor, meta, `close-setting:${settingId}`, this.clock),
      ),
    );
  }

  /**
   * The statement of purpose's matching terms, replacing those on record: matching excludes the home for a
   * child with a risk it does not accept (RISK_NOT_ACCEPTED), and for an emergency unless it takes them
   * (NOT_EMERGENCY_APPROVED). The same statement again writes nothing.
   */
  @Post(':id/statement-of-purpose')
  @ApiCommand("Record a home's statement-of-purpose terms (risks not accepted, emergency admissions)", {
    422: ['SETTING_CLOSED'],
  })
  @HttpCode(201)
  @Roles('admin')
  recordStatementOfPurpose(
    @IdParam('id') settingId: string,
    @Body() body: StatementOfPurposeDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
    const naturalKey = `statement-of-purpose:${settingId}:${digest}:${this.clock.now().toISOString()}`;
    return this.commands.execute(
      new RecordStatementOfPurposeCommand({ ...body, settingId }, contextFor(actor, meta, naturalKey, this.clock)),
    );
  }

  /** Homes with their bed counts and residents today; a residential manager lists the homes they keep. */
  @Get()
  @ApiRead('List settings with bed counts (paged)', 'SettingPage')
  async list(
    @Query() q: ListQueryDto,
    @CurrentActor() actor: AuthenticatedActor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListBody<SettingListItem>> {
    const pager = Pager.of(req, 'settings', {}, q, ['string']);
    const page = await this.queries.execute(new ListSettingsQuery(listScopeOf(actor), pager.request, q.minPosition));
    return pager.respond(res, page);
  }

  /**
   * Any role reads a home and its beds; a residential manager sees who holds or occupies a bed
   * only in the homes they keep (need to know): elsewhere, which beds are taken, not by whom.
   */
  @Get(':id')
  @ApiRead('A setting and its beds', 'SettingBody')
  async get(@IdParam('id') settingId: string, @CurrentActor() actor: AuthenticatedActor): Promise<SettingView> {
    const view: SettingView = await this.queries.execute(new GetSettingQuery(settingId));
    if (actor.role === 'residential-manager' && !actor.settingIds.includes(settingId))
      return { ...view, beds: withoutChildren(view.beds) };
    return view;
  }
}
