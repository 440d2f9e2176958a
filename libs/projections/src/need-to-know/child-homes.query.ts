import type { ReadModelDb } from '../read-model-db';
import type { ChildHomeRelation } from './child-homes.projection';

export interface ChildHome {
  readonly settingId: string;
  readonly relation: ChildHomeRelation;
  /** The log position of the first event that made the home know the child. */
  readonly position: string;
}

/** Every home the child is known to, and how (see childHomesProjection). */
export function readChildHomes(db: ReadModelDb, childId: string): ChildHome[] {
  return db
    .all<{ setting_id: string; relation: ChildHomeRelation; position: number | bigint }>(
      'SELECT setting_id, relation, position FROM child_homes WHERE child_id = ? ' +
        'ORDER BY position, setting_id, relation',
      childId,
    )
    .map((r) => ({ settingId: r.setting_id, relation: r.relation, position: String(r.position) }));
}

/** True when the child lives, lived or was referred to one of these homes. */
export function isChildKnownToHomes(db: ReadModelDb, childId: string, settingIds: readonly string[]): boolean {
  if (settingIds.length === 0) return false;
  const marks = settingIds.map(() => '?').join(', ');
  return (
    db.get<{ known: number }>(
      `SELECT 1 AS known FROM child_homes WHERE child_id = ? AND setting_id IN (${marks}) LIMIT 1`,
      childId,
      ...settingIds,
    ) !== undefined
  );
}

/** The children known to these homes, for filtering a list to a residential manager's need to know. */
export function childrenKnownToHomes(db: ReadModelDb, settingIds: readonly string[]): string[] {
  if (settingIds.length === 0) return [];
  const marks = settingIds.map(() => '?').join(', ');
  return db
    .all<{ child_id: string }>(
      `SELECT DISTINCT child_id FROM child_homes WHERE setting_id IN (${marks}) ORDER BY child_id`,
      ...settingIds,
    )
    .map((r) => r.child_id);
}

/** The child a referral is for, once the read model has seen the referral; null before or if there is none. */
export function readReferralChild(db: ReadModelDb, referralId: string): string | null {
  return (
    db.get<{ child_id: string }>('SELECT child_id FROM child_homes_referrals WHERE referral_id = ?', referralId)
      ?.child_id ?? null
  );
}
