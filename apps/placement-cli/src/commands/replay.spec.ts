import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '@placement/event-store';
import { aChildRegistered, aPlacementStarted } from '@placement/test-support';
import { allProjections, openReadModelDb, ProjectionRunner, readChildAudit } from '@placement/projections';
import { runCli } from '../testing/run-cli';

const cli = (...args: string[]) => runCli(args);

const DAY_1 = '2026-03-01T09:00:00.000Z';
const DAY_10 = '2026-03-10T14:00:00.000Z';

/** Child registered on day 1; on day 10 a placement is recorded that says it started on day 5. */
async function writeLog(path: string): Promise<void> {
  let now = DAY_1;
  const store = await openSqliteEventStore({ path, clock: { now: () => new Date(now) } });
  const metadata = (commandId: string) => ({
    commandId,
    correlationId: commandId,
    causationId: commandId,
    actor: { id: 'officer-1', role: 'placement-officer' },
  });
  const registered = aChildRegistered({ childId: 'c1', homePostcode: 'S61 1AA' });
  await store.append('child-c1', [{ id: randomUUID(), ...registered, metadata: metadata('register:c1') }]);
  now = DAY_10;
  const started = aPlacementStarted({
    childId: 'c1',
    placementId: 'p1',
    unit: { kind: 'bed', settingId: 'oak', bedId: 'b3' },
  });
  await store.append('child-c1', [{ id: randomUUID(), ...started, metadata: metadata('place:p1') }]);
  await store.close();
}

describe('placement-cli replay', () => {
  let dir: string;
  let db: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'placement-cli-replay-'));
    db = join(dir, 'events.db');
    await writeLog(db);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the history and state as of day 7 as JSON: registered, no placement yet', () => {
    const result = cli('replay', '--child', 'c1', '--as-of', '2026-03-07T12:00:00Z', '--db', db);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const audit = JSON.parse(result.stdout) as {
      asOf: string;
      state: { status: string; child: { placements: unknown[] } };
      entries: { type: string }[];
    };
    expect(audit.asOf).toBe('2026-03-07T12:00:00.000Z');
    expect(audit.state.status).toBe('Registered');
    expect(audit.state.child.placements).toEqual([]);
    expect(audit.entries.map((e) => e.type)).toEqual(['ChildRegistered']);
  });

  it('prints the back-dated placement from day 10 as a readable listing', () => {
    const result = cli('replay', '--child', 'c1', '--as-of', DAY_10, '--db', db, '--format', 'text');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Decision history of child c1 as the record stood at ${DAY_10}`);
    expect(result.stdout).toContain('p1: bed oak.b3, K2, from 2026-03-05 (open)');
    expect(result.stdout).toContain(
      `${DAY_10}  officer-1 (placement-officer)  Placement p1 started in bed oak.b3  [back-dated to 2026-03-05]`,
    );
    expect(result.stdout).toContain('    - Start date 2026-03-05');
  });

  it('exits 1 when the child had no record at that instant, and 2 for a missing file or a bad instant', () => {
    const before = cli('replay', '--child', 'c1', '--as-of', '2026-02-01T00:00:00Z', '--db', db);
    expect(before.status).toBe(1);
    expect(before.stderr).toMatch(/child c1 had no record as of 2026-02-01T00:00:00.000Z/);
    expect(cli('replay', '--child', 'c1', '--as-of', DAY_10, '--db', join(dir, 'missing.db')).status).toBe(2);
    expect(cli('replay', '--child', 'c1', '--as-of', '2026-03-07', '--db', db).status).toBe(2);
  });
});

describe('placement-cli replay through the audit index', () => {
  let dir: string;
  let db: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'placement-cli-replay-index-'));
    db = join(dir, 'events.db');
    await writeLog(db);
    // The API's read models beside the log, as the API leaves them.
    const store = await openSqliteEventStore({ path: db, readonly: true });
    const readModels = openReadModelDb({ path: join(dir, 'read-models.db') });
    const runner = new ProjectionRunner({ store, db: readModels, projections: allProjections() });
    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(true);
    await runner.stop();
    readModels.close();
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints what a scan of the log gives, from the read models beside the log or named', async () => {
    const store = await openSqliteEventStore({ path: db, readonly: true });
    try {
      const scanned = JSON.stringify(await readChildAudit(store, 'c1', { asOf: DAY_10 }), null, 2);
      const beside = cli('replay', '--child', 'c1', '--as-of', DAY_10, '--db', db);
      expect(beside.stderr).toBe('');
      expect(beside.stdout).toBe(`${scanned}\n`);
      const readModels = join(dir, 'read-models.db');
      const named = cli('replay', '--child', 'c1', '--as-of', DAY_10, '--db', db, '--read-models', readModels);
      expect(named.stdout).toBe(`${scanned}\n`);
    } finally {
      await store.close();
    }
  });

  it('exits 2 when the read-model file named does not exist', () => {
    const result = cli('replay', '--child', 'c1', '--db', db, '--read-models', join(dir, 'missing.db'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no read-model file at .*missing\.db/);
  });
});
