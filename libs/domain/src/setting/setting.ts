import { DomainError, require_ } from '../shared/errors';
import { exhaustive } from '../shared/exhaustive';
import type { Decider } from '../shared/decider';
import { ageOn, isBefore, requireDate, type BusinessDate } from '../shared/dates';
import { changePoints, spanContains } from '../shared/diary';
import { acceptsSex, isValidAgeRange, withinAgeRange } from '../shared/types';
import { isOfstedUrn, isPlaceProviderCode } from '../ssda903-codes';
import { RISKS_TO_OTHERS, RISKS_TO_SELF } from '../referral/types';
import {
  EMERGENCY_ADMISSIONS,
  type RecordStatementOfPurpose,
  type StatementOfPurpose,
  type SettingCommand,
  type SettingEvent,
  type SettingRegistration,
  type SettingResident,
  type SettingState,
  type SettingType,
} from './types';

export const streamId = (settingId: string): string => `setting-${settingId}`;

export const initialState: SettingState = { status: 'Unregistered' };

function checkRegistration(type: SettingType, registration: SettingRegistration, urn: string | null): void {
  require_(isValidAgeRange(registration.ageRange), 'INVALID_INPUT', 'age range must be whole years, min ≤ max');
  require_(
    Number.isInteger(registration.maxChildren) && registration.maxChildren >= 1,
    'INVALID_INPUT',
    'max children must be a positive whole number',
  );
  require_(urn === null || isOfstedUrn(urn), 'INVALID_CODE', 'URN must be SC followed by 6 digits');
  // Supported Accommodation (England) Regulations 2023: 16–17 year olds only.
  if (type === 'supported-accommodation') {
    require_(
      registration.ageRange.min >= 16,
      'OUTSIDE_REGISTRATION',
      'supported accommodation takes 16–17 year olds only',
    );
  }
}

export function decide(command: SettingCommand, state: SettingState): SettingEvent[] {
  switch (command.type) {
    case 'RegisterSetting': {
      require_(state.status === 'Unregistered', 'ALREADY_EXISTS', 'setting already registered');
      const data = command.data;
      require_(data.name.trim().length > 0, 'INVALID_INPUT', 'setting name is required');
      require_(isPlaceProviderCode(data.provider.code), 'INVALID_CODE', 'unknown PLACE_PROVIDER code');
      requireDate(data.registeredOn, 'registeredOn');
      checkRegistration(data.type, data.registration, data.urn);
      return [{ type: 'SettingRegistered', data }];
    }
    case 'ChangeSettingRegistration': {
      const setting = registered(state);
      requireDate(command.data.effectiveDate, 'effectiveDate');
      checkRegistration(setting.type, command.data.registration, command.data.urn);
      checkResidentsWithin(command.data.registration, command.data.effectiveDate, command.residents, command.beds);
      return [{ type: 'SettingRegistrationChanged', data: command.data }];
    }
    case 'CloseSetting': {
      registered(state);
      const { date } = command.data;
      requireDate(date, 'date');
      const staying = childIds(command.residents.filter((r) => stillThereOn(r, date)));
      if (staying.length > 0)
        throw new DomainError(
          'SETTING_HAS_RESIDENTS',
          `children live in or are booked into the setting on or after ${date}: ${staying.join(', ')}; ` +
            'end or move their placements first',
          { childIds: staying },
        );
      return [{ type: 'SettingClosed', data: command.data }];
    }
    case 'RecordStatementOfPurpose':
      return recordStatement(command, state);
    default:
      return exhaustive(command);
  }
}

const RISKS: readonly string[] = [...RISKS_TO_SELF, ...RISKS_TO_OTHERS];

function recordStatement(command: RecordStatementOfPurpose, state: SettingState): SettingEvent[] {
  const setting = registered(state);
  const { risksNotAccepted, emergencyAdmissions } = command.data;
  risksNotAccepted.forEach((risk, i) =>
    require_(RISKS.includes(risk), 'INVALID_INPUT', `risksNotAccepted[${i}] must be one of ${RISKS.join(', ')}`),
  );
  require_(
    new Set(risksNotAccepted).size === risksNotAccepted.length,
    'INVALID_INPUT',
    'risksNotAccepted names each risk once',
  );
  require_(
    (EMERGENCY_ADMISSIONS as readonly string[]).includes(emergencyAdmissions),
    'INVALID_INPUT',
    `emergencyAdmissions must be one of ${EMERGENCY_ADMISSIONS.join(', ')}`,
  );
  if (sameStatement(setting.statementOfPurpose, command.data)) return [];
  return [{ type: 'StatementOfPurposeRecorded', data: command.data }];
}

