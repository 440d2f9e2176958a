import type {
  BedHeld,
  MatchesProposed,
  MatchingMeetingHeld,
  PlacementStarted,
  ReferralReceived,
} from '@placement/domain';
import type { RecordedEvent } from '@placement/event-store';
import type { Projection } from '../projection';
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
export const CHILD_HOMES_TABLES = ['child_homes', 'child_homes_referrals'] as const;

export type ChildHomeRelation = 'placed' | 'held' | 'proposed' | 'meeting';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS child_homes_referrals (referral_id TEXT PRIMARY KEY, child_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS child_homes (
  child_id TEXT NOT NULL, setting_id TEXT NOT NULL, relation TEXT NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (child_id, setting_id, relation));
CREATE INDEX IF NOT EXISTS child_homes_setting ON child_homes (setting_id, child_id);
`;

type ChildHomesEvent = ReferralReceived | PlacementStarted | BedHeld | MatchesProposed | MatchingMeetingHeld;

const EVENT_TYPES: ReadonlySet<ChildHomesEvent['type']> = new Set<ChildHomesEvent['type']>([
  'ReferralReceived',
  'PlacementStarted',
  'BedHeld',
  'MatchesProposed',
  'MatchingMeetingHeld',
]);

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

function apply(recorded: RecordedEvent, tx: ReadModelDb): void {
  const event = { type: recorded.type, data: recorded.data } as ChildHomesEvent;
  const at = recorded.position;
  switch (event.type) {
    case 'ReferralReceived':
      tx.run(
        'INSERT OR IGNORE INTO child_homes_referrals (referral_id, child_id) VALUES (?, ?)',
        event.data.referralId,
        event.data.childId,
      );
      return;
    case 'PlacementStarted':
      if (event.data.unit.kind === 'bed') know(tx, event.data.childId, event.data.unit.settingId, 'placed', at);
      return;
    case 'BedHeld':
      know(tx, event.data.childId, event.data.settingId, 'held', at);
      return;
    case 'MatchesProposed': {
      const childId = childOfReferral(tx, event.data.referralId);
      if (childId === null) return;
      for (const option of event.data.options)
        if (option.unit.kind === 'bed') know(tx, childId, option.unit.settingId, 'proposed', at);
      return;
    }
    case 'MatchingMeetingHeld': {
      const childId = childOfReferral(tx, event.data.referralId);
      const unit = event.data.unitConsidered;
      if (childId !== null && unit.kind === 'setting') know(tx, childId, unit.settingId, 'meeting', at);
      return;
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const childHomesProjection: Projection = {
  name: 'child-homes',
  version: 1,
  eventTypes: EVENT_TYPES,
  tables: CHILD_HOMES_TABLES,
  schema: SCHEMA,
  apply,
};
