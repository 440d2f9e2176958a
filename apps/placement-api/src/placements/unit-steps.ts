import { Inject, Injectable } from '@nestjs/common';
import {
  bedDecider,
  bedStreamId,
  contractDecider,
  contractStreamId,
  DomainError,
  householdDecider,
  householdStreamId,
  meetingFor,
} from '@placement/domain';
import type {
  BedOccupied,
  ChildFile,
  ContractEvent,
  FosterPlacementType,
  ReferralState,
  UnitRef,
} from '@placement/domain';
import type { EventStore, ExpectedRevision, RecordedEvent } from '@placement/event-store';
import { WrongExpectedVersionError } from '@placement/event-store';
import type { CommandContext } from '../commands/command-context';
import { decideOnStream, DecisionOutcome, DomainEvent, loadStream } from '../commands/stream-decider';
import { UnitDirectory } from '../directory/unit-directory';
import { requireSetting } from '../settings/settings.handlers';
import { EVENT_STORE } from '../store/store.module';

export interface TakeUnitRequest {
  unit: UnitRef;
  placementId: string;
  child: ChildFile;
  referralId: string | null;
  referral: ReferralState | null;
  startDate: string;
  emergency: boolean;
  placementType: FosterPlacementType;
  siblingGroupId: string | null;
  stepDownId: string | null;
}

export interface TakenUnit {
  outcome: DecisionOutcome<DomainEvent> | null;
  /** An emergency made before a matched meeting covered this unit. */
  unmatchedEmergency: boolean;
  /** The command id the take was recorded under (a retake's own), so a compensation never reuses an earlier one's event ids. */
  takenUnder: string;
  /** The unit's postcode and Ofsted URN, for SSDA903 PL_POST and URN. */
  postcode: string | null;
  urn: string | null;
}

/** Enough for a burst of appends to one busy household; each attempt is a read and an append. */
const RELEASE_ATTEMPTS = 10;

export type ReleaseReason = 'placement-ended' | 'step-down' | 'compensation';

/**
 * Taking and releasing the contended unit of a placement. Each is one append to the
 * unit's own stream with the exact revision read, so two children can never both win it.
 */
