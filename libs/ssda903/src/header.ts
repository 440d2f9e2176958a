import type { EthnicCode, SexCode } from './codes';
import { collectionYear, type IsoDate } from './dates';
import type { ChildHistory } from './history';

/** One row of header.csv, typed; dates ISO. */
export interface HeaderRow {
  readonly child: string;
  readonly sex: SexCode;
  readonly dob: IsoDate;
  readonly ethnic: EthnicCode | null;
  readonly upn: string | null;
  readonly mother: '0' | '1' | null;
  readonly mcDob: IsoDate | null;
}

export function headerRowOf(history: ChildHistory): HeaderRow {
  return {
    child: history.childId,
    sex: history.sex,
    dob: history.dateOfBirth,
    // ETHNIC is required in the return; NOBT is the DfE's code for "information not yet obtained".
    ethnic: history.ethnicity ?? 'NOBT',
    upn: history.upn ?? null,
    mother: history.mother ?? null,
    mcDob: history.motherChildDateOfBirth ?? null,
  };
}

/** Whether the child was looked after on any day of the collection year, so belongs in its header file. */
export function lookedAfterInYear(history: ChildHistory, year: number): boolean {
  const { start, end } = collectionYear(year);
  return history.periods.some((p) => p.startDate <= end && (p.endDate === null || p.endDate >= start));
}

/** header.csv rows for a collection year, in CHILD order. */
export function deriveHeaderForYear(histories: Iterable<ChildHistory>, year: number): HeaderRow[] {
  const rows: HeaderRow[] = [];
  for (const history of histories) if (lookedAfterInYear(history, year)) rows.push(headerRowOf(history));
  return rows.sort((a, b) => (a.child < b.child ? -1 : a.child > b.child ? 1 : 0));
}
