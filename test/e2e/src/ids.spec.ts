import { REASON_PLACE_CHANGE_CODES } from '@placement/domain';
import { openSqliteEventStore, type SqliteEventStore } from '@placement/event-store';
import { aHousehold, aMeeting, aPlacement, aReferral, aSetting } from '@placement/test-support';
import { COMMAND_SAMPLES, commandFixture, FIXTURE } from './support/command-bodies';
import { expectCreated, refer } from './support/fixtures';
import { E2E_TODAY, type TestClock } from './support/clock';
import { appendAsTheHandlerWould, placementStarted } from './support/log-writer';
import { fillPath, registeredRoutes, routeKey } from './support/routes';
import { api, startServer, TestServer, TOKENS } from './support/server';
import type { Answer, Problem } from './support/bodies';

/*
 * One client-supplied id means one thing. For every command route: the first request is
 * written and its answer lists exactly the events written; the same id with the same body
 * is a replay (the first answer, nothing written); the same id with a changed body is a 409
 * `ID_IN_USE` naming the id and the first field that differs, and nothing is written — no
 * unit taken, even for a moment. The id is the resource id the client chose, or the
 * Idempotency-Key for a route whose every field is part of its key.
 */

interface Row {
  /** The case, shown in the test name. */
  name: string;
  /** The route as the app registers it, e.g. `POST /v1/placements`. */
  route: string;
  params: Record<string, string>;
  token: string;
  /** Commands that make the first request acceptable, on top of the shared fixture. */
  setup?: (server: TestServer) => Promise<void>;
  body: () => Record<string, unknown>;
  /** The changed request under the same id (a different body; for some rows a different path too). */
  changed: { params?: Record<string, string>; body: Record<string, unknown> };
  /** Sent with both requests when the route's natural key is made of every field it has. */
  idempotencyKey?: string;
  /** What the 409 names. */
  id: string;
  field: string;
}

const sample = (route: string) => COMMAND_SAMPLES[route];
const with_ = (body: Record<string, unknown>, change: Record<string, unknown>) => ({ ...body, ...change });

const placementSample = () => sample('POST /v1/placements').body();
/** The path of `route` (`POST /v1/…/:id`) with its parameters filled in. */
const pathOf = (route: string, params: Record<string, string>) => fillPath(route.slice(route.indexOf(' ') + 1), params);
/** The route's sample sent as it is, and accepted. */
const sendSample = (route: string, token: string) => (server: TestServer) =>
  expectCreated(server, pathOf(route, sample(route).params), token, sample(route).body());
/** A setup made of others, run one after another. */
const inTurn =
  (...setups: ((server: TestServer) => Promise<unknown>)[]) =>
  async (server: TestServer): Promise<void> => {
    for (const setup of setups) await setup(server);
  };
const meetingForReferral = async (server: TestServer) =>
  expectCreated(
    server,
    `/v1/referrals/${FIXTURE.referral}/matching-meetings`,
    TOKENS.placement,
    aMeeting({ meetingId: 'm-fz', settingId: FIXTURE.home, residents: [FIXTURE.resident] }),
  );
const placeFixtureChild = inTurn(meetingForReferral, sendSample('POST /v1/placements', TOKENS.placement));
/** A second child, fz-child9, referred (r-fz9): another child for the fixture's placement id. */
const referSecondChild = (server: TestServer) =>
  expectCreated(server, '/v1/referrals', TOKENS.placement, aReferral({ referralId: 'r-fz9', childId: 'fz-child9' }));
/** The second child's matching meeting for the fixture's home. */
const meetingForSecondChild = (server: TestServer) =>
  expectCreated(
    server,
    '/v1/referrals/r-fz9/matching-meetings',
    TOKENS.placement,
    aMeeting({ meetingId: 'm-fz9', settingId: FIXTURE.home, residents: [FIXTURE.resident] }),
  );
/** The fixture child placed, with an end planned after today (the end route's sample). */
const planFixtureChildsEnd = inTurn(placeFixtureChild, sendSample('POST /v1/placements/:id/end', TOKENS.placement));
/** The e2e server's clock moved on to 10:00 on `date` (London is on GMT in winter): facts about the past are dated. */
const moveClockTo = (server: TestServer, date: string) => (server.clock as TestClock).moveTo(`${date}T10:00:00Z`);
const abandonFixtureStepDown = async (server: TestServer) =>
  expectCreated(server, `/v1/step-downs/${FIXTURE.stepDown}/abandon`, TOKENS.admin, {
    reason: 'child-wishes',
    date: '2027-01-10',
  });

