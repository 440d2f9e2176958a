import { Module } from '@nestjs/common';
import { PlacementsController } from './placements.controller';
import {
  AbandonStepDownHandler,
  CompleteStepDownHandler,
  EndPlacementHandler,
  PlanStepDownHandler,
  RecordStepDownMilestoneHandler,
  RevisePlannedEndHandler,
  StartPlacementHandler,
  WithdrawPlannedEndHandler,
} from './placements.handlers';
import { ListPlacementsHandler, ListStepDownsHandler } from './placements.lists';
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
    PlanStepDownHandler,
    RecordStepDownMilestoneHandler,
    CompleteStepDownHandler,
    AbandonStepDownHandler,
    ListPlacementsHandler,
    ListStepDownsHandler,
  ],
})
export class PlacementsModule {}
