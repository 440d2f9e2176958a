import { dateField, dateParts, fields } from './form';
import { londonInstant } from '../audit/audit.controller';
import { monthStart } from '../sufficiency/sufficiency.controller';
import { errorList, ruleMessage } from './page';

describe('reading the forms', () => {
  it('reads a GOV.UK date input as a business date, and leaves a wrong one for the API to name', () => {
    expect(dateField({ 'd-day': '1', 'd-month': '12', 'd-year': '2026' }, 'd')).toBe('2026-12-01');
    expect(dateField({}, 'd')).toBe('');
    expect(dateField({ 'd-day': '31', 'd-month': 'x', 'd-year': '2026' }, 'd')).toBe('2026-x-31');
    expect(dateParts('2026-12-01')).toEqual({ day: '1', month: '12', year: '2026' });
  });

  it('reads repeated checkboxes as a list', () => {
    expect(fields({ a: ['x', 'y'] }, 'a')).toEqual(['x', 'y']);
    expect(fields({ a: 'x' }, 'a')).toEqual(['x']);
    expect(fields({}, 'a')).toEqual([]);
  });

  it('turns a London date and time into the instant the audit asks for, in summer time too', () => {
    expect(londonInstant('2026-11-30', '10:30')).toBe('2026-11-30T10:30:59.999Z');
    expect(londonInstant('2026-07-01', '09:00')).toBe('2026-07-01T08:00:59.999Z');
    // No time: the end of that day.
    expect(londonInstant('2026-11-30', '')).toBe('2026-11-30T23:59:59.999Z');
    expect(londonInstant('2026-02-30', '10:00')).toBeNull();
    expect(londonInstant('2026-11-30', '25:00')).toBeNull();
  });

  it('counts months back for the utilisation range', () => {
    expect(monthStart('2026-11-30', 11)).toBe('2025-12-01');
    expect(monthStart('2027-01-05', 0)).toBe('2027-01-01');
  });
});

describe('refusals in plain English', () => {
  it('says a broken rule in words and keeps its code', () => {
    expect(ruleMessage({ status: 422, title: 'Rule broken', code: 'MATCHING_REQUIRED' })).toMatch(
      /^A planned residential placement needs a matching meeting .*\(MATCHING_REQUIRED\)\.$/,
    );
    expect(ruleMessage({ status: 409, title: 'Conflict', code: 'SOMETHING_NEW', detail: 'As the API said' })).toBe(
      'As the API said',
    );
  });

  it("links each invalid field to its input, in the field's own words", () => {
    const problem = {
      status: 400,
      title: 'Invalid request',
      errors: [{ field: 'startDate', rule: 'isBusinessDate', message: 'startDate must be a real date (YYYY-MM-DD)' }],
    };
    expect(errorList(problem, { startDate: 'startDate-day' })).toEqual([
      { text: 'This must be a real date (YYYY-MM-DD)', href: '#startDate-day' },
    ]);
  });
});
