import { Module } from '@nestjs/common';
import { ReferralsController } from './referrals.controller';
import {
  GetChildHandler,
  GetReferralHandler,
  ReceiveReferralHandler,
  RecordMatchingMeetingHandler,
} from './referrals.handlers';
import { ListChildrenHandler, ListReferralsHandler } from './referrals.lists';
import { ProjectionsApiModule } from '../projections/projections.module';
import { UpdateNeedsHandler, UpdateNeedsRoute } from './update-needs';
import { WithdrawReferralHandler, WithdrawReferralRoute } from './withdraw-referral';

@Module({
  imports: [ProjectionsApiModule],
  controllers: [ReferralsController, WithdrawReferralRoute, UpdateNeedsRoute],
  providers: [
    ReceiveReferralHandler,
    RecordMatchingMeetingHandler,
    WithdrawReferralHandler,
    UpdateNeedsHandler,
    GetReferralHandler,
    GetChildHandler,
    ListReferralsHandler,
    ListChildrenHandler,
  ],
})
export class ReferralsModule {}
