import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { londonDateOf, type ChildRegistered, type MatchesProposed, type PlacementStarted } from '@placement/domain';
import { openSqliteEventStore, type Clock, type EventStore, type RecordedEvent } from '@placement/event-store';
import { readBedAudit, readChildAudit, readReferralAudit } from '@placement/projections';
import { aMeeting, aPlacement, aReferral } from '@placement/test-support';
import { TestClock } from './support/clock';
import { api, startServer, TestServer, TOKENS } from './support/server';
import { expectCreated, homeWithResidents, refer } from './support/fixtures';

interface Entry {
  type: string;
  streamId: string;
  decision: string;
  recordedAt: string;
  backDated: boolean;
  actor: { id: string; role: string };
  reasons: string[];
  optionsOnTable: {
    engineVersion: string;
    inputsHash: string;
    options: { rank: number; unit: { settingId?: string; bedId?: string } }[];
    excluded: { reasons: string[] }[];
    chosen: { standing: string; rank?: number } | null;
  } | null;
}
interface Audit {
  asOf: string | null;
  state: { status: string; child?: { placements: { placementId: string; startDate: string }[] } };
  /** Bed audits: the diary read for the night `on`. */
  on?: string;
  night?: { status: string };
  entries: Entry[];
}
type Verify =
  | { ok: true; events: number; head: string }
  | { ok: false; brokenLink: { position: string; streamId: string | null; reason: string } };

const metadata = (commandId: string) => ({
  commandId,
  correlationId: commandId,
  causationId: commandId,
  actor: { id: 'demo-placement-officer', role: 'placement-officer' },
});

/**
 * The matching API is someone else's; a proposal is appended as the domain shapes it,
 * from a second connection to the file.
 */
async function proposeMatches(
  server: TestServer,
  referralId: string,
  ranked: { settingId: string; bedId: string }[],
): Promise<void> {
  // On the server's clock, so the proposal's recorded instant sits on the same time line as its events.
  const store = await openSqliteEventStore({ path: server.sqlitePath, clock: server.clock });
  const proposal: MatchesProposed = {
    type: 'MatchesProposed',
    data: {
      referralId,
      engineVersion: 'matching-e2e',
      inputsHash: 'a'.repeat(64),
      options: ranked.map((u, i) => ({
        rank: i + 1,
        unit: { kind: 'bed', ...u },
        score: 50 - i,
        reasons: ['in-house residential'],
      })),
      excluded: [{ unit: { kind: 'household', householdId: 'fh-9' }, reasons: ['approval terms: age range 0–8'] }],
      at: server.clock.now().toISOString(),
    },
  };
  try {
    await store.append(
      `referral-${referralId}`,
      [
        {
          id: crypto.randomUUID(),
          type: proposal.type,
          data: proposal.data,
          metadata: metadata(`propose:${referralId}`),
        },
      ],
      { expectedRevision: 'stream_exists' },
    );
  } finally {
    await store.close();
  }
}

