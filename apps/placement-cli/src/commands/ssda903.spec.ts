import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { aSettingRegistered } from '@placement/domain/testing';
import { openSqliteEventStore } from '@placement/event-store';
import { exportReturn, generateAuthority } from '@placement/ssda903';
import { aChildRegistered, aPlacementStarted, writtenBy } from '@placement/test-support';
import { runCli } from '../testing/run-cli';

// The operator's import and export of the SSDA903 return, run as the real CLI in its own process
// against SQLite files in a temp folder.

const root = resolve(__dirname, '../../../..');

const cli = (...args: string[]) => runCli(args);

const postcodes = readFileSync(join(root, 'reference-data/postcodes-rotherham.csv'), 'utf8')
  .split('\n')
  .slice(1)
  .map((line) => line.split(',')[0])
  .filter((p) => p !== '');
const { histories } = generateAuthority({
  seed: 2025,
  children: 520,
  postcodes,
  from: '2019-04-01',
  until: '2026-03-31',
});
const file = exportReturn(histories, 2025);

async function headOf(db: string): Promise<bigint> {
  const store = await openSqliteEventStore({ path: db, readonly: true });
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}

async function childEvents(db: string, childId: string): Promise<number> {
  const store = await openSqliteEventStore({ path: db, readonly: true });
  try {
    return (await store.readStream(`child-${childId}`)).length;
  } finally {
    await store.close();
  }
}

const sortedLines = (csv: string) => {
  const [header, ...rows] = csv.trimEnd().split(/\r?\n/);
  return [header, ...rows.sort()];
};
const lines = (csv: string) => csv.trimEnd().split(/\r?\n/);
/** The file with data row `n` (1-based) changed by `change`, which gets the row's cells by column. */
function withRow(csv: string, n: number, change: (cells: Record<string, string>) => void): string {
  const [header, ...rows] = lines(csv);
  const columns = header.split(',');
  const cells = Object.fromEntries(rows[n - 1].split(',').map((c, i) => [columns[i], c]));
  change(cells);
  rows[n - 1] = columns.map((c) => cells[c]).join(',');
  return [header, ...rows].join('\r\n') + '\r\n';
}

jest.setTimeout(300_000);

