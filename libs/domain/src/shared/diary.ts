import { compareDates, isAfter, isBefore, type BusinessDate } from './dates';

/**
 * A booking in business time, `[from, to)`: it holds the nights from `from` up to the night
 * before `to` (the day a child leaves, the bed is free that night). `to` is null while the
 * booking is open-ended (a placement with no end yet, a bed out of use until further notice).
 */
export interface DateSpan {
  readonly from: BusinessDate;
  readonly to: BusinessDate | null;
}

/** A span that holds no night (a placement ended on the day it began). */
export const isEmptySpan = (span: DateSpan): boolean => span.to !== null && compareDates(span.to, span.from) <= 0;

/** Whether two spans share a night. */
export function spansOverlap(a: DateSpan, b: DateSpan): boolean {
  if (isEmptySpan(a) || isEmptySpan(b)) return false;
  return (b.to === null || isBefore(a.from, b.to)) && (a.to === null || isBefore(b.from, a.to));
}

/** Whether the span holds the night of `date`. */
export function spanContains(span: DateSpan, date: BusinessDate): boolean {
  return !isBefore(date, span.from) && (span.to === null || isBefore(date, span.to));
}

/**
 * Whether a child booked for `span` lives alongside a child placed from `startDate`, decided on
 * `today`: booked on the start date, or, for a back-dated placement, arrived between the start
 * date and today (they have lived with the child since). Reg 14's impact assessment covers these
 * children, and the matching engine judges a placement against the same set.
 */
export function livesAlongside(span: DateSpan, startDate: BusinessDate, today: BusinessDate): boolean {
  if (isEmptySpan(span)) return false;
  return spanContains(span, startDate) || (isAfter(span.from, startDate) && !isAfter(span.from, today));
}

/** "from 2026-11-20 until 2026-12-15", or "from 2026-11-20 with no end date": safe for a refusal's message. */
export function describeSpan(span: DateSpan): string {
  return span.to === null ? `from ${span.from} with no end date` : `from ${span.from} until ${span.to}`;
}

/**
 * The dates within `span` on which who is booked can change: its first night, and every
 * other booking's first night or leaving day inside it. A count that holds on each of these
 * dates holds on every date of the span.
 */
export function changePoints(
  span: DateSpan,
  others: readonly DateSpan[],
  more: readonly BusinessDate[] = [],
): string[] {
  const points = new Set<BusinessDate>([span.from]);
  for (const date of [...others.flatMap((o) => (o.to === null ? [o.from] : [o.from, o.to])), ...more]) {
    if (spanContains(span, date)) points.add(date);
  }
  return [...points].sort(compareDates);
}
