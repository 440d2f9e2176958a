/**
 * Business dates are Europe/London calendar dates carried as ISO `yyyy-mm-dd` strings,
 * so they compare correctly as strings and never shift with a server's time zone.
 * The return writes them as dd/mm/yyyy.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RETURN_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** dd/mm/yyyy → yyyy-mm-dd, or null when the text is not a real date in exactly that form. */
export function parseReturnDate(value: string): IsoDate | null {
  const m = RETURN_DATE.exec(value);
  if (m === null) return null;
  const [, dd, mm, yyyy] = m;
  if (!isRealDate(Number(yyyy), Number(mm), Number(dd))) return null;
  return `${yyyy}-${mm}-${dd}`;
}

/** yyyy-mm-dd → dd/mm/yyyy. */
export function formatReturnDate(date: IsoDate): string {
  const m = ISO_DATE.exec(date);
  if (m === null) throw new RangeError(`not an ISO calendar date: ${JSON.stringify(date)}`);
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/**
 * The collection year, named as the DfE names it: the year in which it ENDS.
 * `year = 2025` is the 2024/25 return, 1 April 2024 to 31 March 2025 inclusive.
 */
export interface CollectionYear {
  readonly year: number;
  /** First day, 1 April of year − 1. */
  readonly start: IsoDate;
  /** Last day, 31 March of year. */
  readonly end: IsoDate;
  /** "2024/25" */
  readonly label: string;
}

export function collectionYear(year: number): CollectionYear {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new RangeError(`collection year must be a four-digit year such as 2025, got ${year}`);
  }
  return {
    year,
    start: `${year - 1}-04-01`,
    end: `${year}-03-31`,
    label: `${year - 1}/${String(year % 100).padStart(2, '0')}`,
  };
}

/** The collection year (DfE naming) a date falls in. */
export function collectionYearOf(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5) >= '04-01' ? year + 1 : year;
}

/** SEX U is accepted from the 2024/25 return onwards. */
export function sexUnknownAllowed(year: number): boolean {
  return year >= 2025;
}
