import { readEpisodesCsv, readHeaderCsv, type CsvSource, type ReadOptions, type RowProblem } from './csv-read';
import { formatEpisode, writeEpisodesCsv, writeHeaderCsv } from './csv-write';
import { collectionYear, sexUnknownAllowed } from './dates';
import { compareEpisodes, deriveEpisodes, type Episode } from './episodes';
import { deriveHeaderForYear, lookedAfterInYear, type HeaderRow } from './header';
import { InvalidChildHistoryError, type ChildHistory } from './history';
import {
  episodesToHistories,
  historyToCommands,
  referencedSettings,
  type ImportCommand,
  type ReferencedSetting,
} from './import';

/** The two files of a collection year's return, ready to write or send. */
export interface ExportedReturn {
  readonly year: number;
  /** "2024/25" */
  readonly label: string;
  readonly episodesCsv: string;
  readonly headerCsv: string;
  readonly episodes: number;
  readonly children: number;
  /**
   * The ids of those children (the files' CHILD column), in file order: whoever reads the files reads their records.
   */
  readonly childIds: readonly string[];
  /** Children left out because their history breaks the episode rules; ids and reasons only, no personal data. */
  readonly excluded: readonly { readonly childId: string; readonly problems: readonly string[] }[];
  /** Rows the DfE may query although they are written (e.g. SEX U before 2024/25). */
  readonly warnings: readonly string[];
}

/**
 * episodes.csv and header.csv for a collection year (DfE naming: 2025 = 1 April 2024 to
 * 31 March 2025) from children's histories. One bad history never stops the return: it is
 * left out and listed in `excluded`.
 */
export function exportReturn(histories: Iterable<ChildHistory>, year: number): ExportedReturn {
  const { label } = collectionYear(year);
  const episodes: Episode[] = [];
  const included: ChildHistory[] = [];
  const excluded: { childId: string; problems: string[] }[] = [];
  const warnings: string[] = [];
  for (const history of histories) {
    if (!lookedAfterInYear(history, year)) continue;
    try {
      episodes.push(...deriveEpisodes(history, year));
    } catch (error) {
      if (!(error instanceof InvalidChildHistoryError)) throw error;
      excluded.push({ childId: history.childId, problems: [...error.problems] });
      continue;
    }
    included.push(history);
    if (history.sex === 'U' && !sexUnknownAllowed(year))
      warnings.push(`child ${history.childId}: SEX U is accepted from the 2024/25 return`);
  }
  episodes.sort(compareEpisodes);
  const header = deriveHeaderForYear(included, year);
  excluded.sort((a, b) => (a.childId < b.childId ? -1 : 1));
  return {
    year,
    label,
    episodesCsv: writeEpisodesCsv(episodes),
    headerCsv: writeHeaderCsv(header),
    episodes: episodes.length,
    children: header.length,
    childIds: header.map((row) => row.child),
    excluded,
    warnings,
  };
}

export interface ImportOptions extends ReadOptions {
  /** Import the children whose rows are all valid even when other rows were refused (CLI `--accept-valid-rows`). */
  readonly acceptValidRows?: boolean;
}

export interface ImportReport {
  /** True when both files were accepted whole. */
  readonly ok: boolean;
  /** Every row refused, with file, line, column and reason. */
  readonly problems: readonly RowProblem[];
  readonly episodeRowsRead: number;
  readonly headerRowsRead: number;
  /** Children whose commands are in the plan. */
  readonly childrenToImport: number;
  readonly childrenWithoutHeader: readonly string[];
  readonly headersWithoutEpisodes: readonly string[];
  /** Registered settings the return names by URN; the import creates unknown ones as external settings. */
  readonly settingsReferenced: readonly ReferencedSetting[];
  /** True when nothing may be written: a file failed validation and acceptValidRows was not given. */
  readonly nothingToWrite: boolean;
  /** Files that could not be read at all (too large, wrong columns, not CSV), as opposed to files with refused rows. */
  readonly unreadableFiles: readonly ('episodes' | 'header')[];
}

