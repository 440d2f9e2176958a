import { foldOf, type Projection, tablesOf } from '../projection';
import type { ReadModelDb } from '../read-model-db';

/**
 * Need to know: which homes (settings) each child is known to, and how. A residential manager
 * reads only the children known to the homes they keep:
 * - `placed`: the child lives or lived there (a placement in one of its beds);
 * - `held`: a bed there was held for one of the child's referrals;
 * - `proposed`: one of its beds is among the ranked options of a recorded proposal for one of
 *   the child's referrals (units the engine excluded are not);
 * - `meeting`: a matching meeting for one of the child's referrals considered the home.
 * Once known, always known: a home that looked after a child, or was asked to, keeps its
 * reason to read the record (ended placements, released holds and withdrawn referrals included).
 */
export type ChildHomeRelation = 'placed' | 'held' | 'proposed' | 'meeting';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS child_homes_referrals (referral_id TEXT PRIMARY KEY, child_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS child_homes (
  child_id TEXT NOT NULL, setting_id TEXT NOT NULL, relation TEXT NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (child_id, setting_id, relation));
CREATE INDEX IF NOT EXISTS child_homes_setting ON child_homes (setting_id, child_id);
`;

function know(tx: ReadModelDb, childId: string, settingId: string, relation: ChildHomeRelation, at: bigint): void {
  // The first event that made the home know the child is kept; later ones change nothing.
  tx.run(
    'INSERT OR IGNORE INTO child_homes (child_id, setting_id, relation, position) VALUES (?, ?, ?, ?)',
    childId,
    settingId,
    relation,
    at,
  );
}

function childOfReferral(tx: ReadModelDb, referralId: string): string | null {
  return (
    tx.get<{ child_id: string }>('SELECT child_id FROM child_homes_referrals WHERE referral_id = ?', referralId)
      ?.child_id ?? null
  );
}

const fold = foldOf({
  ReferralReceived(d, tx) {
    tx.run(
      'INSERT OR IGNORE INTO child_homes_referrals (referral_id, child_id) VALUES (?, ?)',
      d.referralId,
      d.childId,
    );
  },
  PlacementStarted(d, tx, at) {
    if (d.unit.kind === 'bed') know(tx, d.childId, d.unit.settingId, 'placed', at);
  },
  BedHeld(d, tx, at) {
    know(tx, d.childId, d.settingId, 'held', at);
  },
  MatchesProposed(d, tx, at) {
    const childId = childOfReferral(tx, d.referralId);
    if (childId === null) return;
    for (const option of d.options)
      if (option.unit.kind === 'bed') know(tx, childId, option.unit.settingId, 'proposed', at);
  },
  MatchingMeetingHeld(d, tx, at) {
    const childId = childOfReferral(tx, d.referralId);
    const unit = d.unitConsidered;
    if (childId !== null && unit.kind === 'setting') know(tx, childId, unit.settingId, 'meeting', at);
  },
});

export const childHomesProjection: Projection = {
  name: 'child-homes',
  version: 1,
  tables: tablesOf(SCHEMA),
  schema: SCHEMA,
  ...fold,
};
