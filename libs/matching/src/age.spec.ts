import { ageOn } from './age';

describe('ageOn: whole years on the start date', () => {
  it.each([
    ['2012-03-09', '2026-03-09', 14, 'on the birthday'],
    ['2012-03-10', '2026-03-09', 13, 'the day before the birthday'],
    ['2012-02-29', '2026-02-28', 13, 'a leap-day birthday, not yet in a common year'],
    ['2012-02-29', '2026-03-01', 14, 'a leap-day birthday, passed'],
    ['2026-03-09', '2026-03-09', 0, 'born that day'],
  ])('%s on %s is %i (%s)', (dob, on, age) => {
    expect(ageOn(dob, on)).toBe(age);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => ageOn('09/03/2012', '2026-03-09')).toThrow(RangeError);
  });
});
