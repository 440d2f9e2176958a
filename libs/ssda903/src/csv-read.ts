import { parse, type Info } from 'csv-parse';
import { childDetailsProblems, upnProblem } from '@placement/domain';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  isCategoryOfNeedCode,
  isEthnicCode,
  isLegalStatusCode,
  isPlaceCode,
  isPlaceProviderCode,
  isReasonEpisodeCeasedCode,
  isReasonNewEpisodeCode,
  isReasonPlaceChangeCode,
  isSexCode,
  URN_NOT_APPLICABLE,
  isOfstedUrn,
  type PlaceProviderCode,
} from './codes';
import { collectionYear, parseReturnDate, sexUnknownAllowed, type IsoDate } from './dates';
import type { Episode } from './episodes';
import type { HeaderRow } from './header';
import { EPISODES_COLUMNS, HEADER_COLUMNS, startsLikeFormula } from './csv-write';
import { changeOf, placeProviderProblem, placeRequiresUrn } from './rules';

/**
 * One thing wrong with an input file. `row` is the file's line number (the column header is line 1); 0 for the whole
 * file.
 */
export interface RowProblem {
  readonly file: 'episodes' | 'header';
  readonly row: number;
  readonly column: string | null;
  readonly reason: string;
}

export interface ReadOptions {
  /** Refuse a file larger than this many bytes (default 20 MB: a national-scale return is a few MB). */
  readonly maxBytes?: number;
  /** When given, rows must belong to this collection year (DfE naming: 2025 = 2024/25). */
  readonly collectionYear?: number;
  /** Stop collecting problems after this many (default 10,000) so a junk file cannot exhaust memory. */
  readonly maxProblems?: number;
}

/** A text, bytes, or any chunk stream (a Node Readable, a web upload): read once, never buffered whole. */
export type CsvSource = string | Uint8Array | AsyncIterable<string | Uint8Array>;

export interface Numbered<T> {
  readonly row: number;
  readonly value: T;
}

