import { Module } from '@nestjs/common';
import { ProjectionsApiModule } from '../projections/projections.module';
import { HouseholdsController } from './households.controller';
import { ApproveHouseholdHandler, ContractBlockBookingHandler } from './households.handlers';
import {
  ChangeApprovalTermsHandler,
  EndBlockBookingHandler,
  RecordHouseholdMembersHandler,
  ReinstateHouseholdHandler,
  ResignHouseholdHandler,
  SuspendHouseholdHandler,
} from './household-changes.handlers';
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
    SuspendHouseholdHandler,
    ReinstateHouseholdHandler,
    ResignHouseholdHandler,
    ChangeApprovalTermsHandler,
    EndBlockBookingHandler,
    RecordHouseholdMembersHandler,
    ListHouseholdsHandler,
    GetHouseholdHandler,
    ListContractsHandler,
    GetContractHandler,
  ],
})
export class HouseholdsModule {}
