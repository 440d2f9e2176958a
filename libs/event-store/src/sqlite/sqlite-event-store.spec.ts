import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anEvent as event, describeEventStoreContract, type TamperHooks } from '../testing';
import { StoreUnavailableError, WrongExpectedVersionError } from '../errors';
import { eventHash } from '../hashing';
import type { Clock, RecordedEvent } from '../port';
import { openSqliteEventStore, type SqliteEventStore } from './sqlite-event-store';
import { currentSchemaVersion } from './schema';

function tempFile(): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'event-store-'));
  return { path: join(dir, 'events.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Alters the file behind the store's back through a second connection, as an attacker with file access would. */
function tamperHooks(path: string): Required<TamperHooks> {
  const withDb = (change: (db: Database.Database) => void) => async () => {
    const db = new Database(path);
    try {
      change(db);
    } finally {
      db.close();
    }
  };
  return {
    editData: (position) =>
      withDb((db) => db.prepare(`UPDATE events SET data = '{"tampered":true}' WHERE position = ?`).run(position))(),
    deleteEvent: (position) => withDb((db) => db.prepare('DELETE FROM events WHERE position = ?').run(position))(),
    swapEvents: (a, b) =>
      withDb((db) =>
        db.transaction(() => {
          const move = db.prepare('UPDATE events SET position = ? WHERE position = ?');
          move.run(-1, a);
          move.run(a, b);
          move.run(b, -1);
        })(),
      )(),
    truncateAfter: (position) => withDb((db) => db.prepare('DELETE FROM events WHERE position > ?').run(position))(),
  };
}

describeEventStoreContract(
  'sqlite',
  async () => {
    const file = tempFile();
    let current = await openSqliteEventStore({ path: file.path, pollIntervalMs: 50 });
    return {
      store: current,
      reopen: async () => (current = await openSqliteEventStore({ path: file.path, pollIntervalMs: 50 })),
      tamper: tamperHooks(file.path),
      cleanup: async () => {
        await current.close();
        file.remove();
      },
    };
  },
  { tamperHooks: ['editData', 'deleteEvent', 'swapEvents', 'truncateAfter'] },
);

/** Runs testing/sqlite-race-writer.ts in its own node process. */
function runWriter(path: string, label: string, startAt: number): Promise<{ won: number; lost: number }> {
  const testing = join(__dirname, '../testing');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      '-r',
      join(testing, 'transpile-hook.js'),
      join(testing, 'sqlite-race-writer.ts'),
      path,
      label,
      String(startAt),
    ]);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`writer ${label} exited ${code}: ${err}`)),
    );
  });
}

