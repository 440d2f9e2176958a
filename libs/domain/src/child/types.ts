import type { BusinessDate, Instant } from '../shared/dates';
import type { ChildSex, FosterPlacementType, UnitRef } from '../shared/types';
import type { HouseholdFitFacts } from '../household/types';
import type { CommandFor } from '../shared/decider';
import type {
  CinCode,
  ContinuingRneCode,
  LegalStatusCode,
  PlaceCode,
  PlaceProviderCode,
  ReasonPlaceChangeCode,
  RecCode,
} from '../ssda903-codes';

export interface SafetyPlan {
  /** A safety plan document exists and was shared; its text stays out of the event. */
  readonly summaryProvided: boolean;
  readonly reviewDate: BusinessDate;
  readonly contingencyAgreed: boolean;
  readonly leadRole: string;
}
/** The kinds of a step-down milestone, in the order a plan usually runs. */
export const MILESTONE_KINDS = [
  'introductions',
  'visit',
  'overnight-stay',
  'school-transition',
  'moving-day',
  'review',
  'other',
] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];
export interface Milestone {
  readonly milestoneId: string;
  readonly kind: MilestoneKind;
  readonly dueDate: BusinessDate;
}
export type MilestoneOutcome = 'met' | 'missed' | 'rescheduled';
export type StepDownAbandonReason =
  'placement-ended' | 'child-wishes' | 'household-withdrew' | 'needs-changed' | 'safety-concern' | 'other';

// ---- events ----
export interface ChildRegistered {
  readonly type: 'ChildRegistered';
  readonly data: {
    readonly childId: string;
    readonly sex: ChildSex;
    readonly dateOfBirth: BusinessDate;
    readonly localAuthority: string;
    /** Full postcode of the child's home (SSDA903 HOME_POST). */
    readonly homePostcode: string;
    readonly categoryOfNeed: CinCode;
    readonly ethnicity: string | null;
    readonly upn: string | null;
    /**
     * SSDA903 MOTHER ('1' the child is a mother, '0' not) and MC_DOB (her child's date of birth);
     * absent on events recorded before they were kept.
     */
    readonly mother?: '0' | '1' | null;
    readonly motherChildDateOfBirth?: BusinessDate | null;
  };
}
/**
 * The child's UPN, MOTHER and MC_DOB as they are from now on (each the whole new value, so the
 * event reads alone). Recorded when they are learnt or corrected after registration.
 */
export interface ChildDetailsUpdated {
  readonly type: 'ChildDetailsUpdated';
  readonly data: {
    readonly childId: string;
    readonly upn: string | null;
    readonly mother: '0' | '1' | null;
    readonly motherChildDateOfBirth: BusinessDate | null;
  };
}
/** Where, when and how a child is placed: the same in the command that starts a placement and in its event. */
export type PlacementStart = {
  readonly childId: string;
  readonly placementId: string;
  readonly unit: UnitRef;
  readonly startDate: BusinessDate;
  readonly emergency: boolean;
  readonly unmatchedEmergency: boolean;
  readonly referralId: string | null;
  /** SSDA903 PL_POST and URN (null where not applicable → `XXXXXXX`). */
  readonly placementPostcode: string | null;
  readonly urn: string | null;
};
export interface PlacementStarted {
  readonly type: 'PlacementStarted';
  readonly data: PlacementStart & {
    readonly place: PlaceCode;
    readonly placeProvider: PlaceProviderCode;
    readonly legalStatus: LegalStatusCode;
    /** For RNE: the previous placement ended the same day with the same carer. */
    readonly sameCarerAsPrevious: boolean;
    /** For RNE: the child was not looked after the day before (a new period of care). */
    readonly startsPeriodOfCare: boolean;
    readonly stepDownId: string | null;
    /**
     * Only on a placement that starts a period of care, and only when given (events recorded
     * before these existed lack them): the period's CIN and HOME_POST where they differ from the
     * child's registration, and, for an imported return that begins part-way through a period,
     * the RNE its first episode had (so the export reproduces it instead of S).
     */
    readonly categoryOfNeed?: CinCode;
    readonly homePostcode?: string;
    readonly importedReasonNewEpisode?: ContinuingRneCode;
  };
}
/**
 * What follows a placement's end: another placement (a move, the child stays looked after) or
 * leaving care (an E-code REC). null when the end did not say: the child, still looked after,
 * is on the "no open placement" queue until a placement starts.
 */
export const AFTER_PLACEMENT = ['placement', 'leaves-care'] as const;
export type AfterPlacement = (typeof AFTER_PLACEMENT)[number];
/**
 * The placement's end. An `endDate` after the day it was recorded is a planned end: the child
 * still lives there until then, and the end can be revised or withdrawn before it happens.
 * Version 2 added `next` (version 1 is read with `next` 'leaves-care' for an E-code, else null).
 */
