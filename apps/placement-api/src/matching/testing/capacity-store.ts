import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bedStreamId, currentSchemaVersion, settingStreamId } from '@placement/domain';
import { openSqliteEventStore, type Clock, type EventToAppend, type SqliteEventStore } from '@placement/event-store';
import { CapacityProjection } from '../capacity-projection';

/*
 * The matching specs' setup: the capacity projection over a real SQLite store in a temp folder,
 * holding one home and its residential beds, on a clock the spec moves.
 */

/** A clock that stands at `at` until the spec moves it. */
export class FixedClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return new Date(this.at.getTime());
  }
}

/** An event as the store takes it, in this build's shape, under a command of its own. */
export function anEvent(type: string, data: unknown): EventToAppend {
  return {
    id: randomUUID(),
    type,
    schemaVersion: currentSchemaVersion(type),
    data,
    metadata: { commandId: randomUUID(), correlationId: 'c', causationId: 'c', actor: { id: 'test', role: 'admin' } },
  };
}

export interface CapacityStore {
  /** The store's file, for a second process's store on the same log. */
  readonly path: string;
  readonly store: SqliteEventStore;
  readonly clock: FixedClock;
  readonly projection: CapacityProjection;
  /** Stops the projection, closes the store and removes the folder. */
  close(): Promise<void>;
}

/**
 * A store holding the home `setting` (a `SettingRegistered`'s data, such as `aSetting(…)` gives)
 * with a residential bed for each of `bedIds`, and the capacity projection over it, started.
 */
export async function openCapacityStore(options: {
  at: string;
  setting: { settingId: string };
  bedIds: readonly string[];
}): Promise<CapacityStore> {
  const dir = mkdtempSync(join(tmpdir(), 'capacity-store-'));
  const path = join(dir, 'events.db');
  const clock = new FixedClock(new Date(options.at));
  const store = await openSqliteEventStore({ path, clock, pollIntervalMs: 20 });
  const { settingId } = options.setting;
  await store.append(settingStreamId(settingId), [anEvent('SettingRegistered', options.setting)]);
  for (const bedId of options.bedIds)
    await store.append(bedStreamId(settingId, bedId), [
      anEvent('BedAdded', { settingId, bedId, kind: 'residential', label: bedId }),
    ]);
  const projection = new CapacityProjection(store, clock);
  projection.onModuleInit();
  return {
    path,
    store,
    clock,
    projection,
    async close() {
      await projection.onApplicationShutdown();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
