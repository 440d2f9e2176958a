import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteEventStore } from '@placement/event-store';
import {
  checkReturn,
  EPISODES_COLUMNS,
  exportReturn,
  generateAuthority,
  HEADER_COLUMNS,
  planImport,
} from '@placement/ssda903';
import { applyImportPlan } from '@placement/api';
import {
  aChildRegistered,
  aHousehold,
  aMeeting,
  aPlacement,
  aPlacementStarted,
  writtenBy,
} from '@placement/test-support';
import { TestClock } from './support/clock';
import { api, startServer, withServer, TestServer, TOKENS } from './support/server';
import { expectCreated, homeWithResidents, refer } from './support/fixtures';

const realPostcodes = new Set(
  readFileSync(path.resolve(__dirname, '../../../reference-data/postcodes-rotherham.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0])
    .filter((p) => p !== ''),
);
// The demo estate is seeded as at November 2026: the 2026/27 return (year 2027) holds every open placement.
const YEAR = 2027;

async function csv(server: TestServer, file: 'episodes' | 'header', token: string, year: string | number = YEAR) {
  const res = await fetch(`${server.baseUrl}/v1/exports/ssda903/${file}.csv?year=${year}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    disposition: res.headers.get('content-disposition') ?? '',
    excluded: res.headers.get('x-ssda903-excluded-children'),
    link: res.headers.get('link'),
    text: await res.text(),
  };
}

interface Report {
  year: number;
  label: string;
  episodes: number;
  children: number;
  excluded: { childId: string; problems: string[] }[];
  warnings: string[];
  dfeRules: {
    run: { code: string; message: string }[];
    failures: { rule: string; file: string; line: number; child: string }[];
  };
}
const report = (server: TestServer, year: number, token: string = TOKENS.auditor) =>
  api<Report>(server, 'GET', `/v1/exports/ssda903/report?year=${year}`, { token });
const rowsOf = (text: string): Record<string, string>[] => parse(text, { columns: true, skip_empty_lines: true });
/** A log in a fresh folder holding `streams` as recorded earlier, by a writer before today's checks: the folder. */
async function legacyLog(streams: Record<string, { type: string; data: object }[]>): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'placement-e2e-'));
  const store = await openSqliteEventStore({ path: path.join(dir, 'events.db') });
  for (const [streamId, events] of Object.entries(streams))
    await store.append(streamId, writtenBy({ id: 'legacy', role: 'admin' }, events));
  await store.close();
  return dir;
}

describe('GET /v1/exports/ssda903/*.csv on the seeded Rotherham estate', () => {
  const server = withServer({ SEED_DEMO_ESTATE: 'true' });

  it('gives an auditor the episodes file: DfE columns, real Rotherham postcodes, ONS-valid URNs', async () => {
    const res = await csv(server, 'episodes', TOKENS.auditor);
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/csv/);
    expect(res.disposition).toBe(`attachment; filename="ssda903-${YEAR}-episodes.csv"`);
    expect(res.text.split(/\r?\n/)[0]).toBe(EPISODES_COLUMNS.join(','));
    const rows = rowsOf(res.text);
    expect(rows.length).toBeGreaterThan(40);
    for (const row of rows) {
      for (const column of ['HOME_POST', 'PL_POST'] as const) {
        if (row[column] !== '')
          expect({ child: row['CHILD'], column, known: realPostcodes.has(row[column]) }).toEqual({
            child: row['CHILD'],
            column,
            known: true,
          });
      }
      expect(row['URN']).toMatch(/^(SC\d{6}|XXXXXXX)$/);
      if (['K1', 'K2', 'K3'].includes(row['PLACE'])) expect(row['URN']).toMatch(/^SC\d{6}$/);
      expect(row['DECOM']).toMatch(/^\d\d\/\d\d\/\d{4}$/);
    }
    expect(rows.some((r) => r['PLACE'] === 'K2')).toBe(true);
    expect(rows.some((r) => /^U[1-6]$/.test(r['PLACE']))).toBe(true);
  });

  it('gives an admin the header file with one row per child in the episodes file', async () => {
    const episodes = rowsOf((await csv(server, 'episodes', TOKENS.admin)).text);
    const res = await csv(server, 'header', TOKENS.admin);
    expect(res.status).toBe(200);
    expect(res.disposition).toBe(`attachment; filename="ssda903-${YEAR}-header.csv"`);
    expect(res.text.split(/\r?\n/)[0]).toBe(HEADER_COLUMNS.join(','));
    const header = rowsOf(res.text);
    expect(header.map((h) => h['CHILD']).sort()).toEqual([...new Set(episodes.map((e) => e['CHILD']))].sort());
    for (const h of header) expect(h['SEX']).toMatch(/^[MFU]$/);
  });

  // The 2025/26 return (the last whole year as at the seed date) and 2026/27 so far.
  it.each([2026, 2027])(
    'gives a %s return that passes the DfE’s rules (393, 442 and the rest), with no child left out',
    async (year) => {
      const episodes = await csv(server, 'episodes', TOKENS.auditor, year);
      const header = await csv(server, 'header', TOKENS.auditor, year);
      const checked = checkReturn({ episodesCsv: episodes.text, headerCsv: header.text }, year);
      expect(checked.rules.length).toBeGreaterThan(100);
      expect(checked.rules.map((r) => r.code)).toEqual(expect.arrayContaining(['393', '442', '218', '359']));
      expect(checked.failures).toEqual([]);
      expect(episodes.excluded).toBe('0');
      const res = await report(server, year);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ year, excluded: [], dfeRules: { failures: [] } });
      expect(res.body.dfeRules.run).toHaveLength(checked.rules.length);
      const rows = rowsOf(header.text);
      expect(rows.length).toBeGreaterThan(40);
      for (const row of rows) {
        expect(row['UPN']).toMatch(/^([A-HJ-NP-RT-Z]\d{12}|UN[235])$/);
        if (row['SEX'] === 'F') expect(row['MOTHER']).toMatch(/^[01]$/);
        else expect(row['MOTHER']).toBe('');
      }
    },
  );

  it('leaves no seeded child out of 2026/27: c0062, in supported accommodation (K3), has its URN', async () => {
    const episodes = rowsOf((await csv(server, 'episodes', TOKENS.auditor)).text);
    expect(episodes.filter((r) => r['CHILD'] === 'c0062')).toEqual([
      expect.objectContaining({ PLACE: 'K3', URN: expect.stringMatching(/^SC\d{6}$/) }),
    ]);
    const header = rowsOf((await csv(server, 'header', TOKENS.auditor)).text);
    expect(header.some((r) => r['MOTHER'] === '1' && /^\d\d\/\d\d\/\d{4}$/.test(r['MC_DOB']))).toBe(true);
  });

  it('links each file to the report of who was left out and the DfE’s rules', async () => {
    const res = await csv(server, 'header', TOKENS.admin);
    expect(res.link).toBe(`</v1/exports/ssda903/report?year=${YEAR}>; rel="describedby"; type="application/json"`);
    expect((await report(server, YEAR, TOKENS.admin)).status).toBe(200);
    expect((await report(server, YEAR, TOKENS.placement)).status).toBe(403);
    expect((await report(server, YEAR, TOKENS.manager)).status).toBe(403);
  });

  it('refuses a placement officer and a residential manager (403) and no token (401)', async () => {
    expect((await csv(server, 'episodes', TOKENS.placement)).status).toBe(403);
    expect((await csv(server, 'header', TOKENS.manager)).status).toBe(403);
    expect((await fetch(`${server.baseUrl}/v1/exports/ssda903/episodes.csv?year=${YEAR}`)).status).toBe(401);
  });

  it.each(['1999', '2101', 'abc', '2025.5', ''])('refuses year=%s with a problem document (400)', async (year) => {
    const res = await api<{ status: number }>(server, 'GET', `/v1/exports/ssda903/episodes.csv?year=${year}`, {
      token: TOKENS.auditor,
    });
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/application\/problem\+json/);
  });

  it('refuses a missing year and an unknown query field (400)', async () => {
    expect((await api(server, 'GET', '/v1/exports/ssda903/episodes.csv', { token: TOKENS.auditor })).status).toBe(400);
    expect(
      (await api(server, 'GET', `/v1/exports/ssda903/episodes.csv?year=${YEAR}&format=xlsx`, { token: TOKENS.auditor }))
        .status,
    ).toBe(400);
  });
});

describe('GET /v1/exports/ssda903/episodes.csv escapes what a spreadsheet would run', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Values the API's validation would refuse today, recorded earlier (or by another writer):
    // the export must still defuse them.
    const dir = await legacyLog({
      'child-c-1': [
        aChildRegistered({
          childId: 'c-1',
          dateOfBirth: '2012-01-01',
          homePostcode: '=HYPERLINK("http://x.example","S60 1AA")',
          ethnicity: 'WBRI',
        }),
        aPlacementStarted({
          childId: 'c-1',
          placementId: 'p-1',
          unit: { kind: 'household', householdId: 'h-1' },
          place: 'U6',
          startDate: '2024-06-01',
          placementPostcode: '+SUM(1,2)',
          urn: null,
        }),
      ],
    });
    server = await startServer({}, { dir });
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('prefixes a cell that starts with = or + so it is text, and no cell starts like a formula', async () => {
    const res = await csv(server, 'episodes', TOKENS.auditor, 2025);
    expect(res.status).toBe(200);
    const [row] = rowsOf(res.text);
    expect(row['HOME_POST']).toBe(`'=HYPERLINK("http://x.example","S60 1AA")`);
    expect(row['PL_POST']).toBe(`'+SUM(1,2)`);
    for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('a child left out of the return is named, with why', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Recorded before today's checks: a placement in a children's home with no URN, beside a child who is fine.
    const child = (childId: string, urn: string | null) => [
      aChildRegistered({
        childId,
        sex: 'M',
        dateOfBirth: '2011-04-04',
        ethnicity: 'WBRI',
        upn: 'W372200125001',
      }),
      aPlacementStarted({ childId, startDate: '2025-06-01', placementPostcode: 'S61 2BB', urn }),
    ];
    const dir = await legacyLog({ 'child-gap': child('gap', null), 'child-kim': child('kim', 'SC123456') });
    server = await startServer({}, { dir });
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('counts them on the CSV, which stays the DfE’s file, and the report names each with the rule', async () => {
    const episodes = await csv(server, 'episodes', TOKENS.auditor, 2026);
    expect(episodes.status).toBe(200);
    expect(episodes.excluded).toBe('1');
    expect(episodes.link).toBe('</v1/exports/ssda903/report?year=2026>; rel="describedby"; type="application/json"');
    expect(rowsOf(episodes.text).map((r) => r['CHILD'])).toEqual(['kim']);
    const res = await report(server, 2026);
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({
      year: 2026,
      label: '2025/26',
      episodes: 1,
      children: 1,
      excluded: [
        {
          childId: 'gap',
          problems: [
            'period 1 (from 2025-06-01), placement 1 (from 2025-06-01): K2 is a registered setting and needs its URN',
          ],
        },
      ],
      dfeRules: { failures: [] },
    });
    // Ids and rules only: the report carries no date of birth or postcode.
    expect(JSON.stringify(res.body)).not.toMatch(/2011-04-04|04\/04\/2011|S60 1AA|S61 2BB/);
  });
});

describe('the API on a store an SSDA903 return was imported into', () => {
  let server: TestServer;
  const { histories } = generateAuthority({
    seed: 467,
    children: 500,
    postcodes: [...realPostcodes],
    from: '2019-04-01',
    until: '2026-03-31',
  });
  const file = exportReturn(histories, 2026);
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'placement-e2e-'));
    const store = await openSqliteEventStore({ path: path.join(dir, 'events.db') });
    const plan = await planImport({ episodes: file.episodesCsv, header: file.headerCsv }, { collectionYear: 2026 });
    expect(plan.report.ok).toBe(true);
    await applyImportPlan(store, plan, {
      localAuthority: 'E08000018',
      actor: { id: 'operator', role: 'admin' },
      correlationId: randomUUID(),
    });
    await store.close();
    server = await startServer({}, { dir });
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('starts, and serves back the imported return for its year', async () => {
    expect((await api(server, 'GET', '/health')).status).toBe(200);
    const episodes = await csv(server, 'episodes', TOKENS.auditor, 2026);
    const header = await csv(server, 'header', TOKENS.auditor, 2026);
    expect(episodes.status).toBe(200);
    expect(episodes.text).toBe(file.episodesCsv);
    expect(header.text).toBe(file.headerCsv);
  });
});

describe('a step-down made over HTTP, in the return', () => {
  let server: TestServer;
  const clock = new TestClock('2026-11-30T09:00:00Z');
  beforeAll(async () => {
    server = await startServer({}, { clock });
    await homeWithResidents(server, 'oak', 2, ['res-1']);
    await expectCreated(server, '/v1/foster-households', TOKENS.admin, aHousehold({ householdId: 'fh-1' }));
    await refer(server, { referralId: 'r-amy', childId: 'amy' });
    await expectCreated(
      server,
      '/v1/referrals/r-amy/matching-meetings',
      TOKENS.placement,
      aMeeting({ meetingId: 'm-amy', settingId: 'oak', residents: ['res-1'] }),
    );
    await expectCreated(
      server,
      '/v1/placements',
      TOKENS.placement,
      aPlacement({ placementId: 'p-amy', childId: 'amy', referralId: 'r-amy', settingId: 'oak', bedId: 'b2' }),
    );
    const safetyPlan = {
      summaryProvided: true,
      reviewDate: '2027-02-01',
      contingencyAgreed: true,
      leadRole: 'supervising-social-worker',
    };
    await expectCreated(server, '/v1/step-downs', TOKENS.placement, {
      stepDownId: 'sd-amy',
      childId: 'amy',
      toHouseholdId: 'fh-1',
      placementType: 'long-term',
      plannedDate: '2027-01-15',
      milestones: [],
      safetyPlan,
    });
    // Completed on the day it happened: a step-down is recorded once it is a fact.
    clock.moveTo('2027-01-15T16:00:00Z');
    await expectCreated(server, '/v1/step-downs/sd-amy/complete', TOKENS.placement, {
      newPlacementId: 'p-amy-fh',
      date: '2027-01-15',
      place: 'U4',
    });
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('ends the home episode X1 with LAREQ and starts the foster one with P (new placement and carer)', async () => {
    const res = await csv(server, 'episodes', TOKENS.auditor, 2027);
    expect(res.status).toBe(200);
    expect(res.text.split(/\r?\n/).filter((line) => line.startsWith('amy,'))).toEqual([
      'amy,30/11/2026,S,C2,N1,K2,PR1,15/01/2027,X1,LAREQ,S61 1AA,S60 1AA,SC100001',
      'amy,15/01/2027,P,C2,N1,U4,PR1,,,,S61 1AA,S65 1AA,XXXXXXX',
    ]);
  });
});
