import { Module } from '@nestjs/common';
import { ChildDetailsController } from './child-details.controller';
import { UpdateChildDetailsHandler } from './child-details.handlers';

@Module({ controllers: [ChildDetailsController], providers: [UpdateChildDetailsHandler] })
export class ChildDetailsModule {}