describe('placement-cli import/export ssda903', () => {
  let dir: string;
  let episodes: string;
  let header: string;
  const write = (name: string, text: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'placement-cli-ssda903-'));
    episodes = write('episodes.csv', file.episodesCsv);
    header = write('header.csv', file.headerCsv);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a 520-child return, exports the year byte for byte once ordered; a re-import writes none', async () => {
    expect(file.children).toBeGreaterThanOrEqual(300);
    const db = join(dir, 'authority.db');
    const first = cli('import', 'ssda903', '--episodes', episodes, '--header', header, '--db', db);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`"childrenWritten":${file.children}`);
    expect(first.stdout).toMatch(/external setting created: imported-sc\d{6} \(URN SC\d{6}\)/);
    const head = await headOf(db);
    expect(head).toBeGreaterThan(BigInt(file.episodes));

    const second = cli('import', 'ssda903', '--episodes', episodes, '--header', header, '--db', db);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('"childrenWritten":0');
    expect(await headOf(db)).toBe(head);

    const out = join(dir, 'out');
    const exported = cli('export', 'ssda903', '--year', '2025', '--out', out, '--db', db);
    expect(exported.status).toBe(0);
    expect(sortedLines(readFileSync(join(out, 'episodes.csv'), 'utf8'))).toEqual(sortedLines(file.episodesCsv));
    expect(sortedLines(readFileSync(join(out, 'header.csv'), 'utf8'))).toEqual(sortedLines(file.headerCsv));
    // Whoever exports the return reads every child in it: one access-log entry per child, beside the event log.
    const accessLog = new Database(join(dir, 'access-log.db'), { readonly: true });
    const entries = accessLog.prepare('SELECT route, role, child_id FROM access_log ORDER BY seq').all() as {
      route: string;
      role: string;
      child_id: string;
    }[];
    accessLog.close();
    expect(entries.every((e) => e.route === 'cli export ssda903' && e.role === 'operator')).toBe(true);
    expect(entries.map((e) => e.child_id).sort()).toEqual(
      lines(file.headerCsv)
        .slice(1)
        .map((row) => row.split(',')[0])
        .sort(),
    );
  });

  it('writes nothing on a dry run, and says what it would do', () => {
    const db = join(dir, 'dry.db');
    const result = cli('import', 'ssda903', '--episodes', episodes, '--header', header, '--db', db, '--dry-run');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/dry run: nothing written; \d+ commands for \d+ children would be applied/);
    expect(existsSync(db)).toBe(false);
  });

  describe('refuses bad files with a report and writes nothing', () => {
    let db: string;
    beforeAll(async () => {
      // A store that already holds something, so "nothing written" is a head position that did not move.
      db = join(dir, 'bad.db');
      const store = await openSqliteEventStore({ path: db });
      await store.append('setting-home-1', [
        {
          id: randomUUID(),
          type: 'SettingRegistered',
          data: aSettingRegistered({ settingId: 'home-1' }).data,
          metadata: {
            commandId: randomUUID(),
            correlationId: randomUUID(),
            causationId: randomUUID(),
            actor: { id: 'admin', role: 'admin' },
          },
        },
      ]);
      await store.close();
    });

    const [columns] = lines(file.episodesCsv);
    const cases: { name: string; episodes: () => string | Buffer; status: number; report: RegExp }[] = [
      {
        name: 'a missing column',
        episodes: () =>
          lines(file.episodesCsv)
            .map((l) => l.split(',').slice(0, -1).join(','))
            .join('\n'),
        status: 2,
        report: /refused: episodes-a-missing-column\.csv line 1, column URN: column URN is missing/,
      },
      {
        name: 'an extra column',
        episodes: () =>
          lines(file.episodesCsv)
            .map((l, i) => `${l},${i === 0 ? 'NOTES' : ''}`)
            .join('\n'),
        status: 2,
        report: /line 1, column NOTES: column "NOTES" is not an SSDA903 column/,
      },
      {
        name: 'a wrong date format',
        episodes: () => withRow(file.episodesCsv, 3, (c) => (c['DECOM'] = '2024-06-01')),
        status: 1,
        report: /line 4, column DECOM: /,
      },
      {
        name: 'an unknown code',
        episodes: () => withRow(file.episodesCsv, 5, (c) => (c['PLACE'] = 'K9')),
        status: 1,
        report: /line 6, column PLACE: /,
      },
      {
        name: '50 MB of junk',
        episodes: () => randomBytes(50 * 1024 * 1024),
        status: 2,
        report: /refused: episodes-50-mb-of-junk\.csv line \d+: (not a readable CSV|file is larger than)/i,
      },
      {
        name: 'a formula injection',
        episodes: () => withRow(file.episodesCsv, 2, (c) => (c['CHILD'] = "=cmd|' /C calc'!A0")),
        status: 1,
        report: /line 3, column CHILD: .*formula/,
      },
    ];
    it.each(cases)('$name', async (c) => {
      expect(columns).toBe(
        'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
      );
      const bad = write(`episodes-${c.name.replace(/\W+/g, '-')}.csv`, c.episodes());
      const before = await headOf(db);
      const result = cli('import', 'ssda903', '--episodes', bad, '--header', header, '--db', db, '--year', '2025');
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: c.status, stderr: '' });
      expect(result.stdout).toMatch(c.report);
      expect(result.stdout).toContain('"nothingToWrite":true');
      expect(await headOf(db)).toBe(before);
    });

    it('never repeats a date of birth in the report', async () => {
      const badDob = withRow(file.headerCsv, 1, (c) => (c['DOB'] = '31/02/2011'));
      const before = await headOf(db);
      const result = cli(
        'import',
        'ssda903',
        '--episodes',
        episodes,
        '--header',
        write('header-bad-dob.csv', badDob),
        '--db',
        db,
      );
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/refused: header-bad-dob\.csv line 2, column DOB: /);
      expect(result.stdout).not.toContain('31/02/2011');
      const dobs = lines(file.headerCsv)
        .slice(1)
        .map((l) => l.split(',')[2]);
      for (const dob of dobs) expect(result.stdout).not.toContain(dob);
      expect(await headOf(db)).toBe(before);
    });

    it('with --accept-valid-rows imports every other child and still exits 1', async () => {
      const badRow = withRow(file.episodesCsv, 1, (c) => (c['LS'] = 'C9'));
      const badChild = lines(file.episodesCsv)[1].split(',')[0];
      const before = await headOf(db);
      const result = cli(
        'import',
        'ssda903',
        '--episodes',
        write('episodes-one-bad.csv', badRow),
        '--header',
        header,
        '--db',
        db,
        '--accept-valid-rows',
      );
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/line 2, column LS: /);
      expect(await headOf(db)).toBeGreaterThan(before);
      expect(await childEvents(db, badChild)).toBe(0);
      expect(await childEvents(db, lines(file.episodesCsv).at(-1)?.split(',')[0] ?? '')).toBeGreaterThan(0);
    });

    it('exits 2 for a file that does not exist', () => {
      const result = cli('import', 'ssda903', '--episodes', join(dir, 'nope.csv'), '--header', header, '--db', db);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/--episodes .*nope\.csv does not exist/);
    });
  });
});

