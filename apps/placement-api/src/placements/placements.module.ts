import { Module } from '@nestjs/common';
import { PlacementsController } from './placements.controller';
import {
  EndPlacementHandler,
  RevisePlannedEndHandler,
  StartPlacementHandler,
  WithdrawPlannedEndHandler,
} from './placements.handlers';
import { ListPlacementsHandler } from './placements.lists';
import { ProjectionsApiModule } from '../projections/projections.module';
import { MatchingApiModule } from '../matching/matching.module';

@Module({
  imports: [ProjectionsApiModule, MatchingApiModule],
  controllers: [PlacementsController],
  providers: [
    StartPlacementHandler,
    EndPlacementHandler,
    RevisePlannedEndHandler,
    WithdrawPlannedEndHandler,
    ListPlacementsHandler,
  ],
})
export class PlacementsModule {}
