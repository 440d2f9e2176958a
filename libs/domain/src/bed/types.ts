import type { BusinessDate, Instant } from '../shared/dates';
import type { ChildFacts } from '../shared/types';
import type { SettingRegistration } from '../setting/types';

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
    /** True for an emergency placement made before its matching meeting (DESIGN §4). */
    readonly unmatchedEmergency: boolean;
    readonly startDate: BusinessDate;
    /** When the bed was taken; lets the reconciler leave an in-flight placement alone. */
    readonly at: Instant;
  };
}
export interface BedVacated {
  readonly type: 'BedVacated';
  readonly data: {
    readonly settingId: string;
    readonly bedId: string;
    readonly placementId: string;
    readonly childId: string;
    readonly date: BusinessDate;
    readonly reason: BedVacatedReason;
  };
}
export interface BedOutOfUse {
  readonly type: 'BedOutOfUse';
  readonly data: {
    readonly settingId: string;
    readonly bedId: string;
    readonly reason: BedOutOfUseReason;
    readonly from: BusinessDate;
    readonly until: BusinessDate | null;
  };
}
export interface BedBackInUse {
  readonly type: 'BedBackInUse';
  readonly data: { readonly settingId: string; readonly bedId: string; readonly date: BusinessDate };
}
export type BedEvent = BedAdded | BedHeld | BedHoldReleased | BedOccupied | BedVacated | BedOutOfUse | BedBackInUse;

// ---- commands ----
export interface AddBed {
  readonly type: 'AddBed';
  readonly data: BedAdded['data'];
}
export interface HoldBed {
  readonly type: 'HoldBed';
  readonly data: BedHeld['data'];
}
export interface ReleaseBedHold {
  readonly type: 'ReleaseBedHold';
  readonly data: BedHoldReleased['data'];
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
    readonly at: Instant;
    /** From the child stream (ChildRegistered). */
    readonly child: ChildFacts;
    /** From the setting stream: its registration and whether it is closed. */
    readonly setting: { readonly open: boolean; readonly registration: SettingRegistration };
    /** Children living in the setting now (every other bed's occupant), counted by the caller. */
    readonly currentResidentChildIds: readonly string[];
    /** The referral's latest matching meeting, or null when none was held. */
    readonly matchingMeeting: MatchingMeetingFacts | null;
  };
}
export interface VacateBed {
  readonly type: 'VacateBed';
  readonly data: BedVacated['data'];
}
export interface TakeBedOutOfUse {
  readonly type: 'TakeBedOutOfUse';
  readonly data: BedOutOfUse['data'];
}
export interface PutBedBackInUse {
  readonly type: 'PutBedBackInUse';
  readonly data: BedBackInUse['data'];
}
export type BedCommand = AddBed | HoldBed | ReleaseBedHold | OccupyBed | VacateBed | TakeBedOutOfUse | PutBedBackInUse;

// ---- state ----
export interface BedIdentity {
  readonly settingId: string;
  readonly bedId: string;
  readonly kind: BedKind;
  readonly label: string;
}
export interface BedOccupant {
  readonly placementId: string;
  readonly childId: string;
  readonly referralId: string | null;
  readonly emergency: boolean;
  readonly unmatchedEmergency: boolean;
  readonly startDate: BusinessDate;
  readonly at: Instant;
}
export type BedState =
  | { readonly status: 'NotAdded' }
  | { readonly status: 'Vacant'; readonly bed: BedIdentity }
  | {
      readonly status: 'Held';
      readonly bed: BedIdentity;
      readonly referralId: string;
      readonly childId: string;
      readonly until: Instant;
    }
  | { readonly status: 'Occupied'; readonly bed: BedIdentity; readonly occupant: BedOccupant }
  | {
      readonly status: 'OutOfUse';
      readonly bed: BedIdentity;
      readonly reason: BedOutOfUseReason;
      readonly until: BusinessDate | null;
    };
