import type { BusinessDate, Instant } from '../shared/dates';
import type { DateSpan } from '../shared/diary';
import type { ReviseDeparture, StayEnd, StayRef, WithdrawDeparture } from '../shared/stays';
import type { ChildFacts } from '../shared/types';
import type { SettingRegistration } from '../setting/types';
import type { CommandFor } from '../shared/decider';

export type BedKind = 'residential' | 'emergency';
export type BedHoldReleaseReason = 'released' | 'expired' | 'referral-closed' | 'compensation';
export type BedVacatedReason = 'placement-ended' | 'step-down' | 'compensation';
export type BedOutOfUseReason = 'maintenance' | 'staffing' | 'damage' | 'registration' | 'other';

/** The matching meeting facts a planned placement must carry (read from the referral stream). */
export interface MatchingMeetingFacts {
  readonly meetingId: string;
  readonly referralId: string;
  readonly decision: 'matched' | 'not-matched' | 'deferred';
  /** Residents whose impact the meeting assessed. */
  readonly residentChildIdsAssessed: readonly string[];
  /** The setting (home) or household the meeting considered. */
  readonly unitConsidered:
    | { readonly kind: 'setting'; readonly settingId: string }
    | { readonly kind: 'household'; readonly householdId: string }
    | { readonly kind: 'other'; readonly ref: string };
}

// ---- events ----
export interface BedAdded {
  readonly type: 'BedAdded';
  readonly data: { readonly settingId: string; readonly bedId: string; readonly kind: BedKind; readonly label: string };
}
/** A short hold for a referral, in instants: no other referral may book the bed while it is live. */
export interface BedHeld {
  readonly type: 'BedHeld';
  readonly data: {
    readonly settingId: string;
    readonly bedId: string;
    readonly referralId: string;
    readonly childId: string;
    readonly until: Instant;
    readonly at: Instant;
  };
}
export interface BedHoldReleased {
  readonly type: 'BedHoldReleased';
  readonly data: {
    readonly settingId: string;
    readonly bedId: string;
    readonly referralId: string;
    readonly reason: BedHoldReleaseReason;
    readonly at: Instant;
  };
}
/** An occupancy from `startDate`, open-ended until a BedVacated gives its end (a future start is a planned arrival). */
export interface BedOccupied {
  readonly type: 'BedOccupied';
  readonly data: {
    readonly settingId: string;
    readonly bedId: string;
    readonly bedKind: BedKind;
    readonly placementId: string;
    readonly childId: string;
    readonly referralId: string | null;
    readonly emergency: boolean;
    readonly matchingMeetingId: string | null;
    /** True for an emergency placement made before its matching meeting (docs/architecture.md). */
    readonly unmatchedEmergency: boolean;
    readonly startDate: BusinessDate;
    /** When the bed was taken; lets the reconciler leave an in-flight placement alone. */
    readonly at: Instant;
  };
}
/** The bed and the stay in it that a departure is about. */
export type BedStayRef = StayRef & {
  readonly settingId: string;
  readonly bedId: string;
};
/**
 * The occupancy's end: the child leaves on `date` (the bed is free that night). A date after
 * the day it was recorded is a planned departure, which can be revised or withdrawn before it
 * happens. A compensation removes the occupancy altogether (the placement never stood).
 */
export interface BedVacated {
  readonly type: 'BedVacated';
  readonly data: BedStayRef & StayEnd<BedVacatedReason>;
}
/** A planned departure taken back: the occupancy is open-ended again. A revision is this, then a new BedVacated. */
export interface BedDepartureWithdrawn {
  readonly type: 'BedDepartureWithdrawn';
  readonly data: BedStayRef;
}
/**
 * Out of use `[from, to)`: `to` is the first date back in use, null until further notice.
 * Schema version 2; version 1 carried `until`, the last day out of use (see upcasting.ts).
 */
export interface BedOutOfUse {
  readonly type: 'BedOutOfUse';
  readonly data: {
    readonly settingId: string;
    readonly bedId: string;
    readonly reason: BedOutOfUseReason;
    readonly from: BusinessDate;
    readonly to: BusinessDate | null;
  };
}
/** Ends the out-of-use period that `date` falls in: the bed is in use again from `date`. */
export interface BedBackInUse {
  readonly type: 'BedBackInUse';
  readonly data: { readonly settingId: string; readonly bedId: string; readonly date: BusinessDate };
}
export type BedEvent =
  BedAdded | BedHeld | BedHoldReleased | BedOccupied | BedVacated | BedDepartureWithdrawn | BedOutOfUse | BedBackInUse;

// ---- commands ----
/** Another bed's booking in the same home: who lives there, and when. */
export interface NeighbourBooking extends DateSpan {
  readonly bedId: string;
  readonly placementId: string;
  readonly childId: string;
}

