import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  BankHolidaysNotKnownError,
  emergencyStayOverdue,
  londonDateOf,
  placementOn,
  childDecider,
  childStreamId,
  DomainError,
  referralDecider,
  referralStreamId,
  settingDecider,
  settingStreamId,
} from '@placement/domain';
import type { BankHolidayCalendar, ChildState, ReferralEvent, ReferralState } from '@placement/domain';
import type { Clock, EventStore } from '@placement/event-store';
import { BANK_HOLIDAYS } from '../calendar/calendar.module';
import type { Environment } from '../config/environment';
import { ENVIRONMENT } from '../config/tokens';
import { loadStream, type LoadedStream } from '../commands/command';
import { NO_FLAGS, occupantFlags, type OccupantFlags } from '../flags/occupant-flags';
import { CLOCK, EVENT_STORE } from '../store/store.module';

export class GetReferralQuery {
  constructor(readonly referralId: string) {}
}
export class GetChildQuery {
  constructor(readonly childId: string) {}
}

/** A referral's stream, loaded for a decision, of a referral that was received. */
export type LoadedReferral = LoadedStream<ReferralEvent, ReferralState> & {
  readonly state: Exclude<ReferralState, { status: 'NotReceived' }>;
};

/** The referral's stream, loaded for a decision; a referral never received is `NOT_FOUND`. */
export async function loadReferral(store: EventStore, referralId: string): Promise<LoadedReferral> {
  const loaded = await loadStream(store, referralDecider, referralStreamId(referralId));
  const { state } = loaded;
  if (state.status === 'NotReceived') throw new DomainError('NOT_FOUND', `referral ${referralId} was not received`);
  return { ...loaded, state };
}

export async function requireReferral(
  store: EventStore,
  referralId: string,
): Promise<Exclude<ReferralState, { status: 'NotReceived' }>> {
  return (await loadReferral(store, referralId)).state;
}

export async function requireChild(
  store: EventStore,
  childId: string,
): Promise<Exclude<ChildState, { status: 'Unknown' }>> {
  const { state } = await loadStream(store, childDecider, childStreamId(childId));
  if (state.status === 'Unknown') throw new DomainError('NOT_FOUND', `child ${childId} is not registered`);
  return state;
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