export interface ReadResult<T> {
  /** True when every row was accepted. */
  readonly ok: boolean;
  /** The rows that passed every check, with their line numbers. */
  readonly accepted: readonly Numbered<T>[];
  readonly problems: readonly RowProblem[];
  /** Data rows read (not counting the column header). */
  readonly rowsRead: number;
  /** True when problems were cut off at maxProblems, or reading stopped early (bad columns, too large, unreadable). */
  readonly stoppedEarly: boolean;
  /**
   * True when the file could not be read as this file at all (too large, wrong columns, not CSV): nothing in it was
   * checked row by row.
   */
  readonly unreadable: boolean;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const DEFAULT_MAX_PROBLEMS = 10_000;
/** No real row is anywhere near this; junk without line breaks is refused at this size. */
const MAX_RECORD_BYTES = 16 * 1024;

const CHILD_ID = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/;
/** The header column each of the child's details is read from. */
const DETAIL_COLUMNS = { upn: 'UPN', mother: 'MOTHER', motherChildDateOfBirth: 'MC_DOB' } as const;

class FileTooLargeError extends Error {}

function chunksOf(source: CsvSource): AsyncIterable<string | Uint8Array> {
  if (typeof source === 'string' || source instanceof Uint8Array) {
    return (async function* () {
      yield source;
    })();
  }
  return source;
}

function byteLength(chunk: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk);
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

interface Collector {
  readonly problems: RowProblem[];
  add(row: number, column: string | null, reason: string): void;
  full(): boolean;
}

function collector(file: RowProblem['file'], max: number): Collector {
  const problems: RowProblem[] = [];
  return {
    problems,
    add(row, column, reason) {
      if (problems.length < max) problems.push({ file, row, column, reason });
    },
    full: () => problems.length >= max,
  };
}

/** A file the reader could not read to its end: nothing in it is accepted. */
function unreadableFile<T>(problems: Collector, rowsRead: number): ReadResult<T> {
  return { ok: false, accepted: [], problems: problems.problems, rowsRead, stoppedEarly: true, unreadable: true };
}

/** A file read to its end (or to the most problems reported): its accepted rows and its problems. */
function readToTheEnd<T>(accepted: Numbered<T>[], problems: Collector, rowsRead: number): ReadResult<T> {
  return {
    ok: problems.problems.length === 0,
    accepted,
    problems: problems.problems,
    rowsRead,
    stoppedEarly: problems.full(),
    unreadable: false,
  };
}

/**
 * Streams a CSV through csv-parse, checks its column set on the first line, then hands each data
 * row (as column → cell) to `onRow`. Stops at once on a wrong column set, a file over the size cap,
 * a record over MAX_RECORD_BYTES or text csv-parse cannot read, so junk costs almost nothing.
 */
async function readRows(
  source: CsvSource,
  columns: readonly string[],
  maxBytes: number,
  problems: Collector,
  onRow: (row: number, cells: ReadonlyMap<string, string>) => void,
): Promise<{ rowsRead: number; stoppedEarly: boolean }> {
  if ((typeof source === 'string' || source instanceof Uint8Array) && byteLength(source) > maxBytes) {
    problems.add(0, null, `file is larger than the ${maxBytes} byte limit`);
    return { rowsRead: 0, stoppedEarly: true };
  }
  let bytes = 0;
  const limiter = new Transform({
    transform(chunk: unknown, _encoding, callback) {
      bytes += byteLength(chunk);
      if (bytes > maxBytes) callback(new FileTooLargeError());
      else callback(null, chunk);
    },
  });
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  const piping = pipeline(Readable.from(chunksOf(source)), limiter, parser).catch(() => undefined);

  let header: string[] | null = null;
  let rowsRead = 0;
  let stoppedEarly = false;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const { record, info } = item;
      const row = info.lines;
      if (header === null) {
        header = record.map((c) => c.trim());
        const missing = columns.filter((c) => !header?.includes(c));
        const extra = header.filter((c) => !columns.includes(c));
        const duplicated = header.filter((c, i) => header?.indexOf(c) !== i);
        for (const c of missing) problems.add(row, c, `column ${c} is missing`);
        for (const c of extra)
          problems.add(row, c.slice(0, 40), `column ${JSON.stringify(c.slice(0, 40))} is not an SSDA903 column`);
        for (const c of duplicated) problems.add(row, c, `column ${c} appears more than once`);
        if (missing.length + extra.length + duplicated.length > 0) {
          stoppedEarly = true;
          break;
        }
        continue;
      }
      rowsRead += 1;
      if (record.length !== header.length) {
        problems.add(row, null, `row has ${record.length} cells, the file has ${header.length} columns`);
      } else {
        const cells = new Map<string, string>();
        header.forEach((c, i) => cells.set(c, record[i]));
        onRow(row, cells);
      }
      if (problems.full()) {
        stoppedEarly = true;
        break;
      }
    }
    if (header === null) problems.add(0, null, 'file is empty: no column header');
  } catch (error) {
    stoppedEarly = true;
    if (error instanceof FileTooLargeError) problems.add(0, null, `file is larger than the ${maxBytes} byte limit`);
    else {
      const code = (error as { code?: unknown }).code;
      const lines = (error as { lines?: unknown }).lines;
      problems.add(
        typeof lines === 'number' ? lines : 0,
        null,
        `not a readable CSV (${typeof code === 'string' ? code : 'parse error'})`,
      );
    }
  } finally {
    parser.destroy();
    await piping;
  }
  return { rowsRead, stoppedEarly };
}

/** Checks shared by every cell: refuse anything a spreadsheet would run as a formula. */
function injectionFree(row: number, cells: ReadonlyMap<string, string>, problems: Collector): boolean {
  let ok = true;
  for (const [column, cell] of cells) {
    if (startsLikeFormula(cell)) {
      problems.add(
        row,
        column,
        `cell starts with ${JSON.stringify(cell[0])}, which a spreadsheet would run as a formula`,
      );
      ok = false;
    }
  }
  return ok;
}

/** Columns whose values identify a child; a report names the cell but never repeats its content. */
const PERSONAL_COLUMNS = new Set(['CHILD', 'DOB', 'MC_DOB', 'UPN', 'HOME_POST', 'PL_POST']);

/** The cell's content for a report (leading space): a short excerpt of a code or date, nothing for personal columns. */
function quote(column: string, value: string): string {
  return PERSONAL_COLUMNS.has(column) ? '' : ` ${JSON.stringify(value.slice(0, 20))}`;
}

