import { TZDate } from '@date-fns/tz';
import { addDays, format } from 'date-fns';

/** The Europe/London calendar date of an instant: business dates are London dates. */
export function londonDate(instant: Date): string {
  return format(new TZDate(instant, 'Europe/London'), 'yyyy-MM-dd');
}

/** The instant the next London day begins (midnight, whichever side of a clock change). */
export function nextLondonMidnight(instant: Date): Date {
  const london = new TZDate(instant, 'Europe/London');
  const tomorrow = addDays(london, 1);
  const midnight = new TZDate(
    tomorrow.getFullYear(),
    tomorrow.getMonth(),
    tomorrow.getDate(),
    0,
    0,
    0,
    'Europe/London',
  );
  return new Date(midnight.getTime());
}
