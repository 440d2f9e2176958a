import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AccessLog, type AccessInput } from './access-log';

const read = (childId: string, actorId = 'po-1', role = 'placement-officer'): AccessInput => ({
  actorId,
  role,
  route: 'GET /v1/children/:id',
  childId,
  outcome: 'read',
});
const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 9, minute));

describe('AccessLog: append-only, hash-chained, on its own SQLite file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'access-log-'));
    file = path.join(dir, 'access-log.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A raw connection as someone with the file would have: triggers dropped, rows changed behind the API's back. */
  function tamper(sql: string): void {
    const db = new Database(file);
    db.exec('DROP TRIGGER IF EXISTS access_log_no_update; DROP TRIGGER IF EXISTS access_log_no_delete;');
    db.exec(sql);
    db.close();
  }

  it('chains each entry to the one before, with seq from 1 and the clock’s instant', () => {
    const log = AccessLog.open({ path: file });
    const [first] = log.append([read('c-1')], at(0));
    const [second, third] = log.append([read('c-2'), read('c-1', 'au-1', 'auditor')], at(5));
    log.close();
    expect(first).toMatchObject({ seq: 1, at: '2026-11-27T09:00:00.000Z', prevHash: null, childId: 'c-1' });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect([second.seq, second.prevHash, third.seq, third.prevHash]).toEqual([2, first.hash, 3, second.hash]);
    const again = AccessLog.open({ path: file, readonly: true });
    expect(again.verify()).toEqual({ ok: true, entries: 3, head: { seq: 3, hash: third.hash } });
    again.close();
  });

  it('keeps nothing but who, role, when, route, child and outcome', () => {
    const log = AccessLog.open({ path: file });
    const [entry] = log.append([{ ...read('c-1'), name: 'Jane', dateOfBirth: '2012-01-01' } as AccessInput], at(0));
    log.close();
    expect(Object.keys(entry).sort()).toEqual(
      ['actorId', 'at', 'childId', 'hash', 'outcome', 'prevHash', 'role', 'route', 'seq'].sort(),
    );
    const db = new Database(file, { readonly: true });
    expect(Object.keys(db.prepare('SELECT * FROM access_log').get() as object).sort()).toEqual(
      ['actor_id', 'at', 'child_id', 'hash', 'outcome', 'prev_hash', 'role', 'route', 'seq'].sort(),
    );
    db.close();
  });

  it('refuses UPDATE and DELETE through SQL', () => {
    const log = AccessLog.open({ path: file });
    log.append([read('c-1')], at(0));
    log.close();
    const db = new Database(file);
    expect(() => db.exec("UPDATE access_log SET child_id = 'c-9'")).toThrow('the access log is append-only');
    expect(() => db.exec('DELETE FROM access_log')).toThrow('the access log is append-only');
    db.close();
  });

  it('names the first entry altered, reordered or removed behind its back', () => {
    const log = AccessLog.open({ path: file });
    const entries = log.append([read('c-1'), read('c-2'), read('c-3'), read('c-4')], at(0));
    log.close();
    const verify = (head?: { seq: number; hash: string }) => {
      const opened = AccessLog.open({ path: file, readonly: true });
      try {
        return opened.verify({ expectedHead: head });
      } finally {
        opened.close();
      }
    };
    const head = { seq: 4, hash: entries[3].hash };
    expect(verify(head)).toMatchObject({ ok: true, entries: 4 });

    tamper("UPDATE access_log SET actor_id = 'someone-else' WHERE seq = 2");
    expect(verify()).toEqual({
      ok: false,
      entries: 1,
      brokenLink: { seq: 2, reason: 'its contents do not match its hash' },
    });
    tamper("UPDATE access_log SET actor_id = 'po-1' WHERE seq = 2");
    expect(verify()).toMatchObject({ ok: true });

    // Entries 1 and 2 swapped, each with its own hash: entry 1 now points at a previous entry.
    const swap = (seq: number, e: (typeof entries)[number]) =>
      `UPDATE access_log SET child_id = '${e.childId}', prev_hash = ${e.prevHash === null ? 'NULL' : `'${e.prevHash}'`},
       hash = '${e.hash}' WHERE seq = ${seq};`;
    tamper(swap(1, entries[1]) + swap(2, entries[0]));
    expect(verify()).toEqual({
      ok: false,
      entries: 0,
      brokenLink: { seq: 1, reason: 'its previous-hash does not match the entry before it' },
    });
    tamper(swap(1, entries[0]) + swap(2, entries[1]));
    expect(verify(head)).toMatchObject({ ok: true, entries: 4 });

    tamper('DELETE FROM access_log WHERE seq = 3');
    expect(verify()).toEqual({ ok: false, entries: 2, brokenLink: { seq: 3, reason: 'entry 3 is missing' } });
  });

  it('notices a cut tail only against a head recorded earlier', () => {
    const log = AccessLog.open({ path: file });
    const entries = log.append([read('c-1'), read('c-2'), read('c-3')], at(0));
    log.close();
    tamper('DELETE FROM access_log WHERE seq = 3');
    const opened = AccessLog.open({ path: file, readonly: true });
    expect(opened.verify()).toMatchObject({ ok: true, entries: 2 });
    expect(opened.verify({ expectedHead: { seq: 3, hash: entries[2].hash } })).toEqual({
      ok: false,
      entries: 2,
      brokenLink: { seq: 3, reason: 'the recorded head is gone (the log was cut)' },
    });
    expect(opened.verify({ expectedHead: { seq: 2, hash: entries[2].hash } })).toMatchObject({
      ok: false,
      brokenLink: { seq: 2, reason: 'the recorded head has a different hash' },
    });
    opened.close();
  });

  it('keeps one chain when two processes append to the same file', () => {
    const a = AccessLog.open({ path: file });
    const b = AccessLog.open({ path: file });
    for (let i = 0; i < 20; i++) (i % 2 === 0 ? a : b).append([read(`c-${i}`), read(`c-${i}`, 'au-1')], at(i));
    a.close();
    b.close();
    const opened = AccessLog.open({ path: file, readonly: true });
    expect(opened.verify()).toMatchObject({ ok: true, entries: 40 });
    opened.close();
  });

  it('answers by child and by time window, oldest first, a page at a time', () => {
    const log = AccessLog.open({ path: file });
    for (let minute = 0; minute < 10; minute++) log.append([read(minute % 2 === 0 ? 'c-even' : 'c-odd')], at(minute));
    const page1 = log.query({ childId: 'c-even', limit: 2 });
    expect(page1.entries.map((e) => [e.seq, e.at.slice(11, 16)])).toEqual([
      [1, '09:00'],
      [3, '09:02'],
    ]);
    expect(page1.more).toBe(true);
    const page3 = log.query({ childId: 'c-even', limit: 2, afterSeq: 7 });
    expect([page3.entries.map((e) => e.seq), page3.more]).toEqual([[9], false]);
    const window = log.query({ from: at(3).toISOString(), to: at(6).toISOString(), limit: 100 });
    expect(window.entries.map((e) => e.seq)).toEqual([4, 5, 6]);
    log.close();
  });

  it('refuses to open a file that is not an access log for reading, and never creates one', () => {
    expect(() => AccessLog.open({ path: path.join(dir, 'missing.db'), readonly: true })).toThrow(
      /cannot use the access log/,
    );
    const other = new Database(path.join(dir, 'other.db'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    expect(() => AccessLog.open({ path: path.join(dir, 'other.db'), readonly: true })).toThrow(/not an access log/);
  });
});
