import { Command, InvalidArgumentError } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteEventStore } from '@placement/event-store';
import { exportSsda903 } from '@placement/api';
import { recordCliRead, withAccessLogOptions, type AccessLogOptions } from './access-log';
import { checkReturn } from '@placement/ssda903';

/** Exit codes: 0 written, 2 the store or the output directory could not be used. */
export const EXPORT_WRITTEN = 0;
export const EXPORT_FAILED = 2;

export function parseYear(value: string): number {
  if (!/^\d{4}$/.test(value.trim()) || Number(value) < 2000 || Number(value) > 2100)
    throw new InvalidArgumentError('expected a collection year such as 2025 (2000–2100)');
  return Number(value);
}

/**
 * `export ssda903 --year 2025 --out <dir> [--db <file>]`: episodes.csv and header.csv for the collection year, from
 * the log. Every child in the files is recorded in the access log before the files are written.
 */
export function register(program: Command): void {
  const command = program
    .command('export')
    .description(
      'Write a return from the event log: ssda903 = the DfE episodes.csv and header.csv for a collection year',
    )
    .argument('<format>', 'ssda903')
    .requiredOption(
      '--year <yyyy>',
      'collection year, named by the year it ends: 2025 = 1 April 2024 to 31 March 2025',
      parseYear,
    )
    .requiredOption('--out <dir>', 'directory to write episodes.csv and header.csv into (created if missing)')
    .option('--db <file>', 'SQLite event store file', process.env['SQLITE_PATH'] ?? './data/events.db')
    .action(async (format: string, options: { year: number; out: string; db: string } & AccessLogOptions) => {
      process.exitCode = await exportReturnFiles(format, options);
    });
  withAccessLogOptions(command);
}

async function exportReturnFiles(
  format: string,
  options: { year: number; out: string; db: string } & AccessLogOptions,
): Promise<number> {
  if (format !== 'ssda903') {
    process.stderr.write(`export: unknown format "${format}" (known: ssda903)\n`);
    return EXPORT_FAILED;
  }
  if (!existsSync(options.db)) {
    process.stderr.write(`export: no event store at ${options.db} (the file does not exist)\n`);
    return EXPORT_FAILED;
  }
  const store = await openSqliteEventStore({ path: options.db, readonly: true });
  try {
    const exported = await exportSsda903(store, options.year);
    const notRecorded = recordCliRead(options.db, options, 'export ssda903', exported.childIds, new Date());
    if (notRecorded !== null) {
      process.stderr.write(`export: ${notRecorded}\n`);
      return EXPORT_FAILED;
    }
    mkdirSync(options.out, { recursive: true });
    const episodes = join(options.out, 'episodes.csv');
    const header = join(options.out, 'header.csv');
    writeFileSync(episodes, exported.episodesCsv);
    writeFileSync(header, exported.headerCsv);
    // Ids and rule breaches only: no child's name, date of birth or postcode reaches the terminal.
    for (const child of exported.excluded)
      process.stdout.write(`left out: child ${child.childId}: ${child.problems.join('; ')}\n`);
    for (const warning of exported.warnings) process.stdout.write(`warning: ${warning}\n`);
    // The DfE's validation rules on the files just written: one line per rule broken, naming the children.
    const checked = checkReturn(exported, exported.year);
    const byRule = new Map<string, string[]>();
    for (const failure of checked.failures)
      byRule.set(failure.rule, [
        ...(byRule.get(failure.rule) ?? []),
        `${failure.file}:${failure.line} ${failure.child}`,
      ]);
    for (const rule of checked.rules) {
      const rows = byRule.get(rule.code);
      if (rows !== undefined)
        process.stdout.write(`dfe rule ${rule.code} (${rule.message}): ${rows.length} rows: ${rows.join(', ')}\n`);
    }
    process.stdout.write(
      `${JSON.stringify({
        exported: 'ssda903',
        year: exported.year,
        label: exported.label,
        episodes: exported.episodes,
        children: exported.children,
        excludedChildren: exported.excluded.length,
        excluded: exported.excluded.map((c) => c.childId),
        dfeRulesRun: checked.rules.length,
        dfeRulesBroken: [...byRule.keys()],
        files: [episodes, header],
      })}\n`,
    );
    return EXPORT_WRITTEN;
  } finally {
    await store.close();
  }
}
