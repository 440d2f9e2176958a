import { Module } from '@nestjs/common';
import { DiariesController } from './diaries.controller';
import { GetHouseholdDiaryHandler, GetSettingDiaryHandler } from './diaries.queries';

@Module({ controllers: [DiariesController], providers: [GetSettingDiaryHandler, GetHouseholdDiaryHandler] })
export class DiariesModule {}