function sameStatement(a: StatementOfPurpose | null, b: StatementOfPurpose): boolean {
  return (
    a !== null &&
    a.emergencyAdmissions === b.emergencyAdmissions &&
    [...a.risksNotAccepted].sort().join() === [...b.risksNotAccepted].sort().join()
  );
}

/** Bookings still running on the night of `date` or after it. */
const stillThereOn = (r: SettingResident, date: BusinessDate): boolean => r.to === null || isBefore(date, r.to);

const childIds = (residents: readonly SettingResident[]): string[] =>
  [...new Set(residents.map((r) => r.childId))].sort();

/**
 * A registration taking effect on `from` must hold for everyone living in or booked into the home
 * from then: no more children on any night than it allows, and each child within its ages (on the
 * first night it applies to them) and sexes. No more beds than children allowed either, since
 * that is what stops two bed decisions over-filling the home.
 */
function checkResidentsWithin(
  registration: SettingRegistration,
  from: BusinessDate,
  residents: readonly SettingResident[],
  beds: number,
): void {
  require_(
    beds <= registration.maxChildren,
    'OUTSIDE_REGISTRATION',
    `the setting has ${beds} beds: a registration for ${registration.maxChildren} children needs beds taken away first`,
  );
  const staying = residents.filter((r) => stillThereOn(r, from));
  for (const date of changePoints({ from, to: null }, staying)) {
    const living = staying.filter((r) => spanContains(r, date));
    if (living.length > registration.maxChildren)
      throw new DomainError(
        'OUTSIDE_REGISTRATION',
        `the registration allows ${registration.maxChildren} children but ${living.length} live there on ${date}: ` +
          childIds(living).join(', '),
        { childIds: childIds(living) },
      );
  }
  const outside = childIds(
    staying.filter((r) => {
      const firstNight = isBefore(r.from, from) ? from : r.from;
      return !(
        withinAgeRange(registration.ageRange, ageOn(r.dateOfBirth, firstNight)) && acceptsSex(registration.sexes, r.sex)
      );
    }),
  );
  if (outside.length > 0)
    throw new DomainError(
      'OUTSIDE_REGISTRATION',
      `children living in or booked into the setting from ${from} would be outside the new registration ` +
        `(age or sex): ${outside.join(', ')}`,
      { childIds: outside },
    );
}

function registered(state: SettingState) {
  switch (state.status) {
    case 'Unregistered':
      throw new DomainError('NOT_FOUND', 'setting not registered');
    case 'Closed':
      throw new DomainError('SETTING_CLOSED', 'setting is closed');
    case 'Registered':
      return state.setting;
    default:
      return exhaustive(state);
  }
}

export function evolve(state: SettingState, event: SettingEvent): SettingState {
  switch (event.type) {
    case 'SettingRegistered': {
      const { registeredOn: _registeredOn, ...setting } = event.data;
      return { status: 'Registered', setting: { ...setting, statementOfPurpose: null } };
    }
    case 'SettingRegistrationChanged':
      if (state.status !== 'Registered') return state;
      return {
        status: 'Registered',
        setting: { ...state.setting, registration: event.data.registration, urn: event.data.urn },
      };
    case 'SettingClosed':
      if (state.status !== 'Registered') return state;
      return { status: 'Closed', setting: state.setting, closedOn: event.data.date };
    case 'StatementOfPurposeRecorded': {
      if (state.status !== 'Registered') return state;
      const { risksNotAccepted, emergencyAdmissions } = event.data;
      return {
        status: 'Registered',
        setting: { ...state.setting, statementOfPurpose: { risksNotAccepted, emergencyAdmissions } },
      };
    }
    default:
      return exhaustive(event);
  }
}

export const settingDecider: Decider<SettingCommand, SettingEvent, SettingState> = { decide, evolve, initialState };

/** Whether a setting takes children on a date: registered, and not closed on or before it. */
export function isOpenOn(state: SettingState, date: string): boolean {
  if (state.status === 'Registered') return true;
  if (state.status === 'Closed') return isBefore(date, state.closedOn);
  return false;
}

/** The setting facts OccupyBed needs, read from the setting's stream for the placement's start date. */
export function occupyFactsOf(
  state: SettingState,
  startDate: string,
): { readonly open: boolean; readonly registration: SettingRegistration } {
  if (state.status === 'Unregistered') throw new DomainError('NOT_FOUND', 'setting not registered');
  return { open: isOpenOn(state, startDate), registration: state.setting.registration };
}
