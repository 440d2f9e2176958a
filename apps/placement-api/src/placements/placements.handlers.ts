import { ForbiddenException, Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  childDecider,
  childStreamId,
  DomainError,
  householdDecider,
  householdStreamId,
  openPlacement,
  referralDecider,
  referralStreamId,
  requireReferralOpen,
} from '@placement/domain';
import type { ChildFile, FosterPlacementType, ReferralState, UnitRef } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { ApiCommand } from '../commands/command-base';
import type { CommandContext } from '../commands/command-context';
import { IdInUseError } from '../commands/id-in-use';
import { commandResult, CommandResult } from '../commands/command-result';
import { assertPlacementIdIsFor, assertStepDownIdIsFor } from '../commands/owned-ids';
import { decideOnStream, DecisionOutcome, DomainEvent, loadStream } from '../commands/stream-decider';
import { UnitDirectory } from '../directory/unit-directory';
import { requireChild, requireReferral } from '../referrals/referrals.handlers';
import { EVENT_STORE } from '../store/store.module';
import type {
  AbandonStepDownDto,
  CompleteStepDownDto,
  EndPlacementDto,
  PlanStepDownDto,
  StartPlacementDto,
  StepDownMilestoneDto,
  UnitDto,
} from './placements.dto';
import { UnitSteps } from './unit-steps';

export class StartPlacementCommand extends ApiCommand<StartPlacementDto> {}
export class EndPlacementCommand extends ApiCommand<EndPlacementDto & { placementId: string }> {}
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

/** The child's side of a cross-stream flow; if it fails, the unit taken first is given back. */
async function recordOnChildOrCompensate<T>(
  unitSteps: UnitSteps,
  unit: UnitRef,
  placementId: string,
  childId: string,
  date: string,
  ctx: CommandContext,
  takenUnder: string,
  record: () => Promise<T>,
): Promise<T> {
  try {
    return await record();
  } catch (error) {
    const compensation = { ...ctx, commandId: `${takenUnder}:compensate` };
    try {
      await unitSteps.release(unit, placementId, childId, date, 'compensation', compensation);
    } catch (compensationError) {
      // Left for the reconciler, which repairs a unit whose placement the child never got.
      logger.error({
        msg: 'compensation failed; reconciler will repair',
        placementId,
        error: compensationError instanceof Error ? compensationError.name : 'unknown',
      });
    }
    throw error;
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

@CommandHandler(StartPlacementCommand)
export class StartPlacementHandler implements ICommandHandler<StartPlacementCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly unitSteps: UnitSteps,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: StartPlacementCommand): Promise<CommandResult> {
    const child = await loadStream(this.store, childDecider, childStreamId(body.childId));
    if (child.state.status === 'Unknown') throw new DomainError('NOT_FOUND', `child ${body.childId} is not registered`);
    await assertPlacementIdIsFor(this.directory, body.placementId, body.childId, 'childId');
    const referralId = body.referralId ?? null;
    const referral: ReferralState | null = referralId ? await requireReferral(this.store, referralId) : null;
    if (referral && referral.referral.childId !== body.childId)
      throw new DomainError('INVALID_INPUT', 'the referral is for another child');
    // A referral already placed under (closed, or not yet: a crash before its closing append) takes no other placement.
    if (referral) requireReferralOpen(referral, child.state, { retryOf: body.placementId });
    const unit = unitRef(body.unit);
    const startPlacement = (unmatchedEmergency: boolean, postcode: string | null, urn: string | null) => ({
      type: 'StartPlacement' as const,
      data: {
        childId: body.childId,
        placementId: body.placementId,
        unit,
        place: body.place,
        placeProvider: body.placeProvider,
        legalStatus: body.legalStatus ?? null,
        startDate: body.startDate,
        emergency: body.emergency,
        unmatchedEmergency,
        referralId,
        placementPostcode: body.placementPostcode ?? postcode,
        urn,
      },
    });
    // Decide the child's side first, writing nothing: a child who cannot take this placement
    // (overlap, wrong codes) never holds a unit, even for a moment.
    const alreadyRecorded = child.recorded.some((r) => r.metadata.commandId === ctx.commandId);
    if (!alreadyRecorded) childDecider.decide(startPlacement(false, null, null), child.state);

    const taken = await this.unitSteps.take(
      {
        unit,
        placementId: body.placementId,
        child: child.state.child,
        referralId,
        referral,
        startDate: body.startDate,
        emergency: body.emergency,
        placementType:
          body.placementType ??
          (body.emergency ? 'emergency' : (referral?.referral.needs.fosterPlacementType ?? 'short-term')),
        siblingGroupId: body.siblingGroupId ?? null,
        stepDownId: null,
      },
      ctx,
    );
    const recorded = await recordOnChildOrCompensate(
      this.unitSteps,
      unit,
      body.placementId,
      body.childId,
      body.startDate,
      ctx,
      taken.takenUnder,
      () =>
        decideOnStream(
          this.store,
          childDecider,
          childStreamId(body.childId),
          startPlacement(taken.unmatchedEmergency, taken.postcode, taken.urn),
          ctx,
        ),
    );
    const closed = await closeReferralAsPlaced(this.store, referralId, body.placementId, ctx);
    return commandResult(
      body.placementId,
      ...[taken.outcome, recorded, closed].filter((o): o is DecisionOutcome<DomainEvent> => o !== null),
    );
  }
}

