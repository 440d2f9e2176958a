import { londonDate } from './london-date';

describe('londonDate', () => {
  it('is the UTC date in winter (GMT)', () => {
    expect(londonDate(new Date('2026-01-15T23:30:00Z'))).toBe('2026-01-15');
  });

  it('moves to the next day after 23:00 UTC in summer (BST)', () => {
    expect(londonDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
  });

  it('follows the clock changes', () => {
    expect(londonDate(new Date('2026-03-29T00:59:59Z'))).toBe('2026-03-29');
    expect(londonDate(new Date('2026-10-24T23:30:00Z'))).toBe('2026-10-25');
    expect(londonDate(new Date('2026-10-25T23:30:00Z'))).toBe('2026-10-25');
  });
});
