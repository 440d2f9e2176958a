import { Module } from '@nestjs/common';
import { MatchingApiModule } from '../matching/matching.module';
import { ProjectionsApiModule } from '../projections/projections.module';
import { EndPlacementHandler, EndPlacementRoute } from './end-placement';
import { ListPlacementsHandler, ListPlacementsRoute } from './list-placements';
import { RevisePlannedEndHandler, RevisePlannedEndRoute } from './revise-planned-end';
import { StartPlacementHandler, StartPlacementRoute } from './start-placement';
import { WithdrawPlannedEndHandler, WithdrawPlannedEndRoute } from './withdraw-planned-end';

/** A child's placements: started in a bed, household, block-booked bed or elsewhere, ended, their planned ends. */
@Module({
  imports: [ProjectionsApiModule, MatchingApiModule],
  controllers: [
    ListPlacementsRoute,
    StartPlacementRoute,
    EndPlacementRoute,
    RevisePlannedEndRoute,
    WithdrawPlannedEndRoute,
  ],
  providers: [
    ListPlacementsHandler,
    StartPlacementHandler,
    EndPlacementHandler,
    RevisePlannedEndHandler,
    WithdrawPlannedEndHandler,
  ],
})
export class PlacementsModule {}
