import { Module } from '@nestjs/common';
import { AddBedHandler, AddBedRoute } from './add-bed';
import { HoldBedForReferralHandler, HoldBedRoute } from './hold-bed';
import { PutBedBackInUseHandler, PutBedBackInUseRoute } from './put-bed-back-in-use';
import { ReleaseHoldHandler, ReleaseHoldRoute } from './release-hold';
import { TakeBedOutOfUseHandler, TakeBedOutOfUseRoute } from './take-bed-out-of-use';

/** A bed's own stream: added to a home, held for a referral and released, out of use and back. */
@Module({
  controllers: [AddBedRoute, TakeBedOutOfUseRoute, PutBedBackInUseRoute, HoldBedRoute, ReleaseHoldRoute],
  providers: [
    AddBedHandler,
    TakeBedOutOfUseHandler,
    PutBedBackInUseHandler,
    HoldBedForReferralHandler,
    ReleaseHoldHandler,
  ],
})
export class BedsModule {}
