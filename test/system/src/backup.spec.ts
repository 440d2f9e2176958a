import http from 'node:http';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Prng, seedFrom } from '@placement/test-support';
import { ApiFiles, ApiProcess, cleanUp, cli, cliAsync, killHard, startApi, tempFiles } from './support/api-process';
import { CommandDriver } from './support/driver';
import { buildEstate } from './support/estate';
import { request, TOKENS } from './support/http';
import { acknowledgedExactlyOnce, readLog, unitsAgree } from './support/log-checks';

/*
 * Backups (issue 9, item 5): `placement-cli backup <file> --db <events.db>` uses SQLite's online
 * backup while the API runs and writes. The copy verifies, holds every event acknowledged
 * before the backup started (exactly once), is a prefix of the live log, and restores: the
 * API starts on it and serves it.
 */
const SEED = seedFrom('BACKUP_SEED');

describe(`online backup while the API writes (BACKUP_SEED=${SEED})`, () => {
  let files: ApiFiles;
  let api: ApiProcess | undefined;
  let restored: ApiProcess | undefined;

  beforeAll(() => {
    files = tempFiles('backup');
  });
  afterAll(async () => {
    await cleanUp(files, [api, restored]);
  });

  it('copies a consistent, verifiable log under load that holds every acknowledged event and restores', async () => {
    api = await startApi(files);
    const live = api;
    const estate = await buildEstate(live.baseUrl, { settings: 3, bedsPerSetting: 4, households: 6, householdMax: 2 });
    const driver = new CommandDriver(new Prng(SEED), estate, `b${SEED}`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    let stopped = false;
    const driving = driver.drive(live.baseUrl, 1, 8, () => stopped, agent);
    // Wait for the load to have written what the backup must hold, a placement among it: not for a time.
    await driver.until(() => driver.acknowledged.length > 5 && driver.acknowledged.some((a) => a.label === 'place'));

    // Everything acknowledged up to here must be in the backup; the driver keeps writing during it.
    const acknowledgedBefore = [...driver.acknowledged];
    const sentBefore = driver.tally.sent;
    const backupFile = path.join(files.dir, 'backups', 'events-backup.db');
    mkdirSync(path.dirname(backupFile));
    const result = await cliAsync('backup', backupFile, '--db', files.sqlitePath);
    const sentDuring = driver.tally.sent - sentBefore;
    stopped = true;
    await driving;
    agent.destroy();

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/^backup .*events-backup\.db: intact: \d+ events verified; head \d+:[0-9a-f]{64}/);
    expect(existsSync(`${backupFile}.partial`)).toBe(false);
    expect(existsSync(`${backupFile}-wal`)).toBe(false);
    expect(sentDuring).toBeGreaterThan(0);

    const copy = await readLog(backupFile);
    const original = await readLog(files.sqlitePath);
    process.stdout.write(
      `backup.spec (BACKUP_SEED=${SEED}): ${acknowledgedBefore.length} commands acknowledged before the backup, ` +
        `${sentDuring} sent during it; ` +
        `backup ${copy.events.length} events, live log ${original.events.length} events at the end\n`,
    );
    expect(copy.verify).toEqual(expect.objectContaining({ ok: true }));
    expect(acknowledgedBefore.length).toBeGreaterThan(5);
    expect(acknowledgedExactlyOnce(copy.events, acknowledgedBefore)).toEqual([]);
    // A consistent snapshot: exactly the live log's first N events, hash for hash.
    expect(copy.events.map((e) => `${e.position}:${e.hash}`)).toEqual(
      original.events.slice(0, copy.events.length).map((e) => `${e.position}:${e.hash}`),
    );
    expect(cli('verify', '--db', backupFile).status).toBe(0);

    // Refuses to overwrite an existing backup.
    const again = cli('backup', backupFile, '--db', files.sqlitePath);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists/);

    // Restore: the API starts on the copy (its start-up reconciler finishing any command the
    // snapshot caught half-way) and serves what was acknowledged.
    await killHard(live);
    const restoreDir = path.join(files.dir, 'restored');
    mkdirSync(restoreDir);
    const restoredFiles: ApiFiles = {
      dir: restoreDir,
      sqlitePath: path.join(restoreDir, 'events.db'),
      readModelPath: path.join(restoreDir, 'read-models.db'),
      logPath: path.join(restoreDir, 'api.log'),
    };
    copyFileSync(backupFile, restoredFiles.sqlitePath);
    restored = await startApi(restoredFiles);
    // A placement acknowledged before the backup is served by the API restored from it.
    const placed = acknowledgedBefore.find((a) => a.label === 'place');
    if (!placed) throw new Error('no placement was acknowledged before the backup: nothing to check the restore by');
    const placementId = (placed.command.body as { placementId: string }).placementId;
    const res = await request(restored.baseUrl, 'GET', `/v1/children/${placed.command.childId}`, {
      token: TOKENS.auditor,
    });
    expect(res.status).toBe(200);
    expect((res.body as { child: { placements: { placementId: string }[] } }).child.placements).toContainEqual(
      expect.objectContaining({ placementId }),
    );
    const after = await readLog(restoredFiles.sqlitePath);
    expect(after.verify).toEqual(expect.objectContaining({ ok: true }));
    expect(unitsAgree(after.events)).toEqual([]);
  }, 300_000);
});
