import { addDays, londonDateOf, londonMidnight } from '@placement/domain';

/** The instant the next London day begins (midnight, whichever side of a clock change). */
export function nextLondonMidnight(instant: Date): Date {
  return new Date(londonMidnight(addDays(londonDateOf(instant), 1)));
}
