import { Module } from '@nestjs/common';
import { ProjectionsApiModule } from '../projections/projections.module';
import { HouseholdsController } from './households.controller';
import { ApproveHouseholdHandler } from './households.handlers';
import {
  ChangeApprovalTermsHandler,
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
    SuspendHouseholdHandler,
    ReinstateHouseholdHandler,
    ResignHouseholdHandler,
    ChangeApprovalTermsHandler,
    RecordHouseholdMembersHandler,
    ListHouseholdsHandler,
    GetHouseholdHandler,
    ListContractsHandler,
    GetContractHandler,
  ],
})
export class HouseholdsModule {}
