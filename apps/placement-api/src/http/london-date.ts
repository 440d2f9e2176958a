import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** The Europe/London calendar date of an instant: business dates are London dates. */
export function londonDate(instant: Date): string {
  return format(new TZDate(instant, 'Europe/London'), 'yyyy-MM-dd');
}
