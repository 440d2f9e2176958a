import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError, householdDecider, householdStreamId, liveHold, londonDateOf, termsOn } from '@placement/domain';
import type { BedKind, BusinessDate } from '@placement/domain';
import type { Clock, EventStore } from '@placement/event-store';
import { loadStream } from '../commands/command';
import { Homes } from '../settings/settings.handlers';
import { CLOCK, EVENT_STORE } from '../store/store.module';
import { diaryBooking, diaryPeriod, inWindow, type DiaryBooking, type DiaryPeriod } from './diaries.view';

export class GetSettingDiaryQuery {
  constructor(
    readonly settingId: string,
    readonly from: BusinessDate,
    readonly to: BusinessDate,
  ) {}
}
export class GetHouseholdDiaryQuery {
  constructor(
    readonly householdId: string,
    readonly from: BusinessDate,
    readonly to: BusinessDate,
  ) {}
}

export interface SettingDiary {
  readonly settingId: string;
  readonly from: BusinessDate;
  readonly to: BusinessDate;
  /** Today in London: an arrival or departure after it is planned. */
  readonly today: BusinessDate;
  readonly beds: readonly {
    readonly bedId: string;
    readonly label: string;
    readonly kind: BedKind;
    readonly bookings: readonly DiaryBooking[];
    readonly outOfUse: readonly DiaryPeriod[];
    /** A hold live now, if any (for which referral: left out where the booking ids are). */
    readonly hold: { readonly referralId?: string; readonly until: string } | null;
  }[];
}

export interface HouseholdDiary {
  readonly householdId: string;
  readonly from: BusinessDate;
  readonly to: BusinessDate;
  readonly today: BusinessDate;
  /** Approved places under the terms in force at the start of the window. */
  readonly approvedPlaces: number;
  readonly bookings: readonly DiaryBooking[];
}

/** A home's beds and their bookings over a window of nights, read from the beds' own streams. */
@QueryHandler(GetSettingDiaryQuery)
export class GetSettingDiaryHandler implements IQueryHandler<GetSettingDiaryQuery, SettingDiary> {
  constructor(private readonly homes: Homes) {}

  async execute({ settingId, from, to }: GetSettingDiaryQuery): Promise<SettingDiary> {
    const home = await this.homes.read(settingId);
    const { now, today } = home;
    const beds = home.beds.map(({ bedId, state }): SettingDiary['beds'][number] => {
      const hold = liveHold(state, now.toISOString());
      return {
        bedId,
        label: state.bed.label,
        kind: state.bed.kind,
        bookings: inWindow(state.occupancies, from, to).map((o) => diaryBooking(o, today)),
        outOfUse: inWindow(state.outOfUse, from, to).map((p) => diaryPeriod(p, today)),
        hold: hold === null ? null : { referralId: hold.referralId, until: hold.until },
      };
    });
    return { settingId, from, to, today, beds };
  }
}

/** A foster household's placements over a window of nights, read from its stream. */
@QueryHandler(GetHouseholdDiaryQuery)
export class GetHouseholdDiaryHandler implements IQueryHandler<GetHouseholdDiaryQuery, HouseholdDiary> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ householdId, from, to }: GetHouseholdDiaryQuery): Promise<HouseholdDiary> {
    const { state } = await loadStream(this.store, householdDecider, householdStreamId(householdId));
    if (state.status === 'NotApproved') throw new DomainError('NOT_FOUND', `household ${householdId} is not approved`);
    const today = londonDateOf(this.clock.now());
    return {
      householdId,
      from,
      to,
      today,
      approvedPlaces: termsOn(state.termsHistory, from).maxChildren,
      bookings: inWindow(state.placements, from, to).map((p) => diaryBooking(p, today)),
    };
  }
}
