// The projections runner (libs/projections) in its own process, on the API's event log:
//   follow <events.db> <read-models.db>   keep the read models up to date until killed
//   once   <events.db> <read-models.db>   resume from the checkpoints (or build from zero), catch up,
//                                         print every read-model table as JSON, exit
//   dump   <events.db> <read-models.db>   print the tables and checkpoints as they are, read-only
//                                         (for read models another process, e.g. the API, keeps)
// Run with `node -r <build>/register-paths.js`, so it uses the compiled libraries like the API does.
const { openSqliteEventStore } = require('@placement/event-store');
const { ProjectionRunner, openReadModelDb, allProjections } = require('@placement/projections');

function dump(db, projections) {
  const tables = {};
  for (const projection of projections) {
    for (const table of projection.tables) {
      const rows = db.db.prepare(`SELECT * FROM ${table}`).safeIntegers(true).all();
      tables[table] = rows
        .map((row) => JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? v.toString() : v)))
        .sort();
    }
  }
  return tables;
}

function dumpReadOnly(eventsPath, readModelPath) {
  const Database = require('better-sqlite3');
  const db = new Database(readModelPath, { readonly: true, fileMustExist: true });
  const projections = allProjections();
  const rows = db.prepare('SELECT name, position FROM projection_checkpoints').safeIntegers(true).all();
  const status = projections.map((p) => {
    const row = rows.find((r) => r.name === p.name);
    return { name: p.name, position: row ? row.position.toString() : '-1', state: 'dumped', error: null };
  });
  const tables = dump({ db }, projections);
  db.close();
  const events = new Database(eventsPath, { readonly: true, fileMustExist: true });
  const head = events.prepare('SELECT max(position) AS head FROM events').safeIntegers(true).get().head;
  events.close();
  return { caughtUp: status.every((s) => s.position === String(head)), head: String(head), status, tables };
}

async function main() {
  const [mode, eventsPath, readModelPath] = process.argv.slice(2);
  if (mode === 'dump') {
    process.stdout.write(`${JSON.stringify(dumpReadOnly(eventsPath, readModelPath))}\n`);
    return;
  }
  const store = await openSqliteEventStore({ path: eventsPath, mustExist: true, pollIntervalMs: 20 });
  const db = openReadModelDb({ path: readModelPath });
  const projections = allProjections();
  const runner = new ProjectionRunner({ store, db, projections });
  await runner.start();
  if (mode === 'follow') {
    process.stdout.write('following\n');
    return;
  }
  const caughtUp = await runner.whenCaughtUp();
  await runner.stop();
  const status = runner.status().map((s) => ({
    name: s.name,
    position: s.position.toString(),
    state: s.state,
    error: s.error ? s.error.type : null,
  }));
  const head = (await store.headPosition()).toString();
  process.stdout.write(`${JSON.stringify({ caughtUp, head, status, tables: dump(db, projections) })}\n`);
  db.close();
  await store.close();
}

main().catch((error) => {
  process.stderr.write(`projector: ${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(2);
});
