import Database from 'better-sqlite3';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openSqliteEventStore, type EventStore, type RecordedEvent } from '@placement/event-store';
import { aHousehold, aMeeting, aPlacement, aReferral } from '@placement/test-support';
import { TestClock } from './support/clock';
import { expectCreated } from './support/fixtures';
import { api, LogCapture, startServer, TestServer, TOKENS } from './support/server';

/**
 * Issue 9, item 5: children's data never reaches the logs, and one child's full record can be
 * exported for a subject access request. The server logs through the same pino logger as
 * `npm start`, with every level on, into memory; the scan covers every field of every line,
 * the request and correlation ids included (clients choose those headers too).
 */
const root = path.resolve(__dirname, '../../..');
const run = promisify(execFile);
const README = readFileSync(path.join(root, 'README.md'), 'utf8');

/** The README flows it drives date themselves from the wall clock, so the server starts from now too. */
function startLoggedServer(log: LogCapture): Promise<TestServer> {
  const clock = new TestClock(new Date().toISOString());
  return startServer({ SEED_DEMO_ESTATE: 'true', LOG_LEVEL: 'verbose' }, { clock, logger: log });
}

function flow(name: string): string {
  const match = new RegExp(`<!-- flow:start ${name} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\s*<!-- flow:end -->`).exec(
    README,
  );
  if (!match) throw new Error(`README has no flow "${name}"`);
  return match[1];
}

/** Every string under `key` anywhere in a value. */
function valuesOf(value: unknown, key: string, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const item of value) valuesOf(item, key, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key && typeof v === 'string') out.add(v);
      else valuesOf(v, key, out);
    }
  }
  return out;
}

