import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { SettingListItem } from '@placement/projections';
import type { Request, Response } from 'express';
import { withoutChildren } from '../access/without-children';
import { CurrentActor } from '../auth/current-actor';
import { listScopeOf } from '../auth/list-scope';
import type { AuthenticatedActor } from '../auth/token-registry';
import { IdParam } from '../http/id-param';
import { ListBody, ListQueryDto, Pager } from '../http/pagination';
import { GetSettingQuery, SettingView } from './settings.handlers';
import { ListSettingsQuery } from './settings.lists';
import { ApiRead } from '../http/openapi';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class SettingsController {
  constructor(private readonly queries: QueryBus) {}

  /** Homes with their bed counts and residents today; a residential manager lists the homes they keep. */
  @Get()
  @ApiRead('List settings with bed counts (paged)', 'SettingPage')
  async list(
    @Query() q: ListQueryDto,
    @CurrentActor() actor: AuthenticatedActor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListBody<SettingListItem>> {
    const filter = {};
    const pager = Pager.of(req, 'settings', filter, q, ['string']);
    const page = await this.queries.execute(
      new ListSettingsQuery(filter, listScopeOf(actor), pager.request, q.minPosition),
    );
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
