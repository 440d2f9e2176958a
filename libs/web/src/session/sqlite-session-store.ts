import Database from 'better-sqlite3';
import { Store, type SessionData } from 'express-session';

type Callback<T = void> = (error?: unknown, value?: T) => void;

/**
 * express-session's store on a local SQLite file (WAL), so a session survives a restart of the
 * process and is shared by two processes on one machine; the default MemoryStore loses every
 * session on restart and leaks memory. Hand-written (a few statements) because the packaged
 * SQLite stores either need the `sqlite3` native module beside our better-sqlite3 or start a
 * timer that can never be stopped (the process could not shut down cleanly).
 *
 * Expiry is the cookie's: a session past `expires` is never returned, and expired rows are swept
 * on write at most once a minute.
 */
export class SqliteSessionStore extends Store {
  private readonly db: Database.Database;
  private lastSweep = 0;

  constructor(
    file: string,
    private readonly defaultMaxAgeMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    super();
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, sess TEXT NOT NULL, expires INTEGER NOT NULL)',
    );
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.run(callback, () => {
      const row = this.db
        .prepare<[string, number], { sess: string }>('SELECT sess FROM sessions WHERE sid = ? AND expires > ?')
        .get(sid, this.nowMs());
      return row ? (JSON.parse(row.sess) as SessionData) : null;
    });
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.run(callback, () => {
      this.db
        .prepare('INSERT OR REPLACE INTO sessions (sid, sess, expires) VALUES (?, ?, ?)')
        .run(sid, JSON.stringify(session), this.expiryOf(session));
      this.sweep();
    });
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    this.run(callback, () => {
      this.db.prepare('UPDATE sessions SET expires = ? WHERE sid = ?').run(this.expiryOf(session), sid);
    });
  }

  override destroy(sid: string, callback?: Callback): void {
    this.run(callback, () => {
      this.db.prepare('DELETE FROM sessions WHERE sid = ?').run(sid);
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private expiryOf(session: SessionData): number {
    const expires = session.cookie?.expires;
    return expires ? new Date(expires).getTime() : this.nowMs() + this.defaultMaxAgeMs;
  }

  private sweep(): void {
    const now = this.nowMs();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    this.db.prepare('DELETE FROM sessions WHERE expires <= ?').run(now);
  }

  private run<T>(callback: Callback<T> | undefined, work: () => T): void {
    let value: T;
    try {
      value = work();
    } catch (error) {
      callback?.(error);
      return;
    }
    callback?.(undefined, value);
  }
}
