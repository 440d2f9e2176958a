import { Module } from '@nestjs/common';
import { ChildDetailsController } from './child-details.controller';
import { UpdateChildDetailsHandler } from './child-details.handlers';
import { ChangeLegalStatusHandler } from './legal-status.handlers';

@Module({ controllers: [ChildDetailsController], providers: [UpdateChildDetailsHandler, ChangeLegalStatusHandler] })
export class ChildDetailsModule {}
