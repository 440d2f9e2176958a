import type { ChildBody } from '@placement/api';
import { aBed, aHousehold, aMeeting, aPlacement, aSetting, aStepDown } from '@placement/test-support';
import { TestClock } from './support/clock';
import { api, startServer, TestServer, TOKENS } from './support/server';
import {
  bensEmergencyPlacement,
  bensEmergencyReferral,
  expectCreated,
  homeWithResidents,
  refer,
} from './support/fixtures';

interface BedView {
  beds: { bedId: string; state: { status: string; occupant?: { childId: string } } }[];
}

// Each case starts from the same estate on its own server, so each stands alone (`-t` runs any one of them):
// Oak, a home of three beds where res-1 and res-2 live, a foster household, and a referral for Amy.
describe('the residential case study, end to end over HTTP on the real store', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
    await homeWithResidents(server, 'oak', 3, ['res-1', 'res-2']);
    await expectCreated(server, '/v1/foster-households', TOKENS.admin, aHousehold({ householdId: 'fh-1' }));
    await refer(server, { referralId: 'r-amy', childId: 'amy' });
  });
  afterEach(async () => {
    await server.close();
  });

  /** Amy's placement in Oak's b3 is refused as MATCHING_REQUIRED, and the bed is still vacant. */
  async function expectAmyRefusedUnmatched(): Promise<void> {
    const res = await api<{ code: string }>(server, 'POST', '/v1/placements', {
      token: TOKENS.placement,
      body: aPlacement({ placementId: 'p-amy', childId: 'amy', referralId: 'r-amy', settingId: 'oak', bedId: 'b3' }),
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('MATCHING_REQUIRED');
    const bed = await api<BedView>(server, 'GET', '/v1/settings/oak', { token: TOKENS.auditor });
    expect(bed.body.beds.find((b) => b.bedId === 'b3')?.state.status).toBe('Vacant');
  }

  it('refuses a planned placement with no matching meeting (MATCHING_REQUIRED) and writes nothing', async () => {
    await expectAmyRefusedUnmatched();
  });

  it('refuses a meeting that did not assess every current resident', async () => {
    await expectCreated(
      server,
      '/v1/referrals/r-amy/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-amy-1', settingId: 'oak', residents: ['res-1'] }),
    );
    await expectAmyRefusedUnmatched();
  });

  it('places after a matched meeting covering every resident, then steps down into a foster household', async () => {
    await expectCreated(
      server,
      '/v1/referrals/r-amy/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-amy-2', settingId: 'oak', residents: ['res-1', 'res-2'] }),
    );
    await expectCreated(
      server,
      '/v1/placements',
      TOKENS.placement,
      aPlacement({ placementId: 'p-amy', childId: 'amy', referralId: 'r-amy', settingId: 'oak', bedId: 'b3' }),
    );
    const full = await api<BedView>(server, 'GET', '/v1/settings/oak', { token: TOKENS.auditor });
    expect(full.body.beds.map((b) => b.state.status)).toEqual(['Occupied', 'Occupied', 'Occupied']);
    const referral = await api<{ status: string }>(server, 'GET', '/v1/referrals/r-amy', { token: TOKENS.auditor });
    expect(referral.body.status).toBe('Closed');

    const stepDown = aStepDown({ stepDownId: 'sd-amy', childId: 'amy', toHouseholdId: 'fh-1' });
    const noPlan = await api<{ code: string }>(server, 'POST', '/v1/step-downs', {
      token: TOKENS.placement,
      body: { ...stepDown, safetyPlan: null },
    });
    expect(noPlan.status).toBe(422);
    expect(noPlan.body.code).toBe('SAFETY_PLAN_REQUIRED');

    await expectCreated(server, '/v1/step-downs', TOKENS.placement, stepDown);
    // The step-down is recorded on the day it happens.
    (server.clock as TestClock).moveTo('2027-01-15T16:00:00Z');
    await expectCreated(server, '/v1/step-downs/sd-amy/milestones', TOKENS.placement, {
      milestoneId: 'ms-1',
      date: '2026-12-10',
      outcome: 'met',
    });
    await expectCreated(server, '/v1/step-downs/sd-amy/complete', TOKENS.placement, {
      newPlacementId: 'p-amy-fh',
      date: '2027-01-15',
      place: 'U4',
    });

    const bed = await api<BedView>(server, 'GET', '/v1/settings/oak', { token: TOKENS.auditor });
    expect(bed.body.beds.find((b) => b.bedId === 'b3')?.state.status).toBe('Vacant');
    const child = await api<ChildBody>(server, 'GET', '/v1/children/amy', { token: TOKENS.auditor });
    expect(child.body.child.placements).toEqual([
      expect.objectContaining({
        placementId: 'p-amy',
        unit: expect.objectContaining({ kind: 'bed' }),
        endDate: '2027-01-15',
        place: 'K2',
      }),
      expect.objectContaining({
        placementId: 'p-amy-fh',
        unit: expect.objectContaining({ kind: 'household' }),
        endDate: null,
        place: 'U4',
      }),
    ]);
    expect(child.body.child.stepDowns).toEqual([expect.objectContaining({ status: 'completed' })]);
  });

  it('lets an emergency placement go first and flags it until its matching meeting is recorded', async () => {
    await expectCreated(
      server,
      '/v1/settings',
      TOKENS.admin,
      aSetting({
        settingId: 'ash',
        urn: 'SC100002',
        registration: { ageRange: { min: 8, max: 17 }, sexes: 'any', maxChildren: 2 },
      }),
    );
    await expectCreated(
      server,
      '/v1/settings/ash/beds',
      TOKENS.admin,
      aBed({ bedId: 'e1', kind: 'emergency', label: 'Emergency 1' }),
    );
    await expectCreated(server, '/v1/referrals', TOKENS.placement, bensEmergencyReferral());
    await expectCreated(server, '/v1/placements', TOKENS.placement, bensEmergencyPlacement());

    const flagged = await api<ChildBody>(server, 'GET', '/v1/children/ben', { token: TOKENS.auditor });
    expect(flagged.body.flags.unmatchedEmergency).toBe(true);

    await expectCreated(
      server,
      '/v1/referrals/r-ben/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-ben', settingId: 'ash' }),
    );
    const cleared = await api<ChildBody>(server, 'GET', '/v1/children/ben', { token: TOKENS.auditor });
    expect(cleared.body.flags.unmatchedEmergency).toBe(false);
  });
});
