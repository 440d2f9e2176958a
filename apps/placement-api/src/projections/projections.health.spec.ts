import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HealthIndicatorService } from '@nestjs/terminus';
import { openSqliteEventStore } from '@placement/event-store';
import { allProjections, openReadModelDb, ProjectionRunner } from '@placement/projections';
import { appendAll, syntheticEvents } from '@placement/projections/testing';
import { ProjectionsHealthIndicator } from './projections.health';
import type { ProjectionsService } from './projections.service';

describe('projections health', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'projections-health-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is DOWN, naming why, while a read model rebuilds because the log lost its checkpoint event', async () => {
    const eventsPath = path.join(dir, 'events.db');
    const store = await openSqliteEventStore({ path: eventsPath, pollIntervalMs: 20 });
    await appendAll(store, syntheticEvents({ count: 600, seed: 1 }), { idPrefix: 'first' });
    const readModels = path.join(dir, 'read-models.db');
    const first = new ProjectionRunner({
      store,
      db: openReadModelDb({ path: readModels }),
      projections: allProjections(),
    });
    await first.start();
    expect(await first.whenCaughtUp()).toBe(true);
    await first.stop();
    // The log loses its tail while the API is down (an older copy put back).
    const raw = new Database(eventsPath);
    raw.prepare('DELETE FROM events WHERE position > 299').run();
    raw.close();

    const db = openReadModelDb({ path: readModels });
    const runner = new ProjectionRunner({ store, db, projections: allProjections() });
    const indicator = new ProjectionsHealthIndicator({ runner } as ProjectionsService, new HealthIndicatorService());
    await runner.start();
    // Checked before the first rebuilt batch can land: the subscription delivers on a later turn.
    expect(indicator.check()).toEqual({
      projections: {
        status: 'down',
        projections: allProjections().map((p) => ({
          name: p.name,
          position: '-1',
          state: 'rebuilding',
          error: { type: 'EventLogChanged', code: null, position: '599' },
        })),
      },
    });
    expect(await runner.whenCaughtUp()).toBe(true);
    expect(indicator.check()).toEqual({
      projections: {
        status: 'up',
        projections: allProjections().map((p) => ({ name: p.name, position: '299', state: 'caught-up' })),
      },
    });
    await runner.stop();
    db.close();
    await store.close();
  });
});
