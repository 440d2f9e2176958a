import {
  agedEighteenInHomeRegisteredTo17,
  isUnmatchedEmergency,
  referralDecider,
  referralStreamId,
  type AgeRange,
  type BusinessDate,
  type ReferralState,
  type UnitRef,
} from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { loadStream } from '../commands/command';

/** What needs an officer's attention about a child where they live now (the same words as the capacity view). */
export interface OccupantFlags {
  /** Placed in an emergency before its matching meeting, and no matched meeting for that unit recorded since. */
  readonly unmatchedEmergency: boolean;
  /** 18 or over today (London) in a children's home registered up to 17 at most. */
  readonly aged18InHomeRegisteredTo17: boolean;
}

export const NO_FLAGS: OccupantFlags = { unmatchedEmergency: false, aged18InHomeRegisteredTo17: false };

export interface Occupant {
  readonly unit: UnitRef;
  readonly referralId: string | null;
  /** Raised when placed (an emergency before its matching meeting); cleared by a matched meeting read here. */
  readonly unmatchedEmergency: boolean;
  readonly dateOfBirth: BusinessDate;
  /** The home's registered ages, for a child in a bed; null elsewhere. */
  readonly registeredAges: AgeRange | null;
}

/** The flags of a child where they live, on `today`, decided by the domain's rules from the streams. */
export async function occupantFlags(
  store: EventStore,
  occupant: Occupant,
  today: BusinessDate,
): Promise<OccupantFlags> {
  let unmatchedEmergency = false;
  if (occupant.unmatchedEmergency) {
    const referral: ReferralState =
      occupant.referralId === null
        ? referralDecider.initialState
        : (await loadStream(store, referralDecider, referralStreamId(occupant.referralId))).state;
    unmatchedEmergency = isUnmatchedEmergency(occupant, referral);
  }
  return {
    unmatchedEmergency,
    aged18InHomeRegisteredTo17:
      occupant.registeredAges !== null &&
      agedEighteenInHomeRegisteredTo17(occupant.dateOfBirth, occupant.registeredAges, today),
  };
}