/** A tiny field reader that records a problem and returns undefined when a cell is wrong. */
function fields(row: number, cells: ReadonlyMap<string, string>, problems: Collector) {
  let ok = true;
  const fail = (column: string, reason: string) => {
    problems.add(row, column, reason);
    ok = false;
    return undefined;
  };
  const text = (column: string) => (cells.get(column) ?? '').trim();
  return {
    ok: () => ok,
    fail,
    text,
    required(column: string): string | undefined {
      const v = text(column);
      return v === '' ? fail(column, `${column} is required`) : v;
    },
    date(column: string, required: boolean): IsoDate | null | undefined {
      const v = text(column);
      if (v === '') return required ? fail(column, `${column} is required`) : null;
      return parseReturnDate(v) ?? fail(column, `${column}${quote(column, v)} is not a date in dd/mm/yyyy form`);
    },
    code<C extends string>(column: string, is: (v: string) => v is C, required: boolean): C | null | undefined {
      const v = text(column);
      if (v === '') return required ? fail(column, `${column} is required`) : null;
      return is(v) ? v : fail(column, `${quote(column, v).trimStart() || column} is not an SSDA903 ${column} code`);
    },
    postcode(column: string): string | undefined {
      const v = text(column);
      if (v === '') return fail(column, `${column} is required`);
      return POSTCODE.test(v) ? v : fail(column, `${column}${quote(column, v)} is not a full postcode`);
    },
    child(): string | undefined {
      const v = text('CHILD');
      if (v === '') return fail('CHILD', 'CHILD is required');
      if (CHILD_ID.test(v)) return v;
      return fail('CHILD', 'CHILD must be 1–64 letters, digits, dot, dash, slash or underscore');
    },
  };
}

function parseEpisodeRow(
  row: number,
  cells: ReadonlyMap<string, string>,
  problems: Collector,
  year: number | undefined,
): Episode | null {
  if (!injectionFree(row, cells, problems)) return null;
  const f = fields(row, cells, problems);
  const child = f.child();
  const decom = f.date('DECOM', true);
  const rne = f.code('RNE', isReasonNewEpisodeCode, true);
  const ls = f.code('LS', isLegalStatusCode, true);
  const cin = f.code('CIN', isCategoryOfNeedCode, true);
  const place = f.code('PLACE', isPlaceCode, true);
  const placeProvider = f.code('PLACE_PROVIDER', isPlaceProviderCode, false);
  const dec = f.date('DEC', false);
  const rec = f.code('REC', isReasonEpisodeCeasedCode, false);
  const reasonPlaceChange = f.code('REASON_PLACE_CHANGE', isReasonPlaceChangeCode, false);
  const homePost = f.postcode('HOME_POST');
  const plPost = f.postcode('PL_POST');
  const urn = f.required('URN');
  if (urn !== undefined && urn !== URN_NOT_APPLICABLE && !isOfstedUrn(urn))
    f.fail('URN', 'URN must be SC followed by six digits, or XXXXXXX');
  if (
    !f.ok() ||
    child === undefined ||
    !decom ||
    !rne ||
    !ls ||
    !cin ||
    !place ||
    placeProvider === undefined ||
    dec === undefined ||
    rec === undefined ||
    reasonPlaceChange === undefined ||
    homePost === undefined ||
    plPost === undefined ||
    urn === undefined
  ) {
    return null;
  }
  // Rules within the row.
  const providerProblem = placeProviderProblem(place, placeProvider as PlaceProviderCode | null);
  if (providerProblem !== null) f.fail('PLACE_PROVIDER', providerProblem);
  if (placeRequiresUrn(place) && urn === URN_NOT_APPLICABLE)
    f.fail('URN', `${place} is a registered setting: URN must be its Ofsted URN, not XXXXXXX`);
  if (dec !== null && dec < decom) f.fail('DEC', 'DEC is before DECOM');
  if ((dec === null) !== (rec === null))
    f.fail('REC', dec === null ? 'REC is given but DEC is blank' : 'REC is required when DEC is given');
  if (reasonPlaceChange !== null && rec !== 'X1')
    f.fail('REASON_PLACE_CHANGE', 'REASON_PLACE_CHANGE is only for an episode that ends X1 with a change of placement');
  if (year !== undefined) {
    const { start, end, label } = collectionYear(year);
    if (decom > end) f.fail('DECOM', `DECOM is after the end of the ${label} collection year`);
    if (dec !== null && dec > end)
      f.fail(
        'DEC',
        `DEC is after the end of the ${label} collection year: an episode continuing past 31 March has a blank DEC`,
      );
    if (dec !== null && dec < start) f.fail('DEC', `episode ended before the ${label} collection year began`);
  }
  if (!f.ok()) return null;
  return { child, decom, rne, ls, cin, place, placeProvider, dec, rec, reasonPlaceChange, homePost, plPost, urn };
}