/**
 * A row sent as the route's sample (its path and body) whose changed request is the sample with `change` laid over its
 * body — unless the row gives its own params, body or changed request.
 */
type SampledRow = Omit<Row, 'route' | 'params' | 'body' | 'changed'> &
  Partial<Pick<Row, 'params' | 'body' | 'changed'>> & { change?: Record<string, unknown> };

const sampled = (route: string, { change = {}, ...row }: SampledRow): Row => ({
  route,
  params: sample(route).params,
  body: sample(route).body,
  changed: { body: with_(sample(route).body(), change) },
  ...row,
});

const ROWS: Row[] = [
  sampled('POST /v1/settings', {
    name: 'a setting registered again with another registration',
    token: TOKENS.admin,
    change: { registration: { ageRange: { min: 11, max: 17 }, sexes: 'any', maxChildren: 4 } },
    id: 'fz-new',
    field: 'registration.maxChildren',
  }),
  sampled('POST /v1/settings', {
    name: 'an Idempotency-Key reused for another setting',
    token: TOKENS.admin,
    idempotencyKey: 'ids-setting-key',
    changed: { body: aSetting({ settingId: 'fz-new-2', urn: 'SC100019' }) },
    id: 'ids-setting-key',
    field: 'settingId',
  }),
  {
    name: 'a bed added again with another label',
    route: 'POST /v1/settings/:id/beds',
    params: { id: 'ids-home' },
    token: TOKENS.admin,
    setup: (server) =>
      expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'ids-home', urn: 'SC100029' })),
    body: () => ({ bedId: 'b1', kind: 'residential', label: 'Room 1' }),
    changed: { body: { bedId: 'b1', kind: 'residential', label: 'Room one' } },
    id: 'ids-home.b1',
    field: 'label',
  },
  sampled('POST /v1/settings/:id/beds/:bedId/out-of-use', {
    name: 'a bed out of use from the same date for the same reason, back in use on another date',
    token: TOKENS.admin,
    change: { to: '2026-12-12' },
    id: `${FIXTURE.home}.b3:2026-12-01:maintenance`,
    field: 'to',
  }),
  sampled('POST /v1/settings/:id/beds/:bedId/back-in-use', {
    name: 'a bed back in use on another date under the same Idempotency-Key',
    token: TOKENS.admin,
    setup: sendSample('POST /v1/settings/:id/beds/:bedId/out-of-use', TOKENS.admin),
    idempotencyKey: 'ids-back-in-use',
    change: { date: '2026-12-12' },
    id: 'ids-back-in-use',
    field: 'date',
  }),
  sampled('POST /v1/foster-households', {
    name: 'a foster household approved again on other terms',
    token: TOKENS.admin,
    changed: {
      body: (() => {
        const body = sample('POST /v1/foster-households').body();
        return { ...body, terms: { ...(body['terms'] as Record<string, unknown>), maxChildren: 3 } };
      })(),
    },
    id: 'fz-fh2',
    field: 'terms.maxChildren',
  }),
  sampled('POST /v1/block-bookings', {
    name: 'a block booking contracted again at another price',
    token: TOKENS.admin,
    change: { weeklyPricePerBed: 390000 },
    id: 'fz-contract',
    field: 'weeklyPricePerBed',
  }),
  sampled('POST /v1/referrals', {
    name: 'a referral id sent again for another child',
    token: TOKENS.placement,
    change: { childId: 'fz-child3' },
    id: 'r-fz2',
    field: 'childId',
  }),
  sampled('POST /v1/referrals', {
    name: 'a referral id sent again with another urgency',
    token: TOKENS.placement,
    change: { urgency: 'emergency' },
    id: 'r-fz2',
    field: 'urgency',
  }),
  sampled('POST /v1/children/:id/details', {
    name: "a child's details with another UPN under the same Idempotency-Key",
    token: TOKENS.placement,
    idempotencyKey: 'ids-details',
    change: { upn: 'B801200005001' },
    id: 'ids-details',
    field: 'upn',
  }),
  // The sample proposes for the resident's closed referral; this one proposes for the open one.
  sampled('POST /v1/referrals/:id/matches/proposals', {
    name: 'a proposal with another limit under the same Idempotency-Key',
    params: { id: FIXTURE.referral },
    token: TOKENS.placement,
    idempotencyKey: 'ids-proposal',
    change: { limit: 5 },
    id: 'ids-proposal',
    field: 'limit',
  }),
  sampled('POST /v1/referrals/:id/holds', {
    name: 'a hold until another time under the same Idempotency-Key',
    token: TOKENS.placement,
    idempotencyKey: 'ids-hold',
    change: { until: '2026-12-02T18:00:00Z' },
    id: 'ids-hold',
    field: 'until',
  }),
  sampled('POST /v1/referrals/:id/matching-meetings', {
    name: 'a matching meeting id sent again with another date',
    token: TOKENS.placement,
    change: { heldOn: '2026-11-26' },
    id: `${FIXTURE.referral}:m-fz`,
    field: 'heldOn',
  }),
  sampled('POST /v1/placements', {
    name: 'a placement id the child already holds, sent again for another bed',
    token: TOKENS.placement,
    setup: meetingForReferral,
    change: { unit: { kind: 'bed', settingId: FIXTURE.home, bedId: 'b3' } },
    id: 'p-fz',
    field: 'unit.bedId',
  }),
  sampled('POST /v1/placements', {
    name: 'a placement id sent again for another child',
    token: TOKENS.placement,
    setup: inTurn(meetingForReferral, referSecondChild, meetingForSecondChild),
    changed: {
      body: aPlacement({
        placementId: 'p-fz',
        childId: 'fz-child9',
        referralId: 'r-fz9',
        settingId: FIXTURE.home,
        bedId: 'b3',
      }),
    },
    id: 'p-fz',
    field: 'childId',
  }),
  sampled('POST /v1/placements/:id/end', {
    name: 'a placement ended again on another date',
    token: TOKENS.placement,
    setup: placeFixtureChild,
    change: { endDate: '2026-12-21' },
    id: 'p-fz',
    field: 'endDate',
  }),
  sampled('POST /v1/placements/:id/end/revise', {
    name: 'a planned end revised to the same date for another reason',
    token: TOKENS.placement,
    setup: planFixtureChildsEnd,
    change: { reasonForChange: REASON_PLACE_CHANGE_CODES[1] },
    id: `p-fz:${String(sample('POST /v1/placements/:id/end/revise').body().endDate)}`,
    field: 'reasonForChange',
  }),
  sampled('POST /v1/placements/:id/end/withdraw', {
    name: "a planned end's withdrawal sent for another placement under the same Idempotency-Key",
    token: TOKENS.placement,
    setup: planFixtureChildsEnd,
    idempotencyKey: 'ids-withdraw-end',
    changed: { params: { id: FIXTURE.residentPlacement }, body: {} },
    id: 'ids-withdraw-end',
    field: 'placementId',
  }),
  sampled('POST /v1/step-downs', {
    name: 'a step-down id sent again with another planned date',
    token: TOKENS.admin,
    setup: abandonFixtureStepDown,
    change: { plannedDate: '2027-01-16' },
    id: 'sd-fz2',
    field: 'plannedDate',
  }),
  sampled('POST /v1/step-downs', {
    name: 'a step-down id sent again for another child',
    token: TOKENS.admin,
    setup: inTurn(abandonFixtureStepDown, placeFixtureChild),
    change: { childId: FIXTURE.child },
    id: 'sd-fz2',
    field: 'childId',
  }),
  sampled('POST /v1/step-downs/:id/milestones', {
    name: 'a milestone outcome changed under the same Idempotency-Key',
    token: TOKENS.admin,
    idempotencyKey: 'ids-milestone',
    change: { outcome: 'missed' },
    id: 'ids-milestone',
    field: 'outcome',
  }),
  sampled('POST /v1/step-downs/:id/complete', {
    name: 'a step-down completed again on another date',
    token: TOKENS.admin,
    // Completing is a fact about the past: recorded on the day it happens, the step-down's planned date.
    setup: async (server) => moveClockTo(server, String(sample('POST /v1/step-downs/:id/complete').body().date)),
    change: { date: '2027-01-16' },
    id: FIXTURE.stepDown,
    field: 'date',
  }),
  sampled('POST /v1/step-downs/:id/abandon', {
    name: 'a step-down abandoned again for another reason',
    token: TOKENS.admin,
    change: { reason: 'other' },
    id: FIXTURE.stepDown,
    field: 'reason',
  }),
  // Issue 14 §2.
  sampled('POST /v1/referrals/:id/holds/release', {
    name: 'a hold release naming another bed under the same Idempotency-Key',
    token: TOKENS.placement,
    setup: sendSample('POST /v1/referrals/:id/holds', TOKENS.placement),
    idempotencyKey: 'ids-release',
    change: { bedId: 'b3' },
    id: 'ids-release',
    field: 'bedId',
  }),
  sampled('POST /v1/referrals/:id/withdraw', {
    name: 'a referral withdrawn again for another reason',
    token: TOKENS.placement,
    change: { reason: 'duplicate' },
    id: 'r-fz-boy',
    field: 'reason',
  }),
  sampled('POST /v1/referrals/:id/needs', {
    name: 'needs with other risks under the same Idempotency-Key',
    token: TOKENS.placement,
    idempotencyKey: 'ids-needs',
    change: {
      needs: {
        ...aReferral({ referralId: FIXTURE.referral, childId: FIXTURE.child }).needs,
        risksToSelf: ['self-harm'],
      },
    },
    id: 'ids-needs',
    field: 'needs.risksToSelf[0]',
  }),
  sampled('POST /v1/children/:id/legal-status', {
    name: 'another legal status under the same Idempotency-Key',
    token: TOKENS.placement,
    idempotencyKey: 'ids-legal-status',
    change: { legalStatus: 'V2' },
    id: 'ids-legal-status',
    field: 'legalStatus',
  }),
  {
    name: 'a care leaver recorded from the same date in other accommodation',
    route: 'POST /v1/children/:id/care-leaver',
    params: { id: 'ids-cl' },
    token: TOKENS.placement,
    // A 17-year-old placed in an emergency who left care for independent living (E5) today.
    setup: async (server) => {
      await refer(server, {
        referralId: 'r-ids-cl',
        childId: 'ids-cl',
        urgency: 'emergency',
        child: { dateOfBirth: '2009-06-01' },
      });
      await expectCreated(server, '/v1/placements', TOKENS.placement, {
        placementId: 'p-ids-cl',
        childId: 'ids-cl',
        referralId: 'r-ids-cl',
        unit: { kind: 'external', urn: 'SC999998', provider: { name: 'Acme Care', code: 'PR4' } },
        place: 'K2',
        placeProvider: 'PR4',
        legalStatus: 'C2',
        startDate: E2E_TODAY,
        emergency: true,
      });
      await expectCreated(server, '/v1/placements/p-ids-cl/end', TOKENS.placement, {
        endDate: E2E_TODAY,
        reasonEpisodeCeased: 'E5',
      });
    },
    idempotencyKey: 'ids-care-leaver',
    body: () => ({ accommodation: 'supported-16-plus', from: E2E_TODAY }),
    changed: { body: { accommodation: 'independent', from: E2E_TODAY } },
    id: 'ids-care-leaver',
    field: 'accommodation',
  },
  sampled('POST /v1/foster-households/:id/suspend', {
    name: 'a household suspended on the same date for another reason',
    token: TOKENS.admin,
    change: { reason: 'standards' },
    id: `${FIXTURE.household}:${E2E_TODAY}`,
    field: 'reason',
  }),
  sampled('POST /v1/foster-households/:id/reinstate', {
    name: 'a household reinstated on another date under the same Idempotency-Key',
    token: TOKENS.admin,
    setup: sendSample('POST /v1/foster-households/:id/suspend', TOKENS.admin),
    idempotencyKey: 'ids-reinstate',
    change: { date: '2026-11-29' },
    id: 'ids-reinstate',
    field: 'date',
  }),
  sampled('POST /v1/foster-households/:id/terms', {
    name: 'approval terms with another maximum under the same Idempotency-Key',
    token: TOKENS.admin,
    idempotencyKey: 'ids-terms',
    change: { terms: { ...aHousehold({ householdId: FIXTURE.household }).terms, maxChildren: 4 } },
    id: 'ids-terms',
    field: 'terms.maxChildren',
  }),
  sampled('POST /v1/foster-households/:id/resign', {
    name: 'a household resigned again on another date',
    token: TOKENS.admin,
    change: { date: '2026-11-29' },
    id: FIXTURE.household,
    field: 'date',
  }),
  sampled('POST /v1/settings/:id/registration', {
    name: 'a registration with another maximum under the same Idempotency-Key',
    token: TOKENS.admin,
    idempotencyKey: 'ids-registration',
    change: { registration: { ageRange: { min: 11, max: 17 }, sexes: 'any', maxChildren: 5 } },
    id: 'ids-registration',
    field: 'registration.maxChildren',
  }),
  sampled('POST /v1/settings/:id/close', {
    name: 'a setting closed again for another reason',
    params: { id: 'ids-closing' },
    token: TOKENS.admin,
    setup: (server) =>
      expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'ids-closing', urn: 'SC100039' })),
    change: { reason: 'other' },
    id: 'ids-closing',
    field: 'reason',
  }),
  sampled('POST /v1/block-bookings/:id/end', {
    name: 'a block booking ended again on another date',
    token: TOKENS.admin,
    setup: sendSample('POST /v1/block-bookings', TOKENS.admin),
    change: { date: '2026-12-20' },
    id: 'fz-contract',
    field: 'date',
  }),
  sampled('POST /v1/foster-households/:id/members', {
    name: 'household members with another month of birth under the same Idempotency-Key',
    token: TOKENS.admin,
    idempotencyKey: 'ids-members',
    change: { members: [{ bornIn: '2019-05', relationship: 'carers-child' }] },
    id: 'ids-members',
    field: 'members[0].bornIn',
  }),
  sampled('POST /v1/settings/:id/statement-of-purpose', {
    name: 'a statement of purpose taking no emergencies under the same Idempotency-Key',
    token: TOKENS.admin,
    idempotencyKey: 'ids-statement',
    change: { emergencyAdmissions: 'none' },
    id: 'ids-statement',
    field: 'emergencyAdmissions',
  }),
];

