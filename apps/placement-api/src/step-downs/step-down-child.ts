import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { childDecider, childStreamId, DomainError } from '@placement/domain';
import type { ChildCommand, ChildFile, ChildState, UnitRef } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import {
  commandResult,
  loadStream,
  type CommandOnBus,
  type CommandContext,
  type CommandResult,
} from '../commands/command';
import { handle } from '../commands/handle';
import { UnitDirectory } from '../directory/unit-directory';
import { EVENT_STORE } from '../store/store.module';

/** Residential managers keep step-downs from their own settings only. */
export function assertManagerKeeps(ctx: CommandContext, from: UnitRef): void {
  if (ctx.actor.role !== 'residential-manager') return;
  const keeps = ctx.actor.settingIds ?? [];
  if (from.kind !== 'bed' || !keeps.includes(from.settingId)) {
    throw new ForbiddenException('A residential manager may only act on step-downs from their own settings');
  }
}

/** A registered child's record, or `NOT_FOUND`. */
export function registered(childId: string, state: ChildState): ChildFile {
  if (state.status === 'Unknown') throw new DomainError('NOT_FOUND', `child ${childId} is not registered`);
  return state.child;
}

/** The step-down's child, by the step-down's id (the directory knows whose it is). */
export async function childOfStepDown(directory: UnitDirectory, stepDownId: string): Promise<string> {
  await directory.caughtUp();
  const childId = directory.childOfStepDown(stepDownId);
  if (!childId) throw new DomainError('NOT_FOUND', `step-down ${stepDownId} is not known`);
  return childId;
}

/**
 * The handler of a command on a step-down by its id (abandoning it, recording a milestone):
 * decided on the step-down's child's stream, loaded once, after the manager's check on the home
 * the step-down leaves (made before a retry is answered), and answered by the step-down's id.
 */
@Injectable()
export abstract class StepDownHandler<C extends CommandOnBus<{ stepDownId: string }>> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  abstract execute(command: C): Promise<CommandResult>;

  protected async decideOnChild(
    stepDownId: string,
    ctx: CommandContext,
    command: (childId: string) => ChildCommand,
  ): Promise<CommandResult> {
    const childId = await childOfStepDown(this.directory, stepDownId);
    const loaded = await loadStream(this.store, childDecider, childStreamId(childId));
    const child = registered(childId, loaded.state);
    const stepDown = child.stepDowns.find((s) => s.stepDownId === stepDownId);
    const from = child.placements.find((p) => p.placementId === stepDown?.fromPlacementId);
    if (from) assertManagerKeeps(ctx, from.unit);
    const outcome = await handle(this.store, childDecider, childStreamId(childId), ctx, () => command(childId), {
      loaded,
    });
    return commandResult(stepDownId, outcome);
  }
}
