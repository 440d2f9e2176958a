import { ForbiddenException, Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  childDecider,
  childStreamId,
  decideChangePlannedEnd,
  decideEndPlacement,
  decidePlacement,
  decideStepDownCompletion,
  DomainError,
  householdDecider,
  householdStreamId,
  openPlacement,
  referralDecider,
  referralStreamId,
} from '@placement/domain';
import type { ChildFile, FosterPlacementType, HouseholdFitFacts, UnitRef } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { ApiCommand } from '../commands/command-base';
import type { CommandContext } from '../commands/command-context';
import { commandResult, CommandResult } from '../commands/command-result';
import { FlowRunner } from '../commands/flow-runner';
import { IdInUseError } from '../commands/id-in-use';
import { assertPlacementIdIsFor, assertStepDownIdIsFor } from '../commands/owned-ids';
import { decideOnStream, DecisionOutcome, DomainEvent, loadStream } from '../commands/stream-decider';
import { UnitDirectory } from '../directory/unit-directory';
import { PlacementExclusions } from '../matching/placement-exclusions';
import { requireChild } from '../referrals/referrals.handlers';
import { EVENT_STORE } from '../store/store.module';
import type {
  AbandonStepDownDto,
  CompleteStepDownDto,
  EndPlacementDto,
  PlanStepDownDto,
  RevisePlannedEndDto,
  StartPlacementDto,
  StepDownMilestoneDto,
  UnitDto,
} from './placements.dto';

export class StartPlacementCommand extends ApiCommand<StartPlacementDto> {}
export class EndPlacementCommand extends ApiCommand<EndPlacementDto & { placementId: string }> {}
export class RevisePlannedEndCommand extends ApiCommand<RevisePlannedEndDto & { placementId: string }> {}
export class WithdrawPlannedEndCommand extends ApiCommand<{ placementId: string }> {}
export class PlanStepDownCommand extends ApiCommand<PlanStepDownDto> {}
export class RecordStepDownMilestoneCommand extends ApiCommand<StepDownMilestoneDto & { stepDownId: string }> {}
export class CompleteStepDownCommand extends ApiCommand<CompleteStepDownDto & { stepDownId: string }> {}
export class AbandonStepDownCommand extends ApiCommand<AbandonStepDownDto & { stepDownId: string }> {}

const logger = new Logger('Placements');

/** Residential managers keep step-downs from their own settings only. */
function assertManagerKeeps(ctx: CommandContext, from: UnitRef): void {
  if (ctx.actor.role !== 'residential-manager') return;
  const keeps = ctx.actor.settingIds ?? [];
  if (from.kind !== 'bed' || !keeps.includes(from.settingId)) {
    throw new ForbiddenException('A residential manager may only act on step-downs from their own settings');
  }
}

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
    if (loaded.state.status !== 'Open' && !loaded.recorded.some((r) => r.metadata.commandId === ctx.commandId))
      return null;
    return await decideOnStream(
      store,
      referralDecider,
      referralStreamId(referralId),
      { type: 'CloseReferral', data: { referralId, outcome: 'placed', placementId, at: ctx.at } },
      ctx,
      { loaded },
    );
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

async function receivingHousehold(store: EventStore, householdId: string): Promise<HouseholdFitFacts> {
  const { state } = await loadStream(store, householdDecider, householdStreamId(householdId));
  if (state.status === 'NotApproved') throw new DomainError('NOT_FOUND', `household ${householdId} is not approved`);
  return { householdId, status: state.status, termsHistory: state.termsHistory, bookings: state.placements };
}

@CommandHandler(PlanStepDownCommand)
export class PlanStepDownHandler implements ICommandHandler<PlanStepDownCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: PlanStepDownCommand): Promise<CommandResult> {
    await assertStepDownIdIsFor(this.directory, body.stepDownId, body.childId);
    const child = await requireChild(this.store, body.childId);
    const from = openPlacement(child.child);
    if (!from) throw new DomainError('NOT_RESIDENTIAL', 'the child has no open placement to step down from');
    assertManagerKeeps(ctx, from.unit);
    const command = {
      type: 'PlanStepDown' as const,
      data: {
        childId: body.childId,
        stepDownId: body.stepDownId,
        fromPlacementId: from.placementId,
        toHousehold: await receivingHousehold(this.store, body.toHouseholdId),
        placementType: body.placementType as FosterPlacementType,
        siblingGroupId: body.siblingGroupId ?? null,
        plannedDate: body.plannedDate,
        safetyPlan: body.safetyPlan,
        milestones: body.milestones,
      },
    };
    const outcome = await decideOnStream(this.store, childDecider, childStreamId(body.childId), command, ctx);
    return commandResult(body.stepDownId, outcome);
  }
}

