import type { ReadModelDb } from '@placement/projections';

/** How far a reconciliation pass found nothing half done, so the next one needs to look only past it. */
export interface ReconcileCheckpoint {
  /** Every unit was checked, and settled but for `deferred`, as of this log position (-1n: an empty log). */
  readonly position: bigint;
  /** The hash of the event at `position` (null: an empty log): a log put back or replaced does not match. */
  readonly hash: string | null;
  /**
   * The unit streams to check again whatever the log says, as time alone can change them: a
   * hold (it lapses), a take within the grace period (its command may still finish), attention.
   */
  readonly deferred: readonly string[];
}

const TABLE = `CREATE TABLE IF NOT EXISTS reconciler_checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  position TEXT NOT NULL,
  hash TEXT,
  deferred TEXT NOT NULL
)`;

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
    const row = db.get<{ position: string; hash: string | null; deferred: string }>(
      'SELECT position, hash, deferred FROM reconciler_checkpoint WHERE id = 1',
    );
    if (row === undefined) return null;
    return { position: BigInt(row.position), hash: row.hash, deferred: JSON.parse(row.deferred) as string[] };
  }

  save(checkpoint: ReconcileCheckpoint): void {
    const db = this.db();
    db.exec(TABLE);
    db.run(
      `INSERT INTO reconciler_checkpoint (id, position, hash, deferred) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET position = excluded.position, hash = excluded.hash, deferred = excluded.deferred`,
      String(checkpoint.position),
      checkpoint.hash,
      JSON.stringify(checkpoint.deferred),
    );
  }
}
