import { agedEighteenInHomeRegisteredTo17 } from './flags';

describe('aged 18 or over in a home registered up to 17', () => {
  const upTo17 = { min: 11, max: 17 };

  it('turns true on the 18th birthday (London date), not the day before', () => {
    expect(agedEighteenInHomeRegisteredTo17('2008-12-01', upTo17, '2026-11-30')).toBe(false);
    expect(agedEighteenInHomeRegisteredTo17('2008-12-01', upTo17, '2026-12-01')).toBe(true);
    expect(agedEighteenInHomeRegisteredTo17('2001-05-05', upTo17, '2026-12-01')).toBe(true);
  });

  it('takes a leap-day birthday as 1 March in other years', () => {
    expect(agedEighteenInHomeRegisteredTo17('2008-02-29', upTo17, '2026-02-28')).toBe(false);
    expect(agedEighteenInHomeRegisteredTo17('2008-02-29', upTo17, '2026-03-01')).toBe(true);
  });

  it('holds for any registration that stops below 18, and never for one that takes adults', () => {
    expect(agedEighteenInHomeRegisteredTo17('2006-01-01', { min: 8, max: 13 }, '2026-11-30')).toBe(true);
    expect(agedEighteenInHomeRegisteredTo17('2006-01-01', { min: 16, max: 18 }, '2026-11-30')).toBe(false);
    expect(agedEighteenInHomeRegisteredTo17('2006-01-01', { min: 16, max: 25 }, '2026-11-30')).toBe(false);
  });
});
