import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { childStreamId, settingStreamId, type ChildEvent } from '@placement/domain';
import { openSqliteEventStore, type EventStore } from '@placement/event-store';
import {
  exportReturn,
  generateAuthority,
  historyToCommands,
  planImport,
  referencedSettings,
  type ChildHistory,
  type ImportPlan,
} from '@placement/ssda903';
import { aSetting } from '@placement/test-support';
import { applyImportPlan, exportSsda903, importedSettingId, type ImportWriter } from './ssda903-store';

// Round trips through the real SQLite store on temp files: the generated authority is written as
// the import would write it, exported per collection year, imported into a fresh store and exported again.

const DATA = process.env['REFERENCE_DATA_DIR'] ?? join(__dirname, '../../../../reference-data');
const postcodes = readFileSync(join(DATA, 'postcodes-rotherham.csv'), 'utf8')
  .split('\n')
  .slice(1)
  .map((line) => line.split(',')[0])
  .filter((p) => p !== '');
const { histories } = generateAuthority({
  seed: 903,
  children: 520,
  postcodes,
  from: '2019-04-01',
  until: '2026-03-31',
});
const YEARS = [2020, 2021, 2022, 2023, 2024, 2025, 2026];
const writer: ImportWriter = {
  localAuthority: 'E08000018',
  actor: { id: 'test', role: 'admin' },
  correlationId: randomUUID(),
};

/** Every history whole, as one plan (what importing every year's return would write). */
function planOf(list: readonly ChildHistory[]): ImportPlan {
  return {
    report: {
      ok: true,
      problems: [],
      episodeRowsRead: 0,
      headerRowsRead: 0,
      childrenToImport: list.length,
      childrenWithoutHeader: [],
      headersWithoutEpisodes: [],
      settingsReferenced: referencedSettings(list),
      nothingToWrite: false,
      unreadableFiles: [],
    },
    histories: list,
    commands: list.flatMap(historyToCommands),
  };
}

const sortedLines = (csv: string) => {
  const [header, ...rows] = csv.trimEnd().split(/\r?\n/);
  return [header, ...rows.sort()];
};

jest.setTimeout(180_000);

