import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteEventStore, type Clock, type SqliteEventStore } from '@placement/event-store';
import {
  allProjections,
  type ProjectionStatus,
  openReadModelDb,
  ProjectionRunner,
  type ReadModelDb,
} from '@placement/projections';
import { appendAll, syntheticEvents } from '@placement/projections/testing';
import { projectionLag, readiness } from './projection-lag';

class SetClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return this.at;
  }
}

/** The real sqlite store and projection runner, with a clock the test sets. */
describe('projectionLag', () => {
  const t0 = new Date('2026-11-30T09:00:00.000Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  let dir: string;
  let clock: SetClock;
  let store: SqliteEventStore;
  let db: ReadModelDb;
  let runner: ProjectionRunner;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'placement-lag-'));
    clock = new SetClock(t0);
    store = await openSqliteEventStore({ path: path.join(dir, 'events.db'), clock, pollIntervalMs: 20 });
    db = openReadModelDb({ path: path.join(dir, 'read-models.db') });
    runner = new ProjectionRunner({ store, db, projections: allProjections() });
  });
  afterEach(async () => {
    await runner.stop();
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is zero on an empty log and once the runner has applied the head', async () => {
    expect(await projectionLag(store, runner.status(), clock)).toEqual({ oldestUnapplied: null, lagSeconds: 0 });
    await appendAll(store, syntheticEvents({ count: 200, seed: 7 }), { groupSize: 50 });
    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(true);
    clock.at = at(3600);
    expect(await projectionLag(store, runner.status(), clock)).toEqual({ oldestUnapplied: null, lagSeconds: 0 });
  });

  it('is the age of the oldest event a projection has not applied', async () => {
    await appendAll(store, syntheticEvents({ count: 100, seed: 8 }), { groupSize: 50 });
    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(true);
    const applied = await store.headPosition();
    await runner.stop();

    // The runner is stopped (as if stuck); the log moves on: one event at +10 s, more at +40 s.
    clock.at = at(10);
    await appendAll(store, syntheticEvents({ count: 1, seed: 9 }), { idPrefix: 'late-1' });
    clock.at = at(40);
    await appendAll(store, syntheticEvents({ count: 5, seed: 10 }), { idPrefix: 'late-2' });
    const [first] = await store.readAll({ after: applied, maxCount: 1 });

    clock.at = at(55.25);
    expect(await projectionLag(store, runner.status(), clock)).toEqual({
      oldestUnapplied: { position: first.position.toString(), recordedAt: at(10).toISOString() },
      lagSeconds: 45.3,
    });

    // Running again, it catches up: nothing is left to apply, however late the clock.
    await runner.start();
    expect(await runner.whenCaughtUp()).toBe(true);
    clock.at = at(600);
    expect(await projectionLag(store, runner.status(), clock)).toEqual({ oldestUnapplied: null, lagSeconds: 0 });
  });

  it('counts from the projection furthest behind, ignoring failed ones', async () => {
    await appendAll(store, syntheticEvents({ count: 10, seed: 11 }), { groupSize: 5 });
    const events = await store.readAll();
    const status = (name: string, position: bigint, state: 'caught-up' | 'running' | 'failed') => ({
      name,
      position,
      state,
      error: null,
    });
    clock.at = at(5);
    const lag = await projectionLag(
      store,
      [
        status('a', events[9].position, 'caught-up'),
        status('b', events[3].position, 'running'),
        status('c', -1n, 'failed'),
      ],
      clock,
    );
    expect(lag).toEqual({
      oldestUnapplied: { position: events[4].position.toString(), recordedAt: t0.toISOString() },
      lagSeconds: 5,
    });
  });
});

describe('readiness', () => {
  const status = (name: string, state: ProjectionStatus['state'], position = 9n): ProjectionStatus => ({
    name,
    position,
    state,
    error: null,
  });
  const caughtUp = { oldestUnapplied: null, lagSeconds: 0 };
  const behind = (lagSeconds: number) => ({ oldestUnapplied: { position: '7', recordedAt: 'then' }, lagSeconds });

  it('is ready while every projection runs within the bound, catching up included', () => {
    const statuses = [status('capacity', 'caught-up'), status('audit', 'running', 6n)];
    expect(readiness(statuses, behind(30), 30)).toEqual({
      ready: true,
      details: {
        maxLagSeconds: 30,
        lagSeconds: 30,
        oldestUnappliedPosition: '7',
        projections: [
          { name: 'capacity', position: '9', state: 'caught-up' },
          { name: 'audit', position: '6', state: 'running' },
        ],
      },
    });
    expect(readiness(statuses, behind(30.1), 30).ready).toBe(false);
  });

  it('is not ready with a failed projection, or one rebuilding because the log changed, however small the lag', () => {
    const failed = readiness([status('capacity', 'failed'), status('audit', 'caught-up')], caughtUp, 30);
    expect(failed).toMatchObject({ ready: false, details: { failed: ['capacity'] } });
    expect(failed.details).not.toHaveProperty('rebuilding');
    const rebuilding = readiness([status('capacity', 'rebuilding', -1n), status('audit', 'caught-up')], caughtUp, 30);
    expect(rebuilding).toMatchObject({ ready: false, details: { rebuilding: ['capacity'] } });
    expect(rebuilding.details).not.toHaveProperty('failed');
  });
});
