import { monthLabel, monthlyChart, niceMax } from './svg-chart';

const POINTS = [
  { month: '2026-10', value: 3 },
  { month: '2026-11', value: 7 },
  { month: '2026-12', value: null },
];

describe('monthlyChart', () => {
  it('draws one bar per month with a value, its height in proportion to the axis top', () => {
    const svg = monthlyChart(POINTS, { title: 'Step-downs', description: 'Completed each month', kind: 'bar' });
    const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    // Axis top 10 (the tidy top above 7), plot height 204: 3 → 61.2, 7 → 142.8;
    // the month with no figure has no bar.
    expect(heights).toEqual([61.2, 142.8]);
    expect(svg).toContain('>Oct 26<');
    expect(svg).toContain('>10<');
  });

  it('is one named image: its title and description are its accessible name', () => {
    const svg = monthlyChart(POINTS, {
      title: 'In-house share',
      description: 'Per cent <in-house>',
      kind: 'line',
      unit: '%',
      max: 100,
    });
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="in-house-share-title in-house-share-desc"/);
    expect(svg).toContain('<title id="in-house-share-title">In-house share</title>');
    // Text is escaped: a label can never become markup.
    expect(svg).toContain('Per cent &#60;in-house&#62;');
    expect(svg).toContain('>100%<');
    expect(svg.match(/<circle /g)).toHaveLength(2);
  });

  it('labels its axis in whole numbers only: a count of nights is never 2.5', () => {
    const svg = monthlyChart([{ month: '2026-11', value: 1 }], { title: 'Nights', description: 'd', kind: 'bar' });
    const ticks = [...svg.matchAll(/text-anchor="end"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(ticks).toEqual(['0', '1']);
  });

  it('picks a tidy axis top and short month labels', () => {
    expect([niceMax(0), niceMax(7), niceMax(12), niceMax(480), niceMax(1000)]).toEqual([1, 10, 20, 500, 1000]);
    expect(monthLabel('2027-01')).toBe('Jan 27');
  });
});
