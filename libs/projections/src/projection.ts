import type { DomainEvent } from '@placement/domain';
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
  /** Its tables (dropped on rebuild): `tablesOf(schema)`. */
  readonly tables: readonly string[];
  /** DDL creating its tables and indexes (`IF NOT EXISTS`). */
  readonly schema: string;
  apply(event: RecordedEvent, tx: ReadModelDb): void;
}

/** The tables a schema creates, in order: a read model names each table once, in its DDL. */
export function tablesOf(schema: string): string[] {
  return [...schema.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)].map((m) => m[1]);
}

/** The domain's event of that type. */
type EventOf<T extends DomainEvent['type']> = Extract<DomainEvent, { readonly type: T }>;

/**
 * A read model's fold as a table: a handler for each event type it reads, given the event's data
 * (the domain's event of that type), the transaction and the event's position in the log (and the
 * recorded event, for its metadata). The table's keys are the events the fold reads, named once: the
 * type checker refuses a key that is not an event type of the domain.
 */
export type Handlers<T extends DomainEvent['type']> = {
  readonly [K in T]: (data: EventOf<K>['data'], tx: ReadModelDb, at: bigint, recorded: RecordedEvent) => void;
};

/** The `eventTypes` and `apply` of a fold given as a table of handlers: it reads the events the table names. */
export function foldOf<T extends DomainEvent['type']>(handlers: Handlers<T>): Pick<Projection, 'eventTypes' | 'apply'> {
  const table = handlers as unknown as Readonly<
    Record<string, (data: unknown, tx: ReadModelDb, at: bigint, recorded: RecordedEvent) => void>
  >;
  return {
    eventTypes: new Set(Object.keys(table)),
    apply: (recorded, tx) => table[recorded.type](recorded.data, tx, recorded.position, recorded),
  };
}