export interface PlacementEnded {
  readonly type: 'PlacementEnded';
  readonly data: {
    readonly childId: string;
    readonly placementId: string;
    readonly unit: UnitRef;
    readonly endDate: BusinessDate;
    readonly reasonForChange: ReasonPlaceChangeCode | null;
    /** An E-code when the period of care ends; X1 or null when the child stays looked after. */
    readonly reasonEpisodeCeased: RecCode | null;
    readonly next: AfterPlacement | null;
  };
}
/** A planned end taken back: the placement is open-ended again. A revision is this, then a new PlacementEnded. */
export interface PlacementEndWithdrawn {
  readonly type: 'PlacementEndWithdrawn';
  readonly data: { readonly childId: string; readonly placementId: string; readonly unit: UnitRef };
}
export interface LegalStatusChanged {
  readonly type: 'LegalStatusChanged';
  readonly data: { readonly childId: string; readonly legalStatus: LegalStatusCode; readonly date: BusinessDate };
}
export interface StepDownPlanned {
  readonly type: 'StepDownPlanned';
  readonly data: {
    readonly childId: string;
    readonly stepDownId: string;
    readonly fromPlacementId: string;
    readonly toHouseholdId: string;
    readonly plannedDate: BusinessDate;
    readonly safetyPlan: SafetyPlan;
    readonly milestones: readonly Milestone[];
  };
}
export interface StepDownMilestoneRecorded {
  readonly type: 'StepDownMilestoneRecorded';
  readonly data: {
    readonly childId: string;
    readonly stepDownId: string;
    readonly milestoneId: string;
    readonly date: BusinessDate;
    readonly outcome: MilestoneOutcome;
  };
}
export interface StepDownCompleted {
  readonly type: 'StepDownCompleted';
  readonly data: {
    readonly childId: string;
    readonly stepDownId: string;
    readonly fromPlacementId: string;
    readonly newPlacementId: string;
    readonly toHouseholdId: string;
    readonly date: BusinessDate;
  };
}
export interface StepDownAbandoned {
  readonly type: 'StepDownAbandoned';
  readonly data: {
    readonly childId: string;
    readonly stepDownId: string;
    readonly reason: StepDownAbandonReason;
    readonly date: BusinessDate;
  };
}
/** Where a care leaver lives: with their former foster carer (staying put), in 16+ supported accommodation, … */
export const CARE_LEAVER_ACCOMMODATION = ['staying-put', 'supported-16-plus', 'independent', 'other'] as const;
export type CareLeaverAccommodation = (typeof CARE_LEAVER_ACCOMMODATION)[number];
/**
 * A care leaver's accommodation from a date: a young person who ceased care at 18 or over, or at
 * 16–17 to independent living (REC E5, E6). Each record is the whole current fact; the care that
 * ceased (its date and REC) is carried so the event reads alone.
 */
export interface CareLeaverRecorded {
  readonly type: 'CareLeaverRecorded';
  readonly data: {
    readonly childId: string;
    readonly accommodation: CareLeaverAccommodation;
    readonly from: BusinessDate;
    readonly ceasedCareOn: BusinessDate;
    readonly reasonEpisodeCeased: RecCode;
  };
}
export type ChildEvent =
  | ChildRegistered
  | CareLeaverRecorded
  | ChildDetailsUpdated
  | PlacementStarted
  | PlacementEnded
  | PlacementEndWithdrawn
  | LegalStatusChanged
  | StepDownPlanned
  | StepDownMilestoneRecorded
  | StepDownCompleted
  | StepDownAbandoned;

// ---- commands ----
export type RegisterChild = CommandFor<'RegisterChild', ChildRegistered>;
/**
 * Sets the child's UPN, MOTHER and MC_DOB. A field left out keeps its value; null records that
 * it is not known (or, for MOTHER and MC_DOB, not applicable).
 */
