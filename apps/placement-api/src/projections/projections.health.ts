import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ProjectionsService } from './projections.service';

/**
 * A failed projection makes /health DOWN (503): its read model is frozen, so capacity and
 * trends shown to officers are silently out of date, and that must alert. So does one
 * `rebuilding` because the event log no longer held the event its checkpoint stood on (the log
 * was cut, or an older backup restored): until rebuilt its figures are wrong. Catching up after
 * a restart is normal and stays UP. Details give name, position, state and error type only.
 */
@Injectable()
export class ProjectionsHealthIndicator {
  constructor(
    private readonly projections: ProjectionsService,
    private readonly indicator: HealthIndicatorService,
  ) {}

  check() {
    const check = this.indicator.check('projections');
    const statuses = this.projections.runner.status().map((s) => ({
      name: s.name,
      position: s.position.toString(),
      state: s.state,
      ...(s.error ? { error: { type: s.error.type, code: s.error.code, position: s.error.position.toString() } } : {}),
    }));
    return statuses.some((s) => s.state === 'failed' || s.state === 'rebuilding')
      ? check.down({ projections: statuses })
      : check.up({ projections: statuses });
  }
}