@Injectable()
export class UnitSteps {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async take(request: TakeUnitRequest, ctx: CommandContext): Promise<TakenUnit> {
    const { unit, child } = request;
    const childFacts = { childId: child.childId, dateOfBirth: child.dateOfBirth, sex: child.sex };
    switch (unit.kind) {
      case 'bed': {
        const setting = await requireSetting(this.store, unit.settingId);
        const residents = await this.residentsOf(unit.settingId, unit.bedId);
        const command = {
          type: 'OccupyBed' as const,
          data: {
            settingId: unit.settingId,
            bedId: unit.bedId,
            placementId: request.placementId,
            referralId: request.referralId,
            emergency: request.emergency,
            startDate: request.startDate,
            at: ctx.at,
            child: childFacts,
            setting: { open: setting.status === 'Registered', registration: setting.setting.registration },
            currentResidentChildIds: residents,
            matchingMeeting: request.referral
              ? meetingFor(request.referral, { kind: 'setting', settingId: unit.settingId })
              : null,
          },
        };
        const streamId = bedStreamId(unit.settingId, unit.bedId);
        const loaded = await loadStream(this.store, bedDecider, streamId);
        const holds = loaded.state.status === 'Occupied' && loaded.state.occupant.placementId === request.placementId;
        const takeCtx = retakeContext(loaded.recorded, holds, ctx, loaded.expectedRevision);
        const outcome = await decideOnStream(this.store, bedDecider, streamId, command, takeCtx, { loaded });
        const occupied = outcome.events.find((e): e is BedOccupied => e.type === 'BedOccupied');
        return {
          outcome,
          unmatchedEmergency: occupied?.data.unmatchedEmergency ?? false,
          postcode: setting.setting.postcode,
          urn: setting.setting.urn,
          takenUnder: takeCtx.commandId,
        };
      }
      case 'household': {
        const command = {
          type: 'PlaceChildWithHousehold' as const,
          data: {
            householdId: unit.householdId,
            placementId: request.placementId,
            child: childFacts,
            referralId: request.referralId,
            placementType: request.placementType,
            siblingGroupId: request.siblingGroupId,
            startDate: request.startDate,
            emergency: request.emergency,
            stepDownId: request.stepDownId,
            at: ctx.at,
          },
        };
        const loaded = await loadStream(this.store, householdDecider, householdStreamId(unit.householdId));
        if (loaded.state.status === 'NotApproved')
          throw new DomainError('NOT_FOUND', `household ${unit.householdId} is not approved`);
        const holds = loaded.state.children.some((c) => c.placementId === request.placementId);
        const takeCtx = retakeContext(loaded.recorded, holds, ctx, loaded.expectedRevision);
        const outcome = await decideOnStream(
          this.store,
          householdDecider,
          householdStreamId(unit.householdId),
          command,
          takeCtx,
          { loaded },
        );
        const matched =
          request.referral !== null &&
          meetingFor(request.referral, { kind: 'household', householdId: unit.householdId })?.decision === 'matched';
        return {
          outcome,
          unmatchedEmergency: request.emergency && !matched,
          postcode: loaded.state.terms.postcode,
          urn: null,
          takenUnder: takeCtx.commandId,
        };
      }
      case 'block-bed': {
        const loaded = await loadStream(this.store, contractDecider, contractStreamId(unit.contractId));
        if (loaded.state.status === 'NotContracted')
          throw new DomainError('NOT_FOUND', `block booking ${unit.contractId} is not known`);
        const command = {
          type: 'AllocateBlockBed' as const,
          data: {
            contractId: unit.contractId,
            bedRef: unit.bedRef,
            placementId: request.placementId,
            childId: child.childId,
            referralId: request.referralId,
            date: request.startDate,
            at: ctx.at,
          },
        };
        const holds =
          loaded.state.status === 'Active' &&
          loaded.state.allocations[unit.bedRef]?.placementId === request.placementId;
        const takeCtx = retakeContext(loaded.recorded, holds, ctx, loaded.expectedRevision);
        const outcome = await decideOnStream(
          this.store,
          contractDecider,
          contractStreamId(unit.contractId),
          command,
          takeCtx,
          { loaded },
        );
        const matched =
          request.referral !== null &&
          meetingFor(request.referral, { kind: 'other', ref: unit.contractId })?.decision === 'matched';
        return {
          outcome,
          unmatchedEmergency: request.emergency && !matched,
          postcode: contractedPostcode(loaded.events),
          urn: loaded.state.contract.settingUrn,
          takenUnder: takeCtx.commandId,
        };
      }
      case 'external':
        // A spot purchase: the provider holds the place; no stream of ours to contend.
        return {
          outcome: null,
          unmatchedEmergency:
            request.emergency &&
            !(
              request.referral !== null &&
              meetingFor(request.referral, { kind: 'other', ref: unit.urn ?? unit.provider.name })?.decision ===
                'matched'
            ),
          postcode: null,
          urn: unit.urn,
          takenUnder: ctx.commandId,
        };
      default: {
        const _exhaustive: never = unit;
        return _exhaustive;
      }
    }
  }

