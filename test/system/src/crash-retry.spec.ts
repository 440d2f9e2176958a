import { ApiFiles, ApiProcess, cleanUp, killHard, startApi, tempFiles } from './support/api-process';
import { buildEstate, placementBody, referralBody } from './support/estate';
import { request, TOKENS } from './support/http';
import { appendInterruptedWrite, readLog, unitsAgree } from './support/log-checks';

/*
 * The retry the crash test found broken, pinned deterministically: a placement's first attempt
 * took the bed and died before the child's append; on restart the reconciler gave the bed back;
 * the client then retried the same command. The retry used to replay the undone take and place
 * the child in a bed that no longer held them. It must take the bed afresh, exactly once.
 */
describe('retrying a placement whose bed the reconciler gave back after a crash', () => {
  let files: ApiFiles;
  let api: ApiProcess | undefined;

  beforeAll(() => {
    files = tempFiles('crash-retry');
  });
  afterAll(async () => {
    await cleanUp(files, [api]);
  });

  it('takes the bed afresh: one placement, bed and child agree, and a further retry writes nothing', async () => {
    api = await startApi(files);
    await buildEstate(api.baseUrl, { settings: 1, bedsPerSetting: 2, households: 0, householdMax: 1 });
    expect(
      (
        await request(api.baseUrl, 'POST', '/v1/referrals', {
          token: TOKENS.placement,
          body: referralBody('r-kit', 'kit'),
        })
      ).status,
    ).toBe(201);
    await killHard(api);

    // The first attempt's only write before the kill: the bed, under the command's id.
    await appendInterruptedWrite(files.sqlitePath, 'bed-home-1.b1', 'placement:p-kit', {
      type: 'BedOccupied',
      data: {
        settingId: 'home-1',
        bedId: 'b1',
        bedKind: 'residential',
        placementId: 'p-kit',
        childId: 'kit',
        referralId: 'r-kit',
        emergency: true,
        matchingMeetingId: null,
        unmatchedEmergency: true,
        startDate: '2026-11-30',
      },
    });

    api = await startApi(files);
    const repaired = await readLog(files.sqlitePath);
    expect(repaired.events.filter((e) => e.streamId === 'bed-home-1.b1').map((e) => e.type)).toEqual([
      'BedAdded',
      'BedOccupied',
      'BedVacated',
    ]);

    const body = placementBody('p-kit', 'kit', 'r-kit', { kind: 'bed', settingId: 'home-1', bedId: 'b1' });
    const retry = await request(api.baseUrl, 'POST', '/v1/placements', { token: TOKENS.placement, body });
    expect(retry.status).toBe(201);
    const after = await readLog(files.sqlitePath);
    expect(unitsAgree(after.events)).toEqual([]);
    expect(after.events.filter((e) => e.streamId === 'bed-home-1.b1').map((e) => e.type)).toEqual([
      'BedAdded',
      'BedOccupied',
      'BedVacated',
      'BedOccupied',
    ]);
    expect(after.events.filter((e) => e.streamId === 'child-kit' && e.type === 'PlacementStarted')).toHaveLength(1);
    const setting = await request(api.baseUrl, 'GET', '/v1/settings/home-1', { token: TOKENS.auditor });
    expect(
      (setting.body as { beds: { bedId: string; state: { status: string; occupant?: { placementId: string } } }[] })
        .beds[0].state,
    ).toEqual(
      expect.objectContaining({ status: 'Occupied', occupant: expect.objectContaining({ placementId: 'p-kit' }) }),
    );

    const again = await request(api.baseUrl, 'POST', '/v1/placements', { token: TOKENS.placement, body });
    expect(again.status).toBe(201);
    expect((again.body as { replayed: boolean }).replayed).toBe(true);
    expect((await readLog(files.sqlitePath)).events).toHaveLength(after.events.length);
  }, 300_000);
});
