import type { ReadModelDb } from '../read-model-db';
import { readStoredCheckpoint, type CheckpointEvent } from '../runner';
import { AUDIT_INDEX, auditIndexProjection } from './audit-index.projection';
import type { RelatedSeed } from './related';

/** Where an event of a history is: found again by stream and revision, it must still be at this position. */
export interface IndexedEvent {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: bigint;
}

/** What the audit index lists for one subject as of an instant, and how far into the log it has read. */
export interface IndexedHistory {
  /** The last event the index applied (its checkpoint's event): it lists nothing after it. Null before any. */
  readonly through: CheckpointEvent | null;
  /** The subject's events up to `through`, in commit order. */
  readonly events: readonly IndexedEvent[];
  /** What a pass over the rest of the log must start from: the links learnt up to `through`. */
  readonly seed: RelatedSeed;
}

export type IndexedSubject =
  { readonly kind: 'child'; readonly childId: string } | { readonly kind: 'referral'; readonly referralId: string };

interface Row {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: bigint;
}

/**
 * One subject's entry in the audit index, with the checkpoint it is complete up to, read in one
 * read transaction (rows and checkpoint are committed together). As of an instant: only what a
 * pass over the events recorded by then would pick. Null when the file holds no audit index this
 * build can read (never built, or built by another version of the projection).
 */
export function readIndexedHistory(
  db: ReadModelDb,
  subject: IndexedSubject,
  asOf: string | null,
): IndexedHistory | null {
  const limit = asOf === null ? null : Date.parse(asOf);
  const by = limit === null ? '' : ` AND visible_from <= ?`;
  const learnt = limit === null ? '' : ` AND since <= ?`;
  const params = (id: string) => (limit === null ? [id] : [id, limit]);
  // A subject's events, and the ids of a kind learnt for it, from the index's tables for that subject.
  const eventsOf = (table: string, subjectColumn: string, id: string): Row[] =>
    db.allExact<Row>(
      `SELECT position, stream_id AS streamId, revision FROM ${table}
       WHERE ${subjectColumn} = ?${by} ORDER BY position`,
      ...params(id),
    );
  const idsOf = (table: string, idColumn: string, subjectColumn: string, id: string): string[] =>
    ids(db, `SELECT ${idColumn} AS id FROM ${table} WHERE ${subjectColumn} = ?${learnt}`, params(id));
  return db.snapshot(() => {
    const checkpoint = readStoredCheckpoint(db, AUDIT_INDEX);
    if (checkpoint === null || checkpoint.version !== auditIndexProjection.version) return null;
    if (checkpoint.anchor === null) return checkpoint.position < 0n ? { through: null, events: [], seed: {} } : null;
    if (subject.kind === 'child') {
      const id = subject.childId;
      return {
        through: checkpoint.anchor,
        events: eventsOf('audit_child_events', 'child_id', id),
        seed: {
          referrals: idsOf('audit_child_referrals', 'referral_id', 'child_id', id),
          placements: idsOf('audit_child_placements', 'placement_id', 'child_id', id),
        },
      };
    }
    const id = subject.referralId;
    return {
      through: checkpoint.anchor,
      events: eventsOf('audit_referral_events', 'referral_id', id),
      seed: { placements: idsOf('audit_referral_placements', 'placement_id', 'referral_id', id) },
    };
  });
}

function ids(db: ReadModelDb, sql: string, params: readonly (string | number)[]): string[] {
  return db.all<{ id: string }>(sql, ...params).map((r) => r.id);
}
