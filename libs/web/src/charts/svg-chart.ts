/** One point of a monthly series. */
export interface ChartPoint {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly value: number | null;
}

export interface ChartOptions {
  /** Also the SVG's accessible name. */
  readonly title: string;
  /** A sentence for screen readers: the table beside the chart has the figures. */
  readonly description: string;
  readonly kind: 'bar' | 'line';
  /** Appended to axis labels: '%' or ''. */
  readonly unit?: string;
  /** The y axis's fixed top (100 for a percentage); otherwise from the data. */
  readonly max?: number;
}

const WIDTH = 640;
const HEIGHT = 260;
const LEFT = 48;
const RIGHT = 12;
const TOP = 16;
const BOTTOM = 40;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A short month label: Dec 26. */
export function monthLabel(month: string): string {
  const [year, m] = month.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${year.slice(2)}`;
}

/** A tidy axis top: 1, 2 or 5 times a power of ten, at least the largest value. */
export function niceMax(largest: number): number {
  if (largest <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(largest));
  for (const step of [1, 2, 5, 10]) if (step * power >= largest) return step * power;
  return 10 * power;
}

/**
 * A monthly chart drawn on the server as SVG: no script, readable without JavaScript, scaled by
 * the browser. Colours are GOV.UK's blue on white (contrast above 4.5:1); the data table beside
 * it carries the figures, so the chart is one image with a name and a description.
 */
export function monthlyChart(points: readonly ChartPoint[], options: ChartOptions): string {
  const unit = options.unit ?? '';
  const values = points.map((p) => p.value ?? 0);
  const top = options.max ?? niceMax(Math.max(0, ...values));
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const step = points.length > 0 ? plotW / points.length : plotW;
  const y = (v: number) => TOP + plotH - (Math.min(v, top) / top) * plotH;
  const id = options.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" class="board-chart" role="img" ` +
      `aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeXml(options.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(options.description)}</desc>`,
  ];
  // Whole-number ticks only: a count of nights is never 2.5.
  for (const tick of [0, top / 2, top].filter((t) => Number.isInteger(t))) {
    const ty = y(tick).toFixed(1);
    parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${ty}" y2="${ty}" stroke="#b1b4b6" stroke-width="1"/>`);
    const label = `${tick}${unit}`;
    parts.push(
      `<text x="${LEFT - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle" font-size="12" ` +
        `fill="#0b0c0c">${escapeXml(label)}</text>`,
    );
  }
  points.forEach((p, i) => {
    const cx = LEFT + step * i + step / 2;
    parts.push(
      `<text x="${cx.toFixed(1)}" y="${HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="11" ` +
        `fill="#0b0c0c">${escapeXml(monthLabel(p.month))}</text>`,
    );
  });
  if (options.kind === 'bar') {
    points.forEach((p, i) => {
      if (p.value === null) return;
      const barW = Math.max(2, step * 0.6);
      const x = LEFT + step * i + (step - barW) / 2;
      const by = y(p.value);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${by.toFixed(1)}" width="${barW.toFixed(1)}" ` +
          `height="${(TOP + plotH - by).toFixed(1)}" fill="#1d70b8"/>`,
      );
    });
  } else {
    const known = points.map((p, i) => ({ p, i })).filter(({ p }) => p.value !== null);
    const path = known
      .map(
        ({ p, i }, k) =>
          `${k === 0 ? 'M' : 'L'}${(LEFT + step * i + step / 2).toFixed(1)} ${y(p.value ?? 0).toFixed(1)}`,
      )
      .join(' ');
    if (path) parts.push(`<path d="${path}" fill="none" stroke="#1d70b8" stroke-width="3"/>`);
    for (const { p, i } of known)
      parts.push(
        `<circle cx="${(LEFT + step * i + step / 2).toFixed(1)}" cy="${y(p.value ?? 0).toFixed(1)}" r="4" ` +
          `fill="#1d70b8"/>`,
      );
  }
  parts.push('</svg>');
  return parts.join('');
}
