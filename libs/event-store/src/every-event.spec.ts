import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { everyEvent } from './every-event';
import type { RecordedEvent } from './port';
import { openSqliteEventStore, type SqliteEventStore } from './sqlite';
import { anEvent } from './testing/events';
import { readEveryEvent } from './testing';

describe('everyEvent (sqlite, a real file)', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'every-event-'));
    store = await openSqliteEventStore({ path: join(dir, 'events.db') });
    await store.append('setting-s1', [anEvent('SettingRegistered'), anEvent('BedAdded')]);
    await store.append('child-c1', [anEvent('ChildRegistered')]);
    await store.append('setting-s1', [anEvent('BedAdded')], { expectedRevision: 1n });
    await store.append('child-c1', [anEvent('PlacementStarted')], { expectedRevision: 0n });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('yields the whole log oldest first across pages, a last page short or exactly full', async () => {
    for (const pageSize of [2, 5, 10_000]) {
      const events: RecordedEvent[] = [];
      for await (const event of everyEvent(store, pageSize)) events.push(event);
      expect(events.map((e) => [e.streamId, e.type])).toEqual([
        ['setting-s1', 'SettingRegistered'],
        ['setting-s1', 'BedAdded'],
        ['child-c1', 'ChildRegistered'],
        ['setting-s1', 'BedAdded'],
        ['child-c1', 'PlacementStarted'],
      ]);
    }
  });

  it('collects the log for a spec, the same events in the same order', async () => {
    expect((await readEveryEvent(store)).map((e) => e.position)).toEqual(
      (await store.readAll()).map((e) => e.position),
    );
  });
});
