// The projections runner (libs/projections) in its own process, on the API's event log:
//   follow <events.db> <read-models.db>   keep the read models up to date until killed
//   once   <events.db> <read-models.db>   resume from the checkpoints (or build from zero), catch up,
//                                         print every read-model table as JSON, exit
// Run with `node -r <build>/register-paths.js`, so it uses the compiled libraries like the API does.
const { openSqliteEventStore } = require('@placement/event-store');
const { ProjectionRunner, openReadModelDb, allProjections } = require('@placement/projections');

function dump(db, projections) {
  const tables = {};
  for (const projection of projections) {
    for (const table of projection.tables) {
      const rows = db.db.prepare(`SELECT * FROM ${table}`).safeIntegers(true).all();
      tables[table] = rows.map((row) => JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? v.toString() : v))).sort();
    }
  }
  return tables;
}

async function main() {
  const [mode, eventsPath, readModelPath] = process.argv.slice(2);
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
  const status = runner.status().map((s) => ({ name: s.name, position: s.position.toString(), state: s.state, error: s.error ? s.error.type : null }));
  process.stdout.write(`${JSON.stringify({ caughtUp, head: (await store.headPosition()).toString(), status, tables: dump(db, projections) })}\n`);
  db.close();
  await store.close();
}

main().catch((error) => {
  process.stderr.write(`projector: ${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(2);
});
