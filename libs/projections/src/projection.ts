import type { RecordedEvent } from '@placement/event-store';
import type { ReadModelDb } from './read-model-db';

/**
 * A read model fed from $all. `apply` runs inside the runner's transaction, together with
 * the projection's checkpoint; it must only write through `tx` and must not keep state of
 * its own, so a rebuild from zero gives the same tables as live updates.
 */
export interface Projection {
  readonly name: string;
  /** Bump when a table or the meaning of a column changes: the read model is rebuilt from zero on open. */
  readonly version: number;
  /** The event types it reads; other events only move its checkpoint. */
  readonly eventTypes: ReadonlySet<string>;
  /** Its tables (dropped on rebuild). */
  readonly tables: readonly string[];
  /** DDL creating its tables and indexes (`IF NOT EXISTS`). */
  readonly schema: string;
  apply(event: RecordedEvent, tx: ReadModelDb): void;
}
