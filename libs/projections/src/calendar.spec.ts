import { londonDateOf as domainLondonDateOf } from '@placement/domain';
import { londonDateOf, monthsCovering, monthsEndingWith, nightsInWindow } from './calendar';

describe('London calendar', () => {
  it('turns instants into London dates across the clock changes and month ends', () => {
    expect(londonDateOf('2026-03-28T23:30:00Z')).toBe('2026-03-28'); // GMT
    expect(londonDateOf('2026-03-29T23:30:00Z')).toBe('2026-03-30'); // BST: 00:30 on the 30th
    expect(londonDateOf('2026-03-31T23:30:00Z')).toBe('2026-04-01'); // already April in London
    expect(londonDateOf('2026-10-24T23:30:00Z')).toBe('2026-10-25'); // still BST
    expect(londonDateOf('2026-10-25T23:30:00Z')).toBe('2026-10-25'); // GMT again
    expect(londonDateOf(new Date('2026-12-31T23:59:59Z'))).toBe('2026-12-31');
  });

  it("answers as the domain's London date for every five minutes of the clock-change days, asked again or not", () => {
    const instants = ['2026-03-28', '2026-03-29', '2026-10-24', '2026-10-25'].flatMap((day) =>
      Array.from({ length: 24 * 12 }, (_, i) => new Date(Date.parse(`${day}T00:00:00Z`) + i * 300_000).toISOString()),
    );
    const domain = instants.map((instant) => `${instant} ${domainLondonDateOf(instant)}`);
    for (let round = 0; round < 2; round += 1)
      expect(instants.map((instant) => `${instant} ${londonDateOf(instant)}`)).toEqual(domain);
    expect(londonDateOf('2026-03-29T00:30:00+01:00')).toBe('2026-03-28');
    // An hour already answered does not let a string that is no instant through.
    expect(() => londonDateOf('2026-03-29 23:30:00Z')).toThrow(RangeError);
  });

  it('counts one night per date, whatever the length of the day', () => {
    expect(
      nightsInWindow({ from: '2026-03-28', until: '2026-03-30' }, { from: '2026-03-01', until: '2026-04-01' }),
    ).toBe(2);
    expect(
      nightsInWindow({ from: '2026-10-24', until: '2026-10-26' }, { from: '2026-10-01', until: '2026-11-01' }),
    ).toBe(2);
    expect(nightsInWindow({ from: '2026-03-27', until: null }, { from: '2026-04-01', until: '2026-04-03' })).toBe(2);
    expect(
      nightsInWindow({ from: '2026-05-01', until: '2026-05-01' }, { from: '2026-05-01', until: '2026-06-01' }),
    ).toBe(0);
    expect(
      nightsInWindow({ from: '2026-06-10', until: '2026-06-20' }, { from: '2026-05-01', until: '2026-06-01' }),
    ).toBe(0);
  });

  it('lists months, including leap Februaries and year ends', () => {
    expect(monthsCovering('2027-12-15', '2028-03-01').map((m) => [m.month, m.firstDay, m.lastDay])).toEqual([
      ['2027-12', '2027-12-01', '2027-12-31'],
      ['2028-01', '2028-01-01', '2028-01-31'],
      ['2028-02', '2028-02-01', '2028-02-29'],
      ['2028-03', '2028-03-01', '2028-03-31'],
    ]);
    expect(monthsEndingWith('2026-02-10', 3).map((m) => m.month)).toEqual(['2025-12', '2026-01', '2026-02']);
  });
});
