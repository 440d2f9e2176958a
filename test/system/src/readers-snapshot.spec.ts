import { existsSync, readFileSync, statSync } from 'node:fs';
import { aReferral } from '@placement/test-support';
import { ApiFiles, ApiProcess, cleanUp, sleep, startApi, tempFiles } from './support/api-process';
import { buildEstate } from './support/estate';
import { request, TOKENS } from './support/http';

/*
 * The in-memory readers (the unit directory, the matching capacity) start from the snapshot the
 * compiled API wrote when it stopped, not from the log's first event (issue 18, start-up at
 * England's scale). Across a real restart of the built app: the snapshot's version (a digest of
 * the code the process loaded) must come out the same in the next process, or every start would
 * fold the whole log again; and what the readers answer must be what they answered before.
 */
const SNAPSHOT_READ = 'readers restored from their snapshot';

function logLinesFrom(files: ApiFiles, offset: number): string {
  return readFileSync(files.logPath).subarray(offset).toString('utf8');
}

/** A referral's matches in full, but for the instant they were asked at. */
async function matchesOf(api: ApiProcess, referralId: string): Promise<Record<string, unknown>> {
  const res = await request(api.baseUrl, 'GET', `/v1/referrals/${referralId}/matches?detail=full`, {
    token: TOKENS.placement,
  });
  expect(res.status).toBe(200);
  const body = { ...(res.body as Record<string, unknown>) };
  delete body['asAt'];
  return body;
}

async function ready(api: ApiProcess): Promise<void> {
  for (let tries = 0; (await request(api.baseUrl, 'GET', '/health/ready')).status !== 200; tries++) {
    if (tries > 600) throw new Error('the API was not ready after a minute');
    await sleep(100);
  }
}

async function stop(api: ApiProcess): Promise<void> {
  api.child.kill('SIGTERM');
  expect(await api.exited).toEqual({ code: 0, signal: null });
}

describe('the readers start from their snapshot after a restart of the built API', () => {
  let files: ApiFiles;
  let api: ApiProcess | undefined;

  beforeAll(() => {
    files = tempFiles('readers-snapshot');
  });
  afterAll(async () => {
    await cleanUp(files, [api]);
  });

  it('writes the snapshot on stop, reads it back on start, answers as before and follows the log on', async () => {
    api = await startApi(files);
    await buildEstate(api.baseUrl, { settings: 2, bedsPerSetting: 3, households: 2, householdMax: 2 });
    const referral = await request(api.baseUrl, 'POST', '/v1/referrals', {
      token: TOKENS.placement,
      body: aReferral({ referralId: 'snap-r1', childId: 'snap-c1' }),
    });
    expect(referral.status).toBe(201);
    await ready(api);
    const before = await matchesOf(api, 'snap-r1');
    expect(before['rankedTotal']).toBeGreaterThan(0);
    await stop(api);
    const snapshot = `${files.readModelPath}.readers-snapshot`;
    expect(existsSync(snapshot)).toBe(true);

    const secondStart = statSync(files.logPath).size;
    api = await startApi(files);
    await ready(api);
    expect(logLinesFrom(files, secondStart)).toContain(SNAPSHOT_READ);
    expect(await matchesOf(api, 'snap-r1')).toEqual(before);

    // The log after the snapshot is still followed: a referral received now is matched too.
    const later = await request(api.baseUrl, 'POST', '/v1/referrals', {
      token: TOKENS.placement,
      body: aReferral({ referralId: 'snap-r2', childId: 'snap-c2' }),
    });
    expect(later.status).toBe(201);
    expect(await matchesOf(api, 'snap-r2')).toMatchObject({ referralId: 'snap-r2' });
  });
});
