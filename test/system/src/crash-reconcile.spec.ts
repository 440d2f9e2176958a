import { ApiFiles, ApiProcess, cleanUp, killHard, startApi, tempFiles } from './support/api-process';
import { buildEstate, referralBody } from './support/estate';
import { request, TOKENS } from './support/http';
import { appendInterruptedWrite, readLog, unitsAgree } from './support/log-checks';

/*
 * Found by the crash test (20 kills): a kill can leave a household with TWO places taken for
 * placements their children never got (two placements in flight into one household). The
 * start-up reconciler must repair both before the API answers, not one per pass.
 */
describe('start-up repair of a household left with two half-taken places', () => {
  let files: ApiFiles;
  let api: ApiProcess | undefined;

  beforeAll(() => {
    files = tempFiles('crash-reconcile');
  });
  afterAll(async () => {
    await cleanUp(files, [api]);
  });

  it('gives back both places on restart', async () => {
    api = await startApi(files);
    await buildEstate(api.baseUrl, { settings: 0, bedsPerSetting: 0, households: 1, householdMax: 2 });
    for (const n of [1, 2])
      expect(
        (
          await request(api.baseUrl, 'POST', '/v1/referrals', {
            token: TOKENS.placement,
            body: referralBody(`r-${n}`, `kid-${n}`),
          })
        ).status,
      ).toBe(201);
    await killHard(api);

    // What two placements in flight at the kill wrote: the household's side only.
    for (const n of [1, 2])
      await appendInterruptedWrite(files.sqlitePath, 'household-fh-1', `placement:p-${n}`, {
        type: 'ChildPlacedWithHousehold',
        data: {
          householdId: 'fh-1',
          placementId: `p-${n}`,
          childId: `kid-${n}`,
          childSex: 'F',
          childDateOfBirth: '2012-03-04',
          referralId: `r-${n}`,
          placementType: 'emergency',
          siblingGroupId: null,
          startDate: '2026-11-30',
          emergency: true,
          emergencyOutsideTerms: false,
          stepDownId: null,
        },
      });
    expect(unitsAgree((await readLog(files.sqlitePath)).events)).toHaveLength(2);

    api = await startApi(files);
    const { events } = await readLog(files.sqlitePath);
    expect(unitsAgree(events)).toEqual([]);
    expect(events.filter((e) => e.streamId === 'household-fh-1').map((e) => e.type)).toEqual([
      'FosterHouseholdApproved',
      'ChildPlacedWithHousehold',
      'ChildPlacedWithHousehold',
      'ChildLeftHousehold',
      'ChildLeftHousehold',
    ]);
  }, 300_000);
});
