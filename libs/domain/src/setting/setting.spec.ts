import { aSettingRegistered, given } from '../testing';
import { isOpenOn, occupyFactsOf, settingDecider, streamId } from './setting';
import type { SettingEvent, SettingRegistered, SettingResident, StatementOfPurposeRecorded } from './types';

const resident = (
  childId: string,
  from: string,
  to: string | null,
  more: Partial<SettingResident> = {},
): SettingResident => ({
  childId,
  bedId: `b-${childId}`,
  sex: 'F',
  dateOfBirth: '2012-05-01',
  from,
  to,
  ...more,
});

const registered: SettingRegistered = aSettingRegistered({
  name: 'Oak House',
  localAuthority: 'Rotherham',
  registeredOn: '2024-04-01',
});

describe('setting decider', () => {
  it('names its stream setting-{id}', () => {
    expect(streamId('s1')).toBe('setting-s1');
  });

  describe('RegisterSetting', () => {
    it('registers a setting', () => {
      given(settingDecider, []).when({ type: 'RegisterSetting', data: registered.data }).then([registered]);
    });
    it('registers an unregistered setting with a null URN', () => {
      const data = { ...registered.data, urn: null };
      given(settingDecider, [])
        .when({ type: 'RegisterSetting', data })
        .then([{ type: 'SettingRegistered', data }]);
    });
    it('refuses a second registration', () => {
      given(settingDecider, [registered])
        .when({ type: 'RegisterSetting', data: registered.data })
        .thenFails('ALREADY_EXISTS');
    });
    it('refuses a malformed URN', () => {
      given(settingDecider, [])
        .when({ type: 'RegisterSetting', data: { ...registered.data, urn: 'SC12345' } })
        .thenFails('INVALID_CODE');
    });
    it('refuses an unknown provider code', () => {
      const provider = { ...registered.data.provider, code: 'PR9' as 'PR1' };
      given(settingDecider, [])
        .when({ type: 'RegisterSetting', data: { ...registered.data, provider } })
        .thenFails('INVALID_CODE');
    });
    it('refuses an age range the wrong way round', () => {
      const registration = { ...registered.data.registration, ageRange: { min: 17, max: 8 } };
      given(settingDecider, [])
        .when({ type: 'RegisterSetting', data: { ...registered.data, registration } })
        .thenFails('INVALID_INPUT');
    });
    it('refuses supported accommodation for under-16s', () => {
      const data = {
        ...registered.data,
        type: 'supported-accommodation' as const,
        registration: { ...registered.data.registration, ageRange: { min: 15, max: 17 } },
      };
      given(settingDecider, []).when({ type: 'RegisterSetting', data }).thenFails('OUTSIDE_REGISTRATION');
    });
  });

  describe('ChangeSettingRegistration', () => {
    const change = {
      settingId: 's1',
      registration: { ageRange: { min: 10, max: 17 }, sexes: 'F' as const, maxChildren: 4 },
      urn: 'SC123456',
      effectiveDate: '2025-01-01',
    };
    it('changes the registration', () => {
      const { state } = given(settingDecider, [registered, { type: 'SettingRegistrationChanged', data: change }]);
      expect(state.status === 'Registered' && state.setting.registration).toEqual(change.registration);
      given(settingDecider, [registered])
        .when({ type: 'ChangeSettingRegistration', data: change, residents: [], beds: 3 })
        .then([{ type: 'SettingRegistrationChanged', data: change }]);
    });
    it('refuses a registration for fewer children than beds: no set of bed decisions may over-fill the home', () => {
      given(settingDecider, [registered])
        .when({ type: 'ChangeSettingRegistration', data: change, residents: [], beds: 5 })
        .thenFails('OUTSIDE_REGISTRATION', 'the setting has 5 beds');
    });
    it('refuses a registration that would put current or booked residents outside it, naming them', () => {
      const boy = resident('c2', '2025-02-01', null, { sex: 'M' });
      const young = resident('c3', '2025-03-01', null, { dateOfBirth: '2016-01-01' });
      given(settingDecider, [registered])
        .when({
          type: 'ChangeSettingRegistration',
          data: change,
          residents: [resident('c1', '2024-06-01', null), boy, young],
          beds: 3,
        })
        .thenFails('OUTSIDE_REGISTRATION', /outside the new registration \(age or sex\): c2, c3$/);
    });
    it('refuses fewer places than children living there on a night from the change on', () => {
      const two = { ...change, registration: { ...change.registration, maxChildren: 2 } };
      const residents = [
        resident('c1', '2024-06-01', null),
        resident('c2', '2024-09-01', '2025-02-01'),
        resident('c3', '2025-01-15', null),
      ];
      given(settingDecider, [registered])
        .when({ type: 'ChangeSettingRegistration', data: two, residents, beds: 2 })
        .thenFails('OUTSIDE_REGISTRATION', 'allows 2 children but 3 live there on 2025-01-15: c1, c2, c3');
      given(settingDecider, [registered])
        .when({ type: 'ChangeSettingRegistration', data: { ...two, effectiveDate: '2025-02-01' }, residents, beds: 2 })
        .then([{ type: 'SettingRegistrationChanged', data: { ...two, effectiveDate: '2025-02-01' } }]);
    });
    it('ignores children who left before the change takes effect', () => {
      given(settingDecider, [registered])
        .when({
          type: 'ChangeSettingRegistration',
          data: change,
          residents: [resident('c2', '2024-02-01', '2025-01-01', { sex: 'M' })],
          beds: 3,
        })
        .then([{ type: 'SettingRegistrationChanged', data: change }]);
    });
    it('refuses for an unknown setting', () => {
      given(settingDecider, [])
        .when({ type: 'ChangeSettingRegistration', data: change, residents: [], beds: 3 })
        .thenFails('NOT_FOUND');
    });
    it('refuses for a closed setting', () => {
      given(settingDecider, [
        registered,
        { type: 'SettingClosed', data: { settingId: 's1', date: '2025-01-01', reason: 'decommissioned' } },
      ])
        .when({ type: 'ChangeSettingRegistration', data: change, residents: [], beds: 3 })
        .thenFails('SETTING_CLOSED');
    });
  });

  describe('CloseSetting', () => {
    const closed = {
      type: 'SettingClosed' as const,
      data: { settingId: 's1', date: '2025-06-30', reason: 'decommissioned' as const },
    };
    it('closes a registered setting, which then takes no one after the date', () => {
      given(settingDecider, [registered])
        .when({ type: 'CloseSetting', data: closed.data, residents: [] })
        .then([closed]);
      const { state } = given(settingDecider, [registered, closed]);
      expect(isOpenOn(state, '2025-06-29')).toBe(true);
      expect(isOpenOn(state, '2025-06-30')).toBe(false);
    });
    it('refuses to close while children live there or are booked to arrive, naming them', () => {
      given(settingDecider, [registered])
        .when({
          type: 'CloseSetting',
          data: closed.data,
          residents: [resident('c1', '2025-01-01', '2025-07-01'), resident('c2', '2025-08-01', null)],
        })
        .thenFails('SETTING_HAS_RESIDENTS', 'on or after 2025-06-30: c1, c2;');
    });
    it('closes on the day the last child leaves', () => {
      given(settingDecider, [registered])
        .when({ type: 'CloseSetting', data: closed.data, residents: [resident('c1', '2025-01-01', '2025-06-30')] })
        .then([closed]);
    });
    it('refuses to close twice', () => {
      given(settingDecider, [registered, closed])
        .when({ type: 'CloseSetting', data: closed.data, residents: [] })
        .thenFails('SETTING_CLOSED');
    });
  });
});

