import { Module } from '@nestjs/common';
import { ProjectionsApiModule } from '../projections/projections.module';
import { AlertsController } from './alerts.controller';
import { ListAlertsHandler } from './alerts.queries';

/** Work queues (`GET /v1/alerts` and its SSE stream), from the alerts read model. */
@Module({
  imports: [ProjectionsApiModule],
  controllers: [AlertsController],
  providers: [ListAlertsHandler],
})
export class AlertsModule {}
