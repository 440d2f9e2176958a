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
import { UpdateNeedsHandler, WithdrawReferralHandler } from './referral-changes.handlers';

@Module({
  imports: [ProjectionsApiModule],
  controllers: [ReferralsController],
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
