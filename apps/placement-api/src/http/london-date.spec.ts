import { nextLondonMidnight } from './london-date';

describe('nextLondonMidnight', () => {
  it('is the start of the next London day, on either side of a clock change', () => {
    expect(nextLondonMidnight(new Date('2026-01-15T18:00:00Z')).toISOString()).toBe('2026-01-16T00:00:00.000Z');
    expect(nextLondonMidnight(new Date('2026-06-30T10:00:00Z')).toISOString()).toBe('2026-06-30T23:00:00.000Z');
    // 23:30 UTC on 30 June is already 1 July in London: the next midnight is the 2nd.
    expect(nextLondonMidnight(new Date('2026-06-30T23:30:00Z')).toISOString()).toBe('2026-07-01T23:00:00.000Z');
    // Saturday 24 October 2026 (BST) to Sunday 25th, then Sunday (clocks back at 02:00) to Monday (GMT).
    expect(nextLondonMidnight(new Date('2026-10-24T12:00:00Z')).toISOString()).toBe('2026-10-24T23:00:00.000Z');
    expect(nextLondonMidnight(new Date('2026-10-25T12:00:00Z')).toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(nextLondonMidnight(new Date('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-29T00:00:00.000Z');
  });
});
