import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  decideChangePlannedEnd,
  decideEndPlacement,
  decidePlacement,
  DomainError,
  referralDecider,
  referralStreamId,
} from '@placement/domain';
import type { UnitRef } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { ApiCommand } from '../commands/command-base';
import type { CommandContext } from '../commands/command-context';
import { commandResult, CommandResult } from '../commands/command-result';
import { FlowRunner } from '../commands/flow-runner';
import { IdInUseError } from '../commands/id-in-use';
import { assertPlacementIdIsFor } from '../commands/owned-ids';
import { DecisionOutcome, DomainEvent, handle, loadStream, recordedHere } from '../commands/stream-decider';
import { UnitDirectory } from '../directory/unit-directory';
import { PlacementExclusions } from '../matching/placement-exclusions';
import { EVENT_STORE } from '../store/store.module';
import type { EndPlacementDto, RevisePlannedEndDto, StartPlacementDto, UnitDto } from './placements.dto';

export class StartPlacementCommand extends ApiCommand<StartPlacementDto> {}
export class EndPlacementCommand extends ApiCommand<EndPlacementDto & { placementId: string }> {}
export class RevisePlannedEndCommand extends ApiCommand<RevisePlannedEndDto & { placementId: string }> {}
export class WithdrawPlannedEndCommand extends ApiCommand<{ placementId: string }> {}

const logger = new Logger('Placements');

export function unitRef(dto: UnitDto): UnitRef {
  switch (dto.kind) {
    case 'bed':
      return { kind: 'bed', settingId: dto.settingId ?? '', bedId: dto.bedId ?? '' };
    case 'household':
      return { kind: 'household', householdId: dto.householdId ?? '' };
    case 'block-bed':
      return { kind: 'block-bed', contractId: dto.contractId ?? '', bedRef: dto.bedRef ?? '' };
    case 'external':
      return {
        kind: 'external',
        urn: dto.urn ?? null,
        provider: { name: dto.provider?.name ?? '', code: dto.provider?.code ?? 'PR4' },
      };
    default: {
      const _exhaustive: never = dto.kind;
      return _exhaustive;
    }
  }
}

/** Closing the referral is bookkeeping after the placement stands; a failure here is repaired later, not surfaced. */
async function closeReferralAsPlaced(
  store: EventStore,
  referralId: string | null,
  placementId: string,
  ctx: CommandContext,
): Promise<DecisionOutcome<DomainEvent> | null> {
  if (!referralId) return null;
  try {
    const loaded = await loadStream(store, referralDecider, referralStreamId(referralId));
    if (loaded.state.status !== 'Open' && !recordedHere(loaded, ctx)) return null;
    const close = {
      type: 'CloseReferral' as const,
      data: { referralId, outcome: 'placed' as const, placementId, at: ctx.at },
    };
    return await handle(store, referralDecider, referralStreamId(referralId), ctx, () => close, { loaded });
  } catch (error) {
    logger.warn({
      msg: 'referral left open after placement',
      placementId,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return null;
  }
}

/** The domain's placement flow: the unit over the placement's dates first, then the child's record. */
@CommandHandler(StartPlacementCommand)
export class StartPlacementHandler implements ICommandHandler<StartPlacementCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: FlowRunner,
    private readonly directory: UnitDirectory,
    private readonly exclusions: PlacementExclusions,
  ) {}

  async execute({ body, ctx }: StartPlacementCommand): Promise<CommandResult> {
    await assertPlacementIdIsFor(this.directory, body.placementId, body.childId, 'childId');
    const referralId = body.referralId ?? null;
    const unit = unitRef(body.unit);
    const written = await this.runner.run(ctx, async (load) => {
      const [child, referral] = [await load.child(body.childId), referralId ? await load.referral(referralId) : null];
      return decidePlacement(
        {
          placementId: body.placementId,
          childId: body.childId,
          referralId,
          emergency: body.emergency,
          startDate: body.startDate,
          at: ctx.at,
          place: body.place,
          placeProvider: body.placeProvider,
          legalStatus: body.legalStatus ?? null,
          placementPostcode: body.placementPostcode ?? null,
          placementType: body.placementType ?? null,
          siblingGroupId: body.siblingGroupId ?? null,
        },
        {
          unit: await load.unit(unit),
          child,
          referral,
          home: unit.kind === 'bed' ? await load.home(unit.settingId, unit.bedId) : null,
          // The engine's judgement of this unit on the start date; the flow decides which reasons bind.
          exclusions: await this.exclusions.of(referral, child, unit, body.startDate),
        },
      );
    });
    // A retry's answer from the flow already lists what this command wrote on the referral it read
    // (its ReferralClosed): closing again would only replay it, and list it twice.
    const closedBefore = written.some((o) => o.replayed && o.events.some((e) => e.type === 'ReferralClosed'));
    const closed = closedBefore ? null : await closeReferralAsPlaced(this.store, referralId, body.placementId, ctx);
    return commandResult(body.placementId, ...written, ...(closed ? [closed] : []));
  }
}

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

/** Ending is recorded on the child first (the fact), then the unit's booking ends on the same date. */
@CommandHandler(EndPlacementCommand)
export class EndPlacementHandler implements ICommandHandler<EndPlacementCommand, CommandResult> {
  constructor(
    private readonly runner: FlowRunner,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: EndPlacementCommand): Promise<CommandResult> {
    const entry = await placementEntry(this.directory, body.placementId);
    const request = {
      childId: entry.childId,
      placementId: body.placementId,
      endDate: body.endDate,
      reasonForChange: body.reasonForChange ?? null,
      reasonEpisodeCeased: body.reasonEpisodeCeased ?? null,
      next: body.next ?? null,
    };
    const written = await this.runner.run(ctx, async (load) =>
      decideEndPlacement(request, await load.unit(entry.unit), await load.child(entry.childId)),
    );
    return commandResult(body.placementId, ...written);
  }
}

/** A planned end moved (or withdrawn) before it happens: the unit's booking first, then the child's record. */
@CommandHandler(RevisePlannedEndCommand)
export class RevisePlannedEndHandler implements ICommandHandler<RevisePlannedEndCommand, CommandResult> {
  constructor(
    private readonly runner: FlowRunner,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: RevisePlannedEndCommand): Promise<CommandResult> {
    const entry = await placementEntry(this.directory, body.placementId);
    const request = {
      childId: entry.childId,
      placementId: body.placementId,
      endDate: body.endDate,
      reasonForChange: body.reasonForChange ?? null,
      reasonEpisodeCeased: body.reasonEpisodeCeased ?? null,
      next: body.next ?? null,
      at: ctx.at,
    };
    const written = await this.runner.run(ctx, async (load) =>
      decideChangePlannedEnd(request, await load.unit(entry.unit), await load.child(entry.childId)),
    );
    return commandResult(body.placementId, ...written);
  }
}

@CommandHandler(WithdrawPlannedEndCommand)
export class WithdrawPlannedEndHandler implements ICommandHandler<WithdrawPlannedEndCommand, CommandResult> {
  constructor(
    private readonly runner: FlowRunner,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: WithdrawPlannedEndCommand): Promise<CommandResult> {
    const entry = await placementEntry(this.directory, body.placementId);
    const request = {
      childId: entry.childId,
      placementId: body.placementId,
      endDate: null,
      reasonForChange: null,
      reasonEpisodeCeased: null,
      at: ctx.at,
    };
    const written = await this.runner.run(ctx, async (load) =>
      decideChangePlannedEnd(request, await load.unit(entry.unit), await load.child(entry.childId)),
    );
    return commandResult(body.placementId, ...written);
  }
}
