import type { BusinessDate, Instant } from '../shared/dates';
import type { FosterPlacementType, ProviderRef } from '../shared/types';
import type { BedEvent, BedState, MatchingMeetingFacts } from '../bed/types';
import type { SettingRegistration } from '../setting/types';
import type { HouseholdEvent, HouseholdState } from '../household/types';
import type { ContractEvent, ContractState } from '../contract/types';
import type { ChildEvent } from '../child/types';
import type { ReferralEvent } from '../referral/types';

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

/** The unit-specific facts a placement needs beyond the unit's own stream. */
export type UnitPlacementFacts =
  | {
      readonly kind: 'bed';
      /** From the setting stream. */
      readonly setting: { readonly open: boolean; readonly registration: SettingRegistration };
      /** The children in the setting's other beds now. */
      readonly currentResidentChildIds: readonly string[];
      /** From the referral stream (`latestMeeting`), or null. */
      readonly matchingMeeting: MatchingMeetingFacts | null;
    }
  | { readonly kind: 'household'; readonly placementType: FosterPlacementType; readonly siblingGroupId: string | null }
  | { readonly kind: 'block-bed' }
  | { readonly kind: 'external' };

export interface PlacementRequest {
  readonly placementId: string;
  readonly childId: string;
  readonly referralId: string | null;
  readonly emergency: boolean;
  readonly startDate: BusinessDate;
  readonly at: Instant;
  readonly place: string;
  readonly placeProvider: string;
  /** Null keeps the child's current legal status. */
  readonly legalStatus: string | null;
  readonly placementPostcode: string | null;
  readonly urn: string | null;
  readonly facts: UnitPlacementFacts;
}

/**
 * A cross-stream command as ordered appends. Append `steps` in order, each with the
 * expected revision the caller loaded; if step 2 fails after step 1 was written, append
 * `compensation` (it undoes step 1). Anything left half-done is repaired by `reconcile`.
 */
export interface PlacementFlow {
  readonly steps: readonly StreamAppend[];
  readonly compensation: StreamAppend | null;
}