describe('SSDA903 through the SQLite store', () => {
  let dir: string;
  const stores: EventStore[] = [];
  const open = async (name: string) => {
    const store = await openSqliteEventStore({ path: join(dir, `${name}.db`) });
    stores.push(store);
    return store;
  };
  let authority: EventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ssda903-store-'));
    authority = await open('authority');
    const summary = await applyImportPlan(authority, planOf(histories), writer);
    expect(summary.childrenRefused).toEqual([]);
    expect(summary.childrenWritten).toBe(histories.length);
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports from the log exactly the return the histories give, for every year, leaving nobody out', async () => {
    expect(histories.length).toBeGreaterThanOrEqual(500);
    for (const year of YEARS) {
      const fromStore = await exportSsda903(authority, year);
      const fromHistories = exportReturn(histories, year);
      expect(fromStore.excluded).toEqual([]);
      expect(fromStore.episodes).toBeGreaterThan(50);
      expect(fromStore.episodesCsv).toBe(fromHistories.episodesCsv);
      expect(fromStore.headerCsv).toBe(fromHistories.headerCsv);
    }
  });

  it('import(export(x)) reproduces the same episodes and header, year by year', async () => {
    for (const year of YEARS) {
      const exported = await exportSsda903(authority, year);
      const plan = await planImport(
        { episodes: exported.episodesCsv, header: exported.headerCsv },
        { collectionYear: year },
      );
      expect(plan.report.problems).toEqual([]);
      const fresh = await open(`import-export-${year}`);
      const written = await applyImportPlan(fresh, plan, writer);
      expect(written.childrenRefused).toEqual([]);
      const again = await exportSsda903(fresh, year);
      expect(sortedLines(again.episodesCsv)).toEqual(sortedLines(exported.episodesCsv));
      expect(sortedLines(again.headerCsv)).toEqual(sortedLines(exported.headerCsv));
    }
  });

  it("export(import(file)) reproduces a year's file, even if its first episodes begin mid-period", async () => {
    const file = exportReturn(histories, 2024);
    // A return for 2023/24 has children whose period began years earlier and whose first row in the file is not S.
    expect(
      file.episodesCsv.split('\n').filter((line) => /^[^,]+,\d\d\/\d\d\/\d{4},[LPTBU],/.test(line)).length,
    ).toBeGreaterThan(0);
    const plan = await planImport({ episodes: file.episodesCsv, header: file.headerCsv }, { collectionYear: 2024 });
    expect(plan.report.ok).toBe(true);
    const fresh = await open('export-import');
    await applyImportPlan(fresh, plan, writer);
    const back = await exportSsda903(fresh, 2024);
    expect(sortedLines(back.episodesCsv)).toEqual(sortedLines(file.episodesCsv));
    expect(sortedLines(back.headerCsv)).toEqual(sortedLines(file.headerCsv));
  });

  it('writes nothing the second time the same return is imported (head position unchanged)', async () => {
    const file = exportReturn(histories, 2025);
    const plan = await planImport({ episodes: file.episodesCsv, header: file.headerCsv }, { collectionYear: 2025 });
    const store = await open('twice');
    const first = await applyImportPlan(store, plan, writer);
    const head = await store.headPosition();
    expect(first.eventsWritten).toBeGreaterThan(0);
    const second = await applyImportPlan(store, plan, { ...writer, correlationId: randomUUID() });
    expect(await store.headPosition()).toBe(head);
    expect(second).toEqual({
      settingsCreated: [],
      childrenWritten: 0,
      childrenUnchanged: plan.report.childrenToImport,
      childrenRefused: [],
      eventsWritten: 0,
    });
  });

  it('creates unknown URNs as external settings, once, and not those the store already knows', async () => {
    const file = exportReturn(histories, 2025);
    const plan = await planImport({ episodes: file.episodesCsv, header: file.headerCsv }, { collectionYear: 2025 });
    const urns = plan.report.settingsReferenced.map((s) => s.urn);
    expect(urns.length).toBeGreaterThan(1);
    const store = await open('settings');
    const known = urns[0];
    await store.append(settingStreamId('home-1'), [
      {
        id: randomUUID(),
        type: 'SettingRegistered',
        data: aSetting({ settingId: 'home-1', name: 'Ash House', urn: known }),
        metadata: {
          commandId: randomUUID(),
          correlationId: randomUUID(),
          causationId: randomUUID(),
          actor: { id: 'admin', role: 'admin' },
        },
      },
    ]);
    const summary = await applyImportPlan(store, plan, writer);
    expect(summary.settingsCreated.map((s) => s.urn)).toEqual(urns.slice(1));
    const created = await store.readStream(settingStreamId(importedSettingId(urns[1])));
    expect(created).toHaveLength(1);
    expect(created[0].data).toMatchObject({ urn: urns[1], provider: { kind: 'external' } });
    expect((await applyImportPlan(store, plan, writer)).settingsCreated).toEqual([]);
  });

  it('skips a child whose id the store already uses for another child, and writes the rest', async () => {
    const file = exportReturn(histories, 2025);
    const plan = await planImport({ episodes: file.episodesCsv, header: file.headerCsv }, { collectionYear: 2025 });
    const store = await open('clash');
    const taken = plan.histories[0].childId;
    await store.append(childStreamId(taken), [
      {
        id: randomUUID(),
        type: 'ChildRegistered',
        data: {
          childId: taken,
          sex: 'M',
          dateOfBirth: '2012-01-01',
          localAuthority: 'E08000018',
          homePostcode: 'S60 1AA',
          categoryOfNeed: 'N1',
          ethnicity: null,
          upn: null,
        },
        metadata: {
          commandId: randomUUID(),
          correlationId: randomUUID(),
          causationId: randomUUID(),
          actor: { id: 'officer', role: 'placement-officer' },
        },
      },
    ]);
    const summary = await applyImportPlan(store, plan, writer);
    expect(summary.childrenRefused).toEqual([{ childId: taken, reason: 'ALREADY_EXISTS: child already registered' }]);
    expect(summary.childrenWritten).toBe(plan.report.childrenToImport - 1);
    expect(await store.readStream(childStreamId(taken))).toHaveLength(1);
  });

  it('escapes a recorded value that a spreadsheet would run as a formula', async () => {
    const store = await open('formula');
    const meta = () => ({
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { id: 'legacy', role: 'admin' },
    });
    const events: ChildEvent[] = [
      {
        type: 'ChildRegistered',
        data: {
          childId: 'c-1',
          sex: 'F',
          dateOfBirth: '2012-01-01',
          localAuthority: 'E08000018',
          homePostcode: '=HYPERLINK("http://x.example")',
          categoryOfNeed: 'N1',
          ethnicity: 'WBRI',
          upn: null,
        },
      },
      {
        type: 'PlacementStarted',
        data: {
          childId: 'c-1',
          placementId: 'p-1',
          unit: { kind: 'household', householdId: 'h-1' },
          place: 'U6',
          placeProvider: 'PR1',
          legalStatus: 'C2',
          startDate: '2024-06-01',
          emergency: false,
          unmatchedEmergency: false,
          referralId: null,
          placementPostcode: '@SUM(1+1)',
          urn: null,
          sameCarerAsPrevious: false,
          startsPeriodOfCare: true,
          stepDownId: null,
        },
      },
    ];
    await store.append(
      childStreamId('c-1'),
      events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata: meta() })),
    );
    const exported = await exportSsda903(store, 2025);
    expect(exported.episodesCsv.split('\r\n')[1] ?? exported.episodesCsv.split('\n')[1]).toBe(
      `c-1,01/06/2024,S,C2,N1,U6,PR1,,,,"'=HYPERLINK(""http://x.example"")",'@SUM(1+1),XXXXXXX`,
    );
  });
});