/** A business date as it might be written in a log: ISO, and the British day/month/year. */
function dateForms(iso: string): string[] {
  const [y, m, d] = iso.split('-');
  return [iso, `${d}/${m}/${y}`];
}

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const cliDir = path.join(root, 'apps/placement-cli/src');
  const result = spawnSync(
    process.execPath,
    ['-r', path.join(cliDir, 'testing/transpile-hook.js'), path.join(cliDir, 'main.ts'), ...args],
    { cwd: root, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SUBJECT = {
  childId: 'sar-child',
  referralId: 'ref-sar',
  dateOfBirth: '2011-09-23',
  homePostcode: 'S61 4QT',
  upn: 'H801200001001',
} as const;
const FREE_TEXT = 'Ellie told us she feels unsafe near the canal after school';

describe('data protection: what the logs never hold, and a subject access export', () => {
  const log = new LogCapture();
  let server: TestServer;
  let store: EventStore;
  let events: RecordedEvent[];
  let statuses: number[];

  beforeAll(async () => {
    server = await startLoggedServer(log);
    const statusesSeen: number[] = [];
    const call = async (method: string, route: string, token: string, body?: unknown) => {
      const res = await api(server, method, route, { token, body });
      statusesSeen.push(res.status);
      return res;
    };

    // The README's two flows, exactly as a new user runs them, against the seeded estate.
    for (const name of ['matched-placement', 'step-down']) {
      await run(
        'bash',
        ['-c', `set -euo pipefail\n${flow(name).replace('API=http://localhost:3000', `API=${server.baseUrl}`)}`],
        { timeout: 30_000 },
      );
    }

    // A case-study flow with a UPN, free text and every kind of refusal on the way.
    const referral = aReferral({
      referralId: SUBJECT.referralId,
      childId: SUBJECT.childId,
      startDate: '2026-12-02',
      child: { dateOfBirth: SUBJECT.dateOfBirth },
    });
    await expectCreated(server, '/v1/referrals', TOKENS.placement, {
      ...referral,
      child: { ...referral.child, homePostcode: SUBJECT.homePostcode, upn: SUBJECT.upn, ethnicity: 'WBRI' },
    });
    await call('POST', '/v1/referrals', TOKENS.placement, {
      ...referral,
      child: { ...referral.child, dateOfBirth: '2011-02-30', upn: 'not-a-upn' },
    });
    await call(
      'POST',
      '/v1/placements',
      TOKENS.placement,
      aPlacement({
        placementId: 'pl-sar',
        childId: SUBJECT.childId,
        referralId: SUBJECT.referralId,
        settingId: 'rmbc-ch-01',
        bedId: 'b1',
      }),
    );
    const meeting = {
      ...aMeeting({ meetingId: 'mtg-sar', settingId: 'rmbc-ch-01' }),
      reasons: [{ code: 'NEEDS_MET', text: FREE_TEXT }],
    };
    await call('POST', `/v1/referrals/${SUBJECT.referralId}/matching-meetings`, TOKENS.placement, meeting);
    await call('POST', `/v1/referrals/${SUBJECT.referralId}/matching-meetings`, TOKENS.auditor, meeting);
    await call('POST', `/v1/referrals/${SUBJECT.referralId}/holds`, TOKENS.placement, {
      settingId: 'rmbc-ch-01',
      bedId: 'b9',
      until: '2026-12-01T18:00:00Z',
    });
    await call('GET', `/v1/children/${SUBJECT.upn}`, TOKENS.auditor);
    // Child data in the id headers: a request id that is not a UUID or hex is replaced, a
    // correlation id (which the API accepts) is logged as a digest.
    for (const [i, id] of [SUBJECT.upn, SUBJECT.dateOfBirth, 'Ellie-canal-2011-09-23'].entries()) {
      await api(server, 'POST', '/v1/foster-households', {
        token: TOKENS.admin,
        body: aHousehold({ householdId: `sar-hdr-${i}` }),
        headers: { 'x-request-id': id, 'x-correlation-id': id },
      });
    }
    await call('POST', '/v1/foster-households', TOKENS.admin, aHousehold({ householdId: 'sar-fh' }));
    await call('POST', '/v1/placements', TOKENS.placement, {
      ...aPlacement({
        placementId: 'pl-sar',
        childId: SUBJECT.childId,
        referralId: SUBJECT.referralId,
        settingId: 'rmbc-ch-01',
        bedId: 'b1',
      }),
      unit: { kind: 'household', householdId: 'sar-fh' },
      place: 'U4',
    });
    await call('GET', `/v1/audit/children/${SUBJECT.childId}`, TOKENS.auditor);
    await call('GET', `/v1/audit/access?childId=${SUBJECT.childId}&from=2020-01-01`, TOKENS.auditor);
    await call('GET', `/v1/referrals/${SUBJECT.referralId}/matches?detail=summary&limit=3`, TOKENS.placement);
    await call('POST', '/v1/placements/pl-sar/end', TOKENS.placement, {
      endDate: '2026-12-20',
      reasonForChange: 'CARPL',
      reasonEpisodeCeased: null,
    });
    await call('POST', '/v1/step-downs', TOKENS.placement, {
      stepDownId: 'sd-sar',
      childId: SUBJECT.childId,
      toHouseholdId: 'sar-fh',
      placementType: 'long-term',
      plannedDate: '2027-01-15',
      safetyPlan: null,
      milestones: [],
    });

    // A 5xx: another process holds the write lock past the store's busy timeout
    // while a referral carrying a child's facts arrives.
    const lock = new Database(server.sqlitePath);
    lock.exec('BEGIN EXCLUSIVE');
    try {
      await call('POST', '/v1/referrals', TOKENS.placement, {
        ...aReferral({ referralId: 'ref-sar-2', childId: 'sar-child-2', child: { dateOfBirth: '2010-01-31' } }),
        child: { ...referral.child, dateOfBirth: '2010-01-31', upn: 'X801200001002' },
      });
    } finally {
      lock.exec('ROLLBACK');
      lock.close();
    }
    statuses = statusesSeen;

    store = await openSqliteEventStore({ path: server.sqlitePath, readonly: true });
    events = await store.readAll();
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await server?.close();
  });

  it('drove successes, refusals of every kind and a server error', () => {
    expect([...new Set(statuses)].sort()).toEqual(expect.arrayContaining([201, 400, 403, 404, 409, 422]));
    expect(statuses.filter((s) => s >= 500)).toHaveLength(1);
    // The capture saw what `npm start` logs: request lines and the error line, each with its request's id.
    const entries = log.entries();
    expect(entries.some((e) => e['msg'] === 'request' && e['route'] === '/v1/children/:id')).toBe(true);
    const errors = entries.filter((e) => e['level'] === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        msg: 'unhandled error',
        error: 'StoreUnavailableError',
        route: '/v1/referrals',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        correlationId: expect.any(String),
      }),
    ]);
    expect(entries.filter((e) => e['requestId'] === errors[0]['requestId']).map((e) => e['msg'])).toEqual([
      'unhandled error',
      'request',
    ]);
    expect(entries.filter((e) => e['msg'] === 'request').every((e) => typeof e['requestId'] === 'string')).toBe(true);
  });

  it('logs no child date of birth, home postcode, UPN or free-text reason', () => {
    const children = events.filter((e) => e.type === 'ChildRegistered' || e.type === 'ReferralReceived');
    const datesOfBirth = valuesOf(
      children.map((e) => e.data),
      'dateOfBirth',
    );
    const postcodes = valuesOf(
      children.map((e) => e.data),
      'homePostcode',
    );
    const upns = valuesOf(
      events.map((e) => e.data),
      'upn',
    );
    const reasons = valuesOf(
      events.filter((e) => e.type === 'MatchingMeetingHeld').map((e) => e.data),
      'text',
    );
    // Not a vacuous scan: the seeded estate, the README's child and ours are all there.
    expect(datesOfBirth.size).toBeGreaterThan(50);
    expect(datesOfBirth).toContain(SUBJECT.dateOfBirth);
    expect(datesOfBirth).toContain('2012-05-14');
    expect(postcodes).toContain(SUBJECT.homePostcode);
    expect(upns).toContain(SUBJECT.upn);
    expect(reasons).toContain(FREE_TEXT);

    const needles = [
      ...[...datesOfBirth].flatMap(dateForms).map((n) => ['date of birth', n]),
      ...[...postcodes].flatMap((p) => [p, p.replace(' ', '')]).map((n) => ['home postcode', n]),
      ...[...upns, 'X801200001002', '2010-01-31'].map((n) => ['UPN or refused child data', n]),
      ...[...reasons].map((n) => ['free-text reason', n]),
      ['child data sent as a request or correlation id', 'Ellie-canal'],
    ];
    const text = log.lines.join('\n').toUpperCase();
    const found = needles
      .filter(([, needle]) => text.includes(needle.toUpperCase()))
      .map(([what, needle]) => `${what}: ${needle}`);
    expect(found).toEqual([]);
    expect(log.lines.length).toBeGreaterThan(20);
  });

  describe('subject access export: npm run cli -- export-child <id>', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'placement-sar-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    interface Exported {
      stream: string;
      position: string;
      recordedAt: string;
      actorRole: string;
      type: string;
      data: unknown;
    }
    interface Export {
      subjectAccessExport: { childId: string; eventCount: number };
      child: Exported[];
      referrals: Record<string, Exported[]>;
      units: Exported[];
    }
    const positions = (list: { position: bigint | string }[]) => list.map((e) => String(e.position));

    it("writes every event of the child's stream, referrals and unit events naming it, while the API runs", () => {
      const out = path.join(dir, 'demo-1.json');
      const result = cli('export-child', 'demo-1', '--db', server.sqlitePath, '--out', out);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^exported child demo-1: \d+ events/);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const record = JSON.parse(readFileSync(out, 'utf8')) as Export;

      const own = events.filter((e) => e.streamId === 'child-demo-1');
      expect(positions(record.child)).toEqual(positions(own));
      expect(record.child.map((e) => e.type)).toEqual(
        expect.arrayContaining([
          'ChildRegistered',
          'PlacementStarted',
          'StepDownPlanned',
          'StepDownMilestoneRecorded',
          'StepDownCompleted',
        ]),
      );
      expect(record.child[0]).toEqual({
        stream: 'child-demo-1',
        revision: '0',
        position: String(own[0].position),
        recordedAt: own[0].metadata.recordedAt,
        actorRole: 'placement-officer',
        type: own[0].type,
        data: own[0].data,
      });

      expect(Object.keys(record.referrals)).toEqual(['ref-demo-1']);
      expect(positions(record.referrals['ref-demo-1'])).toEqual(
        positions(events.filter((e) => e.streamId === 'referral-ref-demo-1')),
      );

      const unitEvents = events.filter(
        (e) => /^(bed|household|contract)-/.test(e.streamId) && (e.data as { childId?: string }).childId === 'demo-1',
      );
      expect(positions(record.units)).toEqual(positions(unitEvents));
      expect(record.units.map((e) => `${e.stream} ${e.type}`)).toEqual(
        expect.arrayContaining([
          'bed-rmbc-ch-02.b3 BedOccupied',
          'bed-rmbc-ch-02.b3 BedVacated',
          'household-rmbc-fh-001 ChildPlacedWithHousehold',
        ]),
      );
      expect(record.subjectAccessExport).toMatchObject({
        childId: 'demo-1',
        eventCount: own.length + record.referrals['ref-demo-1'].length + unitEvents.length,
      });

      // Only this child: no other child's date of birth, and staff are named by role, not identity.
      const text = readFileSync(out, 'utf8');
      const others = valuesOf(
        events.filter((e) => e.type === 'ChildRegistered' && e.streamId !== 'child-demo-1').map((e) => e.data),
        'dateOfBirth',
      );
      others.delete('2012-05-14');
      expect([...others].filter((dob) => text.includes(dob))).toEqual([]);
      expect(text).not.toContain('demo-placement-officer');
      expect(text).not.toContain('demo-residential-manager');
    });

    it('prints the same record to standard output without --out', () => {
      const result = cli('export-child', SUBJECT.childId, '--db', server.sqlitePath);
      expect(result.status).toBe(0);
      const record = JSON.parse(result.stdout) as Export;
      expect(positions(record.child)).toEqual(
        positions(events.filter((e) => e.streamId === `child-${SUBJECT.childId}`)),
      );
      expect(Object.keys(record.referrals)).toEqual([SUBJECT.referralId]);
      expect(result.stdout).toContain(FREE_TEXT);
    });

    it('never overwrites a file, and says so when the child is not in the record', () => {
      const out = path.join(dir, 'again.json');
      expect(cli('export-child', 'demo-1', '--db', server.sqlitePath, '--out', out).status).toBe(0);
      const first = readFileSync(out, 'utf8');
      const again = cli('export-child', SUBJECT.childId, '--db', server.sqlitePath, '--out', out);
      expect(again.status).toBe(2);
      expect(again.stderr).toMatch(/the file exists/);
      expect(readFileSync(out, 'utf8')).toBe(first);

      const missing = cli(
        'export-child',
        'nobody-here',
        '--db',
        server.sqlitePath,
        '--out',
        path.join(dir, 'nobody.json'),
      );
      expect(missing).toMatchObject({
        status: 1,
        stdout: '',
        stderr: 'export-child: the record has no child nobody-here\n',
      });
      expect(() => statSync(path.join(dir, 'nobody.json'))).toThrow();
      expect(cli('export-child', '../etc', '--db', server.sqlitePath).status).toBe(2);
      expect(cli('export-child', 'demo-1', '--db', path.join(dir, 'no.db')).status).toBe(2);
    });
  });
});
