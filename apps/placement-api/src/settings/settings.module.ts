import { Module } from '@nestjs/common';
import { SettingsController } from './settings.controller';
import { GetSettingHandler, RegisterSettingHandler } from './settings.handlers';
import { ListSettingsHandler } from './settings.lists';
import {
  ChangeRegistrationHandler,
  CloseSettingHandler,
  RecordStatementOfPurposeHandler,
} from './setting-changes.handlers';
import { ProjectionsApiModule } from '../projections/projections.module';

@Module({
  imports: [ProjectionsApiModule],
  controllers: [SettingsController],
  providers: [
    RegisterSettingHandler,
    ChangeRegistrationHandler,
    CloseSettingHandler,
    RecordStatementOfPurposeHandler,
    GetSettingHandler,
    ListSettingsHandler,
  ],
})
export class SettingsModule {}
