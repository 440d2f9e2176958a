import { Controller, Get, Inject, Injectable, Module, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import type { Clock, EventStore } from '@placement/event-store';
import { Public } from '../auth/roles';
import type { Environment } from '../config/environment';
import { ENVIRONMENT } from '../config/tokens';
import { CLOCK, EVENT_STORE } from '../store/store.module';
import { ProjectionsApiModule } from '../projections/projections.module';
import { ProjectionsHealthIndicator } from '../projections/projections.health';
import { ProjectionsService } from '../projections/projections.service';
import { UnitDirectory } from '../directory/unit-directory';
import { CapacityProjection } from '../matching/capacity-projection';
import { MatchingApiModule } from '../matching/matching.module';
import { projectionLag, readiness } from './projection-lag';

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

/**
 * Ready for traffic: no projection has failed or is rebuilding after the log changed under it,
 * and none is further behind the log than READY_MAX_PROJECTION_LAG_SECONDS (a replica rebuilding
 * its read models, or stuck on an event, would serve stale capacity). Details are positions,
 * states and ages: no event data.
 */
@Injectable()
export class ProjectionsReadinessIndicator {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly projections: ProjectionsService,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check() {
    const check = this.indicator.check('projectionsCaughtUp');
    const statuses = this.projections.runner.status();
    let lag;
    try {
      lag = await projectionLag(this.store, statuses, this.clock);
    } catch (error) {
      return check.down({ error: error instanceof Error ? error.name : 'unknown' });
    }
    const { ready, details } = readiness(statuses, lag, this.env.READY_MAX_PROJECTION_LAG_SECONDS);
    return ready ? check.up(details) : check.down(details);
  }
}

/** How long a readiness probe waits for the in-memory readers before it answers DOWN (their reading goes on). */
const READERS_WAIT_MS = 500;

/**
 * Ready for traffic only once the in-memory readers (the unit directory, the matching capacity)
 * have read the log up to its head: until then a command or a match would wait on their catch-up.
 * A probe starts that catch-up (one at a time, however many probes ask) and answers within
 * READERS_WAIT_MS; details are positions only.
 */
@Injectable()
export class InMemoryReadersIndicator {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
    private readonly capacity: CapacityProjection,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check() {
    const check = this.indicator.check('readersCaughtUp');
    let timer: NodeJS.Timeout | undefined;
    let caughtUp: boolean;
    let head: bigint;
    try {
      head = await this.store.headPosition();
      caughtUp = await Promise.race([
        Promise.all([this.directory.caughtUp(), this.capacity.caughtUp()]).then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), READERS_WAIT_MS))),
      ]);
    } catch (error) {
      return check.down({ error: error instanceof Error ? error.name : 'unknown' });
    } finally {
      clearTimeout(timer);
    }
    const details = {
      head: head.toString(),
      positions: {
        [UnitDirectory.name]: this.directory.position.toString(),
        [CapacityProjection.name]: this.capacity.position.toString(),
      },
    };
    return caughtUp ? check.up(details) : check.down(details);
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
    private readonly projections: ProjectionsHealthIndicator,
    private readonly readiness: ProjectionsReadinessIndicator,
    private readonly readers: InMemoryReadersIndicator,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Summary: the store answers and no projection has failed (503 when DOWN)' })
  check(@Res({ passthrough: true }) res: Response) {
    return this.run(res, [() => this.eventStore.check(), () => this.projections.check()]);
  }

  /** Liveness: the process answers. Nothing it depends on is checked: a slow store or projection never restarts it. */
  @Get('live')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers (restart it only when this fails)' })
  live(@Res({ passthrough: true }) res: Response) {
    return this.run(res, []);
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: the store answers, read models within the lag bound, in-memory readers at the log head',
  })
  ready(@Res({ passthrough: true }) res: Response) {
    return this.run(res, [() => this.eventStore.check(), () => this.readiness.check(), () => this.readers.check()]);
  }

  private async run(res: Response, checks: HealthIndicatorFunction[]) {
    try {
      return await this.health.check(checks);
    } catch (error) {
      // DOWN answers 503 with terminus' details (which check, why), not a bare problem+json.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse();
    }
  }
}

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ProjectionsApiModule, MatchingApiModule],
  controllers: [HealthController],
  providers: [
    EventStoreHealthIndicator,
    ProjectionsHealthIndicator,
    ProjectionsReadinessIndicator,
    InMemoryReadersIndicator,
  ],
})
export class HealthModule {}
