import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { AccessLog, type AccessVerifyResult, accessLogPathOf } from '@placement/api';
import { openSqliteEventStore, type VerifyResult } from '@placement/event-store';
import { accessSummary, summary } from './verify';

/** Exit codes: 0 backed up and intact, 1 the copy did not verify, 2 nothing could be backed up. */
export const BACKUP_OK = 0;
export const BACKUP_BROKEN = 1;
export const BACKUP_FAILED = 2;

export function register(program: Command): void {
  program
    .command('backup')
    .description(
      "Copy the event store with SQLite's online backup (safe while the API runs and writes), then verify the copy.",
    )
    .argument('<file>', 'the backup file to write (refused if it exists)')
    .option('--db <file>', 'the sqlite event store file', process.env['SQLITE_PATH'] ?? './data/events.db')
    .option(
      '--access-log <file>',
      'the access log, copied to <file>.access-log.db and verified (default ACCESS_LOG_PATH, else beside --db; ' +
        'skipped with a line saying so when there is none at the default place)',
    )
    .action(async (file: string, options: { db: string; accessLog?: string }) => {
      process.exitCode = await backup(options.db, file, options.accessLog);
    });
}

/** Where the access log's backup is written: beside the event log's, `events.db` → `events.access-log.db`. */
export function accessLogBackupPath(target: string): string {
  return target.endsWith('.db') ? `${target.slice(0, -3)}.access-log.db` : `${target}.access-log.db`;
}

/**
 * Backs up the event log and, beside it, the access log (who read which child's record): an
 * auditor's year-old question needs both. Each copy is verified; the worse outcome is the exit code.
 */
export async function backup(source: string, target: string, accessLog?: string): Promise<number> {
  const accessSource =
    accessLog ?? accessLogPathOf({ ACCESS_LOG_PATH: process.env['ACCESS_LOG_PATH'] || undefined, SQLITE_PATH: source });
  const accessTarget = accessLogBackupPath(target);
  if (accessLog !== undefined && !existsSync(accessLog)) {
    process.stderr.write(`backup: no access log at ${accessLog} (the file does not exist)\n`);
    return BACKUP_FAILED;
  }
  const withAccessLog = existsSync(accessSource);
  if (withAccessLog && existsSync(accessTarget)) {
    process.stderr.write(`backup: ${accessTarget} exists; choose a new file (a backup never overwrites)\n`);
    return BACKUP_FAILED;
  }
  const events = await backupEventLog(source, target);
  if (events === BACKUP_FAILED) return events;
  if (!withAccessLog) {
    process.stdout.write(`backup: no access log at ${accessSource} (no child's record read yet): none copied\n`);
    return events;
  }
  return Math.max(events, await backupAccessLog(accessSource, accessTarget));
}

async function backupEventLog(source: string, target: string): Promise<number> {
  if (!existsSync(source)) {
    process.stderr.write(`backup: no event store at ${source} (the file does not exist)\n`);
    return BACKUP_FAILED;
  }
  if (existsSync(target)) {
    process.stderr.write(`backup: ${target} exists; choose a new file (a backup never overwrites)\n`);
    return BACKUP_FAILED;
  }
  const copied = await copyDatabase(source, target);
  if (copied !== null) {
    process.stderr.write(`backup: ${copied}\n`);
    return BACKUP_FAILED;
  }
  let result: VerifyResult;
  try {
    const store = await openSqliteEventStore({ path: target, readonly: true });
    try {
      result = await store.verify();
    } finally {
      await store.close();
    }
  } catch (error) {
    process.stderr.write(
      `backup: the copy at ${target} cannot be read: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return BACKUP_BROKEN;
  }
  process.stdout.write(`backup ${target}: ${summary(result)}\n`);
  return result.ok ? BACKUP_OK : BACKUP_BROKEN;
}

async function backupAccessLog(source: string, target: string): Promise<number> {
  const copied = await copyDatabase(source, target);
  if (copied !== null) {
    process.stderr.write(`backup: the access log: ${copied}\n`);
    return BACKUP_FAILED;
  }
  let result: AccessVerifyResult;
  try {
    const log = AccessLog.open({ path: target, readonly: true });
    try {
      result = log.verify();
    } finally {
      log.close();
    }
  } catch (error) {
    process.stderr.write(
      `backup: the copy at ${target} cannot be read: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return BACKUP_BROKEN;
  }
  process.stdout.write(`backup ${target}: ${accessSummary(result)}\n`);
  return result.ok ? BACKUP_OK : BACKUP_BROKEN;
}

/**
 * SQLite's online backup of one file (safe while the API writes), written beside the target and
 * renamed when whole, so a half-written backup never looks like one. Null when copied, else why not.
 */
async function copyDatabase(source: string, target: string): Promise<string | null> {
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  try {
    const db = new Database(source, { readonly: true, fileMustExist: true });
    try {
      // All remaining pages in one step: a write by the API between small steps would restart the copy.
      await db.backup(partial, { progress: () => 0x7fffffff });
    } finally {
      db.close();
    }
    // A backup is one self-contained file: no WAL beside it to lose when it is moved.
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    renameSync(partial, target);
    return null;
  } catch (error) {
    rmSync(partial, { force: true });
    return error instanceof Error ? error.message : String(error);
  }
}
