import { Controller, Get, Inject, Injectable, Module, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import type { EventStore } from '@placement/event-store';
import { Public } from '../auth/roles';
import { EVENT_STORE } from '../store/store.module';
import { ProjectionsApiModule } from '../projections/projections.module';
import { ProjectionsHealthIndicator } from '../projections/projections.health';

@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check() {
    const check = this.indicator.check('eventStore');
    try {
      const head = await this.store.headPosition();
      return check.up({ headPosition: head.toString() });
    } catch (error) {
      return check.down({ error: error instanceof Error ? error.name : 'unknown' });
    }
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
    private readonly projections: ProjectionsHealthIndicator,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  async check(@Res({ passthrough: true }) res: Response) {
    try {
      return await this.health.check([() => this.eventStore.check(), () => this.projections.check()]);
    } catch (error) {
      // DOWN answers 503 with terminus' details (which check, why), not a bare problem+json.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse();
    }
  }
}

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ProjectionsApiModule],
  controllers: [HealthController],
  providers: [EventStoreHealthIndicator, ProjectionsHealthIndicator],
})
export class HealthModule {}
