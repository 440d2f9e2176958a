import { isAfter, londonDateOf, requireInstant, type BusinessDate, type Instant } from './dates';
import { require_ } from './errors';

/** "Today" for a command decided at `at`: its Europe/London date. */
export function todayAt(at: Instant): BusinessDate {
  requireInstant(at, 'at');
  return londonDateOf(at);
}

/** Facts about the past (a meeting held, a milestone met, a step-down completed) cannot carry a future date. */
export function requireNotInFuture(date: BusinessDate, at: Instant, what: string): void {
  const today = todayAt(at);
  require_(
    !isAfter(date, today),
    'DATE_IN_FUTURE',
    `${what} is a fact about the past: ${date} is after today (${today}, Europe/London)`,
  );
}
