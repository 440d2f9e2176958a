import { collectionYear, collectionYearOf, formatReturnDate, parseReturnDate, sexUnknownAllowed } from './dates';

describe('collection year (named by the year it ends, as the DfE does)', () => {
  it('2025 is the 2024/25 return: 1 April 2024 to 31 March 2025', () => {
    expect(collectionYear(2025)).toEqual({ year: 2025, start: '2024-04-01', end: '2025-03-31', label: '2024/25' });
  });

  it('places a date in its year', () => {
    expect(collectionYearOf('2024-03-31')).toBe(2024);
    expect(collectionYearOf('2024-04-01')).toBe(2025);
    expect(collectionYearOf('2025-03-31')).toBe(2025);
  });

  it('refuses a year that is not a four-digit year', () => {
    expect(() => collectionYear(25)).toThrow(RangeError);
    expect(() => collectionYear(2025.5)).toThrow(RangeError);
  });

  it('accepts SEX U from 2024/25', () => {
    expect(sexUnknownAllowed(2024)).toBe(false);
    expect(sexUnknownAllowed(2025)).toBe(true);
  });
});

describe('return dates', () => {
  it('reads and writes dd/mm/yyyy', () => {
    expect(parseReturnDate('29/02/2024')).toBe('2024-02-29');
    expect(formatReturnDate('2024-02-29')).toBe('29/02/2024');
  });

  it.each(['29/02/2023', '2024-02-29', '1/2/2024', '32/01/2024', '01/13/2024', ' 01/01/2024', ''])(
    'refuses %j',
    (text) => {
      expect(parseReturnDate(text)).toBeNull();
    },
  );
});
