import { Module } from '@nestjs/common';
import { ProjectionsApiModule } from '../projections/projections.module';
import { ApproveHouseholdHandler, ApproveHouseholdRoute } from './approve-household';
import { ChangeApprovalTermsHandler, ChangeApprovalTermsRoute } from './change-approval-terms';
import { HouseholdsController } from './households.controller';
import {
  GetContractHandler,
  GetHouseholdHandler,
  ListContractsHandler,
  ListHouseholdsHandler,
} from './households.lists';
import { RecordHouseholdMembersHandler, RecordHouseholdMembersRoute } from './record-household-members';
import { ReinstateHouseholdHandler, ReinstateHouseholdRoute } from './reinstate-household';
import { ResignHouseholdHandler, ResignHouseholdRoute } from './resign-household';
import { SuspendHouseholdHandler, SuspendHouseholdRoute } from './suspend-household';

@Module({
  imports: [ProjectionsApiModule],
  controllers: [
    HouseholdsController,
    ApproveHouseholdRoute,
    SuspendHouseholdRoute,
    ReinstateHouseholdRoute,
    ResignHouseholdRoute,
    ChangeApprovalTermsRoute,
    RecordHouseholdMembersRoute,
  ],
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
