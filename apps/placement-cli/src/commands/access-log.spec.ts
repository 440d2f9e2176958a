import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '@placement/event-store';
import { aChildRegistered, writtenBy } from '@placement/test-support';
import { runCli } from '../testing/run-cli';

/**
 * The operator CLI's reads of a child's record (export-child, replay) go into the same
 * access log as the API's, before anything is output; `verify --access-log` checks its chain.
 * Run as the real CLI in its own process, on files in a temp folder.
 */
const cli = (...args: string[]) => runCli(args, { ...process.env, ACCESS_LOG_PATH: '' });

interface Row {
  seq: number;
  actor_id: string;
  role: string;
  route: string;
  child_id: string;
  outcome: string;
}

jest.setTimeout(120_000);

describe('placement-cli and the access log', () => {
  let dir: string;
  let db: string;
  let accessLog: string;
  const rows = (file = accessLog): Omit<Row, 'seq'>[] => {
    if (!existsSync(file)) return [];
    const conn = new Database(file, { readonly: true });
    try {
      return (conn.prepare('SELECT * FROM access_log ORDER BY seq').all() as Row[]).map(
        ({ actor_id, role, route, child_id, outcome }) => ({ actor_id, role, route, child_id, outcome }),
      );
    } finally {
      conn.close();
    }
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'placement-cli-access-'));
    db = join(dir, 'events.db');
    accessLog = join(dir, 'access-log.db');
    const store = await openSqliteEventStore({ path: db });
    await store.append(
      'child-amy',
      writtenBy({ id: 'po-1', role: 'placement-officer' }, [aChildRegistered({ childId: 'amy' })]),
    );
    await store.close();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records export-child in the access log beside --db, as the operator, before writing the file', () => {
    const out = join(dir, 'amy.json');
    const result = cli('export-child', 'amy', '--db', db, '--out', out, '--operator', 'ops-7');
    expect(result.status).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(rows()).toEqual([
      { actor_id: 'ops-7', role: 'operator', route: 'cli export-child', child_id: 'amy', outcome: 'read' },
    ]);
    // Without --operator, the OS user; a child not in the record is not a read.
    expect(cli('export-child', 'amy', '--db', db).status).toBe(0);
    expect(cli('export-child', 'nobody', '--db', db).status).toBe(1);
    expect(rows().map((r) => r.actor_id)).toEqual(['ops-7', userInfo().username]);
  });

  it('records replay --child as a read of the child’s record', () => {
    const result = cli('replay', '--child', 'amy', '--db', db, '--operator', 'ops-7');
    expect(result.status).toBe(0);
    expect(rows()).toEqual([
      { actor_id: 'ops-7', role: 'operator', route: 'cli replay', child_id: 'amy', outcome: 'read' },
    ]);
  });

  it('outputs nothing when the read cannot be recorded', () => {
    // The access log would have to live inside a file: it cannot be opened.
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const out = join(dir, 'amy.json');
    const result = cli('export-child', 'amy', '--db', db, '--out', out, '--access-log', join(blocker, 'log.db'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^export-child: this read could not be recorded in the access log/);
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    const printed = cli('replay', '--child', 'amy', '--db', db, '--access-log', join(blocker, 'log.db'));
    expect([printed.status, printed.stdout]).toEqual([2, '']);
  });

  it('verifies the access log with verify --access-log, naming the first altered entry and a cut tail', () => {
    for (let i = 0; i < 3; i++) expect(cli('export-child', 'amy', '--db', db, '--operator', 'ops-7').status).toBe(0);
    const intact = cli('verify', '--db', db, '--access-log', accessLog);
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(/^intact: 1 event verified; head 0:[0-9a-f]{64}/);
    const head = /access log intact: 3 entries verified; head (3:[0-9a-f]{64})/.exec(intact.stdout)?.[1] as string;
    expect(head).toBeDefined();
    expect(cli('verify', '--access-log', accessLog, '--access-head', head).status).toBe(0);

    const conn = new Database(accessLog);
    conn.exec('DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete;');
    conn.exec("UPDATE access_log SET actor_id = 'someone-else' WHERE seq = 2");
    const altered = cli('verify', '--access-log', accessLog);
    expect(altered.status).toBe(1);
    expect(altered.stdout).toBe(
      'access log BROKEN at entry 2: its contents do not match its hash; 1 entry verified before it\n',
    );
    conn.exec("UPDATE access_log SET actor_id = 'ops-7' WHERE seq = 2");
    conn.exec('DELETE FROM access_log WHERE seq = 3');
    conn.close();
    expect(cli('verify', '--access-log', accessLog).status).toBe(0);
    const cut = cli('verify', '--access-log', accessLog, '--access-head', head);
    expect(cut.status).toBe(1);
    expect(cut.stdout).toContain('access log BROKEN at entry 3: the recorded head is gone (the log was cut)');

    expect(cli('verify', '--access-log', join(dir, 'missing.db')).status).toBe(2);
    expect(cli('verify', '--access-log', accessLog, '--access-head', 'nonsense').status).toBe(2);
  });
});