async function stepDownChild(
  directory: UnitDirectory,
  store: EventStore,
  stepDownId: string,
  ctx: CommandContext,
): Promise<ChildFile> {
  await directory.caughtUp();
  const childId = directory.childOfStepDown(stepDownId);
  if (!childId) throw new DomainError('NOT_FOUND', `step-down ${stepDownId} is not known`);
  const child = (await requireChild(store, childId)).child;
  const stepDown = child.stepDowns.find((s) => s.stepDownId === stepDownId);
  const from = child.placements.find((p) => p.placementId === stepDown?.fromPlacementId);
  if (from) assertManagerKeeps(ctx, from.unit);
  return child;
}

@CommandHandler(RecordStepDownMilestoneCommand)
export class RecordStepDownMilestoneHandler implements ICommandHandler<RecordStepDownMilestoneCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: RecordStepDownMilestoneCommand): Promise<CommandResult> {
    const child = await stepDownChild(this.directory, this.store, body.stepDownId, ctx);
    const command = {
      type: 'RecordStepDownMilestone' as const,
      data: { childId: child.childId, ...body },
      at: ctx.at,
    };
    const outcome = await decideOnStream(this.store, childDecider, childStreamId(child.childId), command, ctx);
    return commandResult(body.stepDownId, outcome);
  }
}

/**
 * One command the user sees, run as the domain's step-down flow: the household place is taken
 * first (the contended unit), then the child's record ends the residential placement and starts
 * the foster one, then the bed's booking ends. A crash between steps is finished by a retry or
 * repaired by the reconciler.
 */
@CommandHandler(CompleteStepDownCommand)
export class CompleteStepDownHandler implements ICommandHandler<CompleteStepDownCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
    private readonly runner: FlowRunner,
  ) {}

  async execute({ body, ctx }: CompleteStepDownCommand): Promise<CommandResult> {
    const known = await stepDownChild(this.directory, this.store, body.stepDownId, ctx);
    await assertPlacementIdIsFor(this.directory, body.newPlacementId, known.childId, 'newPlacementId');
    const written = await this.runner.run(ctx, async (load) => {
      const child = await load.child(known.childId);
      const file = child.status === 'Registered' ? child.child : known;
      const stepDown = file.stepDowns.find((s) => s.stepDownId === body.stepDownId);
      if (!stepDown) throw new DomainError('NOT_FOUND', `step-down ${body.stepDownId} is not known`);
      const from = file.placements.find((p) => p.placementId === stepDown.fromPlacementId);
      if (!from) throw new DomainError('STEP_DOWN_NOT_ACTIVE', 'the placement stepped down from is not known');
      const household = await load.unit({ kind: 'household', householdId: stepDown.toHouseholdId });
      if (household.kind !== 'household') throw new Error('a household ref loads a household');
      return decideStepDownCompletion(
        {
          childId: known.childId,
          stepDownId: body.stepDownId,
          newPlacementId: body.newPlacementId,
          date: body.date,
          place: body.place,
          placeProvider: body.placeProvider ?? null,
          at: ctx.at,
          placementType: null,
          siblingGroupId: null,
        },
        household,
        await load.unit(from.unit),
        child,
      );
    });
    return commandResult(body.stepDownId, ...written);
  }
}

@CommandHandler(AbandonStepDownCommand)
export class AbandonStepDownHandler implements ICommandHandler<AbandonStepDownCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: AbandonStepDownCommand): Promise<CommandResult> {
    const child = await stepDownChild(this.directory, this.store, body.stepDownId, ctx);
    const command = { type: 'AbandonStepDown' as const, data: { childId: child.childId, ...body } };
    const outcome = await decideOnStream(this.store, childDecider, childStreamId(child.childId), command, ctx);
    return commandResult(body.stepDownId, outcome);
  }
}
