import { isBankHoliday, type BankHolidays } from './bank-holidays';
import { require_ } from './errors';

/**
 * Business dates are Europe/London calendar dates as ISO `YYYY-MM-DD` strings. An instant
 * (a command's `at`, from the caller's clock) becomes a London date once, in `londonDateOf`;
 * date arithmetic then runs on UTC midnights, where every day has 24 hours.
 */
export type BusinessDate = string;
/** An ISO-8601 instant, supplied by the caller (the domain has no clock). */
export type Instant = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: BusinessDate): { year: number; month: number; day: number } {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

export function isBusinessDate(value: unknown): value is BusinessDate {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return false;
  const { year, month, day } = parts(value);
  const utc = new Date(Date.UTC(year, month - 1, day));
  return utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day;
}

export function isInstant(value: unknown): value is Instant {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

/** `field` holds a YYYY-MM-DD date, or INVALID_DATES: the one date guard every decider uses. */
export function requireDate(value: unknown, field: string): asserts value is BusinessDate {
  require_(isBusinessDate(value), 'INVALID_DATES', `${field} must be YYYY-MM-DD`);
}

/** `field` holds an ISO instant (a command's `at`), or INVALID_INPUT. */
export function requireInstant(value: unknown, field: string): asserts value is Instant {
  require_(isInstant(value), 'INVALID_INPUT', `${field} must be an ISO instant`);
}

/** Negative, zero or positive, like a sort comparator. ISO dates compare as strings. */
export function compareDates(a: BusinessDate, b: BusinessDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const isBefore = (a: BusinessDate, b: BusinessDate): boolean => compareDates(a, b) < 0;
export const isAfter = (a: BusinessDate, b: BusinessDate): boolean => compareDates(a, b) > 0;

function toUtcMillis(date: BusinessDate): number {
  const { year, month, day } = parts(date);
  return Date.UTC(year, month - 1, day);
}

function fromUtcMillis(millis: number): BusinessDate {
  return new Date(millis).toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return fromUtcMillis(toUtcMillis(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return Math.round((toUtcMillis(to) - toUtcMillis(from)) / DAY_MS);
}

/**
 * Age in completed years on `onDate`. A 29 February birthday falls on 1 March in common
 * years, as English law counts it.
 */
export function ageOn(dateOfBirth: BusinessDate, onDate: BusinessDate): number {
  const birth = parts(dateOfBirth);
  const on = parts(onDate);
  let age = on.year - birth.year;
  const birthdayThisYear = birth.month === 2 && birth.day === 29 && !isLeapYear(on.year) ? { month: 3, day: 1 } : birth;
  if (on.month < birthdayThisYear.month || (on.month === birthdayThisYear.month && on.day < birthdayThisYear.day)) {
    age -= 1;
  }
  return age;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** A weekday that is not a bank holiday; throws BankHolidaysNotKnownError beyond a calendar's years. */
export function isWorkingDay(date: BusinessDate, bankHolidays: BankHolidays = []): boolean {
  const weekday = new Date(toUtcMillis(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isBankHoliday(date, bankHolidays);
}

/** The date `count` working days after `date` (weekends and bank holidays skipped). */
export function addWorkingDays(date: BusinessDate, count: number, bankHolidays: BankHolidays = []): BusinessDate {
  let current = date;
  let remaining = count;
  while (remaining > 0) {
    current = addDays(current, 1);
    if (isWorkingDay(current, bankHolidays)) remaining -= 1;
  }
  return current;
}

/** Compares two ISO instants by the moment they denote (offsets may differ). */
export function compareInstants(a: Instant, b: Instant): number {
  return Math.sign(Date.parse(a) - Date.parse(b));
}

export const minDate = (a: BusinessDate, b: BusinessDate): BusinessDate => (compareDates(a, b) <= 0 ? a : b);
export const maxDate = (a: BusinessDate, b: BusinessDate): BusinessDate => (compareDates(a, b) >= 0 ? a : b);

// ICU's time-zone data (built into Node) knows when London's clocks change; the domain never guesses it.
const LONDON_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The Europe/London calendar date of an instant: "today" for a command decided at `at`.
 * 2026-10-24T23:30:00Z is already 25 October in London (BST); 2026-10-25T23:30:00Z is still
 * 25 October (GMT). The one London-date helper: the app, the projections and the board use it.
 */
export function londonDateOf(instant: Instant | Date): BusinessDate {
  const millis = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if ((typeof instant === 'string' && !isInstant(instant)) || Number.isNaN(millis))
    throw new RangeError(`not an ISO instant: ${String(instant)}`);
  // One formatting for the three parts: the audit's timeline asks this of every entry it shows.
  const parts = LONDON_DATE.formatToParts(millis);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * The instant a London date begins (its midnight), as an ISO instant. London is an hour ahead
 * of UTC or level with it, and its clocks change at 01:00 UTC, never at midnight: so midnight
 * is 23:00 UTC the day before (BST) or 00:00 UTC (GMT).
 */
export function londonMidnight(date: BusinessDate): Instant {
  const summer = `${addDays(date, -1)}T23:00:00.000Z`;
  return londonDateOf(summer) === date ? summer : `${date}T00:00:00.000Z`;
}
