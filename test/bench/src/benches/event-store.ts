import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { openSqliteEventStore, type EventToAppend } from '@placement/event-store';
import { ratePerSecond, timeIt, type Bench, type BenchContext } from '../harness';

/** Rounds and their length, and the log read back; smoke keeps every step at a token size. */
const SIZES = {
  full: { rounds: 3, roundMs: 1_000, readEvents: 50_000 },
  smoke: { rounds: 1, roundMs: 50, readEvents: 2_000 },
} as const;

/** An event about the size of the real ones (a bed hold with its metadata). */
function bedHeld(n: number): EventToAppend {
  return {
    id: randomUUID(),
    type: 'BedHeld',
    data: {
      settingId: 'setting-7',
      bedId: `bed-${n % 18}`,
      referralId: randomUUID(),
      until: '2026-03-14T17:00:00.000Z',
      reason: 'planned move',
    },
    metadata: {
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { id: 'officer-12', role: 'placement-officer' },
    },
  };
}

/** The raw baseline: better-sqlite3 single-row durable inserts into a table of the same shape. */
function rawDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (
    position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
    prev_hash TEXT, hash TEXT NOT NULL, global_prev_hash TEXT, global_hash TEXT NOT NULL,
    UNIQUE (stream_id, revision))`);
  return db;
}

function rawInsert(db: Database.Database): (n: number) => void {
  const insert = db.prepare(
    `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata,
       prev_hash, hash, global_prev_hash, global_hash)
     VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
  );
  const hash = 'a'.repeat(64);
  return (n) => {
    const e = bedHeld(n);
    insert.run(
      `bed-${n % 100}`,
      n,
      e.id,
      e.type,
      JSON.stringify(e.data),
      JSON.stringify(e.metadata),
      hash,
      hash,
      hash,
      hash,
    );
  };
}

async function appendBenches({ emit, tmpDir, size }: BenchContext): Promise<void> {
  const { rounds: ROUNDS, roundMs: ROUND_MS } = SIZES[size];
  const raw = rawDatabase(join(tmpDir, 'raw.db'));
  const insertOne = rawInsert(raw);
  const single = await openSqliteEventStore({ path: join(tmpDir, 'single.db') });
  const concurrent = await openSqliteEventStore({ path: join(tmpDir, 'concurrent.db') });
  let n = 0;
  const revisions = new Map<string, bigint>();
  const writerRevisions = new Map<number, bigint>();
  const rates = { raw: [] as number[], single: [] as number[], concurrent: [] as number[] };
  // Interleaved rounds, best of each: the machine is shared, and a neighbour's burst
  // should not land on the baseline alone and decide the ratio.
  for (let round = 0; round < ROUNDS; round += 1) {
    rates.raw.push(
      await ratePerSecond(ROUND_MS, () => {
        insertOne(n++);
        return 1;
      }),
    );
    rates.single.push(
      await ratePerSecond(ROUND_MS, async () => {
        const stream = `bed-setting-7.${n % 100}`;
        const result = await single.append(stream, [bedHeld(n++)], {
          expectedRevision: revisions.get(stream) ?? 'no_stream',
        });
        revisions.set(stream, result.nextExpectedRevision);
        return 1;
      }),
    );
    let written = 0;
    const deadline = Date.now() + ROUND_MS;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 64 }, async (_, writer) => {
        while (Date.now() < deadline) {
          const result = await concurrent.append(`child-${writer}`, [bedHeld(n++)], {
            expectedRevision: writerRevisions.get(writer) ?? 'no_stream',
          });
          writerRevisions.set(writer, result.nextExpectedRevision);
          written += 1;
        }
      }),
    );
    rates.concurrent.push(written / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  raw.close();
  await single.close();
  await concurrent.close();
  const rawRate = Math.max(...rates.raw);
  emit({ bench: 'append.single', value: Math.max(...rates.single), unit: 'events/s', baseline: rawRate });
  emit({ bench: 'append.concurrent64', value: Math.max(...rates.concurrent), unit: 'events/s', baseline: rawRate });

  // One append of 1,000 events to a new stream, against the real ceiling for a batch: the same rows,
  // raw, in transactions of 1,000 with the same durability. Interleaved rounds, best of each, as above.
  const batch = await openSqliteEventStore({ path: join(tmpDir, 'batch.db') });
  const rawBatchDb = rawDatabase(join(tmpDir, 'raw-batch.db'));
  const insertRow = rawInsert(rawBatchDb);
  const insertThousand = rawBatchDb.transaction((from: number) => {
    for (let k = 0; k < 1000; k += 1) insertRow(from + k);
  });
  let b = 0;
  let r = 0;
  const batchRates = { ours: [] as number[], raw: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    batchRates.ours.push(
      await ratePerSecond(ROUND_MS, async () => {
        await batch.append(
          `contract-${b++}`,
          Array.from({ length: 1000 }, (_, k) => bedHeld(k)),
          { expectedRevision: 'no_stream' },
        );
        return 1000;
      }),
    );
    batchRates.raw.push(
      await ratePerSecond(ROUND_MS, () => {
        insertThousand(r);
        r += 1000;
        return 1000;
      }),
    );
  }
  await batch.close();
  rawBatchDb.close();
  const batchRate = Math.max(...batchRates.ours);
  const rawBatchRate = Math.max(...batchRates.raw);
  emit({ bench: 'append.batch1000', value: batchRate, unit: 'events/s', baseline: rawBatchRate });
}

async function readBenches({ emit, tmpDir, size }: BenchContext): Promise<void> {
  const path = join(tmpDir, 'read.db');
  const store = await openSqliteEventStore({ path });
  const total = SIZES[size].readEvents;
  for (let k = 0; k < total; k += 1000) {
    await store.append(
      `bed-setting-7.${k / 1000}`,
      Array.from({ length: 1000 }, (_, j) => bedHeld(k + j)),
    );
  }

  // Best of three for each, so a neighbour's burst of CPU does not decide the ratio.
  const best = async (body: () => Promise<unknown> | unknown) =>
    Math.min(await timeIt(body), await timeIt(body), await timeIt(body));
  const raw = new Database(path, { readonly: true });
  const scan = raw.prepare('SELECT * FROM events ORDER BY position');
  const rawSeconds = await best(() => {
    let rows = 0;
    for (const _row of scan.iterate()) rows += 1;
    if (rows !== total) throw new Error(`raw scan saw ${rows} rows`);
  });
  raw.close();
  const readSeconds = await best(async () => {
    let after = -1n;
    let read = 0;
    for (;;) {
      const page = await store.readAll({ after, maxCount: 1000 });
      if (page.length === 0) break;
      read += page.length;
      after = page[page.length - 1].position;
    }
    if (read !== total) throw new Error(`readAll saw ${read} events`);
  });
  emit({ bench: 'readAll', value: total / readSeconds, unit: 'events/s', baseline: total / rawSeconds });

  const verifySeconds = await best(async () => {
    const result = await store.verify();
    if (!result.ok || result.events !== total) throw new Error('verify did not see an intact log');
  });
  emit({ bench: 'verify', value: total / verifySeconds, unit: 'events/s' });
  await store.close();
}

export const eventStoreBench: Bench = {
  name: 'event-store',
  figures: ['append.single', 'append.concurrent64', 'append.batch1000', 'readAll', 'verify'],
  run: async (context) => {
    await appendBenches(context);
    await readBenches(context);
  },
};