describe('audit over HTTP: a placement recorded now, back-dated a week', () => {
  let server: TestServer;
  let beforePlacement: string;
  const clock = new TestClock();

  beforeAll(async () => {
    server = await startServer({}, { clock });
    await homeWithResidents(server, 'oak', 3, ['res-1']);
    await refer(server, { referralId: 'r-amy', childId: 'amy', startDate: '2026-11-20' });
    await proposeMatches(server, 'r-amy', [
      { settingId: 'elm', bedId: 'b1' },
      { settingId: 'oak', bedId: 'b2' },
    ]);
    await expectCreated(
      server,
      '/v1/referrals/r-amy/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-amy', settingId: 'oak', residents: ['res-1'] }),
    );
    // A minute passes on the server's clock either side of the instant the auditor will ask about.
    clock.advance(60_000);
    beforePlacement = clock.now().toISOString();
    clock.advance(60_000);
    await expectCreated(
      server,
      '/v1/placements',
      TOKENS.placement,
      aPlacement({
        placementId: 'p-amy',
        childId: 'amy',
        referralId: 'r-amy',
        settingId: 'oak',
        bedId: 'b2',
        startDate: '2026-11-20',
      }),
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it('hides the placement from an as-of before it was recorded, though its start date is earlier', async () => {
    const res = await api<Audit>(server, 'GET', `/v1/audit/children/amy?asOf=${beforePlacement}`, {
      token: TOKENS.auditor,
    });
    expect(res.status).toBe(200);
    expect(res.body.asOf).toBe(beforePlacement);
    expect(res.body.state.child?.placements).toEqual([]);
    expect(res.body.entries.map((e) => e.type)).toEqual([
      'ChildRegistered',
      'ReferralReceived',
      'MatchesProposed',
      'MatchingMeetingHeld',
    ]);
  });

  it('shows it, back-dated, from the instant it was recorded, with the options it was chosen from', async () => {
    const now = await api<Audit>(server, 'GET', '/v1/audit/children/amy', { token: TOKENS.auditor });
    const started = now.body.entries.find((e) => e.type === 'PlacementStarted');
    if (!started) throw new Error('no PlacementStarted in the audit');
    expect(started).toMatchObject({
      decision: 'Placement p-amy started in bed oak.b2',
      backDated: true,
      actor: { id: 'demo-placement-officer', role: 'placement-officer' },
    });
    expect(started.optionsOnTable).toMatchObject({
      engineVersion: 'matching-e2e',
      chosen: { standing: 'ranked', rank: 2 },
    });
    expect(now.body.entries.map((e) => e.streamId)).toEqual(
      expect.arrayContaining(['bed-oak.b2', 'referral-r-amy', 'child-amy']),
    );

    const atRecording = await api<Audit>(
      server,
      'GET',
      `/v1/audit/children/amy?asOf=${encodeURIComponent(started.recordedAt)}`,
      { token: TOKENS.auditor },
    );
    expect(atRecording.body.state.child?.placements).toEqual([
      expect.objectContaining({ placementId: 'p-amy', startDate: '2026-11-20' }),
    ]);
  });

  it("lists the proposal (ranked and excluded options) and the meeting's choice in the referral's audit", async () => {
    const res = await api<Audit>(server, 'GET', '/v1/audit/referrals/r-amy', { token: TOKENS.placement });
    expect(res.status).toBe(200);
    expect(res.body.state.status).toBe('Closed');
    const proposal = res.body.entries.find((e) => e.type === 'MatchesProposed');
    expect(proposal?.optionsOnTable).toMatchObject({
      engineVersion: 'matching-e2e',
      inputsHash: 'a'.repeat(64),
      options: [
        { rank: 1, unit: { settingId: 'elm', bedId: 'b1' } },
        { rank: 2, unit: { settingId: 'oak', bedId: 'b2' } },
      ],
      excluded: [{ reasons: ['approval terms: age range 0–8'] }],
    });
    const meeting = res.body.entries.find((e) => e.type === 'MatchingMeetingHeld');
    expect(meeting?.reasons).toEqual(
      expect.arrayContaining([
        'Impact on resident res-1: no-concerns (risks considered: physical-harm)',
        'Chosen: home oak, ranked 2 of 2 proposed',
      ]),
    );
    expect(res.body.entries.map((e) => e.type)).toEqual(
      expect.arrayContaining(['BedOccupied', 'PlacementStarted', 'ReferralClosed']),
    );
  });

  it('replays a bed on both axes: vacant that night as recorded before, occupied as recorded now', async () => {
    const before = await api<Audit>(server, 'GET', `/v1/audit/beds/oak/b2?asOf=${beforePlacement}&on=2026-11-20`, {
      token: TOKENS.auditor,
    });
    expect(before.body.night?.status).toBe('Vacant');
    const now = await api<Audit>(server, 'GET', '/v1/audit/beds/oak/b2?on=2026-11-20', { token: TOKENS.admin });
    expect(now.body.night?.status).toBe('Occupied');
    expect(now.body.on).toBe('2026-11-20');
    expect(now.body.entries.find((e) => e.type === 'BedOccupied')?.optionsOnTable?.chosen).toEqual({
      standing: 'ranked',
      rank: 2,
      score: 49,
    });
  });

  it('answers 400 for a malformed asOf and 404 for a child or bed with no record at that instant', async () => {
    for (const bad of ['2026-11-27', 'yesterday', '2026-11-27T10:00:00', '2026-02-30T10:00:00Z']) {
      const res = await api<{ errors: { field: string }[] }>(server, 'GET', `/v1/audit/children/amy?asOf=${bad}`, {
        token: TOKENS.auditor,
      });
      expect(res.status).toBe(400);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body.errors[0].field).toBe('asOf');
    }
    expect(
      (await api(server, 'GET', '/v1/audit/children/amy?asOf=2020-01-01T00:00:00Z', { token: TOKENS.auditor })).status,
    ).toBe(404);
    expect((await api(server, 'GET', '/v1/audit/children/nobody', { token: TOKENS.auditor })).status).toBe(404);
    expect((await api(server, 'GET', '/v1/audit/referrals/r-nobody', { token: TOKENS.auditor })).status).toBe(404);
    expect((await api(server, 'GET', '/v1/audit/beds/oak/b9', { token: TOKENS.auditor })).status).toBe(404);
    expect((await api(server, 'GET', '/v1/audit/children/amy?when=now', { token: TOKENS.auditor })).status).toBe(400);
  });

  it('lets auditors, admins, placement team replay children; not residential managers nor the tokenless', async () => {
    expect((await api(server, 'GET', '/v1/audit/children/amy', { token: TOKENS.admin })).status).toBe(200);
    expect((await api(server, 'GET', '/v1/audit/children/amy', { token: TOKENS.placement })).status).toBe(200);
    expect((await api(server, 'GET', '/v1/audit/children/amy', { token: TOKENS.manager })).status).toBe(403);
    expect((await api(server, 'GET', '/v1/audit/children/amy')).status).toBe(401);
    // The demo manager keeps no homes, so no bed of oak.
    expect((await api(server, 'GET', '/v1/audit/beds/oak/b2', { token: TOKENS.manager })).status).toBe(403);
    expect((await api(server, 'GET', '/v1/audit/verify', { token: TOKENS.placement })).status).toBe(403);
  });

  it('does not let an auditor write', async () => {
    const res = await api(server, 'POST', '/v1/referrals', {
      token: TOKENS.auditor,
      body: aReferral({ referralId: 'r-zed', childId: 'zed' }),
    });
    expect(res.status).toBe(403);
  });
});

