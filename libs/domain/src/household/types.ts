import type { BusinessDate, Instant } from '../shared/dates';
import type { DateSpan } from '../shared/diary';
import type { ReviseDeparture, StayEnd, StayRef, WithdrawDeparture } from '../shared/stays';
import type { AgeRange, ChildFacts, ChildSex, FosterPlacementType, SexesAccepted } from '../shared/types';
import type { CommandFor } from '../shared/decider';

/** A foster household's approval terms (Fostering Services (England) Regulations 2011). */
export interface ApprovalTerms {
  readonly ageRange: AgeRange;
  readonly maxChildren: number;
  /** Approved for sibling groups / exempt from the usual limit of 3 unrelated foster children. */
  readonly siblingGroup: boolean;
  readonly placementTypes: readonly FosterPlacementType[];
  /** Family-and-friends (connected person) carer. */
  readonly connectedPerson: boolean;
  readonly provider: 'in-house' | 'ifa';
  /** The agency's name when provider is 'ifa'. */
  readonly agencyName: string | null;
  readonly sexes: SexesAccepted;
  readonly postcode: string;
}

/**
 * How someone who lives in a foster household, besides its carers and the children placed there, is related
 * to the carers: their own child (birth, adopted or step), grandchild, another relative, a lodger or another adult.
 */
export const HOUSEHOLD_MEMBER_RELATIONSHIPS = [
  'carers-child',
  'carers-grandchild',
  'other-relative',
  'lodger',
  'other-adult',
] as const;
export type HouseholdMemberRelationship = (typeof HOUSEHOLD_MEMBER_RELATIONSHIPS)[number];

/** A member of the household: no name, no free text; the month of birth gives the age on any start date. */
export interface HouseholdMember {
  /** Year and month of birth, `YYYY-MM`. */
  readonly bornIn: string;
  readonly relationship: HouseholdMemberRelationship;
}

export type ChildLeftHouseholdReason = 'placement-ended' | 'compensation';

/** The household and the child's placement with it that a departure is about. */
export type HouseholdStayRef = StayRef & {
  readonly householdId: string;
};

// ---- events ----
export interface FosterHouseholdApproved {
  readonly type: 'FosterHouseholdApproved';
  readonly data: {
    readonly householdId: string;
    /** A household reference such as "FH-012", not a carer's name. */
    readonly reference: string;
    readonly terms: ApprovalTerms;
    readonly approvedOn: BusinessDate;
  };
}
export interface ApprovalTermsChanged {
  readonly type: 'ApprovalTermsChanged';
  readonly data: { readonly householdId: string; readonly terms: ApprovalTerms; readonly effectiveDate: BusinessDate };
}
export interface ChildPlacedWithHousehold {
  readonly type: 'ChildPlacedWithHousehold';
  readonly data: {
    readonly householdId: string;
    readonly placementId: string;
    readonly childId: string;
    readonly childSex: ChildSex;
    readonly childDateOfBirth: BusinessDate;
    readonly referralId: string | null;
    readonly placementType: FosterPlacementType;
    readonly siblingGroupId: string | null;
    readonly startDate: BusinessDate;
    readonly emergency: boolean;
    /** An emergency placement outside the terms; allowed for 6 working days only. */
    readonly emergencyOutsideTerms: boolean;
    readonly stepDownId: string | null;
    readonly at: Instant;
  };
}
/**
 * The placement's end: the child leaves on `date`. A date after the day it was recorded is a
 * planned departure (revisable, withdrawable before it happens); a compensation removes the
 * placement altogether (it never stood).
 */
export interface ChildLeftHousehold {
  readonly type: 'ChildLeftHousehold';
  readonly data: HouseholdStayRef & StayEnd<ChildLeftHouseholdReason>;
}
/**
 * A planned departure taken back: the placement is open-ended again. A revision is this, then
 * a new ChildLeftHousehold.
 */
export interface HouseholdDepartureWithdrawn {
  readonly type: 'HouseholdDepartureWithdrawn';
  readonly data: HouseholdStayRef;
}
export interface HouseholdSuspended {
  readonly type: 'HouseholdSuspended';
  readonly data: {
    readonly householdId: string;
    readonly date: BusinessDate;
    readonly reason: 'allegation' | 'standards' | 'carer-request' | 'other';
  };
}
export interface HouseholdReinstated {
  readonly type: 'HouseholdReinstated';
  readonly data: { readonly householdId: string; readonly date: BusinessDate };
}
export interface HouseholdResigned {
  readonly type: 'HouseholdResigned';
  readonly data: { readonly householdId: string; readonly date: BusinessDate };
}
/** Who else lives with the carers: the whole list each time (an empty list: nobody else). */
export interface HouseholdMembersRecorded {
  readonly type: 'HouseholdMembersRecorded';
  readonly data: { readonly householdId: string; readonly members: readonly HouseholdMember[] };
}
export type HouseholdEvent =
  | FosterHouseholdApproved
  | ApprovalTermsChanged
  | ChildPlacedWithHousehold
  | ChildLeftHousehold
  | HouseholdDepartureWithdrawn
  | HouseholdSuspended
  | HouseholdReinstated
  | HouseholdResigned
  | HouseholdMembersRecorded;

