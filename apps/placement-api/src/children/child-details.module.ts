import { Module } from '@nestjs/common';
import { ChangeLegalStatusHandler, ChangeLegalStatusRoute } from './change-legal-status';
import { RecordCareLeaverHandler, RecordCareLeaverRoute } from './record-care-leaver';
import { UpdateChildDetailsHandler, UpdateChildDetailsRoute } from './update-child-details';

@Module({
  controllers: [ChangeLegalStatusRoute, RecordCareLeaverRoute, UpdateChildDetailsRoute],
  providers: [UpdateChildDetailsHandler, ChangeLegalStatusHandler, RecordCareLeaverHandler],
})
export class ChildDetailsModule {}