/** The command fixture on a fresh server, with a read-only view of its store; both closed after `run`. */
async function onCommandFixture(run: (server: TestServer, store: SqliteEventStore) => Promise<void>): Promise<void> {
  const server = await startServer();
  const store = await openSqliteEventStore({ path: server.sqlitePath, readonly: true });
  try {
    await commandFixture(server);
    await run(server, store);
  } finally {
    await store.close();
    await server.close();
  }
}

async function post<T>(
  server: TestServer,
  row: Row,
  params: Record<string, string>,
  body: unknown,
): Promise<{ status: number; body: T; contentType: string }> {
  const path = pathOf(row.route, params);
  const headers: Record<string, string> = row.idempotencyKey ? { 'Idempotency-Key': row.idempotencyKey } : {};
  return api<T>(server, 'POST', path, { token: row.token, body, headers });
}

describe('one client-supplied id means one thing, on every command route', () => {
  it('has a row for every command route the app registers', async () => {
    const server = await startServer();
    try {
      // The API's commands (the board's forms under `/` call these same handlers; the board's tests cover them).
      const commandRoutes = registeredRoutes(server.app)
        .filter((r) => r.method === 'POST' && r.path.startsWith('/v1/'))
        .map(routeKey);
      expect(commandRoutes.filter((route) => !ROWS.some((row) => row.route === route))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it.each(ROWS.map((row) => [`${row.route}: ${row.name}`, row] as const))(
    '%s',
    async (_, row) => {
      await onCommandFixture(async (server, store) => {
        await row.setup?.(server);

        // The first request is written; its answer lists exactly the events it wrote.
        const start = await store.headPosition();
        const first = await post<Answer>(server, row, row.params, row.body());
        expect({ status: first.status, body: first.body }).toEqual({
          status: 201,
          body: expect.objectContaining({ replayed: false }),
        });
        const written = await store.readAll({ after: start });
        expect(written.length).toBeGreaterThan(0);
        expect(first.body.events).toEqual(written.map((e) => e.type));
        expect(first.body.position).toBe(String(written[written.length - 1].position));

        // The same id with the same body: the first answer again, nothing written.
        const head = await store.headPosition();
        const again = await post<Answer>(server, row, row.params, row.body());
        expect({ status: again.status, body: again.body }).toEqual({
          status: 201,
          body: { ...first.body, replayed: true },
        });
        expect(await store.headPosition()).toBe(head);

        // The same id with a changed body: 409 ID_IN_USE naming the id and the field, nothing written.
        const changed = await post<Problem>(server, row, row.changed.params ?? row.params, row.changed.body);
        expect({ status: changed.status, body: changed.body }).toEqual({
          status: 409,
          body: expect.objectContaining({ status: 409, code: 'ID_IN_USE', id: row.id, field: row.field }),
        });
        expect(changed.contentType).toContain('application/problem+json');
        expect(await store.headPosition()).toBe(head);
      });
    },
    60_000,
  );
});

interface OwnedIdCase {
  name: string;
  path: string;
  token: string;
  setup?: (server: TestServer) => Promise<void>;
  body: Record<string, unknown>;
  idempotencyKey?: string;
  id: string;
  field: string;
}

/*
 * Ids that name one thing across streams — a placement, a step-down, a meeting, a referral, a
 * child — reused under another command id (a new Idempotency-Key, or another route): refused
 * before anything is written, because the streams they key cannot see each other.
 */
const OWNED_IDS: OwnedIdCase[] = [
  {
    name: "a placement id that is another child's",
    path: '/v1/placements',
    token: TOKENS.placement,
    setup: meetingForReferral,
    idempotencyKey: 'ids-owned-placement',
    body: with_(placementSample(), { placementId: `p-${FIXTURE.resident}` }),
    id: `p-${FIXTURE.resident}`,
    field: 'childId',
  },
  {
    name: "a new placement id, completing a step-down, that is another child's",
    path: `/v1/step-downs/${FIXTURE.stepDown}/complete`,
    token: TOKENS.admin,
    setup: placeFixtureChild,
    body: with_(sample('POST /v1/step-downs/:id/complete').body(), { newPlacementId: 'p-fz' }),
    id: 'p-fz',
    field: 'newPlacementId',
  },
  {
    name: "a step-down id that is another child's",
    path: '/v1/step-downs',
    token: TOKENS.admin,
    setup: placeFixtureChild,
    idempotencyKey: 'ids-owned-step-down',
    body: with_(sample('POST /v1/step-downs').body(), { stepDownId: FIXTURE.stepDown, childId: FIXTURE.child }),
    id: FIXTURE.stepDown,
    field: 'childId',
  },
  {
    name: 'a meeting id recorded for another referral',
    path: `/v1/referrals/${FIXTURE.referral}/matching-meetings`,
    token: TOKENS.placement,
    body: aMeeting({ meetingId: `m-${FIXTURE.resident}`, settingId: FIXTURE.home, residents: [FIXTURE.resident] }),
    id: `m-${FIXTURE.resident}`,
    field: 'referralId',
  },
  {
    name: "a referral id that is another child's, under a new Idempotency-Key",
    path: '/v1/referrals',
    token: TOKENS.placement,
    idempotencyKey: 'ids-owned-referral',
    body: aReferral({ referralId: FIXTURE.referral, childId: 'fz-someone-else' }),
    id: FIXTURE.referral,
    field: 'childId',
  },
  {
    name: 'a referral naming a registered child with other facts about them',
    path: '/v1/referrals',
    token: TOKENS.placement,
    body: aReferral({ referralId: 'r-fz-again', childId: FIXTURE.child, child: { dateOfBirth: '2012-03-05' } }),
    id: FIXTURE.child,
    field: 'child.dateOfBirth',
  },
];

describe('an id that names one thing across streams is refused for another, whatever the command id', () => {
  it.each(OWNED_IDS.map((c) => [c.name, c] as const))(
    '%s: 409 ID_IN_USE, nothing written',
    async (_, c) => {
      await onCommandFixture(async (server, store) => {
        await c.setup?.(server);
        const head = await store.headPosition();
        const headers: Record<string, string> = c.idempotencyKey ? { 'Idempotency-Key': c.idempotencyKey } : {};
        const res = await api<Problem>(server, 'POST', c.path, { token: c.token, body: c.body, headers });
        expect({ status: res.status, body: res.body }).toEqual({
          status: 409,
          body: expect.objectContaining({ status: 409, code: 'ID_IN_USE', id: c.id, field: c.field }),
        });
        expect(await store.headPosition()).toBe(head);
      });
    },
    60_000,
  );
});

describe('a placement id that records made before ids were checked give two children', () => {
  it('is not ended by its id (which child was meant cannot be told): 409 ID_IN_USE, nothing written', async () => {
    await onCommandFixture(async (server, store) => {
      await placeFixtureChild(server);
      await referSecondChild(server);
      await appendAsTheHandlerWould(
        server.sqlitePath,
        'child-fz-child9',
        [placementStarted(FIXTURE.home, 'b3', 'p-fz', 'fz-child9', 'r-fz9')],
        'legacy:p-fz',
      );
      const head = await store.headPosition();
      const res = await api<Problem>(server, 'POST', '/v1/placements/p-fz/end', {
        token: TOKENS.placement,
        body: sample('POST /v1/placements/:id/end').body(),
      });
      expect({ status: res.status, body: res.body }).toEqual({
        status: 409,
        body: expect.objectContaining({ code: 'ID_IN_USE', id: 'p-fz', field: 'placementId' }),
      });
      expect(await store.headPosition()).toBe(head);
    });
  }, 60_000);
});
