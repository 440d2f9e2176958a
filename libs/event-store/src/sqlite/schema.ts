import type Database from 'better-sqlite3';

/**
 * Ordered migrations: a file at version N gets N+1.. applied on open. Never edit a
 * released step; append a new one.
 */
export const migrations: ReadonlyArray<{ readonly version: number; readonly up: (db: Database.Database) => void }> = [
  {
    version: 1,
    up: (db) =>
      db.exec(`
        CREATE TABLE events (
          position         INTEGER PRIMARY KEY,
          stream_id        TEXT    NOT NULL,
          revision         INTEGER NOT NULL,
          event_id         TEXT    NOT NULL UNIQUE,
          type             TEXT    NOT NULL,
          schema_version   INTEGER NOT NULL,
          data             TEXT    NOT NULL,
          metadata         TEXT    NOT NULL,
          prev_hash        TEXT,
          hash             TEXT    NOT NULL,
          global_prev_hash TEXT,
          global_hash      TEXT    NOT NULL,
          -- The last line of defence against a lost race: a revision is taken once.
          UNIQUE (stream_id, revision)
        );
      `),
  },
];

export const currentSchemaVersion = migrations[migrations.length - 1].version;

/**
 * Creates or upgrades the schema inside one write transaction, so two processes opening at once
 * do not both migrate.
 */
export function migrate(db: Database.Database): number {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
    const from = row.version ?? 0;
    if (from > currentSchemaVersion) {
      throw new Error(`the database has schema version ${from}, newer than this software's ${currentSchemaVersion}`);
    }
    const record = db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)');
    for (const step of migrations) {
      if (step.version <= from) continue;
      step.up(db);
      // Wall-clock time is right here: it records when this file was upgraded, not a business fact.
      record.run(step.version, new Date().toISOString());
    }
    db.exec('COMMIT');
    return currentSchemaVersion;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** The schema version of an existing file, without changing it; null when it is not an event store. */
export function readSchemaVersion(db: Database.Database): number | null {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (table === undefined) return null;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
  return row.version;
}
