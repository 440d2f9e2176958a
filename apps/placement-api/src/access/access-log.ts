import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson, sha256Hex } from '@placement/event-store';

/**
 * The access log: who read which child's record, when, through which route. It is kept apart
 * from the event log (its own SQLite file, ACCESS_LOG_PATH): the record of decisions is not
 * mixed with the record of who looked, and reading never writes to the event log.
 *
 * Append-only and tamper-evident: every entry carries the SHA-256 of its canonical JSON with
 * the previous entry's hash, so an entry altered, removed or reordered breaks the chain at that
 * point (`verify`), and a head recorded elsewhere proves the tail was not cut. Triggers refuse
 * UPDATE and DELETE, so no code path of ours can rewrite it. An entry holds the child's id and
 * nothing else of the child's.
 */

/** How the record was read: `read` disclosed it; `refused` was a need-to-know refusal (nothing disclosed). */
export type AccessOutcome = 'read' | 'refused';

export interface AccessInput {
  readonly actorId: string;
  /** The API role, or `operator` for the operator CLI. */
  readonly role: string;
  /** The route pattern (`GET /v1/children/:id`) or the CLI command (`cli export-child`). */
  readonly route: string;
  readonly childId: string;
  readonly outcome: AccessOutcome;
}

export interface AccessEntry extends AccessInput {
  /** 1, 2, 3, … in the order entries were written. */
  readonly seq: number;
  /** ISO-8601 instant, from the injected clock. */
  readonly at: string;
  readonly prevHash: string | null;
  readonly hash: string;
}

export interface AccessQuery {
  readonly childId?: string;
  /** Inclusive ISO instant. */
  readonly from?: string;
  /** Exclusive ISO instant. */
  readonly to?: string;
  /** Entries after this seq (the paging cursor). */
  readonly afterSeq?: number;
  readonly limit: number;
}

