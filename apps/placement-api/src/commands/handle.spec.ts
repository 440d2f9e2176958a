import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteEventStore, WrongExpectedVersionError } from '@placement/event-store';
import type { SqliteEventStore } from '@placement/event-store';
import { MAX_ATTEMPTS, toAppend, type CommandContext, type StreamDecider } from './command';
import { handle, handleWhenDue } from './handle';

/** A tally: `Count` adds one `Counted` event carrying the total it makes. */
type Counted = { type: 'Counted'; data: { total: number } };
const tally: StreamDecider<{ type: 'Count' }, Counted, number> = {
  initialState: 0,
  decide: (_command, total) => [{ type: 'Counted', data: { total: total + 1 } }],
  evolve: (_total, event) => event.data.total,
};

const ctxOf = (commandId: string): CommandContext => ({
  commandId,
  clientId: commandId,
  correlationId: 'c-1',
  actor: { id: 'officer-1', role: 'placement-officer' },
  at: '2026-05-01T09:00:00.000Z',
});

/** Each test on a store of its own. */
let dir: string;
let store: SqliteEventStore;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handle-'));
  store = await openSqliteEventStore({ path: path.join(dir, 'events.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('handle: one single-stream command', () => {
  /** Another writer counting on the stream, as a racing request would. */
  const rival = (id: string) =>
    store.append('tally-1', toAppend([{ type: 'Counted', data: { total: 1 } }], 'tally-1', ctxOf(id)), {
      expectedRevision: 'any',
    });

  it('decides again on a fresh read after losing a race, and counts from what the winner wrote', async () => {
    let asked = 0;
    const outcome = await handle(store, tally, 'tally-1', ctxOf('count-1'), async () => {
      asked++;
      if (asked === 1) await rival('rival-1');
      return { type: 'Count' as const };
    });

    expect(asked).toBe(2);
    expect(outcome.replayed).toBe(false);
    expect(outcome.events).toEqual([{ type: 'Counted', data: { total: 2 } }]);
    expect((await store.readStream('tally-1')).map((r) => r.data)).toEqual([{ total: 1 }, { total: 2 }]);
  });

  it(`gives up after ${MAX_ATTEMPTS} lost races: the conflict stands, nothing of the command written`, async () => {
    let asked = 0;
    const refused = await handle(store, tally, 'tally-1', ctxOf('count-1'), async () => {
      await rival(`rival-${++asked}`);
      return { type: 'Count' as const };
    }).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(WrongExpectedVersionError);
    expect(asked).toBe(MAX_ATTEMPTS);
    const written = await store.readStream('tally-1');
    expect(written.filter((r) => r.metadata.commandId === 'count-1')).toEqual([]);
  });

  it('answers a retry from what the command wrote, without building the command again', async () => {
    await handle(store, tally, 'tally-1', ctxOf('count-1'), () => ({ type: 'Count' as const }));
    await rival('rival-1');
    let asked = 0;
    const retry = await handle(store, tally, 'tally-1', ctxOf('count-1'), () => {
      asked++;
      return { type: 'Count' as const };
    });

    expect(asked).toBe(0);
    expect(retry.replayed).toBe(true);
    expect(retry.events).toEqual([{ type: 'Counted', data: { total: 1 } }]);
    expect(await store.readStream('tally-1')).toHaveLength(2);
  });
});

describe('handleWhenDue: a command the stream may no longer call for', () => {
  const countBelow = (limit: number, commandId: string) =>
    handleWhenDue(
      store,
      tally,
      'tally-1',
      ctxOf(commandId),
      (total) => total < limit,
      () => ({ type: 'Count' as const }),
    );

  it('decides when the state read calls for it', async () => {
    const outcome = await countBelow(1, 'count-1');

    expect(outcome).toMatchObject({ replayed: false, events: [{ type: 'Counted', data: { total: 1 } }] });
  });

  it('writes nothing and answers null when it does not', async () => {
    await countBelow(1, 'count-1');

    expect(await countBelow(1, 'count-2')).toBeNull();
    expect(await store.readStream('tally-1')).toHaveLength(1);
  });

  it('answers a retry from what the command wrote, though the state no longer calls for it', async () => {
    await countBelow(1, 'count-1');
    const retry = await countBelow(1, 'count-1');

    expect(retry).toMatchObject({ replayed: true, events: [{ type: 'Counted', data: { total: 1 } }] });
    expect(await store.readStream('tally-1')).toHaveLength(1);
  });
});
