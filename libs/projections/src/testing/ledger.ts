import type { RecordedEvent } from '@placement/event-store';
import type { Projection } from '../projection';
import type { ReadModelDb } from '../read-model-db';

/**
 * Records each applied position (and the event's id) once: applying one twice breaks the primary key,
 * skipping one shows in the dump, and so does applying another event than the log holds there.
 */
export function ledgerProjection(options: { throwAt?: () => bigint | null } = {}): Projection {
  return {
    name: 'ledger',
    version: 1,
    eventTypes: new Set(['PlacementStarted', 'BedOccupied', 'ChildPlacedWithHousehold']),
    tables: ['ledger'],
    schema: 'CREATE TABLE IF NOT EXISTS ledger (position INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL)',
    apply(event: RecordedEvent, tx: ReadModelDb) {
      if (options.throwAt?.() === event.position) throw new RangeError('the projection cannot read this event');
      tx.run('INSERT INTO ledger (position, type, id) VALUES (?, ?, ?)', event.position, event.type, event.id);
    },
  };
}
