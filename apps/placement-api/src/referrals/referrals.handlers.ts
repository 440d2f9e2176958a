import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  ageOn,
  BankHolidaysNotKnownError,
  emergencyStayOverdue,
  londonDateOf,
  placementOn,
  childDecider,
  childStreamId,
  DomainError,
  referralDecider,
  referralStreamId,
  requireReferralTakesMeeting,
  settingDecider,
  settingStreamId,
} from '@placement/domain';
import type { BankHolidayCalendar, ChildState, ReferralNeeds, ReferralState, UnitConsidered } from '@placement/domain';
import type { Clock, EventStore, RecordedEvent } from '@placement/event-store';
import { BANK_HOLIDAYS } from '../calendar/calendar.module';
import type { Environment } from '../config/environment';
import { ENVIRONMENT } from '../config/tokens';
import {
  ApiCommand,
  commandResult,
  CommandResult,
  IdInUseError,
  assertMeetingIdIsFor,
  DecisionOutcome,
  DomainEvent,
  loadStream,
  recordedHere,
} from '../commands/command';
import { handle } from '../commands/handle';
import { UnitDirectory } from '../directory/unit-directory';
import { NO_FLAGS, occupantFlags, type OccupantFlags } from '../flags/occupant-flags';
import { CLOCK, EVENT_STORE } from '../store/store.module';
import type { MatchingMeetingDto, NeedsDto, ReceiveReferralDto } from './referrals.dto';

export class ReceiveReferralCommand extends ApiCommand<ReceiveReferralDto> {}
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

export function needsFor(dto: NeedsDto, sex: 'M' | 'F' | 'U', ageAtStart: number): ReferralNeeds {
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

/**
 * A referral is how a child enters the record: an unknown child is registered with it. Both
 * sides are decided before anything is written, so a referral id that is taken (another
 * child's, or received already) never leaves a child registered behind a refusal; facts sent
 * for a child already registered must be the facts on their record.
 */
@CommandHandler(ReceiveReferralCommand)
export class ReceiveReferralHandler implements ICommandHandler<ReceiveReferralCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: ReceiveReferralCommand): Promise<CommandResult> {
    const referral = await loadStream(this.store, referralDecider, referralStreamId(body.referralId));
    const referralHere = recordedHere(referral, ctx);
    if (!referralHere && referral.state.status !== 'NotReceived' && referral.state.referral.childId !== body.childId)
      throw new IdInUseError(body.referralId, 'childId', `referral ${body.referralId} is another child's referral`);
    const child = await loadStream(this.store, childDecider, childStreamId(body.childId));
    const registering = child.state.status === 'Unknown' || recordedHere(child, ctx);
    if (registering && !body.child)
      throw new DomainError(
        'NOT_FOUND',
        `child ${body.childId} is not registered: include child facts to register them`,
      );
    if (!registering && body.child) assertFactsOnRecord(body.childId, body.child, child.recorded, child.state);
    const facts =
      child.state.status === 'Registered'
        ? child.state.child
        : (body.child as NonNullable<ReceiveReferralDto['child']>);
    const receive = {
      type: 'ReceiveReferral' as const,
      data: {
        referralId: body.referralId,
        childId: body.childId,
        urgency: body.urgency,
        startDate: body.startDate,
        needs: needsFor(body.needs, facts.sex, ageOn(facts.dateOfBirth, body.startDate)),
        requestedBy: body.requestedBy,
        at: ctx.at,
      },
    };
    // Refused here (already received, bad needs) means nothing is written, the child included.
    if (!referralHere) referralDecider.decide(receive, referral.state);

    const outcomes: DecisionOutcome<DomainEvent>[] = [];
    if (registering && body.child) {
      const given = body.child;
      const register = {
        type: 'RegisterChild' as const,
        data: {
          childId: body.childId,
          sex: given.sex,
          dateOfBirth: given.dateOfBirth,
          localAuthority: given.localAuthority,
          homePostcode: given.homePostcode,
          categoryOfNeed: given.categoryOfNeed,
          ethnicity: given.ethnicity ?? null,
          upn: given.upn ?? null,
          // MOTHER and MC_DOB only when given, so a registration without them reads as before.
          ...((given.mother ?? null) === null ? {} : { mother: given.mother }),
          ...((given.motherChildDateOfBirth ?? null) === null
            ? {}
            : { motherChildDateOfBirth: given.motherChildDateOfBirth }),
        },
      };
      outcomes.push(
        await handle(this.store, childDecider, childStreamId(body.childId), ctx, () => register, { loaded: child }),
      );
    }
    outcomes.push(
      await handle(this.store, referralDecider, referralStreamId(body.referralId), ctx, () => receive, {
        loaded: referral,
      }),
    );
    return commandResult(body.referralId, ...outcomes);
  }
}

