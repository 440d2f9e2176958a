import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '@placement/event-store';
import { runCli } from './testing/run-cli';

const cli = (...args: string[]) => runCli(args);

async function writeLog(path: string): Promise<void> {
  const store = await openSqliteEventStore({ path });
  const metadata = () => ({
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { id: 'manager-1', role: 'residential-manager' },
  });
  for (let i = 0; i < 5; i += 1) {
    await store.append(`bed-setting-1.${i % 2}`, [
      { id: randomUUID(), type: 'BedAdded', data: { kind: 'residential', i }, metadata: metadata() },
    ]);
  }
  await store.close();
}

// Each case spawns node one to five times; cold starts are slow on a shared machine.
jest.setTimeout(120_000);

describe('placement-cli verify', () => {
  let dir: string;
  let db: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'placement-cli-'));
    db = join(dir, 'events.db');
    await writeLog(db);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on an intact log and prints the count and head to record', () => {
    const result = cli('verify', '--db', db);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toMatch(/^intact: 5 events verified; head 4:[0-9a-f]{64}/);
  });

  it('accepts the head it printed, and exits 1 when that head was cut off', () => {
    const head = /head (\d+:[0-9a-f]{64})/.exec(cli('verify', '--db', db).stdout)?.[1];
    if (head === undefined) throw new Error('no head printed');
    expect(cli('verify', '--db', db, '--head', head).status).toBe(0);
    const raw = new Database(db);
    raw.exec('DELETE FROM events WHERE position = 4');
    raw.close();
    expect(cli('verify', '--db', db).status).toBe(0);
    const cut = cli('verify', '--db', db, '--head', head);
    expect(cut.status).toBe(1);
    expect(cut.stdout).toMatch(/BROKEN at position 4.*gone/);
  });

  it('exits 1 naming the position when a row was altered', () => {
    const raw = new Database(db);
    raw.exec(`UPDATE events SET data = '{"kind":"emergency","i":2}' WHERE position = 2`);
    raw.close();
    const result = cli('verify', '--db', db);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^BROKEN at position 2 \(stream bed-setting-1\.0, revision 1\)/);
  });

  it('exits 1 when a row was deleted or two were swapped', () => {
    const raw = new Database(db);
    raw.exec('DELETE FROM events WHERE position = 1');
    raw.close();
    expect(cli('verify', '--db', db)).toMatchObject({
      status: 1,
      stdout: expect.stringMatching(/position 1 is missing/),
    });

    const swapped = join(dir, 'swapped.db');
    return writeLog(swapped).then(() => {
      const other = new Database(swapped);
      other.exec(
        'UPDATE events SET position = -1 WHERE position = 0; UPDATE events SET position = 0 WHERE position = 3; ' +
          'UPDATE events SET position = 3 WHERE position = -1;',
      );
      other.close();
      expect(cli('verify', '--db', swapped)).toMatchObject({
        status: 1,
        stdout: expect.stringMatching(/^BROKEN at position 0/),
      });
    });
  });

  it('exits 2 on a missing file, without creating it or printing a stack trace', () => {
    const missing = join(dir, 'nothing-here.db');
    const result = cli('verify', '--db', missing);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^verify: no event store at .*nothing-here\.db \(the file does not exist\)\n$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    expect(existsSync(missing)).toBe(false);
  });

  it('exits 2 on a file that is not an event store', () => {
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'this is not a database '.repeat(200));
    const result = cli('verify', '--db', garbage);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^verify: cannot (open|use)/);
  });

  it('exits 2 on a malformed --head or a missing --db', () => {
    expect(cli('verify', '--db', db, '--head', 'nonsense').status).toBe(2);
    expect(cli('verify').status).toBe(2);
  });
});
