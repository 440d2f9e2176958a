import Database from 'better-sqlite3';

export type SqlValue = string | number | bigint | null;

/**
 * The read models' own SQLite file, separate from the event log: WAL so the API reads
 * while the runner writes, FULL sync so a committed checkpoint is on disk with its rows.
 * Statements are prepared once per SQL text and reused (catch-up runs them millions of times).
 */
export class ReadModelDb {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly exactStatements = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  run(sql: string, ...params: SqlValue[]): number {
    return this.statement(sql).run(...params).changes;
  }

  get<T>(sql: string, ...params: SqlValue[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: SqlValue[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  /** Like `get`, with every INTEGER read as a bigint (positions are 64-bit). */
  getExact<T>(sql: string, ...params: SqlValue[]): T | undefined {
    return this.exactStatement(sql).get(...params) as T | undefined;
  }

  /** Like `all`, with every INTEGER read as a bigint. */
  allExact<T>(sql: string, ...params: SqlValue[]): T[] {
    return this.exactStatement(sql).all(...params) as T[];
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  /** Runs `body` in one write transaction (BEGIN IMMEDIATE), rolled back if it throws. */
  transaction<T>(body: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = body();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Runs `body` in one read transaction, so every statement in it sees the same committed state. */
  snapshot<T>(body: () => T): T {
    if (this.db.inTransaction) return body();
    this.db.exec('BEGIN');
    try {
      return body();
    } finally {
      if (this.db.inTransaction) this.db.exec('COMMIT');
    }
  }

  /** The names of a table's columns (empty when there is no such table). */
  columnsOf(table: string): Set<string> {
    const rows = this.all<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, table);
    return new Set(rows.map((r) => r.name));
  }

  /** Forgets cached statements (after DROP TABLE they would point at dropped tables). */
  clearStatements(): void {
    this.statements.clear();
    this.exactStatements.clear();
  }

  close(): void {
    this.clearStatements();
    if (this.db.open) this.db.close();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private exactStatement(sql: string): Database.Statement {
    let statement = this.exactStatements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql).safeIntegers(true);
      this.exactStatements.set(sql, statement);
    }
    return statement;
  }
}

export interface ReadModelDbOptions {
  readonly path: string;
  readonly busyTimeoutMs?: number;
  /** Open an existing file to read only (an operator's replay): nothing is created or changed. */
  readonly readonly?: boolean;
}

export function openReadModelDb(options: ReadModelDbOptions): ReadModelDb {
  const db = new Database(options.path, options.readonly ? { readonly: true, fileMustExist: true } : {});
  try {
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    if (options.readonly) return new ReadModelDb(db);
    db.pragma('journal_mode = WAL');
    // A checkpoint committed means its read model rows are on disk too.
    db.pragma('synchronous = FULL');
  } catch (error) {
    db.close();
    throw error;
  }
  return new ReadModelDb(db);
}
