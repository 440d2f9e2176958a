import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { withoutChildren } from '../access/without-children';
import { CurrentActor } from '../auth/current-actor';
import type { AuthenticatedActor } from '../auth/token-registry';
import { ApiRead } from '../http/openapi';
import { IdParam } from '../http/id-param';
import { DiaryQueryDto } from './diaries.dto';
import {
  GetHouseholdDiaryQuery,
  GetSettingDiaryQuery,
  type HouseholdDiary,
  type SettingDiary,
} from './diaries.queries';

/**
 * Week views of units' diaries: every booking in the window, planned or actual. Any signed-in
 * role reads them; a residential manager reads whose a booking is (child, placement, the
 * referral holding a bed) only in the homes they keep: elsewhere, which nights are taken.
 */
@ApiTags('diaries')
@ApiBearerAuth()
@Controller('v1')
export class DiariesController {
  constructor(private readonly queries: QueryBus) {}

  @Get('settings/:id/diary')
  @ApiRead("Each bed's bookings (placement, child id, from, to, planned or actual) over from–to", 'SettingDiaryBody')
  async setting(
    @IdParam('id') settingId: string,
    @Query() q: DiaryQueryDto,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<SettingDiary> {
    const diary: SettingDiary = await this.queries.execute(new GetSettingDiaryQuery(settingId, q.from, q.to));
    if (actor.role === 'residential-manager' && !actor.settingIds.includes(settingId))
      return { ...diary, beds: withoutChildren(diary.beds) };
    return diary;
  }

  @Get('foster-households/:id/diary')
  @ApiRead("A household's placements (child id, from, to, planned or actual) over from–to", 'HouseholdDiaryBody')
  async household(
    @IdParam('id') householdId: string,
    @Query() q: DiaryQueryDto,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<HouseholdDiary> {
    const diary: HouseholdDiary = await this.queries.execute(new GetHouseholdDiaryQuery(householdId, q.from, q.to));
    // A foster household is no home a residential manager keeps: its bookings, not whose.
    if (actor.role === 'residential-manager') return { ...diary, bookings: withoutChildren(diary.bookings) };
    return diary;
  }
}
