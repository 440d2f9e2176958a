import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiRead } from '../http/openapi';
import { IdParam } from '../http/id-param';
import { DiaryQueryDto } from './diaries.dto';
import {
  GetHouseholdDiaryQuery,
  GetSettingDiaryQuery,
  type HouseholdDiary,
  type SettingDiary,
} from './diaries.queries';

/** Week views of units' diaries: every booking in the window, planned or actual. Any signed-in role reads them. */
@ApiTags('diaries')
@ApiBearerAuth()
@Controller('v1')
export class DiariesController {
  constructor(private readonly queries: QueryBus) {}

  @Get('settings/:id/diary')
  @ApiRead("Each bed's bookings (placement, child id, from, to, planned or actual) over from–to", 'SettingDiaryBody')
  setting(@IdParam('id') settingId: string, @Query() q: DiaryQueryDto): Promise<SettingDiary> {
    return this.queries.execute(new GetSettingDiaryQuery(settingId, q.from, q.to));
  }

  @Get('foster-households/:id/diary')
  @ApiRead("A household's placements (child id, from, to, planned or actual) over from–to", 'HouseholdDiaryBody')
  household(@IdParam('id') householdId: string, @Query() q: DiaryQueryDto): Promise<HouseholdDiary> {
    return this.queries.execute(new GetHouseholdDiaryQuery(householdId, q.from, q.to));
  }
}
