import { parse } from 'csv-parse/sync';
import { addDays } from '@placement/domain';
import { EPISODES_COLUMNS, HEADER_COLUMNS } from './csv-write';
import { collectionYear, parseReturnDate, type IsoDate } from './dates';

/**
 * The DfE's validation rules for the SSDA903 return (the 2025/26 and 2026/27 collections) that
 * can be run on episodes.csv and header.csv alone, written from the published rule definitions.
 * They read the files as the DfE's tool does (every cell a string, blank = not given), so they
 * judge the bytes an authority would upload, not the model the files were written from.
 *
 * Left out, because they need what the two files do not carry: the distance and placement LA
 * the DfE derives from postcodes (164, 169, 179, 392a, 392c, 406, 411, 420, 454, 1015), UASC
 * (105, 231), the previous year's return (199, 503D) and the other tables (1012, EPI).
 * 218 is run as for a placement in England, which every placement the product records is, and
 * not on short breaks (V3, V4), which 214 requires to have no URN.
 */

export type ReturnFile = 'episodes' | 'header';

export interface DfeRule {
  readonly code: string;
  /** The DfE's message for the rule. */
  readonly message: string;
  readonly files: readonly ReturnFile[];
}

/** One row a rule flags: file, line in the file (the column header is line 1) and child id; no other data. */
export interface RuleFailure {
  readonly rule: string;
  readonly file: ReturnFile;
  readonly line: number;
  readonly child: string;
}

export interface ReturnCheck {
  readonly year: number;
  readonly label: string;
  readonly rules: readonly DfeRule[];
  /** Every flagged row, by rule then file then line. Empty: the return passes every rule run. */
  readonly failures: readonly RuleFailure[];
}

// ---- the files as the rules see them ----

interface EpisodeRecord {
  readonly line: number;
  readonly CHILD: string;
  readonly DECOM: string | null;
  readonly RNE: string | null;
  readonly LS: string | null;
  readonly CIN: string | null;
  readonly PLACE: string | null;
  readonly PLACE_PROVIDER: string | null;
  readonly DEC: string | null;
  readonly REC: string | null;
  readonly REASON_PLACE_CHANGE: string | null;
  readonly HOME_POST: string | null;
  readonly PL_POST: string | null;
  readonly URN: string | null;
  /** DECOM and DEC as ISO dates; null when blank or not a date. */
  readonly decom: IsoDate | null;
  readonly dec: IsoDate | null;
}

interface HeaderRecord {
  readonly line: number;
  readonly CHILD: string;
  readonly SEX: string | null;
  readonly DOB: string | null;
  readonly ETHNIC: string | null;
  readonly UPN: string | null;
  readonly MOTHER: string | null;
  readonly MC_DOB: string | null;
  readonly dob: IsoDate | null;
  readonly mcDob: IsoDate | null;
}

interface Return {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly year: number;
  readonly episodes: readonly EpisodeRecord[];
  readonly header: readonly HeaderRecord[];
  /** Each child's episodes by DECOM (then DEC), as the DfE's checks order them; undated episodes last. */
  readonly episodesOf: ReadonlyMap<string, readonly EpisodeRecord[]>;
  /** The first header row of each child. */
  readonly headerOf: ReadonlyMap<string, HeaderRecord>;
}

type Flag = { readonly file: ReturnFile; readonly row: { readonly line: number; readonly CHILD: string } };
interface RuleDefinition extends DfeRule {
  check(r: Return): Iterable<Flag>;
}

function records(csv: string, columns: readonly string[]): { line: number; cells: Record<string, string | null> }[] {
  const rows = parse(csv, { columns: true, skip_empty_lines: true, bom: true, info: true }) as {
    record: Record<string, string>;
    info: { lines: number };
  }[];
  return rows.map(({ record, info }) => {
    const cells: Record<string, string | null> = {};
    for (const column of columns) {
      const value = (record[column] ?? '').trim();
      cells[column] = value === '' ? null : value;
    }
    return { line: info.lines, cells };
  });
}

const dateOf = (value: string | null): IsoDate | null => (value === null ? null : parseReturnDate(value));

function load(files: { readonly episodesCsv: string; readonly headerCsv: string }, year: number): Return {
  const { start, end } = collectionYear(year);
  const episodes = records(files.episodesCsv, EPISODES_COLUMNS).map(
    ({ line, cells }) =>
      ({
        ...(cells as Omit<EpisodeRecord, 'line' | 'decom' | 'dec' | 'CHILD'>),
        CHILD: cells['CHILD'] ?? '',
        line,
        decom: dateOf(cells['DECOM']),
        dec: dateOf(cells['DEC']),
      }) as EpisodeRecord,
  );
  const header = records(files.headerCsv, HEADER_COLUMNS).map(
    ({ line, cells }) =>
      ({
        ...(cells as Omit<HeaderRecord, 'line' | 'dob' | 'mcDob' | 'CHILD'>),
        CHILD: cells['CHILD'] ?? '',
        line,
        dob: dateOf(cells['DOB']),
        mcDob: dateOf(cells['MC_DOB']),
      }) as HeaderRecord,
  );
  const episodesOf = new Map<string, EpisodeRecord[]>();
  for (const e of episodes) {
    const list = episodesOf.get(e.CHILD);
    if (list === undefined) episodesOf.set(e.CHILD, [e]);
    else list.push(e);
  }
  const order = (a: EpisodeRecord, b: EpisodeRecord) =>
    compareNullLast(a.decom, b.decom) || compareNullLast(a.dec, b.dec) || a.line - b.line;
  for (const list of episodesOf.values()) list.sort(order);
  const headerOf = new Map<string, HeaderRecord>();
  for (const h of header) if (!headerOf.has(h.CHILD)) headerOf.set(h.CHILD, h);
  return { start, end, year, episodes, header, episodesOf, headerOf };
}

function compareNullLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

// ---- helpers the rules share ----

/** The same calendar date `years` later; 29 February becomes 28 February, as the DfE's tool counts. */
function addYears(date: IsoDate, years: number): IsoDate {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`;
}

const days = (from: IsoDate, to: IsoDate): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

const isIn = (value: string | null, list: readonly string[]): boolean => value !== null && list.includes(value);
const ep = (row: EpisodeRecord): Flag => ({ file: 'episodes', row });
const hd = (row: HeaderRecord): Flag => ({ file: 'header', row });

function* episodesWhere(r: Return, test: (e: EpisodeRecord) => boolean): Iterable<Flag> {
  for (const e of r.episodes) if (test(e)) yield ep(e);
}
function* headerWhere(r: Return, test: (h: HeaderRecord) => boolean): Iterable<Flag> {
  for (const h of r.header) if (test(h)) yield hd(h);
}
/** Each episode with its child's header row (episodes without one are INT03's business). */
function* episodesWithChild(
  r: Return,
  test: (e: EpisodeRecord, h: HeaderRecord) => boolean,
  files: readonly ReturnFile[] = ['episodes'],
): Iterable<Flag> {
  const flagged = new Set<HeaderRecord>();
  for (const e of r.episodes) {
    const h = r.headerOf.get(e.CHILD);
    if (h === undefined || !test(e, h)) continue;
    if (files.includes('episodes')) yield ep(e);
    if (files.includes('header') && !flagged.has(h)) {
      flagged.add(h);
      yield hd(h);
    }
  }
}
/** Each episode with the one before it (same child, in DECOM order). */
function* withPrevious(r: Return, test: (e: EpisodeRecord, previous: EpisodeRecord) => boolean): Iterable<Flag> {
  for (const list of r.episodesOf.values())
    for (let i = 1; i < list.length; i++) if (list[i].decom !== null && test(list[i], list[i - 1])) yield ep(list[i]);
}
/** Each episode with the one after it (same child, in DECOM order). */
function* withNext(r: Return, test: (e: EpisodeRecord, next: EpisodeRecord) => boolean): Iterable<Flag> {
  for (const list of r.episodesOf.values())
    for (let i = 0; i + 1 < list.length; i++) if (test(list[i], list[i + 1])) yield ep(list[i]);
}

const sameValue = (a: string | null, b: string | null): boolean => a === b;
/** Nothing about the placement changed between two episodes: type, postcode, URN and provider. */
const samePlacement = (a: EpisodeRecord, b: EpisodeRecord): boolean =>
  sameValue(a.PLACE, b.PLACE) &&
  sameValue(a.PL_POST, b.PL_POST) &&
  sameValue(a.URN, b.URN) &&
  sameValue(a.PLACE_PROVIDER, b.PLACE_PROVIDER);

/** Runs of one legal status for a child, joined where one episode ends the day the next starts. */
function* legalStatusRuns(r: Return, ls: string): Iterable<EpisodeRecord[]> {
  for (const list of r.episodesOf.values()) {
    let run: EpisodeRecord[] = [];
    for (const e of list) {
      if (e.LS !== ls || e.decom === null) {
        if (run.length > 0) yield run;
        run = [];
        continue;
      }
      const last = run.at(-1);
      if (last !== undefined && (last.dec ?? r.end) !== e.decom) {
        yield run;
        run = [];
      }
      run.push(e);
    }
    if (run.length > 0) yield run;
  }
}
function* legalStatusLongerThan(r: Return, ls: string, maxDays: number): Iterable<Flag> {
  for (const run of legalStatusRuns(r, ls)) {
    const first = run[0].decom as IsoDate;
    const last = run.at(-1)?.dec ?? r.end;
    if (days(first, last) > maxDays) yield* run.map(ep);
  }
}

/** An episode of `place` that began before the child was `years` old. */
const placedTooYoung = (place: string, years: number) => (r: Return) =>
  episodesWithChild(
    r,
    (e, h) => e.PLACE === place && e.decom !== null && h.dob !== null && e.decom < addYears(h.dob, years),
  );
/** An ended episode of `place` that lasted more than `maxDays`. */
const temporaryTooLong = (place: string, maxDays: number) => (r: Return) =>
  episodesWhere(r, (e) => e.PLACE === place && e.decom !== null && e.dec !== null && e.dec > addDays(e.decom, maxDays));

// ---- code lists as the 2025/26 and 2026/27 rules give them ----

const SEX_CODES = ['M', 'F', 'U'];
const ETHNIC_CODES = [
  'WBRI',
  'WIRI',
  'WOTH',
  'WIRT',
  'WROM',
  'MWBC',
  'MWBA',
  'MWAS',
  'MOTH',
  'AIND',
  'APKN',
  'ABAN',
  'AOTH',
  'BCRB',
  'BAFR',
  'BOTH',
  'CHNE',
  'OOTH',
  'REFU',
  'NOBT',
];
const RNE_CODES = ['S', 'P', 'L', 'T', 'U', 'B'];
const LS_CODES = ['C1', 'C2', 'D1', 'E1', 'V2', 'V3', 'V4', 'J1', 'J2', 'J3', 'L1', 'L2', 'L3'];
const CIN_CODES = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8'];
/** From 2025/26 Z1 is split into Z11–Z14; H5 and P2 are no longer placement types. */
const PLACE_CODES = [
  'A3',
  'A4',
  'A5',
  'A6',
  'K1',
  'K2',
  'K3',
  'P1',
  'P3',
  'R1',
  'R2',
  'R3',
  'R5',
  'S1',
  'T0',
  'T1',
  'T2',
  'T3',
  'T4',
  'U1',
  'U2',
  'U3',
  'U4',
  'U5',
  'U6',
  'Z11',
  'Z12',
  'Z13',
  'Z14',
];
const PROVIDER_CODES = ['PR0', 'PR1', 'PR2', 'PR3', 'PR4', 'PR5'];
const REC_CODES = [
  'E11',
  'E12',
  'E2',
  'E3',
  'E4A',
  'E4B',
  'E13',
  'E41',
  'E45',
  'E46',
  'E47',
  'E48',
  'E5',
  'E6',
  'E7',
  'E8',
  'E9',
  'E14',
  'E15',
  'E16',
  'E17',
  'X1',
];
const CEASED_CODES = REC_CODES.filter((c) => c !== 'X1');
const REASON_PLACE_CHANGE_CODES = [
  'CARPL',
  'CLOSE',
  'ALLEG',
  'STAND',
  'APPRR',
  'CREQB',
  'CREQO',
  'CHILD',
  'LAREQ',
  'PLACE',
  'CUSTOD',
  'OTHER',
];
const TEMPORARY = ['T0', 'T1', 'T2', 'T3', 'T4'];
const OTHER_PLACEMENTS = ['Z11', 'Z12', 'Z13', 'Z14'];
const FOSTER = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'];
const ADOPTION = ['A3', 'A4', 'A5', 'A6'];
const SHORT_BREAKS = ['V3', 'V4'];
const UN_CODES = ['UN1', 'UN2', 'UN3', 'UN4', 'UN5'];
/** Placement types that are not in an Ofsted-registered setting: no URN (218, 222). */
const NO_URN_PLACES = ['P1', 'P3', 'R1', 'R2', 'R5', ...TEMPORARY, ...OTHER_PLACEMENTS];
const URN_NOT_APPLICABLE = 'XXXXXXX';
const UPN_168 = /^(?:[A-HJ-NP-RT-Z](?:\d{12}|\d{11}[A-Z])|UN[1-5])$/;

const dateInvalid = (text: string | null, date: IsoDate | null) => text !== null && date === null;
/** Looked after for the purposes of 393, 442 and 607: an episode other than short breaks. */
const lookedAfter = (r: Return, child: string) =>
  (r.episodesOf.get(child) ?? []).some((e) => !isIn(e.LS, SHORT_BREAKS));

// ---- the rules ----

const RULES: readonly RuleDefinition[] = [
  // Header
  {
    code: '101',
    message: 'The child or young person’s reported sex is not valid.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => !isIn(h.SEX, SEX_CODES)),
  },
  {
    code: '102',
    message: 'Date of birth is not a valid date.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => h.dob === null),
  },
  {
    code: '103',
    message: 'The ethnicity code is either not valid or has not been entered.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => !isIn(h.ETHNIC, ETHNIC_CODES)),
  },
  {
    code: '168',
    message: 'Unique Pupil Number (UPN) is not valid. If unknown, default codes should be UN1, UN2, UN3, UN4 or UN5.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => h.UPN !== null && !UPN_168.test(h.UPN)),
  },
  {
    code: '171',
    message: "Date of birth of mother's child is not a valid date.",
    files: ['header'],
    check: (r) => headerWhere(r, (h) => dateInvalid(h.MC_DOB, h.mcDob)),
  },
  {
    code: '174',
    message: "Mother's child date of birth is recorded but sex shows that the child is a male.",
    files: ['header'],
    check: (r) => headerWhere(r, (h) => h.SEX === 'M' && h.MC_DOB !== null),
  },
  {
    code: '209',
    message:
      'Child looked after is of school age and should not have an unknown Unique Pupil Number (UPN) code of UN1.',
    files: ['header'],
    // School age: four by 31 August of the year before the collection starts.
    check: (r) =>
      headerWhere(
        r,
        (h) => h.UPN === 'UN1' && h.dob !== null && addYears(h.dob, 4) <= `${Number(r.start.slice(0, 4)) - 1}-08-31`,
      ),
  },
  {
    code: '232',
    message: 'Sex of the child/young person has been reported as unknown.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => h.SEX === 'U'),
  },
  {
    code: '301',
    message: 'Date of birth falls after the year ended.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => h.dob !== null && h.dob > r.end),
  },
  {
    code: '351',
    message: 'Child was over 25 at the start of the current collection year.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => h.dob !== null && r.start > addYears(h.dob, 25)),
  },
  {
    code: '444',
    message: 'Duplicate UPN has been reported',
    files: ['header'],
    check: (r) => {
      const count = new Map<string, number>();
      for (const h of r.header)
        if (h.UPN !== null && !UN_CODES.includes(h.UPN)) count.set(h.UPN, (count.get(h.UPN) ?? 0) + 1);
      return headerWhere(r, (h) => h.UPN !== null && (count.get(h.UPN) ?? 0) > 1);
    },
  },
  {
    code: '611',
    message: 'Date of birth field is blank, but child is a mother.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => h.MOTHER === '1' && h.MC_DOB === null),
  },
  {
    code: '612',
    message: 'Date of birth field has been completed but mother field indicates child is not a mother.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => h.SEX === 'F' && h.MOTHER !== '1' && h.MC_DOB !== null),
  },
  {
    code: '620',
    message: 'Child has been recorded as a mother, but date of birth shows that the mother is under 11 years of age.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => h.MOTHER === '1' && h.dob !== null && addYears(h.dob, 11) > r.start),
  },
  {
    code: '621',
    message: 'Mother’s field has been completed but date of birth shows that the mother is younger than her child.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => h.mcDob !== null && h.dob !== null && h.mcDob <= h.dob),
  },
  {
    code: 'INT32',
    message: 'Internal Check: Child should only exist once in Header.',
    files: ['header'],
    check: (r) => {
      const count = new Map<string, number>();
      for (const h of r.header) count.set(h.CHILD, (count.get(h.CHILD) ?? 0) + 1);
      return headerWhere(r, (h) => (count.get(h.CHILD) ?? 0) > 1);
    },
  },

  // Episodes: codes and dates
  {
    code: '141',
    message: 'Date episode began is not a valid date.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => dateInvalid(e.DECOM, e.decom)),
  },
  {
    code: '143',
    message: 'The reason for new episode code is not a valid code.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.RNE !== null && !RNE_CODES.includes(e.RNE)),
  },
  {
    code: '144',
    message: 'The legal status code is not a valid code.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.LS !== null && !LS_CODES.includes(e.LS)),
  },
  {
    code: '145',
    message: 'Category of need code is not a valid code.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.CIN !== null && !CIN_CODES.includes(e.CIN)),
  },
  {
    code: '146',
    message: 'Placement type code is not a valid code.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.PLACE !== null && !PLACE_CODES.includes(e.PLACE)),
  },
  {
    code: '147',
    message: 'Date episode ceased is not a valid date.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => dateInvalid(e.DEC, e.dec)),
  },
  {
    code: '148',
    message: 'Date episode ceased and reason episode ceased must both be coded, or both left blank.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => (e.DEC === null) !== (e.REC === null)),
  },
  {
    code: '149',
    message: 'Reason episode ceased code is not valid.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.REC !== null && !REC_CODES.includes(e.REC)),
  },
  {
    code: '178',
    message: 'Placement provider code is not a valid code.',
    files: ['episodes'],
    check: (r) =>
      episodesWhere(
        r,
        (e) =>
          e.PLACE_PROVIDER !== null &&
          (!PROVIDER_CODES.includes(e.PLACE_PROVIDER) || isIn(e.PLACE, ['T0', 'T1', 'T2', 'T3', ...OTHER_PLACEMENTS])),
      ),
  },
  {
    code: '1009',
    message: 'Reason for placement change is not a valid code.',
    files: ['episodes'],
    check: (r) =>
      episodesWhere(
        r,
        (e) => e.REASON_PLACE_CHANGE !== null && !REASON_PLACE_CHANGE_CODES.includes(e.REASON_PLACE_CHANGE),
      ),
  },
  {
    code: '353',
    message: 'No episode submitted can start before 14 October 1991.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.decom !== null && e.decom < '1991-10-14'),
  },
  {
    code: '354',
    message: 'Date episode ceased must be on or before the end of the current collection year.',
    files: ['episodes'],
    // As the DfE's tool applies it: the episode's start.
    check: (r) => episodesWhere(r, (e) => e.decom !== null && e.decom > r.end),
  },
  {
    code: '385',
    message: 'Date episode ceased must be on or before the end of the current collection year.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.dec !== null && e.dec > r.end),
  },
  {
    code: '355',
    message: 'Episode appears to have lasted for less than 24 hours',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.DECOM !== null && e.DECOM === e.DEC),
  },
  {
    code: '356',
    message: 'The date the episode ceased is before the date the same episode started.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.dec !== null && e.decom !== null && e.dec < e.decom),
  },
  {
    code: '446',
    message: 'E1 is not a valid code for episodes starting before December 2005.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.LS === 'E1' && e.decom !== null && e.decom < '2005-12-01'),
  },

  // Episodes: placement type, provider and URN
  {
    code: '213',
    message: 'Placement provider information not required.',
    files: ['episodes'],
    check: (r) =>
      episodesWhere(r, (e) => isIn(e.PLACE, [...TEMPORARY, ...OTHER_PLACEMENTS]) && e.PLACE_PROVIDER !== null),
  },
  {
    code: '526',
    message: 'Child is missing a placement provider code for at least one episode.',
    files: ['episodes'],
    check: (r) =>
      episodesWhere(r, (e) => !isIn(e.PLACE, [...TEMPORARY, ...OTHER_PLACEMENTS]) && e.PLACE_PROVIDER === null),
  },
  {
    code: '527',
    message: 'A placement provider code of PR1 cannot be associated with placements P1, R2 or R5.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => isIn(e.PLACE, ['P1', 'R2', 'R5']) && e.PLACE_PROVIDER === 'PR1'),
  },
  {
    code: '528',
    message: 'A placement provider code of PR2 cannot be associated with placements P1, R2 or R5.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => isIn(e.PLACE, ['P1', 'R2', 'R5']) && e.PLACE_PROVIDER === 'PR2'),
  },
  {
    code: '529',
    message:
      'Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, K2 and U1 to U6 as ' +
      'these placements cannot be provided by other public organisations.',
    files: ['episodes'],
    check: (r) =>
      episodesWhere(r, (e) => isIn(e.PLACE, [...ADOPTION, 'K1', 'K2', 'P1', ...FOSTER]) && e.PLACE_PROVIDER === 'PR3'),
  },
  {
    code: '530',
    message: 'A placement provider code of PR4 cannot be associated with placement P1.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.PLACE === 'P1' && e.PLACE_PROVIDER === 'PR4'),
  },
  {
    code: '531',
    message: 'A placement provider code of PR5 cannot be associated with placements P1.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.PLACE === 'P1' && e.PLACE_PROVIDER === 'PR5'),
  },
  {
    code: '550',
    message: 'A placement provider code of PR0 can only be associated with placement P1.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.PLACE !== 'P1' && e.PLACE_PROVIDER === 'PR0'),
  },
  {
    code: '218',
    message: 'Ofsted Unique reference number (URN) is required.',
    files: ['episodes'],
    check: (r) =>
      episodesWhere(
        r,
        (e) =>
          e.URN === null &&
          !isIn(e.PLACE, NO_URN_PLACES) &&
          // Short breaks carry no placement location at all (214), so no URN either.
          !isIn(e.LS, SHORT_BREAKS) &&
          (e.DEC === null || (e.dec !== null && e.dec >= r.start)),
      ),
  },
  {
    code: '222',
    message: 'Ofsted Unique reference number (URN) should not be recorded for this placement type.',
    files: ['episodes'],
    check: (r) =>
      episodesWhere(r, (e) => isIn(e.PLACE, NO_URN_PLACES) && e.URN !== null && e.URN !== URN_NOT_APPLICABLE),
  },
  {
    code: '214',
    message: 'Placement location information not required.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => isIn(e.LS, SHORT_BREAKS) && (e.PL_POST !== null || e.URN !== null)),
  },
  {
    code: '398',
    message: 'Distance field completed but child looked after under legal status V3 or V4.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => isIn(e.LS, SHORT_BREAKS) && (e.HOME_POST !== null || e.PL_POST !== null)),
  },
  {
    code: '392b',
    message: 'Child is looked after but no postcodes are recorded.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => !isIn(e.LS, SHORT_BREAKS) && (e.HOME_POST === null || e.PL_POST === null)),
  },
  {
    code: '392d',
    message: 'Home and placement postcodes should not be same unless the placement type is P1.',
    files: ['episodes'],
    check: (r) =>
      episodesWhere(
        r,
        (e) =>
          e.PLACE !== 'P1' &&
          e.HOME_POST !== null &&
          e.HOME_POST.replace(/\s/g, '') === (e.PL_POST ?? '').replace(/\s/g, ''),
      ),
  },
  {
    code: '217',
    message:
      'Children who are placed for adoption with current foster carers (placement types A3 or A5) must have a ' +
      'reason for new episode of S, T or U.',
    files: ['episodes'],
    check: (r) =>
      episodesWhere(
        r,
        (e) =>
          isIn(e.PLACE, ['A3', 'A5']) && e.decom !== null && e.decom >= '2015-04-01' && !isIn(e.RNE, ['S', 'T', 'U']),
      ),
  },
  {
    code: '336',
    message: 'Child does not have a foster placement immediately prior to being placed for adoption.',
    files: ['episodes'],
    check: (r) =>
      withPrevious(r, (e, previous) => isIn(e.PLACE, ['A3', 'A4']) && !isIn(previous.PLACE, [...ADOPTION, ...FOSTER])),
  },
  {
    code: '378',
    message:
      'A child who is placed with parent(s) cannot be looked after under a single period of accommodation under ' +
      'Section 20 of the Children Act 1989.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.PLACE === 'P1' && e.LS === 'V2'),
  },
  {
    code: '384',
    message: 'A child receiving respite care cannot be in a long-term foster placement',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => isIn(e.LS, SHORT_BREAKS) && isIn(e.PLACE, ['U1', 'U4'])),
  },
  {
    code: '390',
    message: 'Reason episode ceased is adopted but child has not been previously placed for adoption.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => isIn(e.REC, ['E11', 'E12']) && !isIn(e.PLACE, ADOPTION)),
  },
  {
    code: '408',
    message: 'Child is placed for adoption with a placement order, but no placement order has been recorded.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => isIn(e.PLACE, ['A5', 'A6']) && e.LS !== 'E1'),
  },
  {
    code: '516',
    message:
      'The episode data submitted for this child does not show that he/she was with their former foster carer(s) ' +
      'during the year. If the code in the reason episode ceased is E45 or E46 the child must have a placement ' +
      'code of U1 to U6.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => isIn(e.REC, ['E45', 'E46']) && !isIn(e.PLACE, FOSTER)),
  },

  // Episodes: temporary placements and short breaks
  {
    code: '375',
    message: 'Hospitalisation coded as a temporary placement exceeds six weeks.',
    files: ['episodes'],
    check: temporaryTooLong('T1', 42),
  },
  {
    code: '376',
    message: 'Temporary placements coded as being due to holiday of usual foster carer(s) cannot exceed three weeks.',
    files: ['episodes'],
    check: temporaryTooLong('T3', 21),
  },
  {
    code: '379',
    message: 'Temporary placements for unspecified reason (placement code T4) cannot exceed seven days.',
    files: ['episodes'],
    check: temporaryTooLong('T4', 7),
  },
  {
    code: '377',
    message:
      'Only two temporary placements coded as being due to holiday of usual foster carer(s) are allowed in any ' +
      '12- month period.',
    files: ['episodes'],
    check: (r) => {
      const t3 = new Map<string, number>();
      for (const e of r.episodes) if (e.PLACE === 'T3') t3.set(e.CHILD, (t3.get(e.CHILD) ?? 0) + 1);
      return episodesWhere(r, (e) => e.PLACE === 'T3' && (t3.get(e.CHILD) ?? 0) > 2);
    },
  },
  {
    code: '380',
    message: 'A period of care cannot start with a temporary placement.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => isIn(e.PLACE, TEMPORARY) && !isIn(e.RNE, ['P', 'B'])),
  },
  {
    code: '381',
    message: 'A period of care cannot end with a temporary placement.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => isIn(e.PLACE, TEMPORARY) && e.REC !== null && e.REC !== 'X1'),
  },
  {
    code: '382',
    message: 'A child receiving respite care cannot be in a temporary placement.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => isIn(e.LS, SHORT_BREAKS) && isIn(e.PLACE, TEMPORARY)),
  },
  {
    code: '383',
    message: 'A child in a temporary placement must subsequently return to his/her normal placement.',
    files: ['episodes'],
    check: function* (r) {
      for (const list of r.episodesOf.values())
        for (let i = 2; i < list.length; i++) {
          const [before, temporary, e] = [list[i - 2], list[i - 1], list[i]];
          if (!isIn(temporary.PLACE, TEMPORARY)) continue;
          if (e.RNE !== 'P' || e.PLACE !== before.PLACE || e.PL_POST !== before.PL_POST) yield ep(e);
        }
    },
  },
  {
    code: '226',
    message: 'Reason for placement change is not required for temporary placements.',
    files: ['episodes'],
    check: function* (r) {
      for (const list of r.episodesOf.values())
        for (let i = 0; i < list.length; i++) {
          const e = list[i];
          const previousReason = i > 0 ? list[i - 1].REASON_PLACE_CHANGE : null;
          if (isIn(e.PLACE, TEMPORARY) && (e.REASON_PLACE_CHANGE !== null || previousReason !== null)) yield ep(e);
        }
    },
  },
  {
    code: '365',
    message: 'Any individual short- term respite placement must not exceed 17 days.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.LS === 'V3' && e.decom !== null && (e.dec ?? r.end) > addDays(e.decom, 17)),
  },
  {
    code: '366',
    message: 'A child cannot change placement during the course of an individual short-term respite break.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.LS === 'V3' && e.RNE !== 'S'),
  },
  {
    code: '367',
    message: 'The maximum amount of respite care allowable is 75 days in any 12-month period.',
    files: ['episodes'],
    check: (r) => {
      const total = new Map<string, number>();
      const counted: EpisodeRecord[] = [];
      for (const e of r.episodes) {
        if (e.LS !== 'V3' || e.decom === null) continue;
        const from = e.decom < r.start ? r.start : e.decom;
        const to = e.dec === null || e.dec > r.end ? r.end : e.dec;
        const length = days(from, to);
        if (length <= 0) continue;
        counted.push(e);
        total.set(e.CHILD, (total.get(e.CHILD) ?? 0) + length);
      }
      return counted.filter((e) => (total.get(e.CHILD) ?? 0) > 75).map(ep);
    },
  },
  {
    code: '426',
    message: 'A child receiving respite care cannot be recorded under a legal status of V3 and V4 in the same year.',
    files: ['episodes'],
    check: (r) => {
      const both = [...r.episodesOf].filter(
        ([, list]) => list.some((e) => e.LS === 'V3') && list.some((e) => e.LS === 'V4'),
      );
      const children = new Set(both.map(([child]) => child));
      return episodesWhere(r, (e) => children.has(e.CHILD) && isIn(e.LS, SHORT_BREAKS));
    },
  },

  // Episodes: legal statuses with a time limit
  {
    code: '361',
    message: 'Police protection legal status lasted longer than maximum 72 hours allowed in the Children Act 1989.',
    files: ['episodes'],
    check: (r) => legalStatusLongerThan(r, 'L1', 3),
  },
  {
    code: '362',
    message: 'Emergency protection order (EPO) lasted longer than 21 days',
    files: ['episodes'],
    check: (r) => legalStatusLongerThan(r, 'L2', 21),
  },
  {
    code: '363',
    message: 'Child assessment order (CAO) lasted longer than 7 days allowed in the Children Act 1989.',
    files: ['episodes'],
    check: (r) => legalStatusLongerThan(r, 'L3', 7),
  },
  {
    code: '364',
    message:
      'Sections 41-46 of Police and Criminal Evidence (PACE; 1984) severely limits the time a child can be ' +
      'detained in custody in Local Authority (LA) accommodation.',
    files: ['episodes'],
    check: (r) => legalStatusLongerThan(r, 'J2', 21),
  },

  // Episodes: the chain of episodes
  {
    code: '142',
    message: 'A new episode has started, but the previous episode has not ended.',
    files: ['episodes'],
    check: (r) =>
      withNext(r, (e, next) => e.decom !== null && next.decom !== null && (e.DEC === null || e.REC === null)),
  },
  {
    code: '357',
    message:
      'If this is the first episode ever for this child, reason for new episode must be S. Check whether there is ' +
      'an episode immediately preceding this one, which has been left out. If not the reason for new episode code ' +
      'must be amended to S.',
    files: ['episodes'],
    check: function* (r) {
      for (const list of r.episodesOf.values()) {
        const first = list[0];
        if (first.decom !== null && first.decom >= r.start && first.RNE !== 'S') yield ep(first);
      }
    },
  },
  {
    code: '501',
    message: 'A new episode has started before the end date of the previous episode.',
    files: ['episodes'],
    check: (r) => withPrevious(r, (e, previous) => previous.dec !== null && e.decom !== null && e.decom < previous.dec),
  },
  {
    code: '431',
    message:
      'The reason for new episode is started to be looked after, but the previous episode ended on the same day.',
    files: ['episodes'],
    check: (r) =>
      withPrevious(
        r,
        (e, previous) => e.RNE === 'S' && previous.dec !== null && e.decom !== null && e.decom <= previous.dec,
      ),
  },
  {
    code: '432',
    message:
      'The child ceased to be looked after at the end of the previous episode but the reason for the new episode ' +
      'is not started to be looked after.',
    files: ['episodes'],
    check: (r) => withPrevious(r, (e, previous) => isIn(previous.REC, CEASED_CODES) && e.RNE !== 'S'),
  },
  {
    code: '433',
    message:
      'The reason for new episode suggests that this is a continuation episode, but the episode does not start on ' +
      'the same day as the last episode finished.',
    files: ['episodes'],
    check: (r) =>
      withPrevious(
        r,
        (e, previous) => isIn(e.RNE, ['P', 'L', 'T', 'U', 'B']) && (previous.dec === null || previous.dec !== e.decom),
      ),
  },
  {
    code: '434',
    message:
      "Reason for new episode is that child's legal status has changed but not the placement, but this is not " +
      'reflected in the episode data.',
    files: ['episodes'],
    check: (r) =>
      withPrevious(r, (e, previous) => e.RNE === 'L' && (e.LS === previous.LS || !samePlacement(e, previous))),
  },
  {
    code: '435',
    message:
      'Reason for new episode is that child’s placement has changed but not the legal status, but this is not ' +
      'reflected in the episode data recorded.',
    files: ['episodes'],
    check: (r) =>
      withPrevious(r, (e, previous) => isIn(e.RNE, ['P', 'T']) && (e.LS !== previous.LS || samePlacement(e, previous))),
  },
  {
    code: '436',
    message:
      'Reason for new episode is that both child’s placement and legal status have changed, but this is not ' +
      'reflected in the episode data.',
    files: ['episodes'],
    check: (r) =>
      withPrevious(r, (e, previous) => isIn(e.RNE, ['U', 'B']) && (e.LS === previous.LS || samePlacement(e, previous))),
  },
  {
    code: '504',
    message: 'The category of need code differs from that reported at start of current period of being looked after',
    files: ['episodes'],
    check: (r) =>
      withPrevious(r, (e, previous) => previous.REC === 'X1' && previous.dec === e.decom && e.CIN !== previous.CIN),
  },
  {
    code: '225',
    message: 'Reason for placement change must be recorded.',
    files: ['episodes'],
    check: (r) =>
      withNext(
        r,
        (e, next) =>
          e.REC === 'X1' &&
          e.REASON_PLACE_CHANGE === null &&
          !isIn(e.PLACE, TEMPORARY) &&
          isIn(next.RNE, ['P', 'B', 'T', 'U']) &&
          !isIn(next.PLACE, TEMPORARY),
      ),
  },
  {
    code: '233',
    message: 'Reason for placement change is not required when the episode has not ceased.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => e.DEC === null && e.REASON_PLACE_CHANGE !== null),
  },
  {
    code: '388',
    message: 'Reason episode ceased is coded new episode begins, but there is no continuation episode.',
    files: ['episodes'],
    check: function* (r) {
      for (const list of r.episodesOf.values())
        for (let i = 0; i < list.length; i++) {
          const e = list[i];
          const next = list[i + 1];
          if (e.dec === null) continue;
          if (next === undefined) {
            if (e.REC === 'X1') yield ep(e);
          } else if (next.decom !== null) {
            if (e.REC === 'X1' && e.dec !== next.decom) yield ep(e);
            else if (e.REC !== null && e.REC !== 'X1' && e.dec === next.decom) yield ep(e);
          }
        }
    },
  },
  {
    code: '437',
    message: 'Reason episode ceased is child has died or is aged 18 or over but there are further episodes.',
    files: ['episodes'],
    check: (r) => withNext(r, (e) => e.decom !== null && isIn(e.REC, ['E2', 'E15'])),
  },

  // Episodes and header together
  {
    code: 'INT03',
    message: 'Internal Check: Child in Episodes does not exist in Header.',
    files: ['episodes'],
    check: (r) => episodesWhere(r, (e) => !r.headerOf.has(e.CHILD)),
  },
  {
    code: '442',
    message: 'Unique Pupil Number (UPN) field is not completed.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => h.UPN === null && lookedAfter(r, h.CHILD)),
  },
  {
    code: '393',
    message: 'Child is looked after but mother field is not completed.',
    files: ['header'],
    check: (r) => headerWhere(r, (h) => h.SEX === 'F' && h.MOTHER === null && lookedAfter(r, h.CHILD)),
  },
  {
    code: '607',
    message: 'Child ceased to be looked after in the year, but mother field has not been completed.',
    files: ['episodes', 'header'],
    check: (r) =>
      episodesWithChild(
        r,
        (e, h) =>
          e.dec !== null &&
          isIn(e.REC, CEASED_CODES) &&
          !isIn(e.LS, SHORT_BREAKS) &&
          e.dec >= r.start &&
          e.dec <= r.end &&
          h.SEX === 'F' &&
          h.MOTHER === null,
        ['episodes', 'header'],
      ),
  },
  {
    code: '625',
    message:
      'Date of birth of the first child is beyond the end of this reporting year or the date the child ceased to ' +
      'be looked after.',
    files: ['episodes', 'header'],
    check: function* (r) {
      for (const h of r.header) {
        if (h.mcDob === null) continue;
        let latest: { episode: EpisodeRecord; dec: IsoDate } | null = null;
        for (const e of r.episodesOf.get(h.CHILD) ?? [])
          if (e.dec !== null && (latest === null || e.dec > latest.dec)) latest = { episode: e, dec: e.dec };
        if (h.mcDob > r.end || (latest !== null && h.mcDob > latest.dec)) {
          yield hd(h);
          if (latest !== null) yield ep(latest.episode);
        }
      }
    },
  },
  {
    code: '210',
    message:
      'Children looked after for more than a week at 31 March should not have an unknown Unique Pupil Number ' +
      '(UPN) code of UN4.',
    files: ['episodes', 'header'],
    check: (r) =>
      episodesWithChild(r, (e, h) => h.UPN === 'UN4' && e.decom !== null && e.decom >= `${r.year}-03-24`, [
        'episodes',
        'header',
      ]),
  },
  {
    code: '234',
    message: 'A child aged under 10 can not change placement due to being admitted to custody',
    files: ['episodes'],
    check: (r) =>
      episodesWithChild(
        r,
        (e, h) =>
          e.REASON_PLACE_CHANGE === 'CUSTOD' && h.dob !== null && e.decom !== null && e.decom < addYears(h.dob, 10),
      ),
  },
  {
    code: '302',
    message: 'First episode starts before child was born.',
    files: ['episodes'],
    check: function* (r) {
      for (const [child, list] of r.episodesOf) {
        const dob = r.headerOf.get(child)?.dob ?? null;
        if (dob !== null && list[0].decom !== null && list[0].decom < dob) yield ep(list[0]);
      }
    },
  },
  {
    code: '352',
    message: 'Child who started to be looked after was aged 18 or over.',
    files: ['episodes'],
    check: (r) =>
      episodesWithChild(
        r,
        (e, h) => e.RNE === 'S' && h.dob !== null && e.decom !== null && e.decom >= addYears(h.dob, 18),
      ),
  },
  {
    code: '358',
    message: 'Child with this legal status should not be under 10.',
    files: ['episodes'],
    check: (r) =>
      episodesWithChild(
        r,
        (e, h) =>
          isIn(e.LS, ['J1', 'J2', 'J3']) && h.dob !== null && e.decom !== null && e.decom <= addYears(h.dob, 10),
      ),
  },
  {
    code: '359',
    message:
      'Child being looked after following 18th birthday must be accommodated under section 20(5) of the Children ' +
      'Act 1989 in a community home.',
    files: ['episodes'],
    check: (r) =>
      episodesWithChild(
        r,
        (e, h) =>
          e.DEC === null && h.dob !== null && addYears(h.dob, 18) < r.end && !(e.LS === 'V2' && e.PLACE === 'K2'),
      ),
  },
  {
    code: '371',
    message: 'Child in supported accomodation not subject to children’s homes regulations should be at least 16.',
    files: ['episodes'],
    check: placedTooYoung('K3', 16),
  },
  {
    code: '372',
    message: 'Child in youth custody or prison should be at least 10.',
    files: ['episodes'],
    check: placedTooYoung('R5', 10),
  },
  {
    code: '373',
    message: 'Child placed in a school should be at least 4 years old.',
    files: ['episodes'],
    check: placedTooYoung('S1', 4),
  },
  {
    code: '374',
    message: 'Child in residential employment should be at least 14 years old.',
    files: ['episodes'],
    check: placedTooYoung('P3', 14),
  },
  {
    code: '386',
    message: 'Reason episode ceased is adopted but child has reached age 18.',
    files: ['episodes'],
    check: (r) =>
      episodesWithChild(
        r,
        (e, h) => isIn(e.REC, ['E11', 'E12']) && h.dob !== null && e.dec !== null && e.dec >= addYears(h.dob, 18),
      ),
  },
  {
    code: '387',
    message:
      'Reason episode ceased is child moved into independent living arrangement, but the child is aged under 14.',
    files: ['episodes'],
    check: (r) =>
      episodesWithChild(
        r,
        (e, h) => isIn(e.REC, ['E5', 'E6']) && h.dob !== null && e.dec !== null && e.dec < addYears(h.dob, 14),
      ),
  },
  {
    code: '389',
    message:
      'Reason episode ceased is that child transferred to care of adult social care services, but child is aged ' +
      'under 16.',
    files: ['episodes'],
    check: (r) =>
      episodesWithChild(r, (e, h) => e.REC === 'E7' && h.dob !== null && e.dec !== null && e.dec < addYears(h.dob, 16)),
  },
  {
    code: '407',
    message: 'Reason episode ceased is Special Guardianship Order, but child has reached age 18.',
    files: ['episodes'],
    check: (r) =>
      episodesWithChild(
        r,
        (e, h) =>
          isIn(e.REC, ['E45', 'E46', 'E47', 'E48']) && h.dob !== null && e.dec !== null && e.dec > addYears(h.dob, 18),
      ),
  },
  {
    code: '460',
    message:
      'Reason episode ceased is that child stayed with current carers at age 18 (or above), but child is aged ' +
      'under 18.',
    files: ['episodes'],
    check: (r) =>
      episodesWithChild(
        r,
        (e, h) => e.REC === 'E17' && h.dob !== null && e.dec !== null && e.dec < addYears(h.dob, 18),
      ),
  },
];

/** The rules `checkReturn` runs, by code. */
export const DFE_RULES: readonly DfeRule[] = RULES.map(({ code, message, files }) => ({ code, message, files }));

const byRuleThenRow = (a: RuleFailure, b: RuleFailure) =>
  a.rule.localeCompare(b.rule, 'en', { numeric: true }) || a.file.localeCompare(b.file) || a.line - b.line;

/**
 * Runs the DfE's rules on a return's two files for a collection year (DfE naming: 2026 is
 * 1 April 2025 to 31 March 2026). Pure; the failures name rule, file, line and child only.
 */
export function checkReturn(
  files: { readonly episodesCsv: string; readonly headerCsv: string },
  year: number,
): ReturnCheck {
  const r = load(files, year);
  const failures: RuleFailure[] = [];
  for (const rule of RULES) {
    const seen = new Set<string>();
    for (const { file, row } of rule.check(r)) {
      const key = `${file}:${row.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      failures.push({ rule: rule.code, file, line: row.line, child: row.CHILD });
    }
  }
  return { year, label: collectionYear(year).label, rules: DFE_RULES, failures: failures.sort(byRuleThenRow) };
}
