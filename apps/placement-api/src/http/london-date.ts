import { addDays, londonDateOf, londonMidnight } from '@placement/domain';

/** The Europe/London calendar date of an instant: business dates are London dates (the domain's `londonDateOf`). */
export function londonDate(instant: Date): string {
  return londonDateOf(instant);
}

/** The instant the next London day begins (midnight, whichever side of a clock change). */
export function nextLondonMidnight(instant: Date): Date {
  return new Date(londonMidnight(addDays(londonDateOf(instant), 1)));
}
