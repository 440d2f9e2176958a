/**
 * The runner as its own OS process, for the crash test: `node -r <transpile-hook>
 * runner-process.ts <events.db> <read-models.db> <batchSize>`. Prints `batch <through>`
 * after every committed batch and `caught-up` at the end, so the parent can SIGKILL it mid-catch-up.
 */
import { openSqliteEventStore } from '@placement/event-store';
import { allProjections } from '../all';
import { openReadModelDb } from '../read-model-db';
import { ProjectionRunner } from '../runner';
import { ledgerProjection } from './ledger';

async function main(): Promise<void> {
  const [eventsPath, readModelsPath, batchSize] = process.argv.slice(2);
  const store = await openSqliteEventStore({ path: eventsPath, readonly: true });
  const db = openReadModelDb({ path: readModelsPath });
  const runner = new ProjectionRunner({
    store,
    db,
    projections: [...allProjections(), ledgerProjection()],
    catchUpBatchSize: Number(batchSize),
  });
  runner.batches$.subscribe((batch) => process.stdout.write(`batch ${batch.projections[0]?.through ?? ''}\n`));
  await runner.start();
  await runner.whenCaughtUp();
  await runner.stop();
  db.close();
  await store.close();
  process.stdout.write('caught-up\n');
}

void main();
