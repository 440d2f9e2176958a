import { Module } from '@nestjs/common';
import { ProjectionsApiModule } from '../projections/projections.module';
import { HouseholdsController } from './households.controller';
import { ApproveHouseholdHandler, ContractBlockBookingHandler } from './households.handlers';
import {
  GetContractHandler,
  GetHouseholdHandler,
  ListContractsHandler,
  ListHouseholdsHandler,
} from './households.lists';

@Module({
  imports: [ProjectionsApiModule],
  controllers: [HouseholdsController],
  providers: [
    ApproveHouseholdHandler,
    ContractBlockBookingHandler,
    ListHouseholdsHandler,
    GetHouseholdHandler,
    ListContractsHandler,
    GetContractHandler,
  ],
})
export class HouseholdsModule {}
