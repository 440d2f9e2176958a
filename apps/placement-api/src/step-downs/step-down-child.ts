import { ForbiddenException } from '@nestjs/common';
import { childDecider, childStreamId, DomainError } from '@placement/domain';
import type { ChildEvent, ChildFile, ChildState, UnitRef } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { type CommandContext, loadStream, type LoadedStream } from '../commands/command';
import type { UnitDirectory } from '../directory/unit-directory';

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
 * The child's stream of a step-down, loaded once and handed to the command's `handle`, after the
 * manager's check on the home the step-down leaves (made before a retry is answered).
 */
export async function loadStepDownChild(
  directory: UnitDirectory,
  store: EventStore,
  stepDownId: string,
  ctx: CommandContext,
): Promise<{ childId: string; loaded: LoadedStream<ChildEvent, ChildState> }> {
  const childId = await childOfStepDown(directory, stepDownId);
  const loaded = await loadStream(store, childDecider, childStreamId(childId));
  const child = registered(childId, loaded.state);
  const stepDown = child.stepDowns.find((s) => s.stepDownId === stepDownId);
  const from = child.placements.find((p) => p.placementId === stepDown?.fromPlacementId);
  if (from) assertManagerKeeps(ctx, from.unit);
  return { childId, loaded };
}
