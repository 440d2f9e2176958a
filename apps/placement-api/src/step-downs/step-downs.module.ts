import { Module } from '@nestjs/common';
import { ProjectionsApiModule } from '../projections/projections.module';
import { AbandonStepDownHandler, AbandonStepDownRoute } from './abandon-step-down';
import { CompleteStepDownHandler, CompleteStepDownRoute } from './complete-step-down';
import { ListStepDownsHandler, ListStepDownsRoute } from './list-step-downs';
import { PlanStepDownHandler, PlanStepDownRoute } from './plan-step-down';
import { RecordStepDownMilestoneHandler, RecordStepDownMilestoneRoute } from './record-step-down-milestone';

/** A child's move from residential care to a foster household: planned, its milestones, completed or abandoned. */
@Module({
  imports: [ProjectionsApiModule],
  controllers: [
    ListStepDownsRoute,
    PlanStepDownRoute,
    RecordStepDownMilestoneRoute,
    CompleteStepDownRoute,
    AbandonStepDownRoute,
  ],
  providers: [
    ListStepDownsHandler,
    PlanStepDownHandler,
    RecordStepDownMilestoneHandler,
    CompleteStepDownHandler,
    AbandonStepDownHandler,
  ],
})
export class StepDownsModule {}
