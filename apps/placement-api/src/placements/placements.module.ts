import { Module } from '@nestjs/common';
import { PlacementsController } from './placements.controller';
import {
  AbandonStepDownHandler,
  CompleteStepDownHandler,
  EndPlacementHandler,
  PlanStepDownHandler,
  RecordStepDownMilestoneHandler,
  StartPlacementHandler,
} from './placements.handlers';
import { ListPlacementsHandler, ListStepDownsHandler } from './placements.lists';
import { ProjectionsApiModule } from '../projections/projections.module';
import { UnitSteps } from './unit-steps';

@Module({
  imports: [ProjectionsApiModule],
  controllers: [PlacementsController],
  providers: [
    UnitSteps,
    StartPlacementHandler,
    EndPlacementHandler,
    PlanStepDownHandler,
    RecordStepDownMilestoneHandler,
    CompleteStepDownHandler,
    AbandonStepDownHandler,
    ListPlacementsHandler,
    ListStepDownsHandler,
  ],
  exports: [UnitSteps],
})
export class PlacementsModule {}
