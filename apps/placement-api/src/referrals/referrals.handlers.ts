import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  ageOn,
  emergencyStayOverdue,
  latestMeeting,
  openPlacement,
  bedDecider,
  bedStreamId,
  childDecider,
  childStreamId,
  DomainError,
  referralDecider,
  referralStreamId,
} from '@placement/domain';
import type { ChildState, ReferralNeeds, ReferralState, UnitConsidered } from '@placement/domain';
import type { Clock, EventStore } from '@placement/event-store';
import type { Environment } from '../config/environment';
import { ENVIRONMENT } from '../config/tokens';
import { londonDate } from '../http/london-date';
import { ApiCommand } from '../commands/command-base';
import { commandResult, CommandResult } from '../commands/command-result';
import { decideOnStream, DecisionOutcome, DomainEvent, loadStream } from '../commands/stream-decider';
import { CLOCK, EVENT_STORE } from '../store/store.module';
import type { HoldBedDto, MatchingMeetingDto, NeedsDto, ReceiveReferralDto } from './referrals.dto';

export class ReceiveReferralCommand extends ApiCommand<ReceiveReferralDto> {}
export class HoldBedForReferralCommand extends ApiCommand<HoldBedDto & { referralId: string }> {}
export class RecordMatchingMeetingCommand extends ApiCommand<MatchingMeetingDto & { referralId: string }> {}
export class GetReferralQuery {
  constructor(readonly referralId: string) {}
}
export class GetChildQuery {
  constructor(readonly childId: string) {}
}

export async function requireReferral(
  store: EventStore,
  referralId: string,
): Promise<Exclude<ReferralState, { status: 'NotReceived' }>> {
  const { state } = await loadStream(store, referralDecider, referralStreamId(referralId));
  if (state.status === 'NotReceived') throw new DomainError('NOT_FOUND', `referral ${referralId} was not received`);
  return state;
}

export async function requireChild(
  store: EventStore,
  childId: string,
): Promise<Exclude<ChildState, { status: 'Unknown' }>> {
  const { state } = await loadStream(store, childDecider, childStreamId(childId));
  if (state.status === 'Unknown') throw new DomainError('NOT_FOUND', `child ${childId} is not registered`);
  return state;
}

function needsFor(dto: NeedsDto, sex: 'M' | 'F' | 'U', ageAtStart: number): ReferralNeeds {
  return {
    sex,
    ageAtStart,
    siblingGroup: dto.siblingGroup ?? null,
    preferredArea: {
      postcodeDistrict: dto.preferredArea.postcodeDistrict ?? null,
      maxDistanceKm: dto.preferredArea.maxDistanceKm ?? null,
    },
    schoolPostcode: dto.schoolPostcode ?? null,
    familyContactPostcode: dto.familyContactPostcode ?? null,
    communicationNeeds: dto.communicationNeeds,
    adaptations: dto.adaptations,
    canLiveWith: dto.canLiveWith,
    placementTypeSuitability: { ...dto.placementTypeSuitability },
    fosterPlacementType: dto.fosterPlacementType,
    risksToSelf: dto.risksToSelf,
    risksToOthers: dto.risksToOthers,
    deprivationOfLiberty: dto.deprivationOfLiberty,
    weeklyBudget: dto.weeklyBudget ?? null,
  };
}

/** A referral is how a child enters the record: an unknown child is registered with it. */
@CommandHandler(ReceiveReferralCommand)
export class ReceiveReferralHandler implements ICommandHandler<ReceiveReferralCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: ReceiveReferralCommand): Promise<CommandResult> {
    const outcomes: DecisionOutcome<DomainEvent>[] = [];
    const child = await loadStream(this.store, childDecider, childStreamId(body.childId));
    const registeredHere = child.recorded.some((r) => r.metadata.commandId === ctx.commandId);
    if (child.state.status === 'Unknown' || registeredHere) {
      if (!body.child)
        throw new DomainError(
          'NOT_FOUND',
          `child ${body.childId} is not registered: include child facts to register them`,
        );
      const facts = body.child;
      const register = {
        type: 'RegisterChild' as const,
        data: {
          childId: body.childId,
          sex: facts.sex,
          dateOfBirth: facts.dateOfBirth,
          localAuthority: facts.localAuthority,
          homePostcode: facts.homePostcode,
          categoryOfNeed: facts.categoryOfNeed,
          ethnicity: facts.ethnicity ?? null,
          upn: facts.upn ?? null,
          // MOTHER and MC_DOB only when given, so a registration without them reads as before.
          ...((facts.mother ?? null) === null ? {} : { mother: facts.mother }),
          ...((facts.motherChildDateOfBirth ?? null) === null
            ? {}
            : { motherChildDateOfBirth: facts.motherChildDateOfBirth }),
        },
      };
      outcomes.push(
        await decideOnStream(this.store, childDecider, childStreamId(body.childId), register, ctx, { loaded: child }),
      );
    }
    const known = await requireChild(this.store, body.childId);
    const needs = needsFor(body.needs, known.child.sex, ageOn(known.child.dateOfBirth, body.startDate));
    const receive = {
      type: 'ReceiveReferral' as const,
      data: {
        referralId: body.referralId,
        childId: body.childId,
        urgency: body.urgency,
        startDate: body.startDate,
        needs,
        requestedBy: body.requestedBy,
        at: ctx.at,
      },
    };
    outcomes.push(await decideOnStream(this.store, referralDecider, referralStreamId(body.referralId), receive, ctx));
    return commandResult(body.referralId, ...outcomes);
  }
}

