import { childStreamId } from '@placement/domain';
import type { RecordedEvent } from '@placement/event-store';
import { tablesOf, type Projection } from '../projection';
import type { ReadModelDb } from '../read-model-db';
import { field, isUnitStream } from './related';

/**
 * The audit index: for each child and each referral, the events its history shows (stream,
 * revision and position), so a timeline reads just those through the event store instead of
 * scanning the log. It picks exactly what `childRelated` and `referralRelated` pick in one pass
 * over the log, for every subject at once; the links those selectors learn on the way (a child's
 * referrals and placements, a referral's placements) are tables here.
 *
 * As of an instant: a scan only ever sees the events recorded by then, so an event belongs to a
 * history as of `t` only if it was recorded by `t` *and* the link that ties it to the subject was
 * learnt from an event recorded by `t`. Each row keeps the earliest instant both hold
 * (`visible_from`, ms since the epoch), each link the earliest instant it was learnt (`since`), so
 * an as-of read is one range condition and never shows an event recorded later, even when the
 * store's clock stepped back between events. NULL means "no instant": an unparseable recordedAt,
 * never visible as of a time, shown only in the history as it stands now.
 */
export const AUDIT_INDEX = 'audit-index';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_child_events (
  child_id TEXT NOT NULL, position INTEGER NOT NULL, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
  visible_from INTEGER, PRIMARY KEY (child_id, position)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_referral_events (
  referral_id TEXT NOT NULL, position INTEGER NOT NULL, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
  visible_from INTEGER, PRIMARY KEY (referral_id, position)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_child_referrals (
  child_id TEXT NOT NULL, referral_id TEXT NOT NULL, since INTEGER,
  PRIMARY KEY (child_id, referral_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS audit_child_referrals_by_referral ON audit_child_referrals (referral_id);
CREATE TABLE IF NOT EXISTS audit_child_placements (
  child_id TEXT NOT NULL, placement_id TEXT NOT NULL, since INTEGER,
  PRIMARY KEY (child_id, placement_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS audit_child_placements_by_placement ON audit_child_placements (placement_id);
CREATE TABLE IF NOT EXISTS audit_referral_placements (
  referral_id TEXT NOT NULL, placement_id TEXT NOT NULL, since INTEGER,
  PRIMARY KEY (referral_id, placement_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS audit_referral_placements_by_placement ON audit_referral_placements (placement_id);
`;

const CHILD = 'child-';
const REFERRAL = 'referral-';

/** An instant in ms, or null for none (an instant that never comes). */
type Instant = number | null;

/** The earlier of two instants (null is never). */
export function earliest(a: Instant, b: Instant): Instant {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/** The later of two instants (null is never). */
export function latest(a: Instant, b: Instant): Instant {
  return a === null || b === null ? null : Math.max(a, b);
}

/** When the store recorded the event, as `recordedBy` compares it. */
export function recordedMs(event: RecordedEvent): Instant {
  const ms = Date.parse(event.metadata.recordedAt);
  return Number.isNaN(ms) ? null : ms;
}

type Link = 'audit_child_referrals' | 'audit_child_placements' | 'audit_referral_placements';
const LINK_COLUMNS: Record<Link, readonly [string, string]> = {
  audit_child_referrals: ['child_id', 'referral_id'],
  audit_child_placements: ['child_id', 'placement_id'],
  audit_referral_placements: ['referral_id', 'placement_id'],
};

/** Learns a link; it counts from the earliest event that taught it. */
function learn(tx: ReadModelDb, link: Link, subjectId: string, otherId: string, at: Instant): void {
  const [subject, other] = LINK_COLUMNS[link];
  tx.run(
    `INSERT INTO ${link} (${subject}, ${other}, since) VALUES (?, ?, ?)
     ON CONFLICT (${subject}, ${other}) DO UPDATE SET since = CASE
       WHEN since IS NULL THEN excluded.since WHEN excluded.since IS NULL THEN since
       ELSE min(since, excluded.since) END`,
    subjectId,
    otherId,
    at,
  );
}

/** The subjects a link already ties to `otherId`, with the instant each was learnt. */
function linked(tx: ReadModelDb, link: Link, otherId: string): { id: string; since: Instant }[] {
  const [subject, other] = LINK_COLUMNS[link];
  return tx.all<{ id: string; since: Instant }>(
    `SELECT ${subject} AS id, since FROM ${link} WHERE ${other} = ?`,
    otherId,
  );
}

/** Adds a subject the event concerns from `from` on (the earliest reason wins). */
function concern(subjects: Map<string, Instant>, id: string, from: Instant): void {
  subjects.set(id, subjects.has(id) ? earliest(subjects.get(id) ?? null, from) : from);
}

/** The children whose history shows the event, as `childRelated` decides it for each child. */
function childrenOf(event: RecordedEvent, at: Instant, tx: ReadModelDb): Map<string, Instant> {
  const { streamId } = event;
  const referralId = field(event, 'referralId');
  const placementId = field(event, 'placementId');
  const childId = field(event, 'childId');
  const children = new Map<string, Instant>();
  // A referral names its child (not on the child's own stream, where the selector has already answered).
  if (event.type === 'ReferralReceived' && childId !== null && referralId && streamId !== childStreamId(childId))
    learn(tx, 'audit_child_referrals', childId, referralId, at);
  if (streamId.startsWith(CHILD)) {
    const own = streamId.slice(CHILD.length);
    concern(children, own, at);
    if (placementId) learn(tx, 'audit_child_placements', own, placementId, at);
  } else if (streamId.startsWith(REFERRAL)) {
    if (referralId !== null)
      for (const { id, since } of linked(tx, 'audit_child_referrals', referralId))
        concern(children, id, latest(at, since));
  } else if (isUnitStream(streamId)) {
    if (childId !== null) {
      concern(children, childId, at);
      if (placementId) learn(tx, 'audit_child_placements', childId, placementId, at);
    }
    if (placementId !== null)
      for (const { id, since } of linked(tx, 'audit_child_placements', placementId))
        concern(children, id, latest(at, since));
    if (referralId !== null)
      for (const { id, since } of linked(tx, 'audit_child_referrals', referralId))
        concern(children, id, latest(at, since));
  }
  return children;
}

/** The referrals whose history shows the event, as `referralRelated` decides it for each referral. */
function referralsOf(event: RecordedEvent, at: Instant, tx: ReadModelDb): Map<string, Instant> {
  const { streamId } = event;
  const referralId = field(event, 'referralId');
  const placementId = field(event, 'placementId');
  const referrals = new Map<string, Instant>();
  if (streamId.startsWith(REFERRAL)) {
    const own = streamId.slice(REFERRAL.length);
    concern(referrals, own, at);
    if (placementId) learn(tx, 'audit_referral_placements', own, placementId, at);
    return referrals;
  }
  if (referralId !== null) {
    concern(referrals, referralId, at);
    if (placementId) learn(tx, 'audit_referral_placements', referralId, placementId, at);
  }
  if (placementId !== null && (isUnitStream(streamId) || streamId.startsWith(CHILD)))
    for (const { id, since } of linked(tx, 'audit_referral_placements', placementId))
      concern(referrals, id, latest(at, since));
  return referrals;
}

function apply(event: RecordedEvent, tx: ReadModelDb): void {
  const at = recordedMs(event);
  for (const [childId, from] of childrenOf(event, at, tx))
    tx.run(
      `INSERT INTO audit_child_events (child_id, position, stream_id, revision, visible_from) VALUES (?, ?, ?, ?, ?)`,
      childId,
      event.position,
      event.streamId,
      event.revision,
      from,
    );
  for (const [referralId, from] of referralsOf(event, at, tx))
    tx.run(
      `INSERT INTO audit_referral_events (referral_id, position, stream_id, revision, visible_from)
       VALUES (?, ?, ?, ?, ?)`,
      referralId,
      event.position,
      event.streamId,
      event.revision,
      from,
    );
}

/**
 * Every event type, including ones this build does not know: a history links events by the
 * ids in their data (childId, referralId, placementId), whatever their type, and shows unknown
 * types by name, so the index must see them all.
 */
class EveryEventType extends Set<string> {
  override has(): boolean {
    return true;
  }
}

export const auditIndexProjection: Projection = {
  name: AUDIT_INDEX,
  version: 1,
  eventTypes: new EveryEventType(),
  tables: tablesOf(SCHEMA),
  schema: SCHEMA,
  apply,
};
