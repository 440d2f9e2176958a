import { DomainError, require_ } from '../shared/errors';
import type { Decider } from '../shared/decider';
import { isBusinessDate, isBefore } from '../shared/dates';
import { isValidAgeRange } from '../shared/types';
import { isOfstedUrn, isPlaceProviderCode } from '../ssda903-codes';
import type { SettingCommand, SettingEvent, SettingRegistration, SettingState, SettingType } from './types';

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
      require_(isBusinessDate(data.registeredOn), 'INVALID_DATES', 'registeredOn must be YYYY-MM-DD');
      checkRegistration(data.type, data.registration, data.urn);
      return [{ type: 'SettingRegistered', data }];
    }
    case 'ChangeSettingRegistration': {
      const setting = registered(state);
      require_(isBusinessDate(command.data.effectiveDate), 'INVALID_DATES', 'effectiveDate must be YYYY-MM-DD');
      checkRegistration(setting.type, command.data.registration, command.data.urn);
      return [{ type: 'SettingRegistrationChanged', data: command.data }];
    }
    case 'CloseSetting': {
      registered(state);
      require_(isBusinessDate(command.data.date), 'INVALID_DATES', 'date must be YYYY-MM-DD');
      return [{ type: 'SettingClosed', data: command.data }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function registered(state: SettingState) {
  switch (state.status) {
    case 'Unregistered':
      throw new DomainError('NOT_FOUND', 'setting not registered');
    case 'Closed':
      throw new DomainError('SETTING_CLOSED', 'setting is closed');
    case 'Registered':
      return state.setting;
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}

export function evolve(state: SettingState, event: SettingEvent): SettingState {
  switch (event.type) {
    case 'SettingRegistered': {
      const { registeredOn: _registeredOn, ...setting } = event.data;
      return { status: 'Registered', setting };
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
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
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
