import { Module } from '@nestjs/common';
import { SettingsController } from './settings.controller';
import {
  AddBedHandler,
  GetSettingHandler,
  PutBedBackInUseHandler,
  RegisterSettingHandler,
  TakeBedOutOfUseHandler,
} from './settings.handlers';

@Module({
  controllers: [SettingsController],
  providers: [RegisterSettingHandler, AddBedHandler, TakeBedOutOfUseHandler, PutBedBackInUseHandler, GetSettingHandler],
})
export class SettingsModule {}