// ---- commands ----
export type ApproveFosterHousehold = CommandFor<'ApproveFosterHousehold', FosterHouseholdApproved>;
export type ChangeApprovalTerms = CommandFor<'ChangeApprovalTerms', ApprovalTermsChanged>;
export interface PlaceChildWithHousehold {
  readonly type: 'PlaceChildWithHousehold';
  readonly data: {
    readonly householdId: string;
    readonly placementId: string;
    readonly child: ChildFacts;
    readonly referralId: string | null;
    readonly placementType: FosterPlacementType;
    readonly siblingGroupId: string | null;
    readonly startDate: BusinessDate;
    /** A planned end known at the start (a short break), or null for open-ended. */
    readonly endDate: BusinessDate | null;
    readonly emergency: boolean;
    readonly stepDownId: string | null;
    readonly at: Instant;
  };
}
export type RecordChildLeftHousehold = CommandFor<'RecordChildLeftHousehold', ChildLeftHousehold>;
export type ReviseHouseholdDeparture = ReviseDeparture<'ReviseHouseholdDeparture', HouseholdDepartureWithdrawn['data']>;
export type WithdrawHouseholdDeparture = WithdrawDeparture<
  'WithdrawHouseholdDeparture',
  HouseholdDepartureWithdrawn['data']
>;
/** A change of the household's status (suspended, reinstated, resigned) from `data.date`. */
export interface HouseholdStatusChange<T extends string, D extends { readonly date: BusinessDate }> {
  readonly type: T;
  readonly data: D;
  /** When a person's command is decided: the status changes on the record at once, so never ahead of today. */
  readonly at?: Instant;
}
export type SuspendHousehold = HouseholdStatusChange<'SuspendHousehold', HouseholdSuspended['data']>;
export type ReinstateHousehold = HouseholdStatusChange<'ReinstateHousehold', HouseholdReinstated['data']>;
export type RecordHouseholdResigned = HouseholdStatusChange<'RecordHouseholdResigned', HouseholdResigned['data']>;
export interface RecordHouseholdMembers extends CommandFor<'RecordHouseholdMembers', HouseholdMembersRecorded> {
  /** When the command is decided: no member is born after this month. */
  readonly at: Instant;
}
export type HouseholdCommand =
  | ApproveFosterHousehold
  | ChangeApprovalTerms
  | PlaceChildWithHousehold
  | RecordChildLeftHousehold
  | ReviseHouseholdDeparture
  | WithdrawHouseholdDeparture
  | SuspendHousehold
  | ReinstateHousehold
  | RecordHouseholdResigned
  | RecordHouseholdMembers;

// ---- state: the household's diary ----
/** A child's placement with the household, `[from, to)`. */
export interface HouseholdPlacement extends DateSpan {
  readonly placementId: string;
  readonly childId: string;
  readonly childSex: ChildSex;
  readonly childDateOfBirth: BusinessDate;
  readonly siblingGroupId: string | null;
  readonly placementType: FosterPlacementType;
  readonly referralId: string | null;
  readonly emergency: boolean;
  readonly emergencyOutsideTerms: boolean;
  readonly stepDownId: string | null;
  /** When the place was taken. */
  readonly at: Instant;
}
/** Approval terms in force from a date (the approval, then each change by its effective date). */
export interface DatedTerms {
  readonly from: BusinessDate;
  readonly terms: ApprovalTerms;
}
interface KnownHousehold {
  readonly householdId: string;
  /** The terms most recently recorded. */
  readonly terms: ApprovalTerms;
  /** Every set of terms by the date it took effect. */
  readonly termsHistory: readonly DatedTerms[];
  /** Every placement, by start date. */
  readonly placements: readonly HouseholdPlacement[];
  /** Who else lives with the carers, as last recorded (none until recorded). */
  readonly members: readonly HouseholdMember[];
}
export type HouseholdState =
  { readonly status: 'NotApproved' } | ({ readonly status: 'Approved' | 'Suspended' | 'Resigned' } & KnownHousehold);

/** What another stream's decision (a step-down's plan) needs to know about a household. */
export interface HouseholdFitFacts {
  readonly householdId: string;
  readonly status: HouseholdState['status'];
  readonly termsHistory: readonly DatedTerms[];
  readonly bookings: readonly (DateSpan & { readonly childId: string; readonly siblingGroupId: string | null })[];
}
