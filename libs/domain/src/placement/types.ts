import type { BusinessDate, Instant } from '../shared/dates';
import type { FosterPlacementType, ProviderRef } from '../shared/types';
import type { ExclusionFound } from '../shared/exclusions';
import type { BedEvent, BedState } from '../bed/types';
import type { SettingState } from '../setting/types';
import type { HouseholdEvent, HouseholdState } from '../household/types';
import type { ContractEvent, ContractState } from '../contract/types';
import type { ChildEvent, ChildState } from '../child/types';
import type { ReferralEvent, ReferralState } from '../referral/types';

/** Events for one stream, ready for the caller to append with the expected revision it loaded. */
export type StreamAppend =
  | { readonly kind: 'bed'; readonly streamId: string; readonly events: readonly BedEvent[] }
  | { readonly kind: 'household'; readonly streamId: string; readonly events: readonly HouseholdEvent[] }
  | { readonly kind: 'contract'; readonly streamId: string; readonly events: readonly ContractEvent[] }
  | { readonly kind: 'child'; readonly streamId: string; readonly events: readonly ChildEvent[] }
  | { readonly kind: 'referral'; readonly streamId: string; readonly events: readonly ReferralEvent[] };

/** A contended unit and the state of its stream as loaded. External (spot) placements have none. */
export type UnitView =
  | { readonly kind: 'bed'; readonly settingId: string; readonly bedId: string; readonly state: BedState }
  | { readonly kind: 'household'; readonly householdId: string; readonly state: HouseholdState }
  | { readonly kind: 'block-bed'; readonly contractId: string; readonly bedRef: string; readonly state: ContractState }
  | { readonly kind: 'external'; readonly urn: string | null; readonly provider: ProviderRef };

/** A bed's home as loaded: the setting's stream and every other bed's diary (for reg 14 and the registered maximum). */
export interface BedHome {
  readonly setting: SettingState;
  readonly otherBeds: readonly BedState[];
}

/** The streams a placement reads, as loaded. */
export interface PlacementInputs {
  readonly unit: UnitView;
  readonly child: ChildState;
  /** The referral the placement answers, or null when it names none. */
  readonly referral: ReferralState | null;
  /** Only for a bed. */
  readonly home: BedHome | null;
  /**
   * The matching engine's reasons for excluding the unit for the referral on the start date
   * (empty when it would offer it), or null when the engine has no view: no referral, or a unit
   * outside the estate it reads (a spot purchase).
   */
  readonly exclusions: readonly ExclusionFound[] | null;
}

export interface PlacementRequest {
  readonly placementId: string;
  readonly childId: string;
  readonly referralId: string | null;
  readonly emergency: boolean;
  readonly startDate: BusinessDate;
  /** When the command is decided (its clock); "today" is its London date. */
  readonly at: Instant;
  readonly place: string;
  readonly placeProvider: string;
  /** Null keeps the child's current legal status. */
  readonly legalStatus: string | null;
  /** SSDA903 PL_POST when it differs from the unit's own postcode (a spot provider's home). */
  readonly placementPostcode: string | null;
  /** With a household: the placement type; null takes the referral's (or `emergency` for an emergency). */
  readonly placementType: FosterPlacementType | null;
  readonly siblingGroupId: string | null;
}

/**
 * A cross-stream command as ordered appends. Append `steps` in order, each with the
 * expected revision the caller loaded. The flow stands once the step at `standsAt` (the
 * child's record) is written; if that or an earlier step fails while the contended unit is
 * taken for it (by an earlier step, or by this command's earlier attempt when `standsAt` is 0),
 * append `compensation`: it gives the unit back. Anything left half-done is repaired by
 * `reconcile`. Every flow reads the states it is given as they are now: a step this command
 * already wrote (a retry after a crash) is not asked for again.
 */
export interface PlacementFlow {
  readonly steps: readonly StreamAppend[];
  readonly compensation: StreamAppend | null;
  readonly standsAt: number;
}

/** A unit stream's state as loaded, by the kind of append that changes it. */
export type UnitStreamState =
  | { readonly kind: 'bed'; readonly state: BedState }
  | { readonly kind: 'household'; readonly state: HouseholdState }
  | { readonly kind: 'contract'; readonly state: ContractState };
