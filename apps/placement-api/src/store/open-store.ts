import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Clock, EventStore, openEventStoreDbEventStore, openSqliteEventStore } from '@placement/event-store';
import type { Environment } from '../config/environment';

/** The adapter is chosen by configuration; everything above it sees only the port. */
export async function openConfiguredStore(env: Environment, clock: Clock): Promise<EventStore> {
  switch (env.EVENT_STORE) {
    case 'sqlite':
      mkdirSync(path.dirname(path.resolve(env.SQLITE_PATH)), { recursive: true });
      return openSqliteEventStore({ path: env.SQLITE_PATH, clock });
    case 'eventstoredb':
      return openEventStoreDbEventStore({ connectionString: env.ESDB_CONNECTION_STRING ?? '', clock });
    default: {
      const _exhaustive: never = env.EVENT_STORE;
      throw new Error(`unknown EVENT_STORE ${String(_exhaustive)}`);
    }
  }
}