describe('placement-cli export ssda903 never leaves a child out silently', () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names each child left out and why, and each DfE rule the files break, by child', async () => {
    dir = mkdtempSync(join(tmpdir(), 'placement-cli-ssda903-left-out-'));
    const db = join(dir, 'events.db');
    const store = await openSqliteEventStore({ path: db });
    // Recorded before today's checks: a home placement with no URN, and a girl with no UPN or MOTHER.
    const child = (childId: string, sex: 'M' | 'F', urn: string | null) =>
      writtenBy({ id: 'legacy', role: 'admin' }, [
        aChildRegistered({
          childId,
          sex,
          dateOfBirth: '2011-04-04',
          ethnicity: 'WBRI',
          upn: sex === 'M' ? 'W372200125001' : null,
        }),
        aPlacementStarted({ childId, startDate: '2025-06-01', placementPostcode: 'S61 2BB', urn }),
      ]);
    await store.append('child-gap', child('gap', 'M', null));
    await store.append('child-ann', child('ann', 'F', 'SC123456'));
    await store.close();

    const result = cli('export', 'ssda903', '--year', '2026', '--out', join(dir, 'out'), '--db', db);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'left out: child gap: period 1 (from 2025-06-01), placement 1 (from 2025-06-01): K2 is a registered setting ' +
        'and needs its URN',
    );
    expect(result.stdout).toContain(
      'dfe rule 393 (Child is looked after but mother field is not completed.): 1 rows: header:2 ann',
    );
    expect(result.stdout).toContain(
      'dfe rule 442 (Unique Pupil Number (UPN) field is not completed.): 1 rows: header:2 ann',
    );
    const summary = JSON.parse(result.stdout.trimEnd().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(summary).toMatchObject({ children: 1, excluded: ['gap'], dfeRulesBroken: ['393', '442'] });
    expect(summary['dfeRulesRun']).toBeGreaterThan(100);
    expect(readFileSync(join(dir, 'out', 'episodes.csv'), 'utf8')).not.toContain('gap');
    // Ids and rules only: no date of birth or postcode reaches the terminal.
    expect(result.stdout).not.toMatch(/04\/04\/2011|2011-04-04|S60 1AA|S61 2BB/);
  });
});
