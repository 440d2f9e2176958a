import type { BusinessDate, Instant } from '../shared/dates';
import type { ChildSex, FosterPlacementType, UnitRef } from '../shared/types';
import type { MatchingMeetingFacts } from '../bed/types';
import type { BindingExclusion } from '../shared/exclusions';
import type { CommandFor } from '../shared/decider';

export type Urgency = 'emergency' | 'planned';
export type CanLiveWith = 'solo' | 'with-others' | 'older' | 'younger';
/** Kinds of placement a referral rates as preferred / suitable / unsuitable. */
export type PlacementSetting = 'foster' | 'connected-person' | 'childrens-home' | 'supported-accommodation' | 'secure';
export type Suitability = 'preferred' | 'suitable' | 'unsuitable';
export const RISKS_TO_SELF = ['self-harm', 'cse', 'cce', 'drugs-alcohol', 'eating-disorder', 'going-missing'] as const;
export type RiskToSelf = (typeof RISKS_TO_SELF)[number];
export const RISKS_TO_OTHERS = [
  'physical-harm',
  'sexual-harm',
  'sexual-harm-to-younger-children',
  'fire-setting',
  'harm-to-animals',
  'criminal-exploitation-of-others',
] as const;
export type RiskToOthers = (typeof RISKS_TO_OTHERS)[number];

/** The matching inputs (after the placements data standard's referral fields). */
export interface ReferralNeeds {
  readonly sex: ChildSex;
  /** Completed years on the wanted start date; the date of birth stays on the child stream. */
  readonly ageAtStart: number;
  readonly siblingGroup: { readonly id: string; readonly size: number } | null;
  readonly preferredArea: { readonly postcodeDistrict: string | null; readonly maxDistanceKm: number | null };
  /** Postcodes to stay near (school, family contact); full or district. */
  readonly schoolPostcode: string | null;
  readonly familyContactPostcode: string | null;
  readonly communicationNeeds: readonly string[];
  readonly adaptations: readonly string[];
  readonly canLiveWith: readonly CanLiveWith[];
  readonly placementTypeSuitability: Readonly<Partial<Record<PlacementSetting, Suitability>>>;
  /** The foster placement type sought (matched against approval terms). */
  readonly fosterPlacementType: FosterPlacementType;
  readonly risksToSelf: readonly RiskToSelf[];
  readonly risksToOthers: readonly RiskToOthers[];
  readonly deprivationOfLiberty: boolean;
  /** Pence per week; null when no ceiling was set. */
  readonly weeklyBudget: number | null;
}

export interface MatchOption {
  readonly rank: number;
  readonly unit: UnitRef;
  readonly score: number;
  readonly reasons: readonly string[];
}
export interface ExcludedOption {
  readonly unit: UnitRef;
  readonly reasons: readonly string[];
}
export type ImpactOutcome = 'no-concerns' | 'manageable' | 'unacceptable';
export interface ImpactAssessment {
  readonly residentChildId: string;
  readonly outcome: ImpactOutcome;
  readonly risksConsidered: readonly string[];
}
export type MeetingDecision = 'matched' | 'not-matched' | 'deferred';
export type AttendeeRole =
  | 'social-worker'
  | 'team-manager'
  | 'registered-manager'
  | 'placement-officer'
  | 'supervising-social-worker'
  | 'independent-reviewing-officer'
  | 'health'
  | 'education'
  | 'other';
/** What the meeting considered: a home (its beds) or a household or another provider's placement. */
export type UnitConsidered = MatchingMeetingFacts['unitConsidered'];

// ---- events ----
export interface ReferralReceived {
  readonly type: 'ReferralReceived';
  readonly data: {
    readonly referralId: string;
    readonly childId: string;
    readonly urgency: Urgency;
    readonly startDate: BusinessDate;
    readonly needs: ReferralNeeds;
    /** A role and team, not a person's name. */
    readonly requestedBy: { readonly role: string; readonly team: string };
    readonly at: Instant;
  };
}
export interface NeedsUpdated {
  readonly type: 'NeedsUpdated';
  readonly data: { readonly referralId: string; readonly needs: ReferralNeeds; readonly at: Instant };
}
export interface MatchesProposed {
  readonly type: 'MatchesProposed';
  readonly data: {
    readonly referralId: string;
    readonly engineVersion: string;
    /** Hash of the inputs the engine ranked from, so the list shown can be reproduced. */
    readonly inputsHash: string;
    readonly options: readonly MatchOption[];
    readonly excluded: readonly ExcludedOption[];
    readonly at: Instant;
  };
}
export interface MatchingMeetingHeld {
  readonly type: 'MatchingMeetingHeld';
  readonly data: {
    readonly referralId: string;
    readonly meetingId: string;
    readonly heldOn: BusinessDate;
    readonly attendees: readonly { readonly role: AttendeeRole }[];
    readonly unitConsidered: UnitConsidered;
    readonly impactAssessments: readonly ImpactAssessment[];
    readonly decision: MeetingDecision;
    readonly reasons: readonly { readonly code: string; readonly text: string }[];
  };
}
/**
 * A binding exclusion of the matching engine set aside by the meeting that considered the unit:
 * one event per code, each with its reason and the role that authorised it. Recorded with the
 * meeting, so a placement into that home or household under that meeting is not refused for it.
 */
