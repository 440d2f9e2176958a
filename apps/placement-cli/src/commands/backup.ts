import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { openSqliteEventStore, type VerifyResult } from '@placement/event-store';
import { summary } from './verify';

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
    .action(async (file: string, options: { db: string }) => {
      process.exitCode = await backup(options.db, file);
    });
}

export async function backup(source: string, target: string): Promise<number> {
  if (!existsSync(source)) {
    process.stderr.write(`backup: no event store at ${source} (the file does not exist)\n`);
    return BACKUP_FAILED;
  }
  if (existsSync(target)) {
    process.stderr.write(`backup: ${target} exists; choose a new file (a backup never overwrites)\n`);
    return BACKUP_FAILED;
  }
  // Written beside the target and renamed when whole, so a half-written backup never looks like one.
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
  } catch (error) {
    rmSync(partial, { force: true });
    process.stderr.write(`backup: ${error instanceof Error ? error.message : String(error)}\n`);
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
