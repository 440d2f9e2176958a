import { Module } from '@nestjs/common';
import { ReferralsController } from './referrals.controller';
import {
  GetChildHandler,
  GetReferralHandler,
  HoldBedForReferralHandler,
  ReceiveReferralHandler,
  RecordMatchingMeetingHandler,
} from './referrals.handlers';
import { ListChildrenHandler, ListReferralsHandler } from './referrals.lists';
import { ProjectionsApiModule } from '../projections/projections.module';
import { ReleaseHoldHandler, UpdateNeedsHandler, WithdrawReferralHandler } from './referral-changes.handlers';

@Module({
  imports: [ProjectionsApiModule],
  controllers: [ReferralsController],
  providers: [
    ReceiveReferralHandler,
    HoldBedForReferralHandler,
    RecordMatchingMeetingHandler,
    ReleaseHoldHandler,
    WithdrawReferralHandler,
    UpdateNeedsHandler,
    GetReferralHandler,
    GetChildHandler,
    ListReferralsHandler,
    ListChildrenHandler,
  ],
})
export class ReferralsModule {}
