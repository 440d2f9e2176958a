import { stringify } from 'csv-stringify/sync';
import { formatReturnDate } from './dates';
import { compareEpisodes, type Episode } from './episodes';
import type { HeaderRow } from './header';

/** episodes.csv columns, exactly the DfE's set, in the DfE's order. */
export const EPISODES_COLUMNS = [
  'CHILD',
  'DECOM',
  'RNE',
  'LS',
  'CIN',
  'PLACE',
  'PLACE_PROVIDER',
  'DEC',
  'REC',
  'REASON_PLACE_CHANGE',
  'HOME_POST',
  'PL_POST',
  'URN',
] as const;
export type EpisodesColumn = (typeof EPISODES_COLUMNS)[number];

/** header.csv columns, exactly the DfE's set. */
export const HEADER_COLUMNS = ['CHILD', 'SEX', 'DOB', 'ETHNIC', 'UPN', 'MOTHER', 'MC_DOB'] as const;
export type HeaderColumn = (typeof HEADER_COLUMNS)[number];

/** Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection). */
export const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'] as const;

export function startsLikeFormula(cell: string): boolean {
  return cell.length > 0 && (FORMULA_TRIGGERS as readonly string[]).includes(cell[0]);
}

/**
 * A cell a spreadsheet will show as text: a leading quote defuses a formula. Codes, dates and
 * postcodes never start with a trigger, so only a hostile identifier is ever changed.
 */
export function defuseFormula(cell: string): string {
  return startsLikeFormula(cell) ? `'${cell}` : cell;
}

export function formatEpisode(e: Episode): Record<EpisodesColumn, string> {
  return {
    CHILD: e.child,
    DECOM: formatReturnDate(e.decom),
    RNE: e.rne,
    LS: e.ls,
    CIN: e.cin,
    PLACE: e.place,
    PLACE_PROVIDER: e.placeProvider ?? '',
    DEC: e.dec === null ? '' : formatReturnDate(e.dec),
    REC: e.rec ?? '',
    REASON_PLACE_CHANGE: e.reasonPlaceChange ?? '',
    HOME_POST: e.homePost,
    PL_POST: e.plPost,
    URN: e.urn,
  };
}

export function formatHeaderRow(h: HeaderRow): Record<HeaderColumn, string> {
  return {
    CHILD: h.child,
    SEX: h.sex,
    DOB: formatReturnDate(h.dob),
    ETHNIC: h.ethnic ?? '',
    UPN: h.upn ?? '',
    MOTHER: h.mother ?? '',
    MC_DOB: h.mcDob === null ? '' : formatReturnDate(h.mcDob),
  };
}

function toCsv<C extends string>(columns: readonly C[], records: Iterable<Record<C, string>>): string {
  const rows: string[][] = [[...columns]];
  for (const record of records) rows.push(columns.map((c) => defuseFormula(record[c])));
  return stringify(rows, { record_delimiter: 'unix' });
}

/** episodes.csv text: DfE columns, rows in CHILD, DECOM order, formula-safe cells. */
export function writeEpisodesCsv(episodes: readonly Episode[]): string {
  return toCsv(EPISODES_COLUMNS, [...episodes].sort(compareEpisodes).map(formatEpisode));
}

/** header.csv text: DfE columns, rows in CHILD order, formula-safe cells. */
export function writeHeaderCsv(rows: readonly HeaderRow[]): string {
  const sorted = [...rows].sort((a, b) => (a.child < b.child ? -1 : a.child > b.child ? 1 : 0));
  return toCsv(HEADER_COLUMNS, sorted.map(formatHeaderRow));
}
