import { Module } from '@nestjs/common';
import { ProjectionsController } from './projections.controller';
import {
  GetCapacityHandler,
  GetCapacityPageHandler,
  GetSufficiencyTrendsHandler,
  GetUtilisationHandler,
} from './projections.queries';
import { ProjectionsService } from './projections.service';

/**
 * Live capacity (and its SSE stream), block-booking utilisation and sufficiency trends,
 * from checkpointed read models.
 */
@Module({
  controllers: [ProjectionsController],
  providers: [
    ProjectionsService,
    GetCapacityHandler,
    GetCapacityPageHandler,
    GetUtilisationHandler,
    GetSufficiencyTrendsHandler,
  ],
  exports: [ProjectionsService],
})
export class ProjectionsApiModule {}
