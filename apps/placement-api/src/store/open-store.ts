import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { Clock, EventStore, openEventStoreDbEventStore, openSqliteEventStore } from '@placement/event-store';
import type { Environment } from '../config/environment';

/** The adapter is chosen by configuration; everything above it sees only the port. */
export async function openConfiguredStore(env: Environment, clock: Clock): Promise<EventStore> {
  switch (env.EVENT_STORE) {
    case 'sqlite':
      mkdirSync(path.dirname(path.resolve(env.SQLITE_PATH)), { recursive: true });
      return openSqliteEventStore({ path: env.SQLITE_PATH, clock });
    case 'eventstoredb': {
      // Operations, attempts, delays, error types and $all positions: never event data or stream names.
      const logger = new Logger('EventStoreDB');
      return openEventStoreDbEventStore({
        connectionString: env.ESDB_CONNECTION_STRING ?? '',
        namespace: env.ESDB_STREAM_PREFIX,
        clock,
        onRetry: ({ operation, attempt, delayMs, reason }) =>
          logger.warn({ msg: 'EventStoreDB retry', operation, attempt, delayMs: Math.round(delayMs), reason }),
        onReconnect: ({ operation, afterAttempts }) =>
          logger.log({ msg: 'EventStoreDB subscription resumed', operation, afterAttempts }),
        onForeignEvent: ({ eventId, position, reason }) =>
          logger.warn({
            msg: 'skipped an event this engine did not write (another application in the namespace?)',
            eventId,
            position: position.toString(),
            reason,
          }),
      });
    }
    default: {
      const _exhaustive: never = env.EVENT_STORE;
      throw new Error(`unknown EVENT_STORE ${String(_exhaustive)}`);
    }
  }
}
