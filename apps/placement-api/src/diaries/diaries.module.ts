import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module';
import { DiariesController } from './diaries.controller';
import { GetHouseholdDiaryHandler, GetSettingDiaryHandler } from './diaries.queries';

@Module({
  imports: [SettingsModule],
  controllers: [DiariesController],
  providers: [GetSettingDiaryHandler, GetHouseholdDiaryHandler],
})
export class DiariesModule {}