export interface ImportPlan {
  readonly report: ImportReport;
  readonly histories: readonly ChildHistory[];
  /** Commands to apply in order; empty when `report.nothingToWrite`. Deterministic ids make a re-run write nothing. */
  readonly commands: readonly ImportCommand[];
}

/** One problem per child found in one file of the return but not in the other, on the child's row there. */
function unmatchedChildren(
  file: RowProblem['file'],
  children: readonly string[],
  rowOfChild: ReadonlyMap<string, number>,
  reason: string,
): RowProblem[] {
  return children.map((child) => ({ file, row: rowOfChild.get(child) ?? 0, column: 'CHILD', reason }));
}

/**
 * Reads and checks a return (episodes.csv + header.csv) and plans the writes that reproduce it.
 * Pure apart from reading the two sources; the caller applies the commands.
 */
export async function planImport(
  sources: { readonly episodes: CsvSource; readonly header: CsvSource },
  options: ImportOptions = {},
): Promise<ImportPlan> {
  const [episodes, header] = await Promise.all([
    readEpisodesCsv(sources.episodes, options),
    readHeaderCsv(sources.header, options),
  ]);
  const problems: RowProblem[] = [...episodes.problems, ...header.problems];
  const episodeRows = episodes.accepted.map((r) => r.value);
  const headerRows: HeaderRow[] = header.accepted.map((r) => r.value);
  const built = episodesToHistories(episodeRows, headerRows);
  const rowOfChild = new Map<string, number>();
  for (const r of episodes.accepted) if (!rowOfChild.has(r.value.child)) rowOfChild.set(r.value.child, r.row);
  const headerRowOfChild = new Map(header.accepted.map((r) => [r.value.child, r.row]));
  // An unreadable file has no rows, so every child of the other file would be reported as unmatched: noise.
  if (!episodes.unreadable && !header.unreadable)
    problems.push(
      ...unmatchedChildren(
        'episodes',
        built.childrenWithoutHeader,
        rowOfChild,
        'child has episodes but no row in header.csv',
      ),
      ...unmatchedChildren(
        'header',
        built.headersWithoutEpisodes,
        headerRowOfChild,
        'child has a header row but no episode',
      ),
    );

  // Self-check: the histories must give back exactly the accepted rows for the year, or the import would not
  // round-trip.
  let histories = built.histories;
  if (options.collectionYear !== undefined) {
    const year = options.collectionYear;
    const byChild = new Map<string, Episode[]>();
    for (const e of episodeRows) {
      const list = byChild.get(e.child);
      if (list === undefined) byChild.set(e.child, [e]);
      else list.push(e);
    }
    histories = histories.filter((h) => {
      const expected = [...(byChild.get(h.childId) ?? [])].sort(compareEpisodes).map(formatEpisode);
      const actual = deriveEpisodes(h, year).map(formatEpisode);
      const same = JSON.stringify(expected) === JSON.stringify(actual);
      if (!same)
        problems.push({
          file: 'episodes',
          row: rowOfChild.get(h.childId) ?? 0,
          column: null,
          reason: "child's episodes would not export as imported (they break an episode rule)",
        });
      return same;
    });
  }
  const ok = problems.length === 0 && !episodes.stoppedEarly && !header.stoppedEarly;
  const refusedFiles = episodes.stoppedEarly || header.stoppedEarly;
  const nothingToWrite = !ok && (!options.acceptValidRows || refusedFiles);
  const planned = nothingToWrite ? [] : histories;
  return {
    report: {
      ok,
      problems,
      episodeRowsRead: episodes.rowsRead,
      headerRowsRead: header.rowsRead,
      childrenToImport: planned.length,
      childrenWithoutHeader: built.childrenWithoutHeader,
      headersWithoutEpisodes: built.headersWithoutEpisodes,
      settingsReferenced: referencedSettings(planned),
      nothingToWrite,
      unreadableFiles: [
        ...(episodes.unreadable ? (['episodes'] as const) : []),
        ...(header.unreadable ? (['header'] as const) : []),
      ],
    },
    histories: planned,
    commands: planned.flatMap(historyToCommands),
  };
}
