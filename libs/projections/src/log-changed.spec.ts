import Database from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import type { SqliteEventStore } from '@placement/event-store';
import { allProjections } from './all';
import { openReadModelDb } from './read-model-db';
import { ProjectionRunner, type ProjectionStatus, type RunnerLogEntry } from './runner';
import { appendAll } from './testing/append';
import { syntheticEvents } from './testing/synthetic-events';
import { dumpTables, openStore, runToHead, tempFiles, type TempFiles } from './testing/harness';
import { ledgerProjection } from './testing/ledger';

/*
 * The log shrinks or is replaced under the read models (a tail cut, an older backup restored
 * under an existing read-model file): new events then reuse positions the checkpoints have
 * passed. Each runner must notice that the event at its checkpoint is gone or differs, say so
 * (DOWN), and rebuild from zero, rather than skip the reused positions for ever.
 */
const LOG_CHANGED = 'the event log no longer holds the event a read model last applied';

/** Cuts the log after `position` from another connection, as an operator's tool or a bad restore would. */
function cutTail(eventsPath: string, position: bigint): void {
  const db = new Database(eventsPath);
  try {
    db.prepare('DELETE FROM events WHERE position > ?').run(position);
  } finally {
    db.close();
  }
}

/** Polls until `condition` holds; the bound only means "hung", it is no stopwatch. */
async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('read models when the event log changes under them', () => {
  jest.setTimeout(60_000);
  let files: TempFiles;
  let store: SqliteEventStore;
  const projections = [...allProjections(), ledgerProjection()];
  beforeEach(async () => {
    files = tempFiles('log-changed');
    store = await openStore(files);
  });
  afterEach(async () => {
    await store.close();
    files.remove();
  });

  /** A runner whose log entries are kept, with every projection's status at the moment the change was noticed. */
  function watchedRunner(path = files.readModelsPath()) {
    const db = openReadModelDb({ path });
    const log: RunnerLogEntry[] = [];
    const whenNoticed: ProjectionStatus[][] = [];
    const runner: ProjectionRunner = new ProjectionRunner({
      store,
      db,
      projections,
      log: (entry) => {
        log.push(entry);
        if (entry.msg.startsWith(LOG_CHANGED)) whenNoticed.push(runner.status());
      },
    });
    return { db, runner, log, whenNoticed };
  }

  async function expectEqualToCleanRebuild(db: ReturnType<typeof openReadModelDb>): Promise<void> {
    const clean = await runToHead(store, files.readModelsPath(`clean-${Date.now()}`), projections);
    expect(dumpTables(db, projections)).toEqual(dumpTables(clean.db, projections));
    await clean.runner.stop();
    clean.db.close();
  }

  it('a log cut and refilled past the checkpoint under a running runner: rebuilt, not skipped', async () => {
    await appendAll(store, syntheticEvents({ count: 1500, seed: 1 }), { idPrefix: 'first' });
    const { db, runner, log, whenNoticed } = watchedRunner();
    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(true);
    expect(runner.status().every((s) => s.position === 1499n)).toBe(true);

    cutTail(files.eventsPath, 999n);
    // Positions 1000… are written again, with other events, and the log grows past the old checkpoint.
    await appendAll(store, syntheticEvents({ count: 800, seed: 2 }), { idPrefix: 'after-cut' });
    expect(await store.headPosition()).toBe(1799n);

    expect(await runner.waitFor(1799n, { timeoutMs: 30_000 })).toBe(true);
    await expectEqualToCleanRebuild(db);
    expect(log.filter((e) => e.msg.startsWith(LOG_CHANGED))).toEqual([
      expect.objectContaining({ level: 'error', projections: projections.map((p) => p.name) }),
    ]);
    // DOWN when noticed: every read model says why and where, until it has rebuilt.
    expect(whenNoticed[0]).toEqual(
      projections.map((p) => ({
        name: p.name,
        position: -1n,
        state: 'rebuilding',
        error: { type: 'EventLogChanged', code: null, position: 1499n },
      })),
    );
    await until(() => runner.status().every((s) => s.state === 'caught-up'), 'the rebuild to finish');
    await runner.stop();
    db.close();
  });

  it('a cut alone (no new event) is noticed while idle; the read models follow the shorter log', async () => {
    await appendAll(store, syntheticEvents({ count: 1200, seed: 3 }), { idPrefix: 'first' });
    const { db, runner, whenNoticed } = watchedRunner();
    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(true);

    cutTail(files.eventsPath, 699n);
    await until(
      () => whenNoticed.length > 0 && runner.status().every((s) => s.state === 'caught-up' && s.position === 699n),
      'the runner to notice the cut and rebuild to the new head',
    );
    await expectEqualToCleanRebuild(db);
    await runner.stop();
    db.close();
  });

  it('a read that waits for a position reused after a cut sees the event now at that position', async () => {
    await appendAll(store, syntheticEvents({ count: 1000, seed: 4 }), { idPrefix: 'first' });
    const { db, runner } = watchedRunner();
    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(true);

    cutTail(files.eventsPath, 599n);
    // One command's event lands at 600, a position the checkpoint (999) has passed.
    await appendAll(store, syntheticEvents({ count: 1, seed: 5 }), { idPrefix: 'reused' });
    const [reused] = await store.readAll({ after: 599n });
    expect(reused.position).toBe(600n);

    expect(await runner.waitFor(600n, { timeoutMs: 30_000 })).toBe(true);
    const ledgerRow = db.get<{ id: string }>('SELECT id FROM ledger WHERE position = 600');
    if (projections[3].eventTypes.has(reused.type)) expect(ledgerRow?.id).toBe(reused.id);
    else expect(ledgerRow).toBeUndefined();
    expect(runner.status().every((s) => s.position >= 600n)).toBe(true);
    await expectEqualToCleanRebuild(db);
    await runner.stop();
    db.close();
  });

  it('an older backup restored under the read models: noticed on start, DOWN until rebuilt, restarts', async () => {
    await appendAll(store, syntheticEvents({ count: 1500, seed: 6 }), { idPrefix: 'first' });
    const backup = `${files.dir}/events-backup.db`;
    const source = new Database(files.eventsPath, { readonly: true });
    await source.backup(backup);
    source.close();
    await appendAll(store, syntheticEvents({ count: 1000, seed: 7 }), { idPrefix: 'second' });
    const before = watchedRunner();
    await before.runner.start();
    expect(await before.runner.whenCaughtUp()).toBe(true);
    expect(before.runner.status().every((s) => s.position === 2499n)).toBe(true);
    await before.runner.stop();
    before.db.close();

    // The API is stopped, the backup put back in place of the log; the read-model file stays.
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${files.eventsPath}${suffix}`, { force: true });
    copyFileSync(backup, files.eventsPath);
    store = await openStore(files);
    // Work goes on: positions 1500…1999 are taken again by other events, all below the old checkpoints.
    await appendAll(store, syntheticEvents({ count: 500, seed: 8 }), { idPrefix: 'after-restore' });
    expect(await store.headPosition()).toBe(1999n);

    const restarted = watchedRunner();
    await restarted.runner.start();
    const down = projections.map((p) => ({
      name: p.name,
      position: -1n,
      state: 'rebuilding',
      error: { type: 'EventLogChanged', code: null, position: 2499n },
    }));
    expect(restarted.runner.status()).toEqual(down);
    expect(restarted.log.filter((e) => e.msg.startsWith(LOG_CHANGED))).toHaveLength(1);
    // Stopped again before it could catch up: still DOWN on the next start, until the rebuild is done.
    await restarted.runner.stop();
    restarted.db.close();

    const again = watchedRunner();
    await again.runner.start();
    expect(again.runner.status().map((s) => [s.name, s.state, s.error?.type])).toEqual(
      projections.map((p) => [p.name, 'rebuilding', 'EventLogChanged']),
    );
    expect(await again.runner.whenCaughtUp()).toBe(true);
    await until(() => again.runner.status().every((s) => s.state === 'caught-up'), 'the rebuild to finish');
    expect(again.runner.status().every((s) => s.position === 1999n && s.error === null)).toBe(true);
    await expectEqualToCleanRebuild(again.db);
    await again.runner.stop();
    again.db.close();

    const third = watchedRunner();
    await third.runner.start();
    expect(third.runner.status().every((s) => s.state === 'caught-up' && s.position === 1999n)).toBe(true);
    expect(third.log.filter((e) => e.msg.startsWith(LOG_CHANGED))).toEqual([]);
    await third.runner.stop();
    third.db.close();
  });

  it('a read-model file written before checkpoints kept their event is rebuilt once on start', async () => {
    await appendAll(store, syntheticEvents({ count: 800, seed: 9 }), { idPrefix: 'first' });
    const path = files.readModelsPath();
    const old = await runToHead(store, path, projections);
    await old.runner.stop();
    // The checkpoint table as an earlier version wrote it: a position and a version, nothing to check them against.
    old.db
      .exec(`CREATE TABLE old_checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL, version INTEGER NOT NULL);
      INSERT INTO old_checkpoints SELECT name, position, version FROM projection_checkpoints;
      DROP TABLE projection_checkpoints; ALTER TABLE old_checkpoints RENAME TO projection_checkpoints`);
    old.db.exec('DELETE FROM capacity_beds');
    old.db.close();

    const { db, runner, log } = watchedRunner(path);
    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(true);
    await expectEqualToCleanRebuild(db);
    expect(log.filter((e) => e.msg.startsWith(LOG_CHANGED))).toEqual([]);
    await runner.stop();
    db.close();
  });
});
