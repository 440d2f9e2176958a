import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';

/**
 * A file of this library outside src/ (its templates in views/, its own assets in assets/), found
 * from here in the source tree and from dist/ alike: tsc compiles only the TypeScript.
 */
export function webFile(...parts: string[]): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'libs', 'web', ...parts);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`libs/web/${parts.join('/')} not found`);
  }
}

/** GOV.UK Frontend's compiled files, served from the installed package (never a CDN). */
export const GOVUK_DIST = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');

export function createViews(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([webFile('views'), GOVUK_DIST], { noCache: false }),
    { autoescape: true, throwOnUndefined: false },
  );
  const wholePounds = { maximumFractionDigits: 0 };
  env.addFilter('pounds', (pence: number) => `£${(pence / 100).toLocaleString('en-GB', wholePounds)}`);
  env.addFilter('ukDate', (date: string | null | undefined) => (date ? ukDate(date) : ''));
  env.addFilter('ukDateTime', (instant: string | null | undefined) => (instant ? ukDateTime(instant) : ''));
  return env;
}

const LONDON_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const LONDON_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
});

/** A business date (YYYY-MM-DD) as GOV.UK writes dates: 1 December 2026. */
export function ukDate(date: string): string {
  const parsed = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(parsed) ? date : LONDON_DATE.format(parsed);
}

/** An instant in London time: 30 November 2026 at 10:00am. */
export function ukDateTime(instant: string): string {
  const parsed = Date.parse(instant);
  if (Number.isNaN(parsed)) return instant;
  const parts = LONDON_DATE_TIME.formatToParts(parsed);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const period = part('dayPeriod').toLowerCase().replace(/\s/g, '');
  return `${part('day')} ${part('month')} ${part('year')} at ${part('hour')}:${part('minute')}${period}`;
}

/**
 * GOV.UK Frontend's stylesheet without the GDS Transport typeface: the font is licensed for
 * GOV.UK services only, and a council's service is not on GOV.UK. Text falls back to Arial,
 * as the Design System asks of services elsewhere.
 */
export function councilStylesheet(): string {
  const css = readFileSync(path.join(GOVUK_DIST, 'govuk', 'govuk-frontend.min.css'), 'utf8');
  return css
    .replace(/@font-face\{[^}]*\}/g, '')
    .replace(/\/\*![^*]*Margaret Calvert[^*]*\*\//g, '')
    .replace(/GDS Transport,/g, '')
    .replace(/font-family:GDS Transport([;}])/g, 'font-family:arial,sans-serif$1');
}
