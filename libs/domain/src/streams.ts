import { bedDecider } from './bed/bed';
import { childDecider } from './child/child';
import { contractDecider } from './contract/contract';
import { householdDecider } from './household/household';
import { referralDecider } from './referral/referral';
import { settingDecider } from './setting/setting';

/**
 * Every kind of stream the domain owns, with the decider that folds it. A stream's id begins with
 * its kind and a dash (`bed-…`, `child-…`), so the kind of any stream in the log is read from its id.
 */
export const STREAM_DECIDERS = {
  setting: settingDecider,
  bed: bedDecider,
  household: householdDecider,
  contract: contractDecider,
  referral: referralDecider,
  child: childDecider,
} as const;

export type StreamKind = keyof typeof STREAM_DECIDERS;

/** The kind of stream an id names; null for a stream the domain does not own. */
export function streamKindOf(streamId: string): StreamKind | null {
  const kind = streamId.slice(0, streamId.indexOf('-'));
  return Object.hasOwn(STREAM_DECIDERS, kind) ? (kind as StreamKind) : null;
}
