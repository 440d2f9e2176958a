import type { BusinessDate } from '../shared/dates';
import type { AgeRange, SexesAccepted } from '../shared/types';
import type { PlaceProviderCode } from '../ssda903-codes';

export type SettingType = 'childrens-home' | 'secure' | 'supported-accommodation' | 'residential-school' | 'other';

/** What Ofsted registers and a bed's occupy checks (Children's Homes Regulations 2015). */
export interface SettingRegistration {
  readonly ageRange: AgeRange;
  readonly sexes: SexesAccepted;
  readonly maxChildren: number;
}

export interface SettingProvider {
  readonly kind: 'in-house' | 'external';
  readonly name: string;
  readonly code: PlaceProviderCode;
}

// ---- events ----
export interface SettingRegistered {
  readonly type: 'SettingRegistered';
  readonly data: {
    readonly settingId: string;
    /** The setting's name (a home's name, never a child's). */
    readonly name: string;
    /** Ofsted URN, `SC` + 6 digits; null for an unregistered setting. */
    readonly urn: string | null;
    readonly provider: SettingProvider;
    readonly type: SettingType;
    readonly registration: SettingRegistration;
    readonly postcode: string;
    readonly localAuthority: string;
    readonly registeredOn: BusinessDate;
  };
}
export interface SettingRegistrationChanged {
  readonly type: 'SettingRegistrationChanged';
  readonly data: {
    readonly settingId: string;
    readonly registration: SettingRegistration;
    readonly urn: string | null;
    readonly effectiveDate: BusinessDate;
  };
}
export interface SettingClosed {
  readonly type: 'SettingClosed';
  readonly data: {
    readonly settingId: string;
    readonly date: BusinessDate;
    readonly reason: 'deregistered' | 'decommissioned' | 'other';
  };
}
export type SettingEvent = SettingRegistered | SettingRegistrationChanged | SettingClosed;

// ---- commands ----
export interface RegisterSetting {
  readonly type: 'RegisterSetting';
  readonly data: SettingRegistered['data'];
}
export interface ChangeSettingRegistration {
  readonly type: 'ChangeSettingRegistration';
  readonly data: SettingRegistrationChanged['data'];
}
export interface CloseSetting {
  readonly type: 'CloseSetting';
  readonly data: SettingClosed['data'];
}
export type SettingCommand = RegisterSetting | ChangeSettingRegistration | CloseSetting;

// ---- state ----
export interface SettingFacts {
  readonly settingId: string;
  readonly name: string;
  readonly urn: string | null;
  readonly provider: SettingProvider;
  readonly type: SettingType;
  readonly registration: SettingRegistration;
  readonly postcode: string;
  readonly localAuthority: string;
}
export type SettingState =
  | { readonly status: 'Unregistered' }
  | { readonly status: 'Registered'; readonly setting: SettingFacts }
  | { readonly status: 'Closed'; readonly setting: SettingFacts; readonly closedOn: BusinessDate };