  /**
   * Gives the unit back. A unit already released for this placement is left as it is.
   * A release follows a fact already recorded on the child, so another command's append to
   * the unit's stream in between is no reason to refuse it (and answer 409 for a command
   * that stands): the stream is read again and the release decided again.
   */
  async release(
    unit: UnitRef,
    placementId: string,
    childId: string,
    date: string,
    reason: ReleaseReason,
    ctx: CommandContext,
  ): Promise<DecisionOutcome<DomainEvent> | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.releaseOnce(unit, placementId, childId, date, reason, ctx);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= RELEASE_ATTEMPTS) throw error;
      }
    }
  }

  private async releaseOnce(
    unit: UnitRef,
    placementId: string,
    childId: string,
    date: string,
    reason: ReleaseReason,
    ctx: CommandContext,
  ): Promise<DecisionOutcome<DomainEvent> | null> {
    switch (unit.kind) {
      case 'bed': {
        const streamId = bedStreamId(unit.settingId, unit.bedId);
        const loaded = await loadStream(this.store, bedDecider, streamId);
        const holds = loaded.state.status === 'Occupied' && loaded.state.occupant.placementId === placementId;
        if (!holds && !loaded.recorded.some((r) => r.metadata.commandId === ctx.commandId)) return null;
        const command = {
          type: 'VacateBed' as const,
          data: { settingId: unit.settingId, bedId: unit.bedId, placementId, childId, date, reason },
        };
        return decideOnStream(this.store, bedDecider, streamId, command, ctx, { loaded });
      }
      case 'household': {
        const streamId = householdStreamId(unit.householdId);
        const loaded = await loadStream(this.store, householdDecider, streamId);
        const holds =
          loaded.state.status !== 'NotApproved' && loaded.state.children.some((c) => c.placementId === placementId);
        if (!holds && !loaded.recorded.some((r) => r.metadata.commandId === ctx.commandId)) return null;
        const leftReason = reason === 'compensation' ? ('compensation' as const) : ('placement-ended' as const);
        const command = {
          type: 'RecordChildLeftHousehold' as const,
          data: { householdId: unit.householdId, placementId, childId, date, reason: leftReason },
        };
        return decideOnStream(this.store, householdDecider, streamId, command, ctx, { loaded });
      }
      case 'block-bed': {
        const streamId = contractStreamId(unit.contractId);
        const loaded = await loadStream(this.store, contractDecider, streamId);
        const holds =
          loaded.state.status === 'Active' && loaded.state.allocations[unit.bedRef]?.placementId === placementId;
        if (!holds && !loaded.recorded.some((r) => r.metadata.commandId === ctx.commandId)) return null;
        const command = {
          type: 'ReleaseBlockBed' as const,
          data: { contractId: unit.contractId, bedRef: unit.bedRef, placementId, childId, date, reason },
        };
        return decideOnStream(this.store, contractDecider, streamId, command, ctx, { loaded });
      }
      case 'external':
        return null;
      default: {
        const _exhaustive: never = unit;
        return _exhaustive;
      }
    }
  }

  /** Children living in the setting now: the occupants of its other beds. */
  async residentsOf(settingId: string, exceptBedId: string | null = null): Promise<string[]> {
    await this.directory.caughtUp();
    const residents: string[] = [];
    for (const bedId of this.directory.bedsOf(settingId)) {
      if (bedId === exceptBedId) continue;
      const { state } = await loadStream(this.store, bedDecider, bedStreamId(settingId, bedId));
      if (state.status === 'Occupied') residents.push(state.occupant.childId);
    }
    return residents;
  }
}

/**
 * A retry whose first attempt took the unit, but the take was undone before the child's side
 * was written (compensated, or released by the reconciler after a crash), is decided afresh:
 * replaying the undone take would give the child a placement its unit no longer holds. The
 * derived id depends only on the stream's revision, so racing retries still write once.
 */
function retakeContext(
  recorded: readonly RecordedEvent[],
  holds: boolean,
  ctx: CommandContext,
  revision: ExpectedRevision,
): CommandContext {
  if (holds || !recorded.some((r) => r.metadata.commandId === ctx.commandId)) return ctx;
  return { ...ctx, commandId: `${ctx.commandId}:retake:${String(revision)}` };
}

function contractedPostcode(events: readonly ContractEvent[]): string | null {
  const contracted = events.find((e) => e.type === 'BlockBookingContracted');
  return contracted?.type === 'BlockBookingContracted' ? contracted.data.settingPostcode : null;
}
