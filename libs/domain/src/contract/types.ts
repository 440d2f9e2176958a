import type { BusinessDate, Instant } from '../shared/dates';
import type { DateSpan } from '../shared/diary';
import type { ReviseDeparture, StayEnd, StayRef, WithdrawDeparture } from '../shared/stays';
import type { ProviderRef } from '../shared/types';
import type { CommandFor } from '../shared/decider';

export type BlockBedReleaseReason = 'placement-ended' | 'step-down' | 'compensation';

// ---- events ----
export interface BlockBookingContracted {
  readonly type: 'BlockBookingContracted';
  readonly data: {
    readonly contractId: string;
    readonly provider: ProviderRef;
    readonly settingName: string;
    readonly settingUrn: string | null;
    readonly settingPostcode: string;
    /** The contracted beds, by the provider's reference. */
    readonly beds: readonly string[];
    readonly startDate: BusinessDate;
    readonly endDate: BusinessDate;
    /** Pence, integer. */
    readonly weeklyPricePerBed: number;
  };
}
export interface BlockBedAllocated {
  readonly type: 'BlockBedAllocated';
  readonly data: {
    readonly contractId: string;
    readonly bedRef: string;
    readonly placementId: string;
    readonly childId: string;
    readonly referralId: string | null;
    readonly date: BusinessDate;
    readonly at: Instant;
  };
}
/** The contracted bed and the allocation of it that a departure is about. */
export type BlockBedStayRef = StayRef & {
  readonly contractId: string;
  readonly bedRef: string;
};
/**
 * The allocation's end: the child leaves the bed on `date`. A date after the day it was
 * recorded is a planned departure; a compensation removes the allocation (it never stood).
 */
export interface BlockBedReleased {
  readonly type: 'BlockBedReleased';
  readonly data: BlockBedStayRef & StayEnd<BlockBedReleaseReason>;
}
/**
 * A planned departure taken back: the allocation is open-ended again. A revision is this, then
 * a new BlockBedReleased.
 */
export interface BlockBedDepartureWithdrawn {
  readonly type: 'BlockBedDepartureWithdrawn';
  readonly data: BlockBedStayRef;
}
export interface BlockBookingEnded {
  readonly type: 'BlockBookingEnded';
  readonly data: {
    readonly contractId: string;
    readonly date: BusinessDate;
    readonly reason: 'expired' | 'terminated';
  };
}
export type ContractEvent =
  BlockBookingContracted | BlockBedAllocated | BlockBedReleased | BlockBedDepartureWithdrawn | BlockBookingEnded;

// ---- commands ----
export type ContractBlockBooking = CommandFor<'ContractBlockBooking', BlockBookingContracted>;
export interface AllocateBlockBed {
  readonly type: 'AllocateBlockBed';
  readonly data: BlockBedAllocated['data'] & {
    /** A planned end known at the start, or null for open-ended. */
    readonly endDate: BusinessDate | null;
  };
}
export type ReleaseBlockBed = CommandFor<'ReleaseBlockBed', BlockBedReleased>;
export type ReviseBlockBedDeparture = ReviseDeparture<'ReviseBlockBedDeparture', BlockBedDepartureWithdrawn['data']>;
export type WithdrawBlockBedDeparture = WithdrawDeparture<
  'WithdrawBlockBedDeparture',
  BlockBedDepartureWithdrawn['data']
>;
export type EndBlockBooking = CommandFor<'EndBlockBooking', BlockBookingEnded>;
export type ContractCommand =
  | ContractBlockBooking
  | AllocateBlockBed
  | ReleaseBlockBed
  | ReviseBlockBedDeparture
  | WithdrawBlockBedDeparture
  | EndBlockBooking;

// ---- state: each contracted bed's diary ----
/** A placement's booking of a contracted bed, `[from, to)`. */
export interface BlockAllocation extends DateSpan {
  readonly bedRef: string;
  readonly placementId: string;
  readonly childId: string;
  readonly referralId: string | null;
  /** When the bed was taken. */
  readonly at: Instant;
}
/** A contract's terms: what was contracted, as the event recorded it. */
export type ContractTerms = BlockBookingContracted['data'];
export type ContractState =
  | { readonly status: 'NotContracted' }
  | {
      readonly status: 'Active';
      readonly contract: ContractTerms;
      /** Every allocation of every bed, by start date; one bed's never overlap. */
      readonly allocations: readonly BlockAllocation[];
    }
  | {
      readonly status: 'Ended';
      readonly contract: ContractTerms;
      readonly endedOn: BusinessDate;
      readonly allocations: readonly BlockAllocation[];
    };