/**
 * Checks between a child's episodes: no overlaps or gaps, X1 followed by a same-day episode whose
 * RNE matches what changed, REASON_PLACE_CHANGE exactly where the placement changes, and one
 * CIN and HOME_POST per period (the product keeps them per period of care).
 */
function episodeChainProblems(
  rows: readonly Numbered<Episode>[],
  problems: Collector,
  year: number | undefined,
): Set<number> {
  const bad = new Set<number>();
  const fail = (row: number, column: string | null, reason: string) => {
    problems.add(row, column, reason);
    bad.add(row);
  };
  const byChild = new Map<string, Numbered<Episode>[]>();
  for (const r of rows) {
    const list = byChild.get(r.value.child) ?? [];
    list.push(r);
    byChild.set(r.value.child, list);
  }
  for (const list of byChild.values()) {
    list.sort((a, b) => (a.value.decom < b.value.decom ? -1 : a.value.decom > b.value.decom ? 1 : a.row - b.row));
    const first = list[0].value;
    if (year !== undefined && first.rne !== 'S' && first.decom >= collectionYear(year).start) {
      fail(
        list[0].row,
        'RNE',
        `RNE ${first.rne} follows an earlier episode in the year, but that episode is not in the file`,
      );
    }
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1];
      const cur = list[i];
      const p = prev.value;
      const c = cur.value;
      if (c.decom === p.decom) {
        fail(cur.row, 'DECOM', `a second episode for this child starts on the same day (line ${prev.row})`);
        continue;
      }
      if (p.dec === null) {
        fail(cur.row, 'DECOM', `overlaps the open episode on line ${prev.row}`);
        continue;
      }
      if (p.dec > c.decom) {
        fail(cur.row, 'DECOM', `overlaps the episode on line ${prev.row}, which ends later`);
        continue;
      }
      if (p.rec !== 'X1') {
        if (c.rne !== 'S')
          fail(
            cur.row,
            'RNE',
            `the period of care ended on line ${prev.row} (REC ${p.rec}), so a new episode must be RNE S`,
          );
        continue;
      }
      if (c.decom !== p.dec) {
        fail(cur.row, 'DECOM', `line ${prev.row} ends X1, so this episode must start the same day`);
        continue;
      }
      if (c.rne === 'S') {
        fail(cur.row, 'RNE', `RNE S but the episode on line ${prev.row} ended X1 (care continued)`);
        continue;
      }
      const change = changeOf(c.rne);
      const lsChanged = c.ls !== p.ls;
      const placementFieldsChanged =
        c.place !== p.place || c.placeProvider !== p.placeProvider || c.plPost !== p.plPost || c.urn !== p.urn;
      if (change.legalStatus && !lsChanged)
        fail(cur.row, 'RNE', `RNE ${c.rne} says the legal status changed, but LS is ${c.ls} as on line ${prev.row}`);
      if (!change.legalStatus && lsChanged)
        fail(cur.row, 'LS', `LS changed from ${p.ls} but RNE ${c.rne} says it did not`);
      if (!change.placement && placementFieldsChanged)
        fail(cur.row, 'RNE', `the placement changed since line ${prev.row}, but RNE ${c.rne} says it did not`);
      if (change.placement && p.reasonPlaceChange === null)
        fail(
          prev.row,
          'REASON_PLACE_CHANGE',
          `REASON_PLACE_CHANGE is required: the next episode (line ${cur.row}) changes placement`,
        );
      if (!change.placement && p.reasonPlaceChange !== null)
        fail(
          prev.row,
          'REASON_PLACE_CHANGE',
          `REASON_PLACE_CHANGE must be blank: the next episode (line ${cur.row}) keeps the placement`,
        );
      if (c.cin !== p.cin) fail(cur.row, 'CIN', `CIN changes within a period of care (line ${prev.row} has ${p.cin})`);
      if (c.homePost !== p.homePost)
        fail(cur.row, 'HOME_POST', `HOME_POST changes within a period of care (line ${prev.row})`);
    }
    const last = list[list.length - 1];
    if (last.value.rec === 'X1') fail(last.row, 'REC', 'episode ends X1 but no episode follows it');
  }
  return bad;
}