/** Ending is recorded on the child first (the fact), then the unit is given back. */
@CommandHandler(EndPlacementCommand)
export class EndPlacementHandler implements ICommandHandler<EndPlacementCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly unitSteps: UnitSteps,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: EndPlacementCommand): Promise<CommandResult> {
    await this.directory.caughtUp();
    const entry = this.directory.placement(body.placementId);
    if (!entry) throw new DomainError('NOT_FOUND', `placement ${body.placementId} is not known`);
    if (entry.alsoRecordedFor.length > 0)
      throw new IdInUseError(
        body.placementId,
        'placementId',
        `placement ${body.placementId} is recorded for more than one child; it cannot be ended by its id`,
      );
    const command = {
      type: 'EndPlacement' as const,
      data: {
        childId: entry.childId,
        placementId: body.placementId,
        endDate: body.endDate,
        reasonForChange: body.reasonForChange ?? null,
        reasonEpisodeCeased: body.reasonEpisodeCeased ?? null,
      },
    };
    const ended = await decideOnStream(this.store, childDecider, childStreamId(entry.childId), command, ctx);
    const released = await this.unitSteps.release(
      entry.unit,
      body.placementId,
      entry.childId,
      body.endDate,
      'placement-ended',
      ctx,
    );
    return commandResult(
      body.placementId,
      ...[ended, released].filter((o): o is DecisionOutcome<DomainEvent> => o !== null),
    );
  }
}

async function receivingHousehold(store: EventStore, householdId: string) {
  const { state } = await loadStream(store, householdDecider, householdStreamId(householdId));
  if (state.status === 'NotApproved') throw new DomainError('NOT_FOUND', `household ${householdId} is not approved`);
  return {
    householdId,
    status: state.status,
    terms: state.terms,
    currentChildren: state.children.map((c) => ({ childId: c.childId, siblingGroupId: c.siblingGroupId })),
  };
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
    const command = { type: 'RecordStepDownMilestone' as const, data: { childId: child.childId, ...body } };
    const outcome = await decideOnStream(this.store, childDecider, childStreamId(child.childId), command, ctx);
    return commandResult(body.stepDownId, outcome);
  }
}

/**
 * One command the user sees: the household place is taken first (the contended unit), then
 * the child's stream ends the residential placement and starts the foster one, then the bed
 * is vacated. A crash between steps is finished by a retry or repaired by the reconciler.
 */
@CommandHandler(CompleteStepDownCommand)
export class CompleteStepDownHandler implements ICommandHandler<CompleteStepDownCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
    private readonly unitSteps: UnitSteps,
  ) {}

  async execute({ body, ctx }: CompleteStepDownCommand): Promise<CommandResult> {
    const child = await stepDownChild(this.directory, this.store, body.stepDownId, ctx);
    const stepDown = child.stepDowns.find((s) => s.stepDownId === body.stepDownId);
    if (!stepDown) throw new DomainError('NOT_FOUND', `step-down ${body.stepDownId} is not known`);
    const from = child.placements.find((p) => p.placementId === stepDown.fromPlacementId);
    if (!from) throw new DomainError('STEP_DOWN_NOT_ACTIVE', 'the placement stepped down from is not known');
    await assertPlacementIdIsFor(this.directory, body.newPlacementId, child.childId, 'newPlacementId');
    const household = await receivingHousehold(this.store, stepDown.toHouseholdId);
    const complete = {
      type: 'CompleteStepDown' as const,
      data: {
        childId: child.childId,
        stepDownId: body.stepDownId,
        newPlacementId: body.newPlacementId,
        date: body.date,
        place: body.place,
        placeProvider: body.placeProvider ?? (household.terms.provider === 'in-house' ? 'PR1' : 'PR4'),
        placementPostcode: household.terms.postcode,
      },
    };
    const childStream = await loadStream(this.store, childDecider, childStreamId(child.childId));
    if (!childStream.recorded.some((r) => r.metadata.commandId === ctx.commandId))
      childDecider.decide(complete, childStream.state);

    const household_ = { kind: 'household' as const, householdId: stepDown.toHouseholdId };
    const taken = await this.unitSteps.take(
      {
        unit: household_,
        placementId: body.newPlacementId,
        child,
        referralId: null,
        referral: null,
        startDate: body.date,
        emergency: false,
        placementType: household.terms.placementTypes.includes('long-term')
          ? 'long-term'
          : (household.terms.placementTypes[0] ?? 'long-term'),
        siblingGroupId: null,
        stepDownId: body.stepDownId,
      },
      ctx,
    );
    const recorded = await recordOnChildOrCompensate(
      this.unitSteps,
      household_,
      body.newPlacementId,
      child.childId,
      body.date,
      ctx,
      taken.takenUnder,
      () => decideOnStream(this.store, childDecider, childStreamId(child.childId), complete, ctx),
    );
    const vacated = await this.unitSteps.release(
      from.unit,
      from.placementId,
      child.childId,
      body.date,
      'step-down',
      ctx,
    );
    return commandResult(
      body.stepDownId,
      ...[taken.outcome, recorded, vacated].filter((o): o is DecisionOutcome<DomainEvent> => o !== null),
    );
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