@CommandHandler(HoldBedForReferralCommand)
export class HoldBedForReferralHandler implements ICommandHandler<HoldBedForReferralCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: HoldBedForReferralCommand): Promise<CommandResult> {
    const referral = await requireReferral(this.store, body.referralId);
    if (referral.status !== 'Open')
      throw new DomainError('REFERRAL_NOT_OPEN', `referral ${body.referralId} is ${referral.status.toLowerCase()}`);
    const hold = {
      type: 'HoldBed' as const,
      data: {
        settingId: body.settingId,
        bedId: body.bedId,
        referralId: body.referralId,
        childId: referral.referral.childId,
        until: body.until,
        at: ctx.at,
      },
    };
    const outcome = await decideOnStream(this.store, bedDecider, bedStreamId(body.settingId, body.bedId), hold, ctx);
    return commandResult(body.bedId, outcome);
  }
}

@CommandHandler(RecordMatchingMeetingCommand)
export class RecordMatchingMeetingHandler implements ICommandHandler<RecordMatchingMeetingCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: RecordMatchingMeetingCommand): Promise<CommandResult> {
    await requireReferral(this.store, body.referralId);
    const { unitConsidered: u, ...meeting } = body;
    const unitConsidered: UnitConsidered =
      u.kind === 'setting'
        ? { kind: 'setting', settingId: u.settingId ?? '' }
        : u.kind === 'household'
          ? { kind: 'household', householdId: u.householdId ?? '' }
          : { kind: 'other', ref: u.ref ?? '' };
    const command = { type: 'RecordMatchingMeeting' as const, data: { ...meeting, unitConsidered } };
    const outcome = await decideOnStream(this.store, referralDecider, referralStreamId(body.referralId), command, ctx);
    return commandResult(body.meetingId, outcome);
  }
}

@QueryHandler(GetReferralQuery)
export class GetReferralHandler implements IQueryHandler<GetReferralQuery, ReferralState> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ referralId }: GetReferralQuery): Promise<ReferralState> {
    return requireReferral(this.store, referralId);
  }
}

export interface ChildView {
  child: Exclude<ChildState, { status: 'Unknown' }>['child'];
  flags: {
    /** An emergency placement whose referral has no matched meeting yet (DESIGN §4). */
    unmatchedEmergency: boolean;
    /** An emergency stay still open past the working-day limit on the given date. */
    emergencyStayOverdue: boolean;
  };
}

@QueryHandler(GetChildQuery)
export class GetChildHandler implements IQueryHandler<GetChildQuery, ChildView> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ENVIRONMENT) private readonly env: Environment,
  ) {}

  async execute({ childId }: GetChildQuery): Promise<ChildView> {
    const { child } = await requireChild(this.store, childId);
    const open = openPlacement(child);
    let unmatchedEmergency = false;
    if (open?.emergency) {
      const referral = open.referralId ? await requireReferral(this.store, open.referralId) : null;
      const meeting = referral ? latestMeeting(referral) : null;
      unmatchedEmergency = !(meeting && meeting.decision === 'matched');
    }
    const today = londonDate(this.clock.now());
    const policy = { limitWorkingDays: this.env.EMERGENCY_STAY_LIMIT_WORKING_DAYS, bankHolidays: [] };
    const emergencyStayOverdue_ = open?.emergency === true && emergencyStayOverdue(open.startDate, today, policy);
    return { child, flags: { unmatchedEmergency, emergencyStayOverdue: emergencyStayOverdue_ } };
  }
}
