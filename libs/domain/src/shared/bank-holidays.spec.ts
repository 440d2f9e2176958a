import { addWorkingDays, isWorkingDay } from './dates';
import { bankHolidayCalendar, BankHolidaysNotKnownError } from './bank-holidays';
import { emergencyStayDeadline, emergencyStayOverdue, emergencyStayOverdueSince } from './emergency';

/** England and Wales, late 2026 to spring 2027, as reference-data lists them (the app loads the whole list). */
const LATE_2026 = [
  { date: '2026-08-31', title: 'Summer bank holiday' },
  { date: '2026-12-25', title: 'Christmas Day' },
  { date: '2026-12-28', title: 'Boxing Day (substitute day)' },
  { date: '2027-01-01', title: 'New Year’s Day' },
  { date: '2027-03-26', title: 'Good Friday' },
];

describe('England and Wales bank holidays', () => {
  const calendar = bankHolidayCalendar(LATE_2026);

  it('reads the list and the years it covers', () => {
    expect(calendar.firstYear).toBe(2026);
    expect(calendar.lastYear).toBe(2027);
    expect(calendar.titleOf('2026-12-28')).toBe('Boxing Day (substitute day)');
    expect(isWorkingDay('2026-12-28', calendar)).toBe(false);
    expect(isWorkingDay('2026-12-29', calendar)).toBe(true);
  });

  it('counts a stay from Thu 24 Dec 2026 to its 6th working day, Wed 6 Jan, skipping 25, 28 Dec and 1 Jan', () => {
    const policy = { limitWorkingDays: 6, bankHolidays: calendar };
    // 29, 30, 31 Dec, 4, 5, 6 Jan: the weekend, 25 and 28 Dec and 1 Jan are not working days.
    expect(emergencyStayDeadline('2026-12-24', policy)).toBe('2027-01-06');
    expect(emergencyStayOverdue('2026-12-24', '2027-01-06', policy)).toBe(false);
    expect(emergencyStayOverdue('2026-12-24', '2027-01-07', policy)).toBe(true);
    expect(emergencyStayOverdueSince('2026-12-24', '2027-01-07', policy)).toBe('2027-01-07');
    expect(emergencyStayOverdueSince('2026-12-24', '2027-01-06', policy)).toBeNull();
    // Counting weekends only would have flagged it five days early.
    expect(emergencyStayDeadline('2026-12-24', { limitWorkingDays: 6, bankHolidays: [] })).toBe('2027-01-01');
  });

  it('refuses to count a day in a year the list does not cover, rather than take it as a working day', () => {
    expect(() => isWorkingDay('2028-01-03', calendar)).toThrow(BankHolidaysNotKnownError);
    expect(() => addWorkingDays('2025-12-30', 2, calendar)).toThrow(/2025/);
    const late = { limitWorkingDays: 6, bankHolidays: calendar };
    expect(() => emergencyStayDeadline('2027-12-24', late)).toThrow(BankHolidaysNotKnownError);
  });

  it('judges a stay overdue from the days before today alone, so it needs no year beyond today', () => {
    const late = { limitWorkingDays: 6, bankHolidays: calendar };
    // Mon 13 Dec 2027 + 6 working days = Tue 21 Dec; the count never reaches 2028.
    expect(emergencyStayOverdue('2027-12-13', '2027-12-22', late)).toBe(true);
    expect(emergencyStayOverdueSince('2027-12-13', '2027-12-31', late)).toBe('2027-12-22');
  });

  it('refuses a list that is not weekday dates', () => {
    expect(() => bankHolidayCalendar([{ date: '2026-13-01', title: 'Nonsense' }])).toThrow(/2026-13-01/);
    expect(() => bankHolidayCalendar([])).toThrow(/no dates/);
    expect(() => bankHolidayCalendar([{ date: '2026-12-26', title: 'A Saturday' }])).toThrow(/weekend/);
  });
});
