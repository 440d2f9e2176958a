import { Module } from '@nestjs/common';
import { ReferralsController } from './referrals.controller';
import {
  GetChildHandler,
  GetReferralHandler,
  HoldBedForReferralHandler,
  ReceiveReferralHandler,
  RecordMatchingMeetingHandler,
} from './referrals.handlers';

@Module({
  controllers: [ReferralsController],
  providers: [
    ReceiveReferralHandler,
    HoldBedForReferralHandler,
    RecordMatchingMeetingHandler,
    GetReferralHandler,
    GetChildHandler,
  ],
})
export class ReferralsModule {}
