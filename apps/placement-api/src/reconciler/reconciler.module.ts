import { Module } from '@nestjs/common';
import { ProjectionsApiModule } from '../projections/projections.module';
import { ProjectionsService } from '../projections/projections.service';
import { ReconcileCheckpoints } from './reconcile-checkpoints';
import { Reconciler } from './reconciler';

@Module({
  imports: [ProjectionsApiModule],
  providers: [
    Reconciler,
    // In the read-models file, which the projections service opens on init (before the start-up pass).
    {
      provide: ReconcileCheckpoints,
      useFactory: (projections: ProjectionsService) => new ReconcileCheckpoints(() => projections.readModels),
      inject: [ProjectionsService],
    },
  ],
  exports: [Reconciler],
})
export class ReconcilerModule {}