export type AccessVerifyResult =
  | { readonly ok: true; readonly entries: number; readonly head: { seq: number; hash: string } | null }
  | {
      readonly ok: false;
      readonly entries: number;
      readonly brokenLink: { readonly seq: number; readonly reason: string };
    };

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS access_log (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor_id TEXT NOT NULL, role TEXT NOT NULL, route TEXT NOT NULL,
  child_id TEXT NOT NULL, outcome TEXT NOT NULL, prev_hash TEXT, hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS access_log_child ON access_log (child_id, seq);
CREATE INDEX IF NOT EXISTS access_log_at ON access_log (at, seq);
CREATE TRIGGER IF NOT EXISTS access_log_no_update BEFORE UPDATE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS access_log_no_delete BEFORE DELETE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
`;

interface Row {
  seq: number;
  at: string;
  actor_id: string;
  role: string;
  route: string;
  child_id: string;
  outcome: AccessOutcome;
  prev_hash: string | null;
  hash: string;
}

/** The hash of an entry: its fields and the previous hash, as canonical JSON. */
export function accessEntryHash(entry: Omit<AccessEntry, 'hash'>): string {
  return sha256Hex(
    canonicalJson({
      actorId: entry.actorId,
      at: entry.at,
      childId: entry.childId,
      outcome: entry.outcome,
      prevHash: entry.prevHash,
      role: entry.role,
      route: entry.route,
      seq: entry.seq,
    }),
  );
}

const entryOf = (r: Row): AccessEntry => ({
  seq: r.seq,
  at: r.at,
  actorId: r.actor_id,
  role: r.role,
  route: r.route,
  childId: r.child_id,
  outcome: r.outcome,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export interface AccessLogOptions {
  readonly path: string;
  /** Open an existing log for reading only (verify); never creates or changes the file. */
  readonly readonly?: boolean;
  readonly busyTimeoutMs?: number;
}

export class AccessLog {
  private constructor(private readonly db: Database.Database) {}

  static open(options: AccessLogOptions): AccessLog {
    if (!options.readonly) mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
    const readonly = options.readonly ?? false;
    let db: Database.Database;
    try {
      db = new Database(options.path, { readonly, fileMustExist: readonly });
    } catch (error) {
      throw new Error(`cannot use the access log ${options.path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
      const version = db.pragma('user_version', { simple: true }) as number;
      if (readonly) {
        if (version !== SCHEMA_VERSION) throw new Error(`it is not an access log (schema version ${version})`);
      } else {
        // Several processes (API replicas, the CLI) may append: WAL, and every commit on disk before it returns.
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        if (version !== SCHEMA_VERSION && version !== 0)
          throw new Error(`its schema version is ${version}, this software writes ${SCHEMA_VERSION}`);
        db.exec(SCHEMA);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }
    } catch (error) {
      db.close();
      throw new Error(`cannot use the access log ${options.path}: ${(error as Error).message}`, { cause: error });
    }
    return new AccessLog(db);
  }

  /**
   * Appends the entries in one transaction, chained to the last entry on file (BEGIN IMMEDIATE:
   * another process appending at the same time waits, so the chain never forks). Returns them
   * once they are on disk.
   */
  append(inputs: readonly AccessInput[], at: Date): AccessEntry[] {
    if (inputs.length === 0) return [];
    const instant = at.toISOString();
    const insert = this.db.prepare(
      `INSERT INTO access_log (seq, at, actor_id, role, route, child_id, outcome, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const write = this.db.transaction((): AccessEntry[] => {
      const last = this.db.prepare('SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string } | undefined;
      let seq = last?.seq ?? 0;
      let prevHash = last?.hash ?? null;
      const written: AccessEntry[] = [];
      for (const input of inputs) {
        seq += 1;
        const unhashed = { ...pick(input), seq, at: instant, prevHash };
        const hash = accessEntryHash(unhashed);
        const entry = { ...unhashed, hash };
        insert.run(seq, instant, entry.actorId, entry.role, entry.route, entry.childId, entry.outcome, prevHash, hash);
        written.push(entry);
        prevHash = hash;
      }
      return written;
    });
    return write.immediate();
  }

  /** Entries in the order written, filtered; one more than `limit` is read to know whether a next page exists. */
  query(q: AccessQuery): { entries: AccessEntry[]; more: boolean } {
    const where: string[] = ['seq > ?'];
    const params: (string | number)[] = [q.afterSeq ?? 0];
    if (q.childId !== undefined) {
      where.push('child_id = ?');
      params.push(q.childId);
    }
    if (q.from !== undefined) {
      where.push('at >= ?');
      params.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('at < ?');
      params.push(q.to);
    }
    const rows = this.db
      .prepare(`SELECT * FROM access_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`)
      .all(...params, q.limit + 1) as Row[];
    return { entries: rows.slice(0, q.limit).map(entryOf), more: rows.length > q.limit };
  }

  /**
   * Walks the chain from the first entry: each hash recomputed, each link to the previous hash,
   * seq without a gap. With `expectedHead` (printed by an earlier verify) it also fails if that
   * entry is gone or changed, which is how a cut tail is noticed.
   */
  verify(options: { expectedHead?: { seq: number; hash: string } } = {}): AccessVerifyResult {
    let entries = 0;
    let previous: AccessEntry | null = null;
    const broken = (seq: number, reason: string): AccessVerifyResult => ({
      ok: false,
      entries,
      brokenLink: { seq, reason },
    });
    for (const row of this.db.prepare('SELECT * FROM access_log ORDER BY seq').iterate() as Iterable<Row>) {
      const entry = entryOf(row);
      const expectedSeq = (previous?.seq ?? 0) + 1;
      if (entry.seq !== expectedSeq) return broken(expectedSeq, `entry ${expectedSeq} is missing`);
      const expectedPrev = previous?.hash ?? null;
      if (entry.prevHash !== expectedPrev)
        return broken(entry.seq, 'its previous-hash does not match the entry before it');
      if (accessEntryHash(entry) !== entry.hash) return broken(entry.seq, 'its contents do not match its hash');
      entries += 1;
      previous = entry;
    }
    const expected = options.expectedHead;
    if (expected !== undefined) {
      const row = this.db.prepare('SELECT hash FROM access_log WHERE seq = ?').get(expected.seq) as
        { hash: string } | undefined;
      if (row === undefined) return broken(expected.seq, 'the recorded head is gone (the log was cut)');
      if (row.hash !== expected.hash) return broken(expected.seq, 'the recorded head has a different hash');
    }
    return { ok: true, entries, head: previous === null ? null : { seq: previous.seq, hash: previous.hash } };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Only the fields an entry keeps, whatever else the caller's object carries. */
function pick(input: AccessInput): AccessInput {
  return {
    actorId: input.actorId,
    role: input.role,
    route: input.route,
    childId: input.childId,
    outcome: input.outcome,
  };
}
