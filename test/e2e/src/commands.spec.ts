import type { CapacityBody } from '@placement/api';
import { EventStore, openSqliteEventStore } from '@placement/event-store';
import { aHousehold, aMeeting, aPlacement, aSetting } from '@placement/test-support';
import { COMMAND_SAMPLES, commandFixture, FIXTURE } from './support/command-bodies';
import { E2E_TODAY } from './support/clock';
import { expectCreated, refer } from './support/fixtures';
import { api, startServer, TestServer, TOKENS } from './support/server';
import type { Answer, Problem } from './support/bodies';

/*
 * Issue 14 §2: the commands that were modelled but had no route, on the real server and store.
 * Each is accepted when its rule holds, refused with its stable code when not (writing nothing),
 * and the read models (capacity, the referral, the audit) show the change at once.
 */

const sample = (key: string) => COMMAND_SAMPLES[key];
const TOMORROW = '2026-12-01';

describe('Issue 14 §2: the missing commands, on the real server', () => {
  let server: TestServer;
  let store: EventStore;

  beforeAll(async () => {
    server = await startServer();
    await commandFixture(server);
    store = await openSqliteEventStore({ path: server.sqlitePath, readonly: true });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await server?.close();
  });

  const post = <T = Answer>(path: string, token: string, body: unknown) =>
    api<T>(server, 'POST', path, { token, body });
  /** A refusal: its status and stable code, and nothing written. */
  async function expectRefused(path: string, token: string, body: unknown, status: number, code?: string) {
    const before = await store.headPosition();
    const res = await post<Problem>(path, token, body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(await store.headPosition()).toBe(before);
    return res.body;
  }
  const capacityAfter = async (position: string) =>
    (await api<CapacityBody>(server, 'GET', `/v1/capacity?minPosition=${position}`, { token: TOKENS.placement })).body;
  const bed = (view: CapacityBody, settingId: string, bedId: string) =>
    view.units.beds.find((b) => b.settingId === settingId && b.bedId === bedId);
  const household = (view: CapacityBody, householdId: string) =>
    view.units.households.find((h) => h.householdId === householdId);

  it('releases a hold: the bed is free at once; the hold is named by its end, and released once', async () => {
    const hold = sample('POST /v1/referrals/:id/holds').body();
    await expectCreated(server, `/v1/referrals/${FIXTURE.referral}/holds`, TOKENS.placement, hold);
    const path = `/v1/referrals/${FIXTURE.referral}/holds/release`;
    const release = { settingId: FIXTURE.home, bedId: 'b2', until: hold['until'] };

    await expectRefused(path, TOKENS.auditor, release, 403);
    await expectRefused(path, TOKENS.placement, { ...release, until: '2026-12-02T18:00:00Z' }, 422, 'HOLD_NOT_FOUND');
    const done = await post(path, TOKENS.placement, release);
    expect({ status: done.status, events: done.body.events }).toEqual({ status: 201, events: ['BedHoldReleased'] });
    expect(bed(await capacityAfter(done.body.position), FIXTURE.home, 'b2')).toMatchObject({
      status: 'vacant',
      hold: null,
    });
    // A retry is the first answer; the same hold cannot be released twice under another key.
    expect((await post(path, TOKENS.placement, release)).body.replayed).toBe(true);
    const again = await api<Problem>(server, 'POST', path, {
      token: TOKENS.placement,
      body: release,
      headers: { 'Idempotency-Key': 'release-twice' },
    });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 422, code: 'HOLD_NOT_FOUND' });
  });

  it('withdraws a referral and releases the beds held for it; a placed referral is not withdrawn', async () => {
    await refer(server, { referralId: 'r-wd', childId: 'c-wd' });
    await expectCreated(server, '/v1/referrals/r-wd/holds', TOKENS.placement, {
      settingId: FIXTURE.home,
      bedId: 'b3',
      until: '2026-12-01T18:00:00Z',
    });
    await expectRefused('/v1/referrals/r-wd/withdraw', TOKENS.placement, { reason: 'maybe' }, 400);
    const done = await post('/v1/referrals/r-wd/withdraw', TOKENS.placement, { reason: 'no-longer-needed' });
    expect({ status: done.status, events: done.body.events }).toEqual({
      status: 201,
      events: ['ReferralWithdrawn', 'BedHoldReleased'],
    });
    expect(bed(await capacityAfter(done.body.position), FIXTURE.home, 'b3')).toMatchObject({ status: 'vacant' });
    const referral = await api<{ status: string }>(server, 'GET', '/v1/referrals/r-wd', { token: TOKENS.placement });
    expect(referral.body.status).toBe('Withdrawn');
    // Withdrawn is final; the resident's referral closed when she was placed.
    await expectRefused(
      '/v1/referrals/r-wd/holds',
      TOKENS.placement,
      { settingId: FIXTURE.home, bedId: 'b3', until: '2026-12-01T19:00:00Z' },
      422,
      'REFERRAL_NOT_OPEN',
    );
    await expectRefused(
      `/v1/referrals/r-${FIXTURE.resident}/withdraw`,
      TOKENS.placement,
      { reason: 'duplicate' },
      422,
      'REFERRAL_NOT_OPEN',
    );
  });

  it('updates needs: the earlier proposal and meeting show as on old needs; placing needs a new meeting', async () => {
    const referralPath = `/v1/referrals/${FIXTURE.referral}`;
    await expectCreated(server, `${referralPath}/matches/proposals`, TOKENS.placement, { detail: 'summary', limit: 5 });
    await expectCreated(
      server,
      `${referralPath}/matching-meetings`,
      TOKENS.placement,
      aMeeting({ meetingId: 'm-before', settingId: FIXTURE.home, residents: [FIXTURE.resident] }),
    );
    const needs = sample('POST /v1/referrals/:id/needs').body();
    const updated = await post(`${referralPath}/needs`, TOKENS.placement, needs);
    expect({ status: updated.status, events: updated.body.events }).toEqual({ status: 201, events: ['NeedsUpdated'] });
    // The same needs again change nothing.
    const same = await post(`${referralPath}/needs`, TOKENS.placement, needs);
    expect({ status: same.status, events: same.body.events }).toEqual({ status: 201, events: [] });

    const view = await api<{
      referral: {
        needs: { risksToSelf: string[] };
        lastProposal: { onEarlierNeeds: boolean };
        meetingsOnEarlierNeeds: string[];
      };
    }>(server, 'GET', referralPath, { token: TOKENS.placement });
    expect(view.body.referral).toMatchObject({
      needs: { risksToSelf: ['going-missing'] },
      lastProposal: { onEarlierNeeds: true },
      meetingsOnEarlierNeeds: ['m-before'],
    });
    const audit = await api<{ entries: { type: string; reasons: string[] }[] }>(
      server,
      'GET',
      `/v1/audit/referrals/${FIXTURE.referral}`,
      { token: TOKENS.auditor },
    );
    expect(JSON.stringify(audit.body)).toContain('were on the earlier needs');

    // The match was made on needs the child no longer has: refused until a meeting reconsiders.
    const placement = sample('POST /v1/placements').body();
    await expectRefused('/v1/placements', TOKENS.placement, placement, 422, 'MATCHING_REQUIRED');
    await expectCreated(
      server,
      `${referralPath}/matching-meetings`,
      TOKENS.placement,
      aMeeting({ meetingId: 'm-after', settingId: FIXTURE.home, residents: [FIXTURE.resident] }),
    );
    await expectCreated(server, '/v1/placements', TOKENS.placement, placement);
    // Once placed, the needs are not the referral's to change.
    await expectRefused(`${referralPath}/needs`, TOKENS.placement, needs, 422, 'REFERRAL_NOT_OPEN');
  });

  it("changes a child's legal status from today or earlier, never tomorrow, and only to a known LS code", async () => {
    const path = `/v1/children/${FIXTURE.resident}/legal-status`;
    const bad = await expectRefused(path, TOKENS.placement, { legalStatus: 'ZZ', date: E2E_TODAY }, 400);
    expect(bad.errors?.map((e) => e.field)).toEqual(['legalStatus']);
    await expectRefused(path, TOKENS.placement, { legalStatus: 'E1', date: TOMORROW }, 422, 'DATE_IN_FUTURE');
    await expectRefused(path, TOKENS.auditor, { legalStatus: 'E1', date: E2E_TODAY }, 403);
    const done = await post(path, TOKENS.placement, { legalStatus: 'E1', date: E2E_TODAY });
    expect({ status: done.status, events: done.body.events }).toEqual({ status: 201, events: ['LegalStatusChanged'] });
    const child = await api<{ child: { legalStatus: string } }>(server, 'GET', `/v1/children/${FIXTURE.resident}`, {
      token: TOKENS.placement,
    });
    expect(child.body.child.legalStatus).toBe('E1');
    await expectRefused(path, TOKENS.placement, { legalStatus: 'E1', date: '2026-11-29' }, 422, 'INVALID_STATE');
  });

  it('suspends a household (no places, no placement), reinstates it, refuses to resign it with a child', async () => {
    const hh = 'fh-cmd';
    await expectCreated(server, '/v1/foster-households', TOKENS.admin, aHousehold({ householdId: hh }));
    await expectRefused(
      `/v1/foster-households/${hh}/suspend`,
      TOKENS.placement,
      { date: E2E_TODAY, reason: 'allegation' },
      403,
    );
    await expectRefused(
      `/v1/foster-households/${hh}/suspend`,
      TOKENS.admin,
      { date: TOMORROW, reason: 'allegation' },
      422,
      'DATE_IN_FUTURE',
    );
    const suspended = await post(`/v1/foster-households/${hh}/suspend`, TOKENS.admin, {
      date: E2E_TODAY,
      reason: 'allegation',
    });
    expect(suspended.status).toBe(201);
    expect(household(await capacityAfter(suspended.body.position), hh)).toMatchObject({
      status: 'suspended',
      freePlaces: 0,
    });

    await refer(server, { referralId: 'r-fh', childId: 'c-fh' });
    const placement = aPlacement({
      placementId: 'p-fh',
      childId: 'c-fh',
      referralId: 'r-fh',
      unit: { kind: 'household', householdId: hh },
      place: 'U4',
      startDate: E2E_TODAY,
      placementType: 'long-term',
    });
    await expectRefused('/v1/placements', TOKENS.placement, placement, 422, 'HOUSEHOLD_NOT_AVAILABLE');

    const reinstated = await post(`/v1/foster-households/${hh}/reinstate`, TOKENS.admin, { date: E2E_TODAY });
    expect(reinstated.status).toBe(201);
    expect(household(await capacityAfter(reinstated.body.position), hh)).toMatchObject({
      status: 'approved',
      freePlaces: 2,
    });
    await expectCreated(server, '/v1/placements', TOKENS.placement, placement);

    const refused = await expectRefused(
      `/v1/foster-households/${hh}/resign`,
      TOKENS.admin,
      { date: E2E_TODAY },
      422,
      'HOUSEHOLD_HAS_CHILDREN',
    );
    expect(refused.childIds).toEqual(['c-fh']);
  });

  it('changes approval terms from a date, refusing terms a placed child would be outside of, by id', async () => {
    const hh = 'fh-cmd';
    const terms = aHousehold({ householdId: hh }).terms;
    const refused = await expectRefused(
      `/v1/foster-households/${hh}/terms`,
      TOKENS.admin,
      { terms: { ...terms, ageRange: { min: 0, max: 10 } }, effectiveDate: TOMORROW },
      422,
      'APPROVAL_TERMS_EXCEEDED',
    );
    expect(refused.childIds).toEqual(['c-fh']);
    const done = await post(`/v1/foster-households/${hh}/terms`, TOKENS.admin, {
      terms: { ...terms, maxChildren: 3 },
      effectiveDate: TOMORROW,
    });
    expect({ status: done.status, events: done.body.events }).toEqual({
      status: 201,
      events: ['ApprovalTermsChanged'],
    });
  });

  it("changes a home's registration unless it leaves residents outside; closes a home only when empty", async () => {
    const path = `/v1/settings/${FIXTURE.home}/registration`;
    const registration = { ageRange: { min: 11, max: 17 }, sexes: 'any', maxChildren: 3 };
    // The resident (born 2011) and the child placed above (born 2012) live there.
    const girlsUnder14 = await expectRefused(
      path,
      TOKENS.admin,
      { registration: { ...registration, ageRange: { min: 8, max: 13 } }, urn: 'SC100001', effectiveDate: E2E_TODAY },
      422,
      'OUTSIDE_REGISTRATION',
    );
    expect(girlsUnder14.childIds).toEqual([FIXTURE.child, FIXTURE.resident].sort());
    await expectRefused(
      path,
      TOKENS.admin,
      { registration: { ...registration, maxChildren: 2 }, urn: 'SC100001', effectiveDate: E2E_TODAY },
      422,
      'OUTSIDE_REGISTRATION',
    );
    const bad = await expectRefused(
      path,
      TOKENS.admin,
      { registration: { ...registration, maxChildren: 0 }, urn: 'SC100001', effectiveDate: E2E_TODAY },
      400,
    );
    expect(bad.errors?.map((e) => e.field)).toEqual(['registration.maxChildren']);
    const done = await post(path, TOKENS.admin, {
      registration: { ...registration, maxChildren: 4 },
      urn: 'SC100001',
      effectiveDate: E2E_TODAY,
    });
    expect({ status: done.status, events: done.body.events }).toEqual({
      status: 201,
      events: ['SettingRegistrationChanged'],
    });

    const closing = await expectRefused(
      `/v1/settings/${FIXTURE.home}/close`,
      TOKENS.admin,
      { date: '2027-03-31', reason: 'decommissioned' },
      422,
      'SETTING_HAS_RESIDENTS',
    );
    expect(closing.childIds).toEqual([FIXTURE.child, FIXTURE.resident].sort());
    await expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'home-closing', urn: 'SC100049' }));
    await expectCreated(server, '/v1/settings/home-closing/beds', TOKENS.admin, {
      bedId: 'b1',
      kind: 'residential',
      label: 'Room 1',
    });
    const closed = await post('/v1/settings/home-closing/close', TOKENS.admin, {
      date: E2E_TODAY,
      reason: 'decommissioned',
    });
    expect({ status: closed.status, events: closed.body.events }).toEqual({ status: 201, events: ['SettingClosed'] });
    expect(bed(await capacityAfter(closed.body.position), 'home-closing', 'b1')).toMatchObject({ settingOpen: false });
  });

  it('ends a block booking early: void bed-nights stop at the new end; not after the contract', async () => {
    const contract = sample('POST /v1/block-bookings').body();
    await expectCreated(server, '/v1/block-bookings', TOKENS.admin, { ...contract, endDate: '2027-03-31' });
    const path = `/v1/block-bookings/${String(contract['contractId'])}/end`;
    await expectRefused(path, TOKENS.admin, { date: '2027-04-01' }, 422, 'INVALID_DATES');
    await expectRefused(path, TOKENS.auditor, { date: '2026-12-15' }, 403);
    const done = await post(path, TOKENS.admin, { date: '2026-12-15' });
    expect({ status: done.status, events: done.body.events }).toEqual({ status: 201, events: ['BlockBookingEnded'] });
    const utilisation = await api<{
      contracts: {
        contractId: string;
        months: { month: string; contractedBedNights: number; voidBedNights: number }[];
      }[];
    }>(
      server,
      'GET',
      `/v1/block-bookings/utilisation?from=2026-12-01&to=2027-01-31&minPosition=${done.body.position}`,
      { token: TOKENS.admin },
    );
    expect(utilisation.status).toBe(200);
    const text = JSON.stringify(utilisation.body);
    // Two beds, 1–14 December: 28 contracted bed-nights, all void; nothing in January.
    expect(text).toContain('"voidBedNights":28');
    await expectRefused(path, TOKENS.admin, { date: '2026-12-20' }, 409, 'ID_IN_USE');
  });
});
