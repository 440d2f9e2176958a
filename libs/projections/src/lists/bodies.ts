import type { AlertItem } from '../alerts/alerts.query';
import type { ChildListItem, PlacementListItem, StepDownListItem } from './child-list.query';
import type { ContractListItem, HouseholdListItem, SettingListItem } from './estate-list.query';
import type { ReferralListItem } from './referral-list.query';

/** What a list answers: its items, the read model's position, and the link to the next page (also in `Link`). */
export interface ListBody<T> {
  readonly position: string;
  readonly items: readonly T[];
  /** The next page's URL (relative to this server), or null on the last page. */
  readonly next: string | null;
}

// Each list's page as its route answers it: the API's document and the board's port name these.
export type SettingPage = ListBody<SettingListItem>;
export type HouseholdPage = ListBody<HouseholdListItem>;
export type ContractPage = ListBody<ContractListItem>;
export type ReferralPage = ListBody<ReferralListItem>;
export type ChildPage = ListBody<ChildListItem>;
export type PlacementPage = ListBody<PlacementListItem>;
export type StepDownPage = ListBody<StepDownListItem>;
export type AlertPage = ListBody<AlertItem>;
