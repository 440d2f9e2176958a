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
import { UnitSteps } from './unit-steps';

@Module({
  controllers: [PlacementsController],
  providers: [
    UnitSteps,
    StartPlacementHandler,
    EndPlacementHandler,
    PlanStepDownHandler,
    RecordStepDownMilestoneHandler,
    CompleteStepDownHandler,
    AbandonStepDownHandler,
  ],
  exports: [UnitSteps],
})
export class PlacementsModule {}
