import type { BusinessDate, Instant } from '../shared/dates';
import type { ProviderRef } from '../shared/types';

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
export interface BlockBedReleased {
  readonly type: 'BlockBedReleased';
  readonly data: {
    readonly contractId: string;
    readonly bedRef: string;
    readonly placementId: string;
    readonly childId: string;
    readonly date: BusinessDate;
    readonly reason: BlockBedReleaseReason;
  };
}
export interface BlockBookingEnded {
  readonly type: 'BlockBookingEnded';
  readonly data: {
    readonly contractId: string;
    readonly date: BusinessDate;
    readonly reason: 'expired' | 'terminated';
  };
}
export type ContractEvent = BlockBookingContracted | BlockBedAllocated | BlockBedReleased | BlockBookingEnded;

// ---- commands ----
export interface ContractBlockBooking {
  readonly type: 'ContractBlockBooking';
  readonly data: BlockBookingContracted['data'];
}
export interface AllocateBlockBed {
  readonly type: 'AllocateBlockBed';
  readonly data: BlockBedAllocated['data'];
}
export interface ReleaseBlockBed {
  readonly type: 'ReleaseBlockBed';
  readonly data: BlockBedReleased['data'];
}
export interface EndBlockBooking {
  readonly type: 'EndBlockBooking';
  readonly data: BlockBookingEnded['data'];
}
export type ContractCommand = ContractBlockBooking | AllocateBlockBed | ReleaseBlockBed | EndBlockBooking;

// ---- state ----
export interface BlockAllocation {
  readonly placementId: string;
  readonly childId: string;
  readonly date: BusinessDate;
  readonly at: Instant;
}
export interface ContractTerms {
  readonly contractId: string;
  readonly provider: ProviderRef;
  readonly settingName: string;
  readonly settingUrn: string | null;
  readonly beds: readonly string[];
  readonly startDate: BusinessDate;
  readonly endDate: BusinessDate;
  readonly weeklyPricePerBed: number;
}
export type ContractState =
  | { readonly status: 'NotContracted' }
  | {
      readonly status: 'Active';
      readonly contract: ContractTerms;
      readonly allocations: Readonly<Record<string, BlockAllocation>>;
    }
  | { readonly status: 'Ended'; readonly contract: ContractTerms; readonly endedOn: BusinessDate };
