import { Module } from '@nestjs/common';
import { ProjectionsApiModule } from '../projections/projections.module';
import { ReceiveReferralHandler, ReceiveReferralRoute } from './receive-referral';
import { RecordMatchingMeetingHandler, RecordMatchingMeetingRoute } from './record-matching-meeting';
import { ReferralsController } from './referrals.controller';
import { GetChildHandler, GetReferralHandler } from './referrals.handlers';
import { ListChildrenHandler, ListReferralsHandler } from './referrals.lists';
import { UpdateNeedsHandler, UpdateNeedsRoute } from './update-needs';
import { WithdrawReferralHandler, WithdrawReferralRoute } from './withdraw-referral';

@Module({
  imports: [ProjectionsApiModule],
  controllers: [
    ReferralsController,
    ReceiveReferralRoute,
    RecordMatchingMeetingRoute,
    WithdrawReferralRoute,
    UpdateNeedsRoute,
  ],
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
