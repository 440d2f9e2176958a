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

@Module({
  imports: [ProjectionsApiModule],
  controllers: [ReferralsController],
  providers: [
    ReceiveReferralHandler,
    HoldBedForReferralHandler,
    RecordMatchingMeetingHandler,
    GetReferralHandler,
    GetChildHandler,
    ListReferralsHandler,
    ListChildrenHandler,
  ],
})
export class ReferralsModule {}
