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

/** An event of the domain's union, by its type and data. */
interface TypedEvent {
  readonly type: string;
  readonly data: unknown;
}

/**
 * A read model's fold as a table: a handler for each event type it reads, given the event's data,
 * the transaction and the event's position in the log (and the recorded event, for its metadata).
 * The type checker asks for a handler for every member of the union, as a switch's exhaustiveness
 * check would.
 */
export type Handlers<E extends TypedEvent> = {
  readonly [T in E['type']]: (
    data: Extract<E, { type: T }>['data'],
    tx: ReadModelDb,
    at: bigint,
    recorded: RecordedEvent,
  ) => void;
};

/** The `eventTypes` and `apply` of a fold given as a table of handlers: it reads the events the table names. */
export function foldOf<E extends TypedEvent>(handlers: Handlers<E>): Pick<Projection, 'eventTypes' | 'apply'> {
  const table = handlers as unknown as Readonly<
    Record<string, (data: unknown, tx: ReadModelDb, at: bigint, recorded: RecordedEvent) => void>
  >;
  return {
    eventTypes: new Set(Object.keys(table)),
    apply: (recorded, tx) => table[recorded.type](recorded.data, tx, recorded.position, recorded),
  };
}
