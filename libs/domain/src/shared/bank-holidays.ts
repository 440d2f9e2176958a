/** `YYYY-MM-DD` (the same as dates.ts's BusinessDate, which imports this file). */
type BusinessDate = string;

function isCalendarDate(value: string): boolean {
  const millis = Date.parse(`${value}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(millis) && new Date(millis).toISOString().startsWith(value);
}

/** One bank holiday as the published list names it. */
export interface BankHoliday {
  readonly date: BusinessDate;
  readonly title: string;
}

/**
 * A published list of bank holidays and the whole years it covers. A date in a year outside
 * them is not known to be a working day or not, so asking about it throws
 * BankHolidaysNotKnownError instead of quietly answering "working day".
 */
export interface BankHolidayCalendar {
  readonly firstYear: number;
  readonly lastYear: number;
  isBankHoliday(date: BusinessDate): boolean;
  titleOf(date: BusinessDate): string | null;
}

/** Thrown when a working-day count reaches a year the bank-holiday list does not cover (refresh the list). */
export class BankHolidaysNotKnownError extends Error {
  readonly code = 'BANK_HOLIDAYS_NOT_KNOWN';
  constructor(
    readonly date: BusinessDate,
    readonly covered: { readonly firstYear: number; readonly lastYear: number },
  ) {
    super(
      `The bank-holiday list covers ${covered.firstYear}–${covered.lastYear}; ${date} is outside it, ` +
        'so its working days cannot be counted (refresh the list)',
    );
    this.name = 'BankHolidaysNotKnownError';
  }
}

/**
 * The calendar of a list. Its years run from the first listed date's year to the last's: every
 * year in England and Wales has bank holidays, so a year with none listed is a gap, refused.
 */
export function bankHolidayCalendar(holidays: readonly BankHoliday[]): BankHolidayCalendar {
  if (holidays.length === 0) throw new RangeError('the bank-holiday list has no dates');
  const titles = new Map<BusinessDate, string>();
  for (const { date, title } of holidays) {
    if (!isCalendarDate(date)) throw new RangeError(`not a bank-holiday date: ${date}`);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) throw new RangeError(`a bank holiday on a weekend: ${date} (${title})`);
    titles.set(date, title);
  }
  const years = [...titles.keys()].map((d) => Number(d.slice(0, 4)));
  const firstYear = Math.min(...years);
  const lastYear = Math.max(...years);
  for (let year = firstYear; year <= lastYear; year++)
    if (!years.includes(year)) throw new RangeError(`the bank-holiday list has no dates in ${year}`);
  const covered = { firstYear, lastYear };
  const check = (date: BusinessDate): void => {
    const year = Number(date.slice(0, 4));
    if (year < firstYear || year > lastYear) throw new BankHolidaysNotKnownError(date, covered);
  };
  return {
    firstYear,
    lastYear,
    isBankHoliday: (date) => {
      check(date);
      return titles.has(date);
    },
    titleOf: (date) => {
      check(date);
      return titles.get(date) ?? null;
    },
  };
}

/**
 * Bank holidays to skip when counting working days: a published calendar, or (in tests and
 * for callers that decided so) an explicit list of dates that makes no claim about coverage.
 */
export type BankHolidays = BankHolidayCalendar | readonly BusinessDate[];

export function isBankHoliday(date: BusinessDate, bankHolidays: BankHolidays): boolean {
  return Array.isArray(bankHolidays)
    ? (bankHolidays as readonly BusinessDate[]).includes(date)
    : (bankHolidays as BankHolidayCalendar).isBankHoliday(date);
}
