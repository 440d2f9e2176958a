import { emergencyStayDeadline, isWorkingDay } from '@placement/domain';
import { checkBankHolidayCoverage, loadBankHolidays } from './bank-holidays';

describe('the England and Wales bank holidays in reference-data', () => {
  const calendar = loadBankHolidays();

  it('covers 2018 to 2027', () => {
    expect([calendar.firstYear, calendar.lastYear]).toEqual([2018, 2027]);
  });

  it('holds the moved and one-off bank holidays GOV.UK published', () => {
    expect(calendar.titleOf('2020-05-08')).toBe('Early May bank holiday (VE day)');
    expect(calendar.isBankHoliday('2020-05-04')).toBe(false); // moved to the Friday for VE day
    expect(calendar.titleOf('2022-06-02')).toBe('Spring bank holiday');
    expect(calendar.titleOf('2022-06-03')).toBe('Platinum Jubilee bank holiday');
    expect(calendar.isBankHoliday('2022-05-30')).toBe(false); // moved to sit beside the Jubilee
    expect(calendar.titleOf('2022-09-19')).toBe('Bank Holiday for the State Funeral of Queen Elizabeth II');
    expect(calendar.titleOf('2023-05-08')).toBe('Bank holiday for the coronation of King Charles III');
  });

  it('holds Good Friday and Easter Monday of every year', () => {
    const easterMondays = ['2018-04-02', '2019-04-22', '2020-04-13', '2021-04-05', '2022-04-18'].concat([
      '2023-04-10',
      '2024-04-01',
      '2025-04-21',
      '2026-04-06',
      '2027-03-29',
    ]);
    for (const monday of easterMondays) {
      expect(calendar.titleOf(monday)).toBe('Easter Monday');
      const friday = new Date(Date.parse(`${monday}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10);
      expect(calendar.titleOf(friday)).toBe('Good Friday');
    }
  });

  it('moves Christmas 2026 to Friday 25 and Monday 28 December, and counts an emergency stay across them', () => {
    expect(calendar.titleOf('2026-12-28')).toBe('Boxing Day (substitute day)');
    expect(isWorkingDay('2026-12-28', calendar)).toBe(false);
    expect(emergencyStayDeadline('2026-12-24', { limitWorkingDays: 6, bankHolidays: calendar })).toBe('2027-01-06');
  });

  it('tells a year the list does not cover (said at start-up as an error), and warns in its last year', () => {
    expect(checkBankHolidayCoverage(calendar, '2026-11-30')).toEqual({ ok: true, warning: null });
    expect(checkBankHolidayCoverage(calendar, '2027-06-01')).toMatchObject({ ok: true, warning: /after 2027/ });
    expect(checkBankHolidayCoverage(calendar, '2028-01-04')).toMatchObject({ ok: false, error: /2018–2027/ });
  });
});