export interface UpdateChildDetails {
  readonly type: 'UpdateChildDetails';
  readonly data: Pick<ChildDetailsUpdated['data'], 'childId'> & Partial<ChildDetailsUpdated['data']>;
}
export interface StartPlacement {
  readonly type: 'StartPlacement';
  readonly data: PlacementStart & {
    readonly place: string;
    readonly placeProvider: string;
    /** Defaults to the child's current legal status when null. */
    readonly legalStatus: string | null;
    /** Optional, for a placement that starts a period of care: its CIN, HOME_POST and imported RNE. */
    readonly periodOfCare?: {
      readonly categoryOfNeed?: string | null;
      readonly homePostcode?: string | null;
      readonly importedReasonNewEpisode?: string | null;
    } | null;
  };
}
export interface EndPlacement {
  readonly type: 'EndPlacement';
  readonly data: {
    readonly childId: string;
    readonly placementId: string;
    readonly endDate: BusinessDate;
    readonly reasonForChange: string | null;
    readonly reasonEpisodeCeased: string | null;
    /** What follows; left out (or null), the end says nothing and the child shows on the no-placement queue. */
    readonly next?: string | null;
  };
}
export interface RevisePlacementEnd extends CommandFor<'RevisePlacementEnd', EndPlacement> {
  /** When the command is decided: only an end after today (London) is still a plan. */
  readonly at: Instant;
}
export interface WithdrawPlacementEnd {
  readonly type: 'WithdrawPlacementEnd';
  readonly data: { readonly childId: string; readonly placementId: string };
  readonly at: Instant;
}
export interface ChangeLegalStatus {
  readonly type: 'ChangeLegalStatus';
  readonly data: { readonly childId: string; readonly legalStatus: string; readonly date: BusinessDate };
  /**
   * When a person's command is decided: a change of legal status is a court's or the authority's
   * decision already made, so never dated after today. Absent for a return imported from the DfE's files.
   */
  readonly at?: Instant;
}
export interface PlanStepDown {
  readonly type: 'PlanStepDown';
  readonly data: {
    readonly childId: string;
    readonly stepDownId: string;
    readonly fromPlacementId: string;
    /** The receiving household's terms and diary, read from its stream. */
    readonly toHousehold: HouseholdFitFacts;
    readonly placementType: FosterPlacementType;
    readonly siblingGroupId: string | null;
    readonly plannedDate: BusinessDate;
    readonly safetyPlan: SafetyPlan | null;
    readonly milestones: readonly Milestone[];
  };
}
export interface RecordStepDownMilestone extends CommandFor<'RecordStepDownMilestone', StepDownMilestoneRecorded> {
  /** When the command is decided: a milestone met or missed is a fact about the past. */
  readonly at: Instant;
}
export interface CompleteStepDown {
  readonly type: 'CompleteStepDown';
  readonly data: {
    readonly childId: string;
    readonly stepDownId: string;
    readonly newPlacementId: string;
    readonly date: BusinessDate;
    /** A foster PLACE code (U1–U6) and the household's provider code. */
    readonly place: string;
    readonly placeProvider: string;
    readonly placementPostcode: string | null;
  };
  /** When the command is decided: a completed step-down is a fact about the past. */
  readonly at: Instant;
}
export type AbandonStepDown = CommandFor<'AbandonStepDown', StepDownAbandoned>;
export interface RecordCareLeaver {
  readonly type: 'RecordCareLeaver';
  readonly data: { readonly childId: string; readonly accommodation: string; readonly from: BusinessDate };
  /** When the command is decided: where a young person lives is a fact, never dated after today. */
  readonly at: Instant;
}
export type ChildCommand =
  | RegisterChild
  | RecordCareLeaver
  | UpdateChildDetails
  | StartPlacement
  | EndPlacement
  | RevisePlacementEnd
  | WithdrawPlacementEnd
  | ChangeLegalStatus
  | PlanStepDown
  | RecordStepDownMilestone
  | CompleteStepDown
  | AbandonStepDown;

// ---- state ----
export interface ChildPlacement {
  readonly placementId: string;
  readonly unit: UnitRef;
  readonly place: PlaceCode;
  readonly placeProvider: PlaceProviderCode;
  readonly startDate: BusinessDate;
  readonly endDate: BusinessDate | null;
  readonly emergency: boolean;
  readonly referralId: string | null;
  readonly reasonForChange: ReasonPlaceChangeCode | null;
  readonly reasonEpisodeCeased: RecCode | null;
  readonly next: AfterPlacement | null;
}
export interface StepDown {
  readonly stepDownId: string;
  readonly fromPlacementId: string;
  readonly toHouseholdId: string;
  readonly plannedDate: BusinessDate;
  readonly status: 'planned' | 'completed' | 'abandoned';
  readonly milestones: readonly (Milestone & { readonly outcome: MilestoneOutcome | null })[];
  readonly newPlacementId: string | null;
}
export interface ChildFile {
  readonly childId: string;
  readonly sex: ChildSex;
  readonly dateOfBirth: BusinessDate;
  readonly localAuthority: string;
  readonly homePostcode: string;
  /** UPN or UN1–UN5, MOTHER and MC_DOB as last recorded; null when not known. */
  readonly upn: string | null;
  readonly mother: '0' | '1' | null;
  readonly motherChildDateOfBirth: BusinessDate | null;
  readonly legalStatus: LegalStatusCode | null;
  /** Every placement, oldest first; they never overlap, and at most one (the last) has endDate null. */
  readonly placements: readonly ChildPlacement[];
  readonly stepDowns: readonly StepDown[];
  /** The care leaver's accommodation as last recorded; null when none is recorded. */
  readonly careLeaver: { readonly accommodation: CareLeaverAccommodation; readonly from: BusinessDate } | null;
}
export type ChildState = { readonly status: 'Unknown' } | { readonly status: 'Registered'; readonly child: ChildFile };
