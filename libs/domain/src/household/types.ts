import type { BusinessDate, Instant } from '../shared/dates';
import type { AgeRange, ChildFacts, ChildSex, FosterPlacementType, SexesAccepted } from '../shared/types';

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

export type ChildLeftHouseholdReason = 'placement-ended' | 'compensation';

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
export interface ChildLeftHousehold {
  readonly type: 'ChildLeftHousehold';
  readonly data: {
    readonly householdId: string;
    readonly placementId: string;
    readonly childId: string;
    readonly date: BusinessDate;
    readonly reason: ChildLeftHouseholdReason;
  };
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
export type HouseholdEvent =
  | FosterHouseholdApproved
  | ApprovalTermsChanged
  | ChildPlacedWithHousehold
  | ChildLeftHousehold
  | HouseholdSuspended
  | HouseholdReinstated
  | HouseholdResigned;

// ---- commands ----
export interface ApproveFosterHousehold {
  readonly type: 'ApproveFosterHousehold';
  readonly data: FosterHouseholdApproved['data'];
}
export interface ChangeApprovalTerms {
  readonly type: 'ChangeApprovalTerms';
  readonly data: ApprovalTermsChanged['data'];
}
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
    readonly emergency: boolean;
    readonly stepDownId: string | null;
    readonly at: Instant;
  };
}
export interface RecordChildLeftHousehold {
  readonly type: 'RecordChildLeftHousehold';
  readonly data: ChildLeftHousehold['data'];
}
export interface SuspendHousehold {
  readonly type: 'SuspendHousehold';
  readonly data: HouseholdSuspended['data'];
}
export interface ReinstateHousehold {
  readonly type: 'ReinstateHousehold';
  readonly data: HouseholdReinstated['data'];
}
export interface RecordHouseholdResigned {
  readonly type: 'RecordHouseholdResigned';
  readonly data: HouseholdResigned['data'];
}
export type HouseholdCommand =
  | ApproveFosterHousehold
  | ChangeApprovalTerms
  | PlaceChildWithHousehold
  | RecordChildLeftHousehold
  | SuspendHousehold
  | ReinstateHousehold
  | RecordHouseholdResigned;

// ---- state ----
export interface FosterChild {
  readonly placementId: string;
  readonly childId: string;
  readonly siblingGroupId: string | null;
  readonly startDate: BusinessDate;
  readonly emergencyOutsideTerms: boolean;
  readonly at: Instant;
}
export type HouseholdState =
  | { readonly status: 'NotApproved' }
  | {
      readonly status: 'Approved';
      readonly householdId: string;
      readonly terms: ApprovalTerms;
      readonly children: readonly FosterChild[];
    }
  | {
      readonly status: 'Suspended';
      readonly householdId: string;
      readonly terms: ApprovalTerms;
      readonly children: readonly FosterChild[];
    }
  | {
      readonly status: 'Resigned';
      readonly householdId: string;
      readonly terms: ApprovalTerms;
      readonly children: readonly FosterChild[];
    };
