import type { RecordedEvent } from '@placement/event-store';
import type { ReadModelDb } from '@placement/projections';

/** An event of the log, found again by its stream and revision: at the same position with the same hash, or gone. */
export type LogEvent = Pick<RecordedEvent, 'position' | 'streamId' | 'revision' | 'hash'>;

/** How far a reconciliation pass found nothing half done, so the next one needs to look only past it. */
export interface ReconcileCheckpoint {
  /**
   * Every unit was checked, and found settled but for `deferred`, on reads at least as new as
   * this event (null: the log was empty). A log that no longer holds it (put back from a
   * backup, replaced) is not the one checked.
   */
  readonly event: LogEvent | null;
  /**
   * The unit streams to check again whatever the log says, as time alone can change them: a
   * hold (it lapses), a take within the grace period (its command may still finish), attention.
   */
  readonly deferred: readonly string[];
}

const TABLE = `CREATE TABLE IF NOT EXISTS reconciler_checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  position TEXT, stream_id TEXT, revision TEXT, hash TEXT,
  deferred TEXT NOT NULL
)`;

interface Row {
  position: string | null;
  stream_id: string | null;
  revision: string | null;
  hash: string | null;
  deferred: string;
}

/**
 * The reconciler's checkpoint, one row in the read-models file (local to the process, like the
 * read models, whichever store holds the log). A file without the row, or without the table
 * (new, rebuilt), has none: the next pass checks every unit.
 */
export class ReconcileCheckpoints {
  /** @param db the read-models file; a function, as it is opened after the reconciler is made */
  constructor(private readonly db: () => ReadModelDb) {}

  load(): ReconcileCheckpoint | null {
    const db = this.db();
    db.exec(TABLE);
    const row = db.get<Row>('SELECT position, stream_id, revision, hash, deferred FROM reconciler_checkpoint');
    if (row === undefined) return null;
    const { position, stream_id: streamId, revision, hash } = row;
    const event =
      position === null || streamId === null || revision === null || hash === null
        ? null
        : { position: BigInt(position), streamId, revision: BigInt(revision), hash };
    return { event, deferred: JSON.parse(row.deferred) as string[] };
  }

  save({ event, deferred }: ReconcileCheckpoint): void {
    const db = this.db();
    db.exec(TABLE);
    db.run(
      `INSERT INTO reconciler_checkpoint (id, position, stream_id, revision, hash, deferred) VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET position = excluded.position, stream_id = excluded.stream_id,
         revision = excluded.revision, hash = excluded.hash, deferred = excluded.deferred`,
      event === null ? null : String(event.position),
      event?.streamId ?? null,
      event === null ? null : String(event.revision),
      event?.hash ?? null,
      JSON.stringify(deferred),
    );
  }
}
