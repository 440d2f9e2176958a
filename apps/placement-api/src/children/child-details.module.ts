import { Module } from '@nestjs/common';
import { ChildDetailsController } from './child-details.controller';
import { UpdateChildDetailsHandler } from './child-details.handlers';
import { ChangeLegalStatusHandler } from './legal-status.handlers';
import { RecordCareLeaverHandler } from './care-leaver.handlers';

@Module({
  controllers: [ChildDetailsController],
  providers: [UpdateChildDetailsHandler, ChangeLegalStatusHandler, RecordCareLeaverHandler],
})
export class ChildDetailsModule {}
