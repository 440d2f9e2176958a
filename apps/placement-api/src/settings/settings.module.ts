import { Module } from '@nestjs/common';
import { ProjectionsApiModule } from '../projections/projections.module';
import { ChangeRegistrationHandler, ChangeRegistrationRoute } from './change-registration';
import { CloseSettingHandler, CloseSettingRoute } from './close-setting';
import { RecordStatementOfPurposeHandler, RecordStatementOfPurposeRoute } from './record-statement-of-purpose';
import { RegisterSettingHandler, RegisterSettingRoute } from './register-setting';
import { SettingsController } from './settings.controller';
import { GetSettingHandler, Homes } from './settings.handlers';
import { ListSettingsHandler } from './settings.lists';

@Module({
  imports: [ProjectionsApiModule],
  controllers: [
    SettingsController,
    RegisterSettingRoute,
    ChangeRegistrationRoute,
    CloseSettingRoute,
    RecordStatementOfPurposeRoute,
  ],
  providers: [
    RegisterSettingHandler,
    ChangeRegistrationHandler,
    CloseSettingHandler,
    RecordStatementOfPurposeHandler,
    GetSettingHandler,
    ListSettingsHandler,
    Homes,
  ],
  exports: [Homes],
})
export class SettingsModule {}