describe('sqlite event store', () => {
  let file: ReturnType<typeof tempFile>;
  const open: SqliteEventStore[] = [];
  const openStore = async (options: { clock?: Clock; mustExist?: boolean; readonly?: boolean } = {}) => {
    const store = await openSqliteEventStore({ path: file.path, pollIntervalMs: 50, ...options });
    open.push(store);
    return store;
  };

  beforeEach(() => {
    file = tempFile();
  });

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    file.remove();
  });

  it('takes recordedAt from the injected clock, once per group commit', async () => {
    let calls = 0;
    const clock: Clock = { now: () => ((calls += 1), new Date(Date.UTC(2026, 0, 2, 3, 4, 5))) };
    const store = await openStore({ clock });
    await Promise.all(Array.from({ length: 64 }, (_, i) => store.append(`bed-s.${i}`, [event('BedAdded')])));
    const events = await store.readAll();
    expect(events).toHaveLength(64);
    for (const e of events) expect(e.metadata.recordedAt).toBe('2026-01-02T03:04:05.000Z');
    // 64 appends made in one tick were two groups, not 64: the queue is cut in two so that the
    // second half is checked and hashed while the first commits.
    expect(calls).toBe(2);
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.append(`bed-t.${i}`, [event('BedAdded')])));
    // A short queue is one group.
    expect(calls).toBe(3);
  });

  it('a group chained on one that was not written is written again after it, in order', async () => {
    const store = await openStore();
    const db = new Database(file.path);
    db.exec(
      `CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.type = 'Poison'
       BEGIN SELECT RAISE(ABORT, 'poisoned'); END`,
    );
    db.close();
    // 40 appends in one tick: two groups in flight, the second chained on the first, whose fifth append faults.
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => store.append(`bed-s.${i}`, [event(i === 4 ? 'Poison' : 'BedAdded')])),
    );
    expect(results.map((result) => result.status)).toEqual(
      Array.from({ length: 40 }, (_, i) => (i === 4 ? 'rejected' : 'fulfilled')),
    );
    const events = await store.readAll();
    expect(events.map((e) => e.streamId)).toEqual(
      Array.from({ length: 40 }, (_, i) => `bed-s.${i}`).filter((stream) => stream !== 'bed-s.4'),
    );
    expect(events.map((e) => e.position)).toEqual(Array.from({ length: 39 }, (_, i) => BigInt(i)));
    expect((await store.verify()).ok).toBe(true);
  });

  it("an append is checked against its stream's head in the group still being written before it", async () => {
    const store = await openStore();
    // 40 appends in one tick are two groups; bed-s.5 is written in the first and expected at revision 0 in the second.
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i === 30
          ? store.append('bed-s.5', [event('BedHeld')], { expectedRevision: 0n })
          : store.append(`bed-s.${i}`, [event('BedAdded')], { expectedRevision: 'no_stream' }),
      ),
    );
    expect(results[30]).toEqual({ nextExpectedRevision: 1n, position: 30n });
    expect((await store.readStream('bed-s.5')).map((e) => e.type)).toEqual(['BedAdded', 'BedHeld']);
    expect((await store.verify()).ok).toBe(true);
  });

  it("a retry of an append still being written gets that append's result, and writes nothing", async () => {
    const store = await openStore();
    const first = event('BedAdded');
    // The retry comes late in the same tick, so it lands in the group after the first one's.
    const appends = Array.from({ length: 39 }, (_, i) =>
      store.append(`bed-s.${i}`, [i === 3 ? first : event('BedAdded')], { expectedRevision: 'no_stream' }),
    );
    const retry = store.append('bed-s.3', [first], { expectedRevision: 'no_stream' });
    const [original] = await Promise.all([appends[3], ...appends]);
    await expect(retry).resolves.toEqual(original);
    expect(await store.readStream('bed-s.3')).toHaveLength(1);
    expect(await store.headPosition()).toBe(38n);
  });

  it('in one group, an append failing its own check does not fail the others', async () => {
    const store = await openStore();
    await store.append('bed-s.1', [event('BedAdded')]);
    const [stale, fresh, other] = await Promise.allSettled([
      store.append('bed-s.1', [event('BedHeld')], { expectedRevision: 5n }),
      store.append('bed-s.1', [event('BedHeld')], { expectedRevision: 0n }),
      store.append('bed-s.2', [event('BedAdded')], { expectedRevision: 'no_stream' }),
    ]);
    expect(stale.status).toBe('rejected');
    expect(fresh.status).toBe('fulfilled');
    expect(other.status).toBe('fulfilled');
    expect((await store.readAll()).map((e) => [e.streamId, e.revision, e.position])).toEqual([
      ['bed-s.1', 0n, 0n],
      ['bed-s.1', 1n, 1n],
      ['bed-s.2', 0n, 2n],
    ]);
    expect((await store.verify()).ok).toBe(true);
  });

  it('in one group, an insert that faults fails only its own append; the others commit', async () => {
    const store = await openStore();
    await store.append('bed-s.1', [event('BedAdded')]);
    // A fault the checks cannot foresee (here a trigger; in life an I/O or constraint error).
    const db = new Database(file.path);
    db.exec(
      `CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.type = 'Poison'
       BEGIN SELECT RAISE(ABORT, 'poisoned'); END`,
    );
    db.close();
    const [before, poisoned, after] = await Promise.allSettled([
      store.append('bed-s.1', [event('BedHeld')], { expectedRevision: 0n }),
      store.append('bed-s.2', [event('BedAdded'), event('Poison')], { expectedRevision: 'no_stream' }),
      store.append('bed-s.3', [event('BedAdded')], { expectedRevision: 'no_stream' }),
    ]);
    expect([before.status, poisoned.status, after.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.readAll()).map((e) => [e.streamId, e.revision, e.position])).toEqual([
      ['bed-s.1', 0n, 0n],
      ['bed-s.1', 1n, 1n],
      ['bed-s.3', 0n, 2n],
    ]);
    // Nothing of the faulty append stayed behind, and the stream heads it would have moved were not remembered.
    await store.append('bed-s.2', [event('BedAdded')], { expectedRevision: 'no_stream' });
    await store.append('bed-s.1', [event('BedVacated')], { expectedRevision: 1n });
    expect((await store.verify()).ok).toBe(true);
  });

  it('a many-event append is a retry only when every id is recorded in its stream with the same content', async () => {
    const store = await openStore();
    const events = Array.from({ length: 5 }, (_, k) => event('BedAdded', { k }));
    const first = await store.append('bed-s.1', events, { expectedRevision: 'no_stream' });
    // The retry shares its group with a fresh append.
    const [retry, other] = await Promise.all([
      store.append('bed-s.1', events, { expectedRevision: 'no_stream' }),
      store.append('bed-s.2', [event('BedAdded')]),
    ]);
    expect(retry).toEqual(first);
    expect(other.position).toBe(5n);
    const refusals = await Promise.allSettled([
      store.append('bed-s.1', [...events.slice(0, 3), event('BedAdded')]),
      store.append('bed-s.1', [events[0], { ...events[3], data: { k: 'changed' } }, events[4]]),
      store.append('bed-s.3', [event('BedAdded'), events[2]]),
    ]);
    expect(refusals.map((refusal) => refusal.status === 'rejected' && refusal.reason.code)).toEqual([
      'IDEMPOTENCY_CONFLICT',
      'IDEMPOTENCY_CONFLICT',
      'IDEMPOTENCY_CONFLICT',
    ]);
    expect(await store.headPosition()).toBe(5n);
    expect((await store.verify()).ok).toBe(true);
  });

  it('numbers the global log from 0 without gaps and reports -1 when empty', async () => {
    const store = await openStore();
    expect(await store.headPosition()).toBe(-1n);
    expect(await store.verify()).toEqual({ ok: true, events: 0, head: null });
    await store.append('a', [event('X'), event('Y')]);
    await store.append('b', [event('Z')]);
    expect((await store.readAll()).map((e) => e.position)).toEqual([0n, 1n, 2n]);
    expect(await store.headPosition()).toBe(2n);
  });

  it('writes appends accepted before close', async () => {
    const store = await openStore();
    const pending = store.append('bed-s.1', [event('BedAdded')]);
    await store.close();
    await expect(pending).resolves.toEqual({ nextExpectedRevision: 0n, position: 0n });
    await expect(store.append('bed-s.1', [event('BedHeld')])).rejects.toBeInstanceOf(StoreUnavailableError);
    const reopened = await openStore();
    expect(await reopened.readStream('bed-s.1')).toHaveLength(1);
  });

  describe('schema', () => {
    it('records its schema version once, however often the file is opened', async () => {
      await (await openStore()).close();
      await openStore();
      const db = new Database(file.path, { readonly: true });
      const versions = db.prepare('SELECT version FROM schema_version ORDER BY version').all();
      const pragmas = { journal: db.pragma('journal_mode', { simple: true }) };
      db.close();
      expect(versions).toEqual([{ version: currentSchemaVersion }]);
      expect(pragmas.journal).toBe('wal');
    });

    it('refuses a file written by a newer schema', async () => {
      await (await openStore()).close();
      const db = new Database(file.path);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(
        currentSchemaVersion + 1,
        'later',
      );
      db.close();
      await expect(openSqliteEventStore({ path: file.path })).rejects.toThrow(/newer than this software/);
    });

    it('with mustExist, neither creates a missing file nor adopts a foreign database', async () => {
      await expect(openStore({ mustExist: true })).rejects.toBeInstanceOf(StoreUnavailableError);
      const foreign = new Database(file.path);
      foreign.exec('CREATE TABLE other (x)');
      foreign.close();
      await expect(openStore({ mustExist: true })).rejects.toThrow(/not an event store/);
    });

    it('read-only, reads and verifies an existing store, refuses appends and changes nothing', async () => {
      const writer = await openStore();
      await writer.append('bed-s.1', [event('BedAdded')]);
      const reader = await openStore({ readonly: true });
      expect(await reader.verify()).toMatchObject({ ok: true, events: 1 });
      await expect(reader.append('bed-s.1', [event('BedHeld')])).rejects.toThrow(/read-only/);
      expect(await writer.readStream('bed-s.1')).toHaveLength(1);
      file.remove();
      file = tempFile();
      await expect(openStore({ readonly: true })).rejects.toBeInstanceOf(StoreUnavailableError);
    });

    it('rejects a second event at a taken revision even when written around the store', async () => {
      const store = await openStore();
      await store.append('bed-s.1', [event('BedAdded')]);
      const db = new Database(file.path);
      expect(() =>
        db
          .prepare(
            `INSERT INTO events
               (position, stream_id, revision, event_id, type, schema_version, data, metadata, hash, global_hash)
             VALUES (9, 'bed-s.1', 0, 'x', 'T', 1, '{}', '{}', 'h', 'g')`,
          )
          .run(),
      ).toThrow(/UNIQUE/);
      db.close();
    });
  });

  describe('verify names the broken link', () => {
    const write = async (store: SqliteEventStore) => {
      await store.append('bed-s.1', [event('BedAdded'), event('BedHeld', { referralId: 'r1' })]);
      await store.append('bed-s.2', [event('BedAdded')]);
      await store.append('bed-s.1', [event('BedOccupied')]);
      await store.append('bed-s.2', [event('BedOutOfUse')]);
    };

    it('when data was edited', async () => {
      const store = await openStore();
      await write(store);
      await tamperHooks(file.path).editData(1n);
      const result = await store.verify();
      expect(result).toMatchObject({
        ok: false,
        events: 1,
        brokenLink: { chain: 'stream', streamId: 'bed-s.1', revision: 1n, position: 1n },
      });
      if (!result.ok) expect(result.brokenLink.reason).toMatch(/content does not match its hash/);
    });

    it('when data was edited and its hash recomputed', async () => {
      const store = await openStore();
      await write(store);
      const [, held] = await store.readStream('bed-s.1');
      const forged: RecordedEvent = { ...held, data: { referralId: 'r2' } };
      const db = new Database(file.path);
      db.prepare(`UPDATE events SET data = '{"referralId":"r2"}', hash = ? WHERE position = 1`).run(eventHash(forged));
      db.close();
      const result = await store.verify();
      expect(result).toMatchObject({ ok: false, brokenLink: { position: 1n, chain: 'global' } });
    });

    it('when a row was deleted', async () => {
      const store = await openStore();
      await write(store);
      await tamperHooks(file.path).deleteEvent(2n);
      const result = await store.verify();
      expect(result).toMatchObject({ ok: false, brokenLink: { chain: 'global', position: 3n } });
      if (!result.ok) expect(result.brokenLink.reason).toMatch(/position 2 is missing/);
    });

    it('when the last event of a stream was deleted and the rows renumbered', async () => {
      const store = await openStore();
      await write(store);
      const db = new Database(file.path);
      db.exec('DELETE FROM events WHERE position = 3; UPDATE events SET position = 3 WHERE position = 4;');
      db.close();
      const result = await store.verify();
      expect(result).toMatchObject({ ok: false, brokenLink: { position: 3n } });
    });

    it('when two rows were swapped', async () => {
      const store = await openStore();
      await write(store);
      await tamperHooks(file.path).swapEvents(0n, 3n);
      const result = await store.verify();
      expect(result).toMatchObject({ ok: false, events: 0, brokenLink: { position: 0n } });
    });

    it('when the tail was cut, against the recorded head', async () => {
      const store = await openStore();
      await write(store);
      const intact = await store.verify();
      if (!intact.ok || intact.head === null) throw new Error('expected a head');
      expect(intact.head.position).toBe(4n);
      await tamperHooks(file.path).truncateAfter(2n);
      const result = await store.verify({ expectedHead: intact.head });
      expect(result).toMatchObject({ ok: false, events: 3, brokenLink: { chain: 'global', position: 4n } });
      if (!result.ok) expect(result.brokenLink.reason).toMatch(/gone/);
    });
  });

  describe('two connections on one file', () => {
    it('the database decides a race between them: exactly one of 50 wins', async () => {
      const a = await openStore();
      const b = await openStore();
      await a.append('bed-s.1', [event('BedAdded')], { expectedRevision: 'no_stream' });
      // b has never seen this stream: it must read the revision from the file, not a cache.
      const attempts = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          (i % 2 === 0 ? a : b).append('bed-s.1', [event('BedHeld', { i })], { expectedRevision: 0n }),
        ),
      );
      expect(attempts.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
      for (const x of attempts) if (x.status === 'rejected') expect(x.reason).toBeInstanceOf(WrongExpectedVersionError);
      expect(await b.readStream('bed-s.1')).toHaveLength(2);
    });

    it('a stream head one connection remembers is forgotten as soon as the other writes', async () => {
      const a = await openStore();
      const b = await openStore();
      await a.append('bed-s.1', [event('BedAdded')], { expectedRevision: 'no_stream' });
      await a.append('bed-s.1', [event('BedHeld')], { expectedRevision: 0n });
      await a.append('bed-s.2', [], { expectedRevision: 'no_stream' });
      // b moves both streams on while a holds their heads from its own last group.
      await b.append('bed-s.1', [event('BedHoldReleased')], { expectedRevision: 1n });
      await b.append('bed-s.2', [event('BedAdded')], { expectedRevision: 'no_stream' });
      await expect(a.append('bed-s.1', [event('BedHeld')], { expectedRevision: 1n })).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
      await expect(a.append('bed-s.2', [event('BedAdded')], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
      await a.append('bed-s.1', [event('BedHeld')], { expectedRevision: 2n });
      expect((await a.readStream('bed-s.1')).map((e) => e.type)).toEqual([
        'BedAdded',
        'BedHeld',
        'BedHoldReleased',
        'BedHeld',
      ]);
      expect(await b.verify()).toMatchObject({ ok: true, events: 5 });
    });

    it('both chains stay intact when both write', async () => {
      const a = await openStore();
      const b = await openStore();
      for (let i = 0; i < 20; i += 1) {
        await Promise.all([
          a.append(`a-${i % 3}`, [event('X')]),
          b.append(`b-${i % 3}`, [event('Y')]),
          a.append('shared', [event('Z')]),
        ]);
      }
      expect((await a.readAll()).map((e) => e.position)).toEqual(Array.from({ length: 60 }, (_, i) => BigInt(i)));
      expect(await b.verify()).toMatchObject({ ok: true, events: 60 });
    });

    it('two OS processes racing on one file: one winner, intact chains, no gaps', async () => {
      const seed = await openStore();
      await seed.append('bed-race', [event('BedAdded')], { expectedRevision: 'no_stream' });
      const startAt = Date.now() + 1500;
      const runs = await Promise.all(['p1', 'p2'].map((label) => runWriter(file.path, label, startAt)));
      expect(runs.map((r) => r.won + r.lost)).toEqual([25, 25]);
      expect(runs[0].won + runs[1].won).toBe(1);
      expect(await seed.readStream('bed-race')).toHaveLength(2);
      expect(await seed.readStream('shared')).toHaveLength(200);
      expect((await seed.readAll()).map((e) => e.position)).toEqual(Array.from({ length: 402 }, (_, i) => BigInt(i)));
      expect(await seed.verify()).toMatchObject({ ok: true, events: 402 });
    }, 60_000);

    it('a subscription sees events another connection wrote (by polling)', async () => {
      const reader = await openStore();
      const writer = await openStore();
      const received: string[] = [];
      let both: () => void = () => undefined;
      const receivedBoth = new Promise<void>((resolve) => (both = resolve));
      const subscription = reader.subscribeToAll().subscribe((e) => {
        received.push(e.type);
        if (received.length === 2) both();
      });
      await writer.append('bed-s.1', [event('BedAdded'), event('BedHeld')]);
      // Waits for the poll to bring them, however long that takes (jest's timeout means hung).
      await receivedBoth;
      subscription.unsubscribe();
      expect(received).toEqual(['BedAdded', 'BedHeld']);
    });
  });
});