/** A clock the test sets, so the file records events "on" chosen days before the server opens it. */
class FixedClock implements Clock {
  constructor(public at: string) {}
  now(): Date {
    return new Date(this.at);
  }
}

describe('audit over HTTP on a record written on chosen days, and verify', () => {
  let dir: string;
  const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}T10:00:00.000Z`;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'audit-e2e-'));
    const clock = new FixedClock(day(1));
    const store = await openSqliteEventStore({ path: path.join(dir, 'events.db'), clock });
    const registered: ChildRegistered = {
      type: 'ChildRegistered',
      data: {
        childId: 'bo',
        sex: 'M',
        dateOfBirth: '2011-01-01',
        localAuthority: 'E08000018',
        homePostcode: 'S61 1AA',
        categoryOfNeed: 'N1',
        ethnicity: null,
        upn: null,
      },
    };
    await store.append('child-bo', [
      { id: crypto.randomUUID(), type: registered.type, data: registered.data, metadata: metadata('register:bo') },
    ]);
    clock.at = day(10);
    const started: PlacementStarted = {
      type: 'PlacementStarted',
      data: {
        childId: 'bo',
        placementId: 'p-bo',
        unit: { kind: 'external', urn: 'SC999999', provider: { name: 'Acme Care', code: 'PR4' } },
        place: 'K2',
        placeProvider: 'PR4',
        legalStatus: 'C2',
        startDate: '2026-03-05',
        emergency: true,
        unmatchedEmergency: true,
        referralId: null,
        placementPostcode: 'S1 1AA',
        urn: 'SC999999',
        sameCarerAsPrevious: false,
        startsPeriodOfCare: true,
        stepDownId: null,
      },
    };
    await store.append('child-bo', [
      {
        id: crypto.randomUUID(),
        type: started.type,
        data: started.data,
        metadata: { ...metadata('place:p-bo'), effectiveAt: '2026-03-05T09:00:00.000Z' },
      },
    ]);
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a placement recorded on day 10, back-dated to day 5, is absent as of day 7 and present from day 10', async () => {
    const server = await startServer({}, { dir });
    try {
      const day7 = await api<Audit>(server, 'GET', `/v1/audit/children/bo?asOf=${day(7)}`, { token: TOKENS.auditor });
      expect(day7.status).toBe(200);
      expect(day7.body.state.child?.placements).toEqual([]);
      expect(day7.body.entries.map((e) => e.type)).toEqual(['ChildRegistered']);
      for (const asOf of [day(10), day(11)]) {
        const later = await api<Audit>(server, 'GET', `/v1/audit/children/bo?asOf=${asOf}`, { token: TOKENS.auditor });
        expect(later.body.state.child?.placements).toEqual([
          expect.objectContaining({ placementId: 'p-bo', startDate: '2026-03-05' }),
        ]);
        expect(later.body.entries[1]).toMatchObject({
          type: 'PlacementStarted',
          recordedAt: day(10),
          effectiveAt: '2026-03-05T09:00:00.000Z',
          backDated: true,
        });
      }
    } finally {
      await server.close({ keepFiles: true });
    }
  });

  it('verify reports an intact log and its head, then the altered row and the cut-off head', async () => {
    const first = await startServer({}, { dir });
    let head: string;
    try {
      const intact = await api<Verify>(first, 'GET', '/v1/audit/verify', { token: TOKENS.auditor });
      expect(intact.status).toBe(200);
      if (!intact.body.ok) throw new Error(`expected intact, got ${JSON.stringify(intact.body)}`);
      expect(intact.body.events).toBe(2);
      head = intact.body.head;
      expect(head).toMatch(/^1:[0-9a-f]{64}$/);
      expect((await api<Verify>(first, 'GET', `/v1/audit/verify?head=${head}`, { token: TOKENS.admin })).body.ok).toBe(
        true,
      );
      expect((await api(first, 'GET', '/v1/audit/verify?head=not-a-head', { token: TOKENS.admin })).status).toBe(400);
    } finally {
      await first.close({ keepFiles: true });
    }

    // Someone back-dates the record by hand: the placement's start date is edited in the file.
    const raw = new Database(path.join(dir, 'events.db'));
    const row = raw.prepare('SELECT data FROM events WHERE position = 1').get() as { data: string };
    raw.prepare('UPDATE events SET data = ? WHERE position = 1').run(row.data.replace('2026-03-05', '2026-03-01'));
    raw.close();

    const second = await startServer({}, { dir });
    try {
      const broken = await api<Verify>(second, 'GET', '/v1/audit/verify', { token: TOKENS.auditor });
      expect(broken.status).toBe(200);
      expect(broken.body).toMatchObject({ ok: false, brokenLink: { position: '1', streamId: 'child-bo' } });
    } finally {
      await second.close({ keepFiles: true });
    }

    // Restore nothing: instead cut the tail off, which only the recorded head can reveal.
    const cut = new Database(path.join(dir, 'events.db'));
    cut.exec('DELETE FROM events WHERE position = 1');
    cut.close();
    const third = await startServer({}, { dir });
    try {
      expect((await api<Verify>(third, 'GET', '/v1/audit/verify', { token: TOKENS.auditor })).body.ok).toBe(true);
      const gone = await api<Verify>(third, 'GET', `/v1/audit/verify?head=${head}`, { token: TOKENS.auditor });
      expect(gone.body.ok).toBe(false);
    } finally {
      await third.close({ keepFiles: true });
    }
  });
});

/** Every event of the log, in commit order. */
async function everyEvent(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll(all.length === 0 ? { maxCount: 5000 } : { after: all[all.length - 1].position });
    all.push(...page);
    if (page.length < 5000) return all;
  }
}

describe('audit over HTTP on the seeded estate: read through the index, exactly what a scan of the log gives', () => {
  let server: TestServer;
  const clock = new TestClock();

  beforeAll(async () => {
    server = await startServer({ SEED_DEMO_ESTATE: 'true' }, { clock });
    // A day later the README's matched placement: a new child in Beechcroft's free bed.
    clock.advance(86_400_000);
    await refer(server, { referralId: 'ref-idx-1', childId: 'idx-1', startDate: '2026-12-01' });
    await expectCreated(
      server,
      '/v1/referrals/ref-idx-1/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'mtg-idx-1', settingId: 'rmbc-ch-02', residents: ['c0004', 'c0005'] }),
    );
    clock.advance(3_600_000);
    await expectCreated(
      server,
      '/v1/placements',
      TOKENS.placement,
      aPlacement({
        placementId: 'pl-idx-1',
        childId: 'idx-1',
        referralId: 'ref-idx-1',
        settingId: 'rmbc-ch-02',
        bedId: 'b3',
        startDate: '2026-12-01',
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  it('gives every child, referral and bed the history a scan gives, now and as of instants across it', async () => {
    const store = await openSqliteEventStore({ path: server.sqlitePath, readonly: true });
    try {
      const events = await everyEvent(store);
      const ids = (prefix: string) => [
        ...new Set(events.filter((e) => e.streamId.startsWith(prefix)).map((e) => e.streamId.slice(prefix.length))),
      ];
      const children = ids('child-');
      const referrals = ids('referral-');
      const beds = ids('bed-').map((id) => id.split('.') as [string, string]);
      expect(children).toContain('idx-1');
      expect(beds.length).toBeGreaterThanOrEqual(18);
      // Now; partway through the seeding; between the meeting and the placement.
      const middle = events[Math.floor(events.length / 2)].metadata.recordedAt;
      const beforePlacement = new Date(Date.parse(events[events.length - 1].metadata.recordedAt) - 1_000).toISOString();
      const tonight = londonDateOf(clock.now().toISOString());
      const differing: string[] = [];
      let compared = 0;
      for (const asOf of [null, middle, beforePlacement]) {
        const query = asOf === null ? '' : `?asOf=${asOf}`;
        const check = async (route: string, scanned: unknown) => {
          const res = await api(server, 'GET', `${route}${query}`, { token: TOKENS.auditor });
          const expected = scanned === null ? 404 : 200;
          compared += 1;
          if (res.status !== expected || (scanned !== null && JSON.stringify(res.body) !== JSON.stringify(scanned)))
            differing.push(`${route}${query}`);
        };
        for (const childId of children)
          await check(`/v1/audit/children/${childId}`, await readChildAudit(store, childId, { asOf }));
        for (const referralId of referrals)
          await check(`/v1/audit/referrals/${referralId}`, await readReferralAudit(store, referralId, { asOf }));
        for (const [settingId, bedId] of beds)
          // Without asOf the route reads the bed's diary for tonight on the server's clock.
          await check(
            `/v1/audit/beds/${settingId}/${bedId}`,
            await readBedAudit(store, settingId, bedId, { asOf, on: asOf === null ? tonight : undefined }),
          );
      }
      expect(compared).toBe(3 * (children.length + referrals.length + beds.length));
      expect(differing).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
