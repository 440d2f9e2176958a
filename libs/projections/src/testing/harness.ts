import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteEventStore, type EventStore, type SqliteEventStore } from '@placement/event-store';
import type { DomainEvent, StreamEvent } from './synthetic-events';
import { toAppend } from './append';
import type { Projection } from '../projection';
import { openReadModelDb, type ReadModelDb } from '../read-model-db';
import { ProjectionRunner, type ProjectionRunnerOptions } from '../runner';

export interface TempFiles {
  readonly dir: string;
  readonly eventsPath: string;
  readonly readModelsPath: (name?: string) => string;
  remove(): void;
}

export function tempFiles(prefix = 'projections'): TempFiles {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  return {
    dir,
    eventsPath: path.join(dir, 'events.db'),
    readModelsPath: (name = 'read-models') => path.join(dir, `${name}.db`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Fresh temporary files for each test of the `describe` it is called in, removed after the test: what it returns
 * reads the current test's files.
 */
export function tempFilesEachTest(prefix?: string): TempFiles {
  let files: TempFiles | undefined;
  beforeEach(() => {
    files = tempFiles(prefix);
  });
  afterEach(() => files?.remove());
  const current = (): TempFiles => {
    if (files === undefined) throw new Error('temporary files are made for each test: read them inside one');
    return files;
  };
  return {
    get dir() {
      return current().dir;
    },
    get eventsPath() {
      return current().eventsPath;
    },
    readModelsPath: (name) => current().readModelsPath(name),
    remove: () => current().remove(),
  };
}

export function openStore(files: TempFiles): Promise<SqliteEventStore> {
  return openSqliteEventStore({ path: files.eventsPath, pollIntervalMs: 20 });
}

let sequence = 0;

/** Appends domain events one stream at a time, as a command handler would. Returns the last position. */
export async function record(store: EventStore, ...items: StreamEvent[]): Promise<bigint> {
  let position = -1n;
  for (const item of items) {
    sequence += 1;
    const result = await store.append(item.streamId, [toAppend(item, `test-${process.pid}-${Date.now()}-${sequence}`)]);
    position = result.position;
  }
  return position;
}

export const on = (streamId: string, event: DomainEvent): StreamEvent => ({ streamId, event });

/** Every row of every table of the projections, sorted, for exact comparison. */
export function dumpTables(db: ReadModelDb, projections: readonly Projection[]): Record<string, unknown[]> {
  const dump: Record<string, unknown[]> = {};
  for (const projection of projections) {
    for (const table of projection.tables) {
      const rows = db.all<Record<string, unknown>>(`SELECT * FROM ${table}`);
      dump[table] = rows.map((r) => JSON.stringify(r)).sort();
    }
  }
  return dump;
}

/** A runner on a fresh read-model file, started and caught up with the store's head. */
export async function runToHead(
  store: EventStore,
  dbPath: string,
  projections: readonly Projection[],
  options: Partial<ProjectionRunnerOptions> = {},
) {
  const db = openReadModelDb({ path: dbPath });
  const runner = new ProjectionRunner({ store, db, projections, ...options });
  await runner.start();
  await runner.whenCaughtUp();
  return { db, runner };
}

/**
 * The projections' tables built live while `recordStory` writes to a new store, and built again from zero
 * after it (`recordStory` gets the live runner too, to wait on it as it writes); every runner, read model and the
 * store are closed before it returns.
 */
export async function liveAndRebuiltTables(
  files: TempFiles,
  projections: readonly Projection[],
  recordStory: (store: EventStore, live: ProjectionRunner) => Promise<bigint>,
): Promise<{ live: Record<string, unknown[]>; rebuilt: Record<string, unknown[]> }> {
  const store = await openStore(files);
  const live = await runToHead(store, files.readModelsPath('live'), projections);
  try {
    const head = await recordStory(store, live.runner);
    if (!(await live.runner.waitFor(head, { timeoutMs: 10_000 }))) throw new Error(`live runner did not reach ${head}`);
    const rebuilt = await runToHead(store, files.readModelsPath('rebuilt'), projections);
    try {
      return { live: dumpTables(live.db, projections), rebuilt: dumpTables(rebuilt.db, projections) };
    } finally {
      await rebuilt.runner.stop();
      rebuilt.db.close();
    }
  } finally {
    await live.runner.stop();
    live.db.close();
    await store.close();
  }
}

/** A new store with `recordStory` written and the projections caught up with it; `close()` shuts all three. */
export async function caughtUpWithStory(
  files: TempFiles,
  projections: readonly Projection[],
  recordStory: (store: EventStore) => Promise<unknown>,
) {
  const store = await openStore(files);
  await recordStory(store);
  const { db, runner } = await runToHead(store, files.readModelsPath(), projections);
  const close = async () => {
    await runner.stop();
    db.close();
    await store.close();
  };
  return { store, db, runner, position: runner.status()[0].position, close };
}
