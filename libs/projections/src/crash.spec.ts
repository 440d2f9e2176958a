import { spawn } from 'node:child_process';
import path from 'node:path';
import { allProjections } from './all';
import { openReadModelDb } from './read-model-db';
import { ProjectionRunner } from './runner';
import { appendAll } from './testing/append';
import { syntheticEvents } from './testing/synthetic-events';
import { dumpTables, openStore, runToHead, tempFilesEachTest } from './testing/harness';
import { ledgerProjection } from './testing/ledger';

const hook = path.resolve(__dirname, '../../event-store/src/testing/transpile-hook.js');
const script = path.join(__dirname, 'testing/runner-process.ts');

describe('a runner process killed mid-catch-up', () => {
  const files = tempFilesEachTest('crash');

  it('restarts from its checkpoints and ends equal to a clean rebuild (SIGKILL, no chance to clean up)', async () => {
    const store = await openStore(files);
    await appendAll(store, syntheticEvents({ count: 40_000, seed: 11 }));
    const ledger = ledgerProjection();
    const projections = [...allProjections(), ledger];
    const readModels = files.readModelsPath('killed');

    const child = spawn(process.execPath, ['-r', hook, script, files.eventsPath, readModels, '1500'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const batchesSeen = await new Promise<number>((resolve, reject) => {
      let seen = 0;
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        seen = (text.match(/^batch /gm) ?? []).length;
        // Mid-catch-up: several batches committed, many to go; the kill may land inside a transaction.
        if (seen >= 4 && child.exitCode === null) child.kill('SIGKILL');
        if (text.includes('caught-up')) reject(new Error('the runner finished before it could be killed'));
      });
      child.on('exit', (_code, signal) =>
        signal === 'SIGKILL' ? resolve(seen) : reject(new Error(`exited without being killed (${String(signal)})`)),
      );
    });
    expect(batchesSeen).toBeGreaterThanOrEqual(4);

    // What the killed process left: every projection exactly at a batch boundary, behind the head.
    const left = openReadModelDb({ path: readModels });
    const checkpoints = left.all<{ name: string; position: number }>(
      'SELECT name, position FROM projection_checkpoints',
    );
    expect(checkpoints).toHaveLength(projections.length);
    for (const c of checkpoints) expect(c.position).toBeLessThan(39_999);
    const ledgerRows = left.get<{ n: number }>('SELECT COUNT(*) AS n FROM ledger')?.n ?? 0;
    const ledgerCheckpoint = checkpoints.find((c) => c.name === 'ledger')?.position ?? -1;
    const expectedLedger = (await store.readAll()).filter(
      (e) => e.position <= BigInt(ledgerCheckpoint) && ledger.eventTypes.has(e.type),
    ).length;
    expect(ledgerRows).toBe(expectedLedger);

    // Restart on the same file: it resumes and matches a rebuild from zero.
    const restarted = new ProjectionRunner({ store, db: left, projections });
    await restarted.start();
    expect(await restarted.whenCaughtUp()).toBe(true);
    const clean = await runToHead(store, files.readModelsPath('clean'), projections);
    expect(dumpTables(left, projections)).toEqual(dumpTables(clean.db, projections));
    await restarted.stop();
    await clean.runner.stop();
    left.close();
    clean.db.close();
    await store.close();
  }, 120_000);
});
