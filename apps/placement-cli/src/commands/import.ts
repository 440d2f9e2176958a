import { Command, InvalidArgumentError } from 'commander';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openSqliteEventStore } from '@placement/event-store';
import { collectionYearOf, planImport, type ChildHistory, type ImportPlan } from '@placement/ssda903';
import { applyImportPlan, type ImportWriteSummary } from '@placement/api';
import { parseYear } from './export';

/**
 * Exit codes: 0 imported (or would be, on a dry run), 1 rows or children were refused, 2 a file or the store could not
 * be read.
 */
export const IMPORT_OK = 0;
export const IMPORT_REFUSED_ROWS = 1;
export const IMPORT_UNREADABLE = 2;

interface ImportOptions {
  readonly episodes: string;
  readonly header: string;
  readonly year?: number;
  readonly dryRun?: boolean;
  readonly acceptValidRows?: boolean;
  readonly db: string;
  readonly la: string;
}

/**
 * `import ssda903 --episodes <csv> --header <csv> [--year] [--dry-run] [--accept-valid-rows] [--db]`:
 * an authority's existing return into the log, idempotently (a second run writes nothing).
 */
export function register(program: Command): void {
  program
    .command('import')
    .description(
      "Read an authority's existing return into the event log: ssda903 = the DfE episodes.csv and header.csv",
    )
    .argument('<format>', 'ssda903')
    .requiredOption('--episodes <csv>', 'the episodes file')
    .requiredOption('--header <csv>', 'the header file')
    .option('--year <yyyy>', "collection year (2025 = 2024/25); default: the year of the file's latest date", parseYear)
    .option('--dry-run', 'check and report; write nothing')
    .option('--accept-valid-rows', 'import the children whose rows are all valid even when others were refused')
    .option(
      '--db <file>',
      'SQLite event store file (created if missing)',
      process.env['SQLITE_PATH'] ?? './data/events.db',
    )
    .option('--la <code>', "the importing authority's ONS code", parseLocalAuthority, 'E08000018')
    .action(async (format: string, options: ImportOptions) => {
      process.exitCode = await importReturn(format, options);
    });
}

function parseLocalAuthority(value: string): string {
  if (!/^E\d{8}$/.test(value)) throw new InvalidArgumentError('expected an ONS local authority code such as E08000018');
  return value;
}

function readable(path: string): string | null {
  try {
    return statSync(path).isFile() ? null : 'is not a file';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
  }
}

/** The collection year a return belongs to: that of its latest DECOM or DEC. */
function inferredYear(histories: readonly ChildHistory[]): number | undefined {
  let latest = '';
  for (const h of histories)
    for (const p of h.periods)
      for (const pl of p.placements) {
        if (pl.startDate > latest) latest = pl.startDate;
        if (pl.endDate !== null && pl.endDate > latest) latest = pl.endDate;
      }
  return latest === '' ? undefined : collectionYearOf(latest);
}

const plan = (options: ImportOptions, collectionYear: number | undefined): Promise<ImportPlan> =>
  planImport(
    { episodes: createReadStream(options.episodes), header: createReadStream(options.header) },
    { acceptValidRows: options.acceptValidRows === true, ...(collectionYear === undefined ? {} : { collectionYear }) },
  );

function printReport(p: ImportPlan, options: ImportOptions, year: number | undefined): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const fileName = (file: 'episodes' | 'header') => basename(file === 'episodes' ? options.episodes : options.header);
  // The reader's reasons name the column and the rule, never the cell's value (no date of birth, UPN or postcode).
  for (const problem of p.report.problems) {
    out(
      `refused: ${fileName(problem.file)} line ` +
        `${problem.row}${problem.column === null ? '' : `, column ${problem.column}`}: ${problem.reason}`,
    );
  }
  for (const setting of p.report.settingsReferenced)
    out(`setting referenced: URN ${setting.urn} (${setting.places.join('/')})`);
  out(
    JSON.stringify({
      file: 'ssda903',
      year: year ?? null,
      ok: p.report.ok,
      episodeRowsRead: p.report.episodeRowsRead,
      headerRowsRead: p.report.headerRowsRead,
      rowsRefused: p.report.problems.length,
      unreadableFiles: p.report.unreadableFiles,
      childrenToImport: p.report.childrenToImport,
      settingsReferenced: p.report.settingsReferenced.length,
      nothingToWrite: p.report.nothingToWrite,
    }),
  );
}

async function importReturn(format: string, options: ImportOptions): Promise<number> {
  if (format !== 'ssda903') {
    process.stderr.write(`import: unknown format "${format}" (known: ssda903)\n`);
    return IMPORT_UNREADABLE;
  }
  for (const [flag, path] of [
    ['--episodes', options.episodes],
    ['--header', options.header],
  ] as const) {
    const problem = readable(path);
    if (problem !== null) {
      process.stderr.write(`import: ${flag} ${path} ${problem}\n`);
      return IMPORT_UNREADABLE;
    }
  }
  let year = options.year;
  let planned = await plan(options, year);
  if (year === undefined && planned.report.unreadableFiles.length === 0) {
    // Rows are checked against their collection year, so read again once the year is known.
    year = inferredYear(
      planned.histories.length > 0
        ? planned.histories
        : (await plan({ ...options, acceptValidRows: true }, undefined)).histories,
    );
    if (year !== undefined) planned = await plan(options, year);
  }
  printReport(planned, options, year);
  if (planned.report.unreadableFiles.length > 0) return IMPORT_UNREADABLE;
  if (planned.report.nothingToWrite) {
    process.stdout.write(
      'nothing written: the files were refused (give --accept-valid-rows to import the children whose rows are all ' +
        'valid)\n',
    );
    return IMPORT_REFUSED_ROWS;
  }
  if (options.dryRun === true) {
    process.stdout.write(
      `dry run: nothing written; ${planned.commands.length} commands for ${planned.report.childrenToImport} ` +
        `children would be applied\n`,
    );
    return planned.report.ok ? IMPORT_OK : IMPORT_REFUSED_ROWS;
  }
  const store = await openSqliteEventStore({ path: options.db });
  let summary: ImportWriteSummary;
  try {
    summary = await applyImportPlan(store, planned, {
      localAuthority: options.la,
      actor: { id: 'placement-cli:import', role: 'admin' },
      correlationId: randomUUID(),
    });
  } finally {
    await store.close();
  }
  for (const setting of summary.settingsCreated)
    process.stdout.write(`external setting created: ${setting.settingId} (URN ${setting.urn})\n`);
  for (const child of summary.childrenRefused)
    process.stdout.write(`child refused by the record: ${child.childId}: ${child.reason}\n`);
  const counts = {
    imported: 'ssda903',
    childrenWritten: summary.childrenWritten,
    childrenUnchanged: summary.childrenUnchanged,
    childrenRefused: summary.childrenRefused.length,
    eventsWritten: summary.eventsWritten,
    settingsCreated: summary.settingsCreated.length,
  };
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  return planned.report.ok && summary.childrenRefused.length === 0 ? IMPORT_OK : IMPORT_REFUSED_ROWS;
}
