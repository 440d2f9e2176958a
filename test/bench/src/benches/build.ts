import { join } from 'node:path';
import { openSqliteEventStore } from '@placement/event-store';
import { allProjections, openReadModelDb, ProjectionRunner, type Projection } from '@placement/projections';
import { timeIt, type Bench, type BenchContext } from '../harness';
import { seedNationalStore } from './scale';

/**
 * `build.national`: seconds for every read model's first build from zero on a store written by
 * `seed national` (the runner the API starts, in its default batches), against reading the same
 * log raw (readAll pages) in the same run. Then `build.national.<read model>`: the seconds each
 * read model's `apply` took within that build (the rest is the runner's own: reading, upcasting,
 * savepoints, checkpoints). BENCH_SCALE_ESTATE and BENCH_SCALE_CHILDREN pick the store as for `scale`.
 */
async function run({ emit, size, tmpDir }: BenchContext): Promise<void> {
  const sqlitePath = join(tmpDir, 'events.db');
  await seedNationalStore(sqlitePath, size);
  const store = await openSqliteEventStore({ path: sqlitePath });
  try {
    const readSeconds = await timeIt(async () => {
      for (let after = -1n; ;) {
        const page = await store.readAll({ after, maxCount: 5000 });
        if (page.length === 0) break;
        after = page[page.length - 1].position;
      }
    });
    const spent = new Map<string, bigint>();
    const projections = allProjections().map((projection): Projection => {
      spent.set(projection.name, 0n);
      return {
        ...projection,
        apply: (event, tx) => {
          const start = process.hrtime.bigint();
          try {
            projection.apply(event, tx);
          } finally {
            spent.set(projection.name, (spent.get(projection.name) ?? 0n) + process.hrtime.bigint() - start);
          }
        },
      };
    });
    const db = openReadModelDb({ path: join(tmpDir, 'read-models.db') });
    const runner = new ProjectionRunner({ store, db, projections });
    try {
      const buildSeconds = await timeIt(async () => {
        await runner.start();
        if (!(await runner.whenCaughtUp())) throw new Error('a read model failed during its first build');
      });
      emit({ bench: 'build.national', value: buildSeconds, unit: 's', baseline: readSeconds });
    } finally {
      await runner.stop();
      db.close();
    }
    for (const [name, ns] of spent) emit({ bench: `build.national.${name}`, value: Number(ns) / 1e9, unit: 's' });
  } finally {
    await store.close();
  }
}

export const buildBench: Bench = {
  name: 'build',
  figures: ['build.national', ...allProjections().map((projection) => `build.national.${projection.name}`)],
  run,
};