/** The facts a referral sends about a registered child are the facts on the child's record, field by field. */
function assertFactsOnRecord(
  childId: string,
  given: NonNullable<ReceiveReferralDto['child']>,
  recorded: readonly RecordedEvent[],
  state: ChildState,
): void {
  const firstRecorded = recorded.find((r) => r.type === 'ChildRegistered')?.data as Record<string, unknown> | undefined;
  if (firstRecorded === undefined) return;
  // UPN, MOTHER and MC_DOB may have been updated since registration: the record's latest values count.
  const registered: Record<string, unknown> =
    state.status === 'Registered'
      ? {
          ...firstRecorded,
          upn: state.child.upn,
          mother: state.child.mother,
          motherChildDateOfBirth: state.child.motherChildDateOfBirth,
        }
      : firstRecorded;
  for (const [field, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    if ((registered[field] ?? null) !== value)
      throw new IdInUseError(
        childId,
        `child.${field}`,
        `child ${childId} is registered with another ${field}; the referral must carry the facts on their record`,
      );
  }
}

/**
 * A matching meeting is for an open referral, or the meeting that follows an emergency
 * placement made under it, about the unit the child went to (requireReferralTakesMeeting).
 */
@CommandHandler(RecordMatchingMeetingCommand)
export class RecordMatchingMeetingHandler implements ICommandHandler<RecordMatchingMeetingCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: RecordMatchingMeetingCommand): Promise<CommandResult> {
    await assertMeetingIdIsFor(this.directory, body.meetingId, body.referralId);
    const loaded = await loadStream(this.store, referralDecider, referralStreamId(body.referralId));
    if (loaded.state.status === 'NotReceived')
      throw new DomainError('NOT_FOUND', `referral ${body.referralId} was not received`);
    const { unitConsidered: u, overrides, ...meeting } = body;
    const unitConsidered: UnitConsidered =
      u.kind === 'setting'
        ? { kind: 'setting', settingId: u.settingId ?? '' }
        : u.kind === 'household'
          ? { kind: 'household', householdId: u.householdId ?? '' }
          : { kind: 'other', ref: u.ref ?? '' };
    const command = {
      type: 'RecordMatchingMeeting' as const,
      data: { ...meeting, unitConsidered },
      overrides: overrides ?? [],
      at: ctx.at,
    };
    const streamId = referralStreamId(body.referralId);
    const outcome = await handle(
      this.store,
      referralDecider,
      streamId,
      ctx,
      async (referral) => {
        if (referral.status !== 'NotReceived')
          requireReferralTakesMeeting(referral, await childStateOf(this.store, referral), unitConsidered);
        return command;
      },
      { loaded },
    );
    return commandResult(body.meetingId, outcome);
  }
}

/** The record of the child a referral is for (an unknown child reads as such). */
export async function childStateOf(
  store: EventStore,
  referral: Exclude<ReferralState, { status: 'NotReceived' }>,
): Promise<ChildState> {
  return (await loadStream(store, childDecider, childStreamId(referral.referral.childId))).state;
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
  /** Where the child lives now, on today's London date (the bed's and its home's flags say the same). */
  flags: OccupantFlags & {
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
    @Inject(BANK_HOLIDAYS) private readonly bankHolidays: BankHolidayCalendar,
  ) {}

  async execute({ childId }: GetChildQuery): Promise<ChildView> {
    const { child } = await requireChild(this.store, childId);
    const today = londonDateOf(this.clock.now());
    // Where the child lives tonight; a planned move ahead is in `child.placements`.
    const open = placementOn(child, today);
    let flags = NO_FLAGS;
    if (open !== undefined) {
      const home =
        open.unit.kind === 'bed'
          ? (await loadStream(this.store, settingDecider, settingStreamId(open.unit.settingId))).state
          : null;
      flags = await occupantFlags(
        this.store,
        {
          unit: open.unit,
          referralId: open.referralId,
          // An emergency placement raises it until a matched meeting for its unit is recorded.
          unmatchedEmergency: open.emergency,
          dateOfBirth: child.dateOfBirth,
          registeredAges: home && home.status !== 'Unregistered' ? home.setting.registration.ageRange : null,
        },
        today,
      );
    }
    const policy = { limitWorkingDays: this.env.EMERGENCY_STAY_LIMIT_WORKING_DAYS, bankHolidays: this.bankHolidays };
    const emergencyStayOverdue_ = open?.emergency === true && overdueOrSooner(open.startDate, today, policy);
    return { child, flags: { ...flags, emergencyStayOverdue: emergencyStayOverdue_ } };
  }
}

/**
 * Whether an emergency stay is past its limit. Where the bank-holiday list does not cover the days
 * counted (start-up has said so loudly), weekends alone are skipped: the deadline can then only come
 * sooner, so the record raises the alarm early rather than never; it is never read as fewer holidays.
 */
function overdueOrSooner(
  startDate: string,
  today: string,
  policy: Parameters<typeof emergencyStayOverdue>[2] & object,
): boolean {
  try {
    return emergencyStayOverdue(startDate, today, policy);
  } catch (error) {
    if (!(error instanceof BankHolidaysNotKnownError)) throw error;
    return emergencyStayOverdue(startDate, today, { ...policy, bankHolidays: [] });
  }
}
