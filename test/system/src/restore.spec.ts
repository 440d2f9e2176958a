import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { aBed, aHold, aReferral, aSetting } from '@placement/test-support';
import { ApiFiles, ApiProcess, cleanUp, cliAsync, killHard, startApi, tempFiles } from './support/api-process';
import { request, TOKENS } from './support/http';

/*
 * Restoring last night's backup under a deployment that keeps its read-model file
 * (READ_MODEL_PATH is not part of the backup): the compiled API, killed, the backup taken by
 * `placement-cli backup` put back, the API started again on the same read-model file. New
 * commands reuse positions the read models had passed; before, they were skipped for ever
 * while /health said ok. Now the API notices on start and rebuilds the read models from the
 * restored log.
 */
interface CapacityBody {
  units: { beds: { settingId: string; bedId: string; status: string; hold: { referralId: string } | null }[] };
}

async function post(api: ApiProcess, route: string, token: string, body: unknown): Promise<bigint> {
  const res = await request(api.baseUrl, 'POST', route, { token, body });
  if (res.status !== 201) throw new Error(`POST ${route} → ${res.status}: ${JSON.stringify(res.body)}`);
  return BigInt((res.body as { position: string }).position);
}

async function beds(api: ApiProcess, position: bigint): Promise<Record<string, string>> {
  const res = await request(api.baseUrl, 'GET', `/v1/capacity?minPosition=${position}`, { token: TOKENS.auditor });
  expect(res.status).toBe(200);
  return Object.fromEntries(
    (res.body as CapacityBody).units.beds.map((b) => [
      `${b.settingId}.${b.bedId}`,
      b.hold ? `held for ${b.hold.referralId}` : b.status,
    ]),
  );
}

describe('an older backup restored under the read-model file of a killed API', () => {
  let files: ApiFiles;
  let api: ApiProcess | undefined;
  beforeAll(() => {
    files = tempFiles('restore');
  });
  afterAll(async () => {
    await cleanUp(files, [api]);
  });

  it('is noticed on start: the read models are rebuilt from the restored log, not left past it', async () => {
    api = await startApi(files);
    await post(api, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'oak', name: 'Oak House', maxChildren: 2 }));
    for (const bedId of ['b1', 'b2'])
      await post(api, '/v1/settings/oak/beds', TOKENS.admin, aBed({ bedId, label: bedId }));
    await post(api, '/v1/referrals', TOKENS.placement, aReferral({ referralId: 'r-amy', childId: 'amy' }));
    await post(api, '/v1/referrals', TOKENS.placement, aReferral({ referralId: 'r-ben', childId: 'ben' }));

    const backupFile = path.join(files.dir, 'backups', 'events-backup.db');
    mkdirSync(path.dirname(backupFile));
    const backup = await cliAsync('backup', backupFile, '--db', files.sqlitePath);
    expect({ status: backup.status, stderr: backup.stderr }).toEqual({ status: 0, stderr: '' });

    await post(api, '/v1/referrals/r-amy/holds', TOKENS.placement, aHold({ settingId: 'oak', bedId: 'b1' }));
    const last = await post(
      api,
      '/v1/referrals/r-ben/holds',
      TOKENS.placement,
      aHold({ settingId: 'oak', bedId: 'b2' }),
    );
    expect(await beds(api, last)).toEqual({ 'oak.b1': 'held for r-amy', 'oak.b2': 'held for r-ben' });
    await killHard(api);

    // The log is put back from the backup; READ_MODEL_PATH stays as the killed API left it.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${files.sqlitePath}${suffix}`, { force: true });
    copyFileSync(backupFile, files.sqlitePath);
    api = await startApi(files);
    const held = await post(
      api,
      '/v1/referrals/r-ben/holds',
      TOKENS.placement,
      aHold({ settingId: 'oak', bedId: 'b1' }),
    );
    expect(held).toBeLessThanOrEqual(last);
    expect(await beds(api, held)).toEqual({ 'oak.b1': 'held for r-ben', 'oak.b2': 'vacant' });
    expect((await request(api.baseUrl, 'GET', '/health')).status).toBe(200);
    const log = readFileSync(files.logPath, 'utf8');
    expect(log).toContain('the event log no longer holds the event a read model last applied');
    // It names read models and positions, never a child.
    const noticed = log.split('\n').filter((line) => line.includes('no longer holds'));
    expect(noticed.join('\n')).not.toMatch(/amy|ben|2012-03-04/);
  }, 180_000);
});
