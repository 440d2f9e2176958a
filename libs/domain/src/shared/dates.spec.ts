import {
  addDays,
  addWorkingDays,
  ageOn,
  compareDates,
  daysBetween,
  isBusinessDate,
  isInstant,
  isWorkingDay,
  londonDateOf,
  londonMidnight,
  requireDate,
  requireInstant,
} from './dates';
import { emergencyStayDeadline, emergencyStayOverdue } from './emergency';
import { DomainError, isDomainError } from './errors';

describe('date guards', () => {
  it('refuse a field that is not a YYYY-MM-DD date with INVALID_DATES, naming the field', () => {
    expect(() => requireDate('2025-02-29', 'startDate')).toThrow(
      new DomainError('INVALID_DATES', 'startDate must be YYYY-MM-DD'),
    );
    expect(() => requireDate('2025-02-28', 'startDate')).not.toThrow();
  });

  it('refuse a field that is not an ISO instant with INVALID_INPUT, naming the field', () => {
    expect(() => requireInstant('2025-02-28', 'at')).toThrow(
      new DomainError('INVALID_INPUT', 'at must be an ISO instant'),
    );
    expect(() => requireInstant('2025-02-28T10:00:00Z', 'at')).not.toThrow();
  });
});

describe('business dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isBusinessDate('2024-02-29')).toBe(true);
    expect(isBusinessDate('2025-02-29')).toBe(false);
    expect(isBusinessDate('2025-13-01')).toBe(false);
    expect(isBusinessDate('01/03/2025')).toBe(false);
    expect(isBusinessDate(20250301)).toBe(false);
  });
  it('recognises ISO instants', () => {
    expect(isInstant('2025-03-01T10:00:00Z')).toBe(true);
    expect(isInstant('2025-03-01')).toBe(false);
  });
  it('compares and adds days across month and year ends', () => {
    expect(compareDates('2025-01-31', '2025-02-01')).toBe(-1);
    expect(compareDates('2025-02-01', '2025-02-01')).toBe(0);
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2); // across the clocks change: still whole days
  });
  it('turns an instant into its Europe/London date across both clock changes', () => {
    // BST began at 01:00 UTC on Sunday 29 March 2026 and ends at 01:00 UTC on Sunday 25 October 2026.
    expect(londonDateOf('2026-03-28T23:30:00Z')).toBe('2026-03-28');
    expect(londonDateOf('2026-03-29T23:30:00Z')).toBe('2026-03-30');
    expect(londonDateOf('2026-10-24T23:30:00Z')).toBe('2026-10-25');
    expect(londonDateOf('2026-10-25T23:30:00Z')).toBe('2026-10-25');
    expect(londonDateOf('2026-06-30T23:00:00+00:00')).toBe('2026-07-01');
    expect(() => londonDateOf('2026-06-30')).toThrow(RangeError);
  });
  it('reads a Date as well as an ISO instant, and refuses an invalid one', () => {
    expect(londonDateOf(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(londonDateOf(new Date('2026-12-31T23:59:59Z'))).toBe('2026-12-31');
    expect(() => londonDateOf(new Date('not a date'))).toThrow(RangeError);
  });
  it('finds the instant a London date begins, on either side of a clock change', () => {
    expect(londonMidnight('2026-01-16')).toBe('2026-01-16T00:00:00.000Z');
    expect(londonMidnight('2026-07-01')).toBe('2026-06-30T23:00:00.000Z');
    // Clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
    expect(londonMidnight('2026-03-29')).toBe('2026-03-29T00:00:00.000Z');
    expect(londonMidnight('2026-03-30')).toBe('2026-03-29T23:00:00.000Z');
    expect(londonMidnight('2026-10-25')).toBe('2026-10-24T23:00:00.000Z');
    expect(londonMidnight('2026-10-26')).toBe('2026-10-26T00:00:00.000Z');
  });
  it('computes age in completed years', () => {
    expect(ageOn('2011-05-10', '2025-05-09')).toBe(13);
    expect(ageOn('2011-05-10', '2025-05-10')).toBe(14);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });
  it('counts working days, skipping weekends and listed bank holidays', () => {
    expect(isWorkingDay('2025-03-08')).toBe(false); // Saturday
    expect(addWorkingDays('2025-03-07', 1)).toBe('2025-03-10'); // Fri → Mon
    expect(addWorkingDays('2025-12-24', 2, ['2025-12-25', '2025-12-26'])).toBe('2025-12-30');
  });
  it('sets the emergency stay deadline 6 working days on', () => {
    expect(emergencyStayDeadline('2025-03-03')).toBe('2025-03-11');
    expect(emergencyStayOverdue('2025-03-03', '2025-03-11')).toBe(false);
    expect(emergencyStayOverdue('2025-03-03', '2025-03-12')).toBe(true);
    expect(emergencyStayOverdue('2025-03-03', '2025-03-17', { limitWorkingDays: 10, bankHolidays: [] })).toBe(false);
  });
});

describe('DomainError', () => {
  it('carries a stable code and the kind the HTTP edge maps', () => {
    const taken = new DomainError('BED_NOT_VACANT', 'bed is occupied');
    expect(taken).toBeInstanceOf(Error);
    expect(isDomainError(taken)).toBe(true);
    expect([taken.code, taken.kind]).toEqual(['BED_NOT_VACANT', 'conflict']);
    expect(new DomainError('MATCHING_REQUIRED', 'x').kind).toBe('rule');
    expect(new DomainError('NOT_FOUND', 'x').kind).toBe('not_found');
    expect(isDomainError(new Error('x'))).toBe(false);
  });
});
