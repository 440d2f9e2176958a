import { Module } from '@nestjs/common';
import { HouseholdsController } from './households.controller';
import { ApproveHouseholdHandler, ContractBlockBookingHandler } from './households.handlers';

@Module({ controllers: [HouseholdsController], providers: [ApproveHouseholdHandler, ContractBlockBookingHandler] })
export class HouseholdsModule {}
