import type { BusinessDate } from '../shared/dates';
import type { DateSpan } from '../shared/diary';
import type { AgeRange, ChildSex, SexesAccepted } from '../shared/types';
import type { PlaceProviderCode } from '../ssda903-codes';
import type { RiskToOthers, RiskToSelf } from '../referral/types';
import type { CommandFor } from '../shared/decider';

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

/** Whether a home takes emergency admissions: into any free bed, only into its emergency beds, or not at all. */
export const EMERGENCY_ADMISSIONS = ['any-bed', 'emergency-beds', 'none'] as const;
export type EmergencyAdmissions = (typeof EMERGENCY_ADMISSIONS)[number];

/** The matching terms of a home's statement of purpose (Children's Homes Regulations 2015, reg 16 and Schedule 1). */
export interface StatementOfPurpose {
  /** Risks (to self or to others, in the referral's words) the home does not accept. */
  readonly risksNotAccepted: readonly (RiskToSelf | RiskToOthers)[];
  readonly emergencyAdmissions: EmergencyAdmissions;
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
/** The statement of purpose's matching terms, replacing any recorded before. */
export interface StatementOfPurposeRecorded {
  readonly type: 'StatementOfPurposeRecorded';
  readonly data: { readonly settingId: string } & StatementOfPurpose;
}
export type SettingEvent = SettingRegistered | SettingRegistrationChanged | SettingClosed | StatementOfPurposeRecorded;

// ---- commands ----
export type RegisterSetting = CommandFor<'RegisterSetting', SettingRegistered>;
/** A child living in, or booked into, one of the setting's beds: the bed's diary and the child's record. */
export interface SettingResident extends DateSpan {
  readonly childId: string;
  readonly bedId: string;
  readonly sex: ChildSex;
  readonly dateOfBirth: BusinessDate;
}
export interface ChangeSettingRegistration extends CommandFor<'ChangeSettingRegistration', SettingRegistrationChanged> {
  /** Every booking of the setting's beds (each bed is its own stream), and how many beds it has. */
  readonly residents: readonly SettingResident[];
  readonly beds: number;
}
export interface CloseSetting extends CommandFor<'CloseSetting', SettingClosed> {
  /** Every booking of the setting's beds. */
  readonly residents: readonly SettingResident[];
}
export type RecordStatementOfPurpose = CommandFor<'RecordStatementOfPurpose', StatementOfPurposeRecorded>;
export type SettingCommand = RegisterSetting | ChangeSettingRegistration | CloseSetting | RecordStatementOfPurpose;

// ---- state ----
/** What the setting was registered with (as changed since), and its statement of purpose. */
export interface SettingFacts extends Omit<SettingRegistered['data'], 'registeredOn'> {
  /** None recorded: the home accepts every risk and takes emergencies only into its emergency beds. */
  readonly statementOfPurpose: StatementOfPurpose | null;
}
export type SettingState =
  | { readonly status: 'Unregistered' }
  | { readonly status: 'Registered'; readonly setting: SettingFacts }
  | { readonly status: 'Closed'; readonly setting: SettingFacts; readonly closedOn: BusinessDate };
