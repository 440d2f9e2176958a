import { Injectable } from '@nestjs/common';
import { DomainError } from '@placement/domain';
import type { ChildState, EndPlacementRequest, PlacementFlow, UnitView } from '@placement/domain';
import {
  commandResult,
  IdInUseError,
  type CommandOnBus,
  type CommandContext,
  type CommandResult,
} from '../commands/command';
import { FlowRunner } from '../commands/flow-runner';
import { UnitDirectory } from '../directory/unit-directory';

/** The child and unit of a placement, by its id; an id recorded for two children cannot be acted on by it. */
async function placementEntry(directory: UnitDirectory, placementId: string) {
  await directory.caughtUp();
  const entry = directory.placement(placementId);
  if (!entry) throw new DomainError('NOT_FOUND', `placement ${placementId} is not known`);
  if (entry.alsoRecordedFor.length > 0)
    throw new IdInUseError(
      placementId,
      'placementId',
      `placement ${placementId} is recorded for more than one child; it cannot be ended by its id`,
    );
  return entry;
}

/** An end as a route's body gives it (absent codes are null), for the child `childId`. */
export function endRequest(
  childId: string,
  body: Omit<EndPlacementRequest, 'childId' | 'reasonForChange' | 'reasonEpisodeCeased'> & {
    readonly reasonForChange?: string | null;
    readonly reasonEpisodeCeased?: string | null;
  },
): EndPlacementRequest {
  return {
    childId,
    placementId: body.placementId,
    endDate: body.endDate,
    reasonForChange: body.reasonForChange ?? null,
    reasonEpisodeCeased: body.reasonEpisodeCeased ?? null,
    next: body.next ?? null,
  };
}

/**
 * The handler of a command on one placement by its id (ending it, revising or withdrawing its
 * planned end): the placement's child and unit are found in the directory, and the domain's flow,
 * decided on the two streams, is run by the flow runner.
 */
@Injectable()
export abstract class PlacementFlowHandler<C extends CommandOnBus<{ placementId: string }>> {
  constructor(
    private readonly runner: FlowRunner,
    private readonly directory: UnitDirectory,
  ) {}

  abstract execute(command: C): Promise<CommandResult>;

  protected async runOnPlacement(
    placementId: string,
    ctx: CommandContext,
    decide: (childId: string, unit: UnitView, child: ChildState) => PlacementFlow,
  ): Promise<CommandResult> {
    const entry = await placementEntry(this.directory, placementId);
    const written = await this.runner.run(ctx, async (load) =>
      decide(entry.childId, await load.unit(entry.unit), await load.child(entry.childId)),
    );
    return commandResult(placementId, ...written);
  }
}