/**
 * Reads and validates an episodes.csv. Rows of a child with any refused row are all held back, so a partial chain is
 * never imported.
 */
export async function readEpisodesCsv(source: CsvSource, options: ReadOptions = {}): Promise<ReadResult<Episode>> {
  const problems = collector('episodes', options.maxProblems ?? DEFAULT_MAX_PROBLEMS);
  const parsed: Numbered<Episode>[] = [];
  const refusedChildren = new Set<string>();
  const { rowsRead, stoppedEarly } = await readRows(
    source,
    EPISODES_COLUMNS,
    options.maxBytes ?? DEFAULT_MAX_BYTES,
    problems,
    (row, cells) => {
      const episode = parseEpisodeRow(row, cells, problems, options.collectionYear);
      if (episode !== null) parsed.push({ row, value: episode });
      else {
        const child = (cells.get('CHILD') ?? '').trim();
        if (CHILD_ID.test(child)) refusedChildren.add(child);
      }
    },
  );
  if (stoppedEarly) return unreadableFile(problems, rowsRead);
  const badRows = episodeChainProblems(parsed, problems, options.collectionYear);
  for (const r of parsed) if (badRows.has(r.row)) refusedChildren.add(r.value.child);
  const accepted = parsed.filter((r) => !refusedChildren.has(r.value.child));
  return readToTheEnd(accepted, problems, rowsRead);
}

/** Reads and validates a header.csv. */
export async function readHeaderCsv(source: CsvSource, options: ReadOptions = {}): Promise<ReadResult<HeaderRow>> {
  const problems = collector('header', options.maxProblems ?? DEFAULT_MAX_PROBLEMS);
  const accepted: Numbered<HeaderRow>[] = [];
  const seen = new Map<string, number>();
  const { rowsRead, stoppedEarly } = await readRows(
    source,
    HEADER_COLUMNS,
    options.maxBytes ?? DEFAULT_MAX_BYTES,
    problems,
    (row, cells) => {
      if (!injectionFree(row, cells, problems)) return;
      const f = fields(row, cells, problems);
      const child = f.child();
      const sex = f.code('SEX', isSexCode, true);
      const dob = f.date('DOB', true);
      const ethnic = f.code('ETHNIC', isEthnicCode, true);
      const upnText = f.text('UPN');
      const upnRefused = upnText === '' ? null : upnProblem(upnText);
      if (upnRefused !== null) f.fail('UPN', `UPN ${upnRefused}`);
      const motherText = f.text('MOTHER');
      const motherKnown = motherText === '' || motherText === '0' || motherText === '1';
      if (!motherKnown) f.fail('MOTHER', 'MOTHER must be 1, 0 or blank');
      const mcDob = f.date('MC_DOB', false);
      if (sex === 'U' && options.collectionYear !== undefined && !sexUnknownAllowed(options.collectionYear))
        f.fail('SEX', 'SEX U is accepted from the 2024/25 return');
      // The child decider's own rules for MOTHER and MC_DOB, so a row it would refuse is reported here.
      if (sex && dob && mcDob !== undefined && motherKnown) {
        const details = {
          upn: null,
          mother: motherText === '' ? null : (motherText as '0' | '1'),
          motherChildDateOfBirth: mcDob,
        };
        for (const problem of childDetailsProblems({ sex, dateOfBirth: dob }, details))
          f.fail(DETAIL_COLUMNS[problem.field], problem.message);
      }
      if (child !== undefined) {
        const earlier = seen.get(child);
        if (earlier !== undefined) f.fail('CHILD', `child already has a header row on line ${earlier}`);
        else seen.set(child, row);
      }
      if (!f.ok() || child === undefined || !sex || !dob || !ethnic || mcDob === undefined) return;
      accepted.push({
        row,
        value: {
          child,
          sex,
          dob,
          ethnic,
          upn: upnText === '' ? null : upnText,
          mother: motherText === '' ? null : (motherText as '0' | '1'),
          mcDob,
        },
      });
    },
  );
  if (stoppedEarly) return unreadableFile(problems, rowsRead);
  return readToTheEnd(accepted, problems, rowsRead);
}
