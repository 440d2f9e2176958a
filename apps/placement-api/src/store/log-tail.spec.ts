import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { openSqliteEventStore, type RecordedEvent, type SqliteEventStore } from '@placement/event-store';
import { tap } from 'rxjs';
import { LogTail } from './log-tail';

const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { id: 'admin-1', role: 'admin' } };
const bedAdded = (bedId: string) => ({
  id: randomUUID(),
  type: 'BedAdded',
  data: { settingId: 's1', bedId, kind: 'residential', label: bedId },
  metadata,
});

/** Many beds in a few appends: a long log, quickly. */
async function appendBedsTo(store: SqliteEventStore, count: number): Promise<void> {
  for (let i = 0; i < count; i += 500)
    await store.append(
      `bed-s1.many-${i}`,
      Array.from({ length: Math.min(500, count - i) }, (_, j) => bedAdded(`m${i + j}`)),
    );
}

/** The real store, counting every event it hands over, read or delivered by a subscription. */
function countingEvents(store: SqliteEventStore): { store: SqliteEventStore; handed: () => number } {
  let handed = 0;
  const counting = Object.create(store) as SqliteEventStore;
  counting.readAll = async (options) => {
    const page = await store.readAll(options);
    handed += page.length;
    return page;
  };
  counting.subscribeToAll = (options) => store.subscribeToAll(options).pipe(tap(() => (handed += 1)));
  return { store: counting, handed: () => handed };
}

/** Starts the tail, catches it up, appends one more bed (`last`), catches up again, then lets the subscription run. */
async function catchUpThenOneMore(tail: LogTail, store: SqliteEventStore, settleMs: number): Promise<void> {
  tail.start();
  await tail.caughtUp();
  await store.append('bed-s1.last', [bedAdded('last')]);
  await tail.caughtUp();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
}

describe('the log tail', () => {
  let dir: string;
  let store: SqliteEventStore;
  let tail: LogTail | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'log-tail-'));
    store = await openSqliteEventStore({ path: path.join(dir, 'events.db'), pollIntervalMs: 20 });
  });
  afterEach(async () => {
    await tail?.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands each event after its checkpoint to the reader once, in order, and knows its position', async () => {
    await store.append('bed-s1.b1', [bedAdded('b1')]);
    await store.append('bed-s1.b2', [bedAdded('b2')]);
    const seen: RecordedEvent[] = [];
    const first = (await store.readAll({ maxCount: 1 }))[0];
    tail = new LogTail(store, 'test', (event) => seen.push(event), first.position);
    expect(tail.position).toBe(first.position);
    tail.start();
    await tail.caughtUp();
    await store.append('bed-s1.b3', [bedAdded('b3')]);
    await tail.caughtUp();
    // The subscription delivers what caughtUp already read: still once each.
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(seen.map((e) => (e.data as { bedId: string }).bedId)).toEqual(['b2', 'b3']);
    expect(tail.position).toBe(await store.headPosition());
  });

  it('after reading ahead of its subscription, subscribes again from there: the log is not read twice', async () => {
    for (let i = 0; i < 50; i++) await store.append(`bed-s1.b${i}`, [bedAdded(`b${i}`)]);
    // The real store, counting what its subscriptions hand over.
    let delivered = 0;
    const counting = Object.create(store) as SqliteEventStore;
    counting.subscribeToAll = (options) => store.subscribeToAll(options).pipe(tap(() => (delivered += 1)));
    const seen: string[] = [];
    tail = new LogTail(counting, 'test', (event) => seen.push((event.data as { bedId: string }).bedId));
    await catchUpThenOneMore(tail, store, 200);

    expect(seen).toHaveLength(51);
    expect(seen.at(-1)).toBe('last');
    expect(delivered).toBeLessThan(51);
  });

  it('reads the log once however many wait: one read ahead at a time, the subscription paused meanwhile', async () => {
    await appendBedsTo(store, 3000);
    const counting = countingEvents(store);
    let applied = 0;
    tail = new LogTail(counting.store, 'test', () => (applied += 1));
    tail.start();
    await Promise.all([tail.caughtUp(), tail.caughtUp(), tail.caughtUp(), tail.caughtUp()]);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(applied).toBe(3000);
    expect(tail.position).toBe(await store.headPosition());
    // The subscription may deliver its first page before the read ahead starts: little more than once each.
    expect(counting.handed()).toBeLessThanOrEqual(3000 + 500);
  });

  it('hands each event, read once, to every reader that follows it; none may follow once it has read', async () => {
    await appendBedsTo(store, 1200);
    const counting = countingEvents(store);
    const first: string[] = [];
    const second: string[] = [];
    tail = new LogTail(counting.store, 'test');
    tail.follow((event) => first.push((event.data as { bedId: string }).bedId));
    tail.follow((event) => second.push((event.data as { bedId: string }).bedId));
    tail.start(); // every reader may start it: the second call does nothing
    await catchUpThenOneMore(tail, store, 100);

    expect(first).toHaveLength(1201);
    expect(second).toEqual(first);
    expect(counting.handed()).toBeLessThanOrEqual(1201 + 500);
    expect(() => tail?.follow(() => undefined)).toThrow('a reader follows a log tail before it reads');
  });

  it('is caught up at once on an empty log', async () => {
    tail = new LogTail(store, 'test', () => undefined);
    tail.start();
    await expect(tail.caughtUp()).resolves.toBeUndefined();
    expect(tail.position).toBe(-1n);
  });
});
