import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { openSqliteEventStore } from '@placement/event-store';
import { allProjections, openReadModelDb, ProjectionRunner } from '@placement/projections';

/** Exit codes: 0 rebuilt, 1 a projection failed (named, with the position it stopped at), 2 could not start. */
export const REBUILD_DONE = 0;
export const REBUILD_FAILED = 1;
export const REBUILD_UNUSABLE = 2;

export function register(program: Command): void {
  program
    .command('rebuild')
    .description('Drop read models and rebuild them from the first event, in batches (all of them, or the one named).')
    .argument(
      '[name]',
      `one projection: ${allProjections()
        .map((p) => p.name)
        .join(', ')}`,
    )
    .option('--db <file>', 'the sqlite event store file', './data/events.db')
    .option('--read-models <file>', 'the read-model file (READ_MODEL_PATH)', './data/read-models.db')
    .action(async (name: string | undefined, options: { db: string; readModels: string }) => {
      process.exitCode = await rebuild(name, options.db, options.readModels);
    });
}

async function rebuild(name: string | undefined, eventsPath: string, readModelsPath: string): Promise<number> {
  const projections = allProjections();
  if (name !== undefined && !projections.some((p) => p.name === name)) {
    process.stderr.write(
      `rebuild: no projection named ${name} (known: ${projections.map((p) => p.name).join(', ')})\n`,
    );
    return REBUILD_UNUSABLE;
  }
  if (!existsSync(eventsPath)) {
    process.stderr.write(`rebuild: no event store at ${eventsPath}\n`);
    return REBUILD_UNUSABLE;
  }
  // Read-only: rebuilding a read model never writes to the event log.
  const store = await openSqliteEventStore({ path: eventsPath, readonly: true });
  const db = openReadModelDb({ path: readModelsPath });
  try {
    const runner = new ProjectionRunner({ store, db, projections, catchUpBatchSize: 10_000 });
    const started = process.hrtime.bigint();
    await runner.rebuild(name === undefined ? undefined : [name]);
    await runner.start();
    const ok = await runner.whenCaughtUp();
    await runner.stop();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const chosen = runner.status().filter((s) => name === undefined || s.name === name);
    for (const s of chosen) {
      const line = s.error
        ? `FAILED at position ${s.error.position} (${s.error.type}${s.error.code ? ` ${s.error.code}` : ''}); ` +
          `checkpoint ${s.position}`
        : `rebuilt to position ${s.position}`;
      process.stdout.write(`${s.name}: ${line}\n`);
    }
    process.stdout.write(`took ${seconds.toFixed(1)} s\n`);
    return ok ? REBUILD_DONE : REBUILD_FAILED;
  } finally {
    db.close();
    await store.close();
  }
}