describe('occupyFactsOf', () => {
  it('gives the registration and whether the setting is open on the start date', () => {
    const { state } = given(settingDecider, [registered]);
    expect(occupyFactsOf(state, '2025-03-01')).toEqual({ open: true, registration: registered.data.registration });
    expect(() => occupyFactsOf(settingDecider.initialState, '2025-03-01')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });

  describe('RecordStatementOfPurpose', () => {
    const statement: StatementOfPurposeRecorded = {
      type: 'StatementOfPurposeRecorded',
      data: { settingId: 's1', risksNotAccepted: ['cse', 'fire-setting'], emergencyAdmissions: 'none' },
    };
    const record = (data: Partial<StatementOfPurposeRecorded['data']> = {}) => ({
      type: 'RecordStatementOfPurpose' as const,
      data: { ...statement.data, ...data },
    });

    it('records the risks a home does not accept and whether it takes emergency admissions', () => {
      given(settingDecider, [registered]).when(record()).then([statement]);
      const state = given(settingDecider, [registered, statement]).state;
      expect(state.status === 'Registered' && state.setting.statementOfPurpose).toEqual({
        risksNotAccepted: ['cse', 'fire-setting'],
        emergencyAdmissions: 'none',
      });
    });
    it('a setting registered before statements were recorded has none (it accepts every risk, as before)', () => {
      const state = given(settingDecider, [registered]).state;
      expect(state.status === 'Registered' && state.setting.statementOfPurpose).toBeNull();
    });
    it('a later statement replaces the earlier one', () => {
      const later = record({ risksNotAccepted: [], emergencyAdmissions: 'emergency-beds' });
      const events = given(settingDecider, [registered, statement]).when(later).events();
      const state = given(settingDecider, [registered, statement, ...events]).state;
      expect(state.status === 'Registered' && state.setting.statementOfPurpose).toEqual({
        risksNotAccepted: [],
        emergencyAdmissions: 'emergency-beds',
      });
    });
    it('records nothing when the statement is the one on record, in any order', () => {
      given(settingDecider, [registered, statement])
        .when(record({ risksNotAccepted: ['fire-setting', 'cse'] }))
        .then([]);
    });
    it('refuses a risk outside the referral vocabulary, and a risk named twice', () => {
      const unknown = ['arson'] as unknown as StatementOfPurposeRecorded['data']['risksNotAccepted'];
      given(settingDecider, [registered])
        .when(record({ risksNotAccepted: unknown }))
        .thenFails('INVALID_INPUT');
      given(settingDecider, [registered])
        .when(record({ risksNotAccepted: ['cse', 'cse'] }))
        .thenFails('INVALID_INPUT');
    });
    it('refuses an unknown emergency admissions term', () => {
      const term = 'sometimes' as StatementOfPurposeRecorded['data']['emergencyAdmissions'];
      given(settingDecider, [registered])
        .when(record({ emergencyAdmissions: term }))
        .thenFails('INVALID_INPUT');
    });
    it('refuses an unregistered or closed setting', () => {
      given(settingDecider, []).when(record()).thenFails('NOT_FOUND');
      const closed: SettingEvent = {
        type: 'SettingClosed',
        data: { settingId: 's1', date: '2025-01-01', reason: 'decommissioned' },
      };
      given(settingDecider, [registered, closed]).when(record()).thenFails('SETTING_CLOSED');
    });
  });
});