export interface MatchingExclusionOverridden {
  readonly type: 'MatchingExclusionOverridden';
  readonly data: {
    readonly referralId: string;
    readonly meetingId: string;
    readonly unitConsidered: UnitConsidered;
    readonly code: BindingExclusion;
    /** Plain words for the record (kept out of logs). */
    readonly reason: string;
    readonly authorisedBy: { readonly role: AttendeeRole };
    readonly heldOn: BusinessDate;
  };
}
/** What a meeting asks to set aside, per code. */
export interface ExclusionOverride {
  readonly code: string;
  readonly reason: string;
  readonly authorisedBy: { readonly role: AttendeeRole };
}
export interface ReferralWithdrawn {
  readonly type: 'ReferralWithdrawn';
  readonly data: {
    readonly referralId: string;
    readonly reason: 'no-longer-needed' | 'duplicate' | 'other';
    readonly at: Instant;
  };
}
export interface ReferralClosed {
  readonly type: 'ReferralClosed';
  readonly data: {
    readonly referralId: string;
    readonly outcome: 'placed' | 'no-match' | 'other';
    readonly placementId: string | null;
    readonly at: Instant;
  };
}
export type ReferralEvent =
  | ReferralReceived
  | NeedsUpdated
  | MatchesProposed
  | MatchingMeetingHeld
  | MatchingExclusionOverridden
  | ReferralWithdrawn
  | ReferralClosed;

// ---- commands ----
export type ReceiveReferral = CommandFor<'ReceiveReferral', ReferralReceived>;
export type UpdateNeeds = CommandFor<'UpdateNeeds', NeedsUpdated>;
export type ProposeMatches = CommandFor<'ProposeMatches', MatchesProposed>;
export interface RecordMatchingMeeting extends CommandFor<'RecordMatchingMeeting', MatchingMeetingHeld> {
  /** Binding exclusions the meeting sets aside for the unit it considered (none when absent). */
  readonly overrides?: readonly ExclusionOverride[];
  /** When the command is decided: a meeting held is a fact about the past. */
  readonly at: Instant;
}
export type WithdrawReferral = CommandFor<'WithdrawReferral', ReferralWithdrawn>;
export type CloseReferral = CommandFor<'CloseReferral', ReferralClosed>;
export type ReferralCommand =
  ReceiveReferral | UpdateNeeds | ProposeMatches | RecordMatchingMeeting | WithdrawReferral | CloseReferral;

// ---- state ----
export interface ReferralFacts {
  readonly referralId: string;
  readonly childId: string;
  readonly urgency: Urgency;
  readonly startDate: BusinessDate;
  readonly needs: ReferralNeeds;
  readonly meetings: readonly MatchingMeetingFacts[];
  /** Binding exclusions set aside, by the meeting that recorded them. */
  readonly overrides: readonly MatchingExclusionOverridden['data'][];
  readonly lastProposal: {
    readonly engineVersion: string;
    readonly inputsHash: string;
    /** The needs were updated after this list was proposed: it ranked the child's earlier needs. */
    readonly onEarlierNeeds: boolean;
  } | null;
  /**
   * Meetings held before the needs were last updated. They stay on the record, but none of them
   * authorises a placement any more: the match was made on needs the child no longer has.
   */
  readonly meetingsOnEarlierNeeds: readonly string[];
}
export type ReferralState =
  | { readonly status: 'NotReceived' }
  | { readonly status: 'Open'; readonly referral: ReferralFacts }
  | { readonly status: 'Withdrawn'; readonly referral: ReferralFacts }
  | { readonly status: 'Closed'; readonly referral: ReferralFacts };