export type AddBed = CommandFor<'AddBed', BedAdded>;
export interface HoldBed extends CommandFor<'HoldBed', BedHeld> {
  /** The first night the hold is for (the referral's start date); the bed must be free then. */
  readonly from: BusinessDate;
}
export interface ReleaseBedHold extends CommandFor<'ReleaseBedHold', BedHoldReleased> {
  /**
   * The hold a person asks to release, by its end as they saw it: a later hold of the bed for the
   * same referral is another hold, not released by a request about the earlier one. Absent for the
   * system's own releases (a lapsed hold, a referral closed).
   */
  readonly heldUntil?: Instant;
}
export interface OccupyBed {
  readonly type: 'OccupyBed';
  readonly data: {
    readonly settingId: string;
    readonly bedId: string;
    readonly placementId: string;
    readonly referralId: string | null;
    readonly emergency: boolean;
    readonly startDate: BusinessDate;
    /** A planned end known at the start (a short break), or null for open-ended. */
    readonly endDate: BusinessDate | null;
    /** When the command is decided: "today" is its London date. */
    readonly at: Instant;
    /** From the child stream (ChildRegistered). */
    readonly child: ChildFacts;
    /** From the setting stream: its registration and whether it is open on the start date. */
    readonly setting: { readonly open: boolean; readonly registration: SettingRegistration };
    /** Every booking of the setting's other beds (their diaries), read by the caller. */
    readonly neighbours: readonly NeighbourBooking[];
    /** The referral's meeting for this home, or null when none was held. */
    readonly matchingMeeting: MatchingMeetingFacts | null;
  };
}
export type VacateBed = CommandFor<'VacateBed', BedVacated>;
export type ReviseBedDeparture = ReviseDeparture<'ReviseBedDeparture', BedDepartureWithdrawn['data']>;
export type WithdrawBedDeparture = WithdrawDeparture<'WithdrawBedDeparture', BedDepartureWithdrawn['data']>;
export interface TakeBedOutOfUse extends CommandFor<'TakeBedOutOfUse', BedOutOfUse> {
  /** When the command is decided: a live hold is released first. */
  readonly at: Instant;
}
export type PutBedBackInUse = CommandFor<'PutBedBackInUse', BedBackInUse>;
export type BedCommand =
  | AddBed
  | HoldBed
  | ReleaseBedHold
  | OccupyBed
  | VacateBed
  | ReviseBedDeparture
  | WithdrawBedDeparture
  | TakeBedOutOfUse
  | PutBedBackInUse;

// ---- state: the bed's diary ----
export interface BedIdentity {
  readonly settingId: string;
  readonly bedId: string;
  readonly kind: BedKind;
  readonly label: string;
}
/** A placement's booking of the bed, `[from, to)`. */
export interface Occupancy extends DateSpan {
  readonly placementId: string;
  readonly childId: string;
  readonly referralId: string | null;
  readonly emergency: boolean;
  readonly unmatchedEmergency: boolean;
  /** When the bed was taken. */
  readonly at: Instant;
}
export interface OutOfUsePeriod extends DateSpan {
  readonly reason: BedOutOfUseReason;
}
export interface BedHold {
  readonly referralId: string;
  readonly childId: string;
  readonly until: Instant;
  readonly at: Instant;
}
export type BedState =
  | { readonly status: 'NotAdded' }
  | {
      readonly status: 'Added';
      readonly bed: BedIdentity;
      /** Every occupancy, by start date; they never overlap. */
      readonly occupancies: readonly Occupancy[];
      /** Every out-of-use period, by start date; they never overlap each other or an occupancy. */
      readonly outOfUse: readonly OutOfUsePeriod[];
      readonly hold: BedHold | null;
    };

/** What a bed is on one night, and the next change after it. */
export type BedDayStatus = 'Vacant' | 'Reserved' | 'Held' | 'Occupied' | 'OutOfUse';
export interface BedNextChange {
  readonly date: BusinessDate;
  readonly change: 'arrival' | 'departure' | 'out-of-use' | 'back-in-use';
  readonly placementId: string | null;
}
export type BedDay =
  | { readonly status: 'Vacant'; readonly next: BedNextChange | null }
  /** Free that night, with an arrival booked later (`next`). */
  | { readonly status: 'Reserved'; readonly next: BedNextChange }
  | { readonly status: 'Held'; readonly hold: BedHold; readonly next: BedNextChange | null }
  | { readonly status: 'Occupied'; readonly occupant: Occupancy; readonly next: BedNextChange | null }
  | { readonly status: 'OutOfUse'; readonly period: OutOfUsePeriod; readonly next: BedNextChange | null };
