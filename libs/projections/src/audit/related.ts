import { childStreamId, referralStreamId } from '@placement/domain';
import type { RecordedEvent } from '@placement/event-store';

/**
 * Selectors that pick a subject's related events in one pass over the log, in commit order.
 * The log's own order makes one pass enough: a referral is received before anything is held
 * for it, and every unit event of a placement names the child.
 */
export type RelatedSelector = (event: RecordedEvent) => boolean;

/**
 * What a pass has learnt before it starts (the audit index's links up to its checkpoint), so
 * it can go on over the rest of the log only: a child's referrals and placements, a referral's placements.
 */
export interface RelatedSeed {
  readonly referrals?: Iterable<string>;
  readonly placements?: Iterable<string>;
}

/** A string field of the event's data, or null. The audit index reads events through the same function. */
export function field(event: { readonly data: unknown }, name: string): string | null {
  const data = event.data;
  if (typeof data !== 'object' || data === null) return null;
  const value = (data as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

/** Streams whose events a unit's occupants and holds are recorded on. */
export const isUnitStream = (streamId: string): boolean =>
  streamId.startsWith('bed-') || streamId.startsWith('household-') || streamId.startsWith('contract-');

/**
 * A child's history: its own stream, its referrals (ReferralReceived names the child), and
 * the bed, household and contract events of its placements and holds.
 */
export function childRelated(childId: string, seed: RelatedSeed = {}): RelatedSelector {
  const own = childStreamId(childId);
  const referrals = new Set<string>(seed.referrals);
  const placements = new Set<string>(seed.placements);
  return (event) => {
    if (event.streamId === own) {
      const placementId = field(event, 'placementId');
      if (placementId) placements.add(placementId);
      return true;
    }
    const referralId = field(event, 'referralId');
    if (event.type === 'ReferralReceived' && field(event, 'childId') === childId && referralId)
      referrals.add(referralId);
    if (event.streamId.startsWith('referral-')) return referralId !== null && referrals.has(referralId);
    if (!isUnitStream(event.streamId)) return false;
    const placementId = field(event, 'placementId');
    if (field(event, 'childId') === childId) {
      if (placementId) placements.add(placementId);
      return true;
    }
    return (placementId !== null && placements.has(placementId)) || (referralId !== null && referrals.has(referralId));
  };
}

/**
 * A referral's history: its own stream, every event taken for it (holds, the placement on
 * the child and its unit), and the rest of the story of the placements it led to.
 */
export function referralRelated(referralId: string, seed: RelatedSeed = {}): RelatedSelector {
  const own = referralStreamId(referralId);
  const placements = new Set<string>(seed.placements);
  return (event) => {
    const placementId = field(event, 'placementId');
    if (event.streamId === own) {
      if (placementId) placements.add(placementId);
      return true;
    }
    if (event.streamId.startsWith('referral-')) return false;
    if (field(event, 'referralId') === referralId) {
      if (placementId) placements.add(placementId);
      return true;
    }
    return (
      placementId !== null &&
      placements.has(placementId) &&
      (isUnitStream(event.streamId) || event.streamId.startsWith('child-'))
    );
  };
}
