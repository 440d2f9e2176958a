import { Inject } from '@nestjs/common';
import type { Clock } from '@placement/event-store';
import { CLOCK } from '../store/store.module';
import { Commands } from './commands';

/**
 * What a command's route needs: `Commands`, to send the command (after the id check), and the
 * clock its context is dated by. Each command's route extends it (see docs/architecture.md).
 */
export abstract class CommandRoute {
  constructor(
    protected readonly commands: Commands,
    @Inject(CLOCK) protected readonly clock: Clock,
  ) {}
}
