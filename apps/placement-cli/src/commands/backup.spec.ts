import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AccessLog } from '@placement/api';
import { openSqliteEventStore } from '@placement/event-store';
import { BACKUP_BROKEN, BACKUP_FAILED, BACKUP_OK, accessLogBackupPath, backup } from './backup';

/** Runs the backup with stdout and stderr captured. */
async function run(
  source: string,
  target: string,
  accessLog?: string,
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  try {
    const code = await backup(source, target, accessLog);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

function entriesOf(path: string): { childId: string; route: string }[] {
  const log = AccessLog.open({ path, readonly: true });
  try {
    return log.query({ limit: 100 }).entries.map((e) => ({ childId: e.childId, route: e.route }));
  } finally {
    log.close();
  }
}

describe('backup: the event log and, beside it, the access log', () => {
  let dir: string;
  let events: string;
  let accessLog: string;

  beforeEach(async () => {
    delete process.env['ACCESS_LOG_PATH'];
    dir = mkdtempSync(join(tmpdir(), 'placement-backup-'));
    events = join(dir, 'events.db');
    accessLog = join(dir, 'access-log.db');
    const store = await openSqliteEventStore({ path: events });
    const meta = {
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { id: 'admin-1', role: 'admin' },
    };
    await store.append('child-amy', [
      { id: randomUUID(), type: 'ChildRegistered', data: { childId: 'amy' }, metadata: meta },
    ]);
    await store.close();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function recordReads(path: string, childIds: string[]): void {
    const log = AccessLog.open({ path });
    try {
      log.append(
        childIds.map((childId) => ({
          actorId: 'auditor-1',
          role: 'auditor',
          route: 'GET /v1/children/:id',
          childId,
          outcome: 'read',
        })),
        new Date('2026-11-30T10:00:00Z'),
      );
    } finally {
      log.close();
    }
  }

  it('copies the access log found beside the event log, verifies it and says its head', async () => {
    recordReads(accessLog, ['amy', 'ben']);
    const target = join(dir, 'backup.db');
    const result = await run(events, target);
    expect(result.err).toBe('');
    expect(result.code).toBe(BACKUP_OK);
    expect(result.out).toMatch(/^backup .*backup\.db: intact: 1 event verified/);
    expect(result.out).toContain(`backup ${join(dir, 'backup.access-log.db')}: access log intact: 2 entries verified`);
    expect(entriesOf(accessLogBackupPath(target))).toEqual(entriesOf(accessLog));
    expect(existsSync(`${accessLogBackupPath(target)}-wal`)).toBe(false);
  });

  it('says when there is no access log at its default place, and backs up the event log alone', async () => {
    const target = join(dir, 'backup.db');
    const result = await run(events, target);
    expect(result.code).toBe(BACKUP_OK);
    expect(result.out).toContain(`no access log at ${accessLog}`);
    expect(existsSync(target)).toBe(true);
    expect(existsSync(accessLogBackupPath(target))).toBe(false);
  });

  it('refuses an access log named but missing, and one whose backup exists, writing nothing', async () => {
    const target = join(dir, 'backup.db');
    expect((await run(events, target, join(dir, 'nowhere.db'))).code).toBe(BACKUP_FAILED);
    recordReads(accessLog, ['amy']);
    recordReads(accessLogBackupPath(target), ['someone-else']);
    const refused = await run(events, target);
    expect(refused.code).toBe(BACKUP_FAILED);
    expect(refused.err).toContain('exists');
    expect(existsSync(target)).toBe(false);
  });

  it('fails when the access log it copies was altered behind its back', async () => {
    recordReads(accessLog, ['amy', 'ben']);
    // Triggers refuse UPDATE through the API's connection; a file edited by other means is what verify is for.
    const raw = new Database(accessLog);
    raw.exec('DROP TRIGGER access_log_no_update');
    raw.exec("UPDATE access_log SET child_id = 'carl' WHERE seq = 1");
    raw.close();
    const result = await run(events, join(dir, 'backup.db'));
    expect(result.code).toBe(BACKUP_BROKEN);
    expect(result.out).toContain('access log BROKEN at entry 1');
  });
});
