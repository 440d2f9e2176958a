import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { bankHolidayCalendar, type BankHolidayCalendar, type BusinessDate } from '@placement/domain';
import { referenceDataDir } from '../seed/reference-data';

export const BANK_HOLIDAYS_FILE = 'bank-holidays-england-and-wales.csv';

/** The GOV.UK England and Wales list shipped in reference-data/ (date, title, notes). */
export function loadBankHolidays(file = path.join(referenceDataDir(), BANK_HOLIDAYS_FILE)): BankHolidayCalendar {
  const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string | undefined
  >[];
  if (rows.length > 0 && (rows[0]['date'] === undefined || rows[0]['title'] === undefined))
    throw new RangeError(`${file}: the columns must be date,title,notes`);
  return bankHolidayCalendar(
    rows.map((r) => ({
      date: r['date'] ?? '',
      title: r['notes'] === 'Substitute day' ? `${r['title']} (substitute day)` : (r['title'] ?? ''),
    })),
  );
}

/**
 * Start-up check. Today outside the list's years: refuse to start, because every working-day
 * count (emergency stays) would be refused or wrong. Today in the list's last year: warn, because
 * a count that crosses New Year will be refused until the list is refreshed.
 */
export function checkBankHolidayCoverage(
  calendar: BankHolidayCalendar,
  today: BusinessDate,
): { readonly ok: true; readonly warning: string | null } | { readonly ok: false; readonly error: string } {
  const year = Number(today.slice(0, 4));
  const covers = `${BANK_HOLIDAYS_FILE} covers ${calendar.firstYear}–${calendar.lastYear}`;
  if (year < calendar.firstYear || year > calendar.lastYear)
    return { ok: false, error: `${covers}, not today (${today}): refresh it from GOV.UK (reference-data/README.md)` };
  if (year === calendar.lastYear)
    return {
      ok: true,
      warning: `${covers}: working days after ${calendar.lastYear} cannot be counted until it is refreshed from GOV.UK`,
    };
  return { ok: true, warning: null };
}
