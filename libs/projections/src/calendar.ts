import {
  addDays,
  compareDates,
  daysBetween,
  isInstant,
  londonDateOf as domainLondonDateOf,
  maxDate,
  minDate,
  type BusinessDate,
  type Instant,
} from '@placement/domain';

// Nights and months on Europe/London calendar dates. A night belongs to the date it starts,
// so a stay from date A to date B (leaving on B) has the nights A … B−1, and a 23- or 25-hour
// day at a clock change is still one night: counting is on dates, never on hours.

/** Half-open span of nights: `from` is the first night, `until` the first date not included (null: open-ended). */
export interface NightSpan {
  readonly from: BusinessDate;
  readonly until: BusinessDate | null;
}

/** Nights the two spans share; `window.until` must be a date (a window is always closed). */
export function nightsInWindow(
  span: NightSpan,
  window: { readonly from: BusinessDate; readonly until: BusinessDate },
): number {
  const from = maxDate(span.from, window.from);
  const until = span.until === null ? window.until : minDate(span.until, window.until);
  return Math.max(0, daysBetween(from, until));
}

export interface CalendarMonth {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly firstDay: BusinessDate;
  readonly lastDay: BusinessDate;
}

export function monthOf(date: BusinessDate): CalendarMonth {
  const month = date.slice(0, 7);
  const firstDay = `${month}-01`;
  const next = nextMonthStart(firstDay);
  return { month, firstDay, lastDay: addDays(next, -1) };
}

function nextMonthStart(firstDay: BusinessDate): BusinessDate {
  const year = Number(firstDay.slice(0, 4));
  const month = Number(firstDay.slice(5, 7));
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/** Every calendar month that meets [from, to] (both inclusive dates), oldest first. */
export function monthsCovering(from: BusinessDate, to: BusinessDate): CalendarMonth[] {
  const months: CalendarMonth[] = [];
  let current = monthOf(from);
  while (compareDates(current.firstDay, to) <= 0) {
    months.push(current);
    current = monthOf(nextMonthStart(current.firstDay));
  }
  return months;
}

/** The `count` months ending with the month of `date`, oldest first. */
export function monthsEndingWith(date: BusinessDate, count: number): CalendarMonth[] {
  const months: CalendarMonth[] = [monthOf(date)];
  while (months.length < count) months.unshift(monthOf(addDays(months[0].firstDay, -1)));
  return months;
}

const HOUR_MS = 3_600_000;
/** London dates by UTC hour, as the domain told them: a rebuild asks for millions of instants' dates. */
const londonDates = new Map<number, BusinessDate>();

/**
 * The London date of an instant is the domain's (e.g. 2026-03-31T23:30Z is 1 April in London, BST),
 * kept by the UTC hour: London's clocks change at 01:00 UTC and its midnight falls at 23:00 or
 * 00:00 UTC, so every instant of one UTC hour has the same London date.
 */
export function londonDateOf(instant: Instant | Date): BusinessDate {
  const hour = Math.floor((typeof instant === 'string' ? Date.parse(instant) : instant.getTime()) / HOUR_MS);
  const known = londonDates.get(hour);
  if (known !== undefined && (typeof instant !== 'string' || isInstant(instant))) return known;
  const date = domainLondonDateOf(instant);
  if (londonDates.size >= 100_000) londonDates.clear();
  londonDates.set(hour, date);
  return date;
}

export { addDays, compareDates, daysBetween, maxDate, minDate };
