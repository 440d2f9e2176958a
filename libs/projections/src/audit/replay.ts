import {
  bedDecider,
  bedStreamId,
  childDecider,
  childStreamId,
  fold,
  referralDecider,
  referralStreamId,
  upcast,
  bedDayOf,
  londonDateOf,
  isBusinessDate,
} from '@placement/domain';
import type {
  BedDay,
  BedEvent,
  BedState,
  BusinessDate,
  ChildEvent,
  ChildState,
  ReferralEvent,
  ReferralState,
} from '@placement/domain';
import type { EventStore, RecordedEvent } from '@placement/event-store';
import { parseAsOf, recordedBy } from './as-of';
import { childRelated, referralRelated, type RelatedSelector } from './related';
import { statesBefore } from './states-before';
import { buildTimeline, type AuditEntry } from './timeline';

export type AuditSubject =
  | { readonly kind: 'child'; readonly childId: string }
  | { readonly kind: 'referral'; readonly referralId: string }
  | { readonly kind: 'bed'; readonly settingId: string; readonly bedId: string };

/** A subject's decision history and state exactly as the record stood at `asOf` (null: now). */
export interface AuditHistory<S> {
  readonly subject: AuditSubject;
  readonly asOf: string | null;
  readonly state: S;
  /** Every stream the history draws on. */
  readonly streams: readonly string[];
  readonly entries: readonly AuditEntry[];
}

export type ChildAudit = AuditHistory<ChildState>;
export type ReferralAudit = AuditHistory<ReferralState>;
/**
 * A bed's history on both axes: `asOf` is the recorded axis (what the log had learnt by then),
 * `on` the business axis (which night the diary is read for, by default the London date of
 * `asOf`): "what did the record, as it stood on Friday, say about next Tuesday night".
 */
export type BedAudit = AuditHistory<BedState> & { readonly on: BusinessDate | null; readonly night: BedDay | null };

export interface AsOfOptions {
  /** An ISO-8601 instant with a zone; omitted or null for the record as it stands. */
  readonly asOf?: string | null;
  /** The night to read a unit's diary for (YYYY-MM-DD); defaults to the London date of `asOf`. */
  readonly on?: BusinessDate | null;
}

const SCAN_PAGE = 5_000;

function asOfOf(options: AsOfOptions): string | null {
  if (options.asOf === undefined || options.asOf === null) return null;
  const asOf = parseAsOf(options.asOf);
  if (asOf === null) throw new RangeError(`asOf must be an ISO-8601 instant with a zone, such as 2026-11-27T18:00:00Z`);
  return asOf;
}

async function ownStream(
  store: EventStore,
  streamId: string,
  visible: (e: RecordedEvent) => boolean,
): Promise<RecordedEvent[]> {
  return (await store.readStream(streamId)).filter(visible);
}

/**
 * One pass over the log from the start, page by page. At an authority's scale (tens of
 * thousands of events) this is cheap and it is exactly "what the record said"; no read model can drift from it.
 */
async function scan(
  store: EventStore,
  visible: (e: RecordedEvent) => boolean,
  related: RelatedSelector,
): Promise<RecordedEvent[]> {
  const picked: RecordedEvent[] = [];
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll(after === undefined ? { maxCount: SCAN_PAGE } : { after, maxCount: SCAN_PAGE });
    for (const event of page) if (visible(event) && related(event)) picked.push(event);
    if (page.length < SCAN_PAGE) return picked;
    after = page[page.length - 1].position;
  }
}

const streamsOf = (events: readonly RecordedEvent[]): string[] => [...new Set(events.map((e) => e.streamId))];

/** Each related stream read whole (as of the instant) and folded, so every entry can show the state its decider saw. */
async function statesBeforeAll(
  store: EventStore,
  streams: readonly string[],
  visible: (e: RecordedEvent) => boolean,
): Promise<Map<string, unknown>> {
  const all = new Map<string, unknown>();
  for (const streamId of streams) {
    for (const [id, state] of statesBefore(await ownStream(store, streamId, visible))) all.set(id, state);
  }
  return all;
}
/** The stored events in their current shapes (older versions upcast), for the deciders' folds. */
const domainEvents = <E extends { readonly type: string; readonly data: unknown }>(
  events: readonly RecordedEvent[],
): E[] => events.map((e) => upcast<E>(e));

/** A child's decisions and its state (the child decider's fold) as recorded by `asOf`; null if the child was not yet registered then. */
export async function readChildAudit(
  store: EventStore,
  childId: string,
  options: AsOfOptions = {},
): Promise<ChildAudit | null> {
  const asOf = asOfOf(options);
  const visible = recordedBy(asOf);
  const state = fold(childDecider, domainEvents<ChildEvent>(await ownStream(store, childStreamId(childId), visible)));
  if (state.status === 'Unknown') return null;
  const events = await scan(store, visible, childRelated(childId));
  const streams = streamsOf(events);
  return {
    subject: { kind: 'child', childId },
    asOf,
    state,
    streams,
    entries: buildTimeline(events, [], await statesBeforeAll(store, streams, visible)),
  };
}

/** A referral's decisions (proposals, meetings, holds, the placement it led to) as recorded by `asOf`. */
export async function readReferralAudit(
  store: EventStore,
  referralId: string,
  options: AsOfOptions = {},
): Promise<ReferralAudit | null> {
  const asOf = asOfOf(options);
  const visible = recordedBy(asOf);
  const state = fold(
    referralDecider,
    domainEvents<ReferralEvent>(await ownStream(store, referralStreamId(referralId), visible)),
  );
  if (state.status === 'NotReceived') return null;
  const events = await scan(store, visible, referralRelated(referralId));
  const streams = streamsOf(events);
  return {
    subject: { kind: 'referral', referralId },
    asOf,
    state,
    streams,
    entries: buildTimeline(events, [], await statesBeforeAll(store, streams, visible)),
  };
}

/** A bed's own stream as recorded by `asOf`, with the proposals of the referrals it was held or taken for. */
export async function readBedAudit(
  store: EventStore,
  settingId: string,
  bedId: string,
  options: AsOfOptions = {},
): Promise<BedAudit | null> {
  const asOf = asOfOf(options);
  const visible = recordedBy(asOf);
  const streamId = bedStreamId(settingId, bedId);
  const events = await ownStream(store, streamId, visible);
  const state = fold(bedDecider, domainEvents<BedEvent>(events));
  if (state.status === 'NotAdded') return null;
  const referralIds = new Set(
    events
      .map((e) => (e.data as { referralId?: unknown }).referralId)
      .filter((id): id is string => typeof id === 'string'),
  );
  const proposals: RecordedEvent[] = [];
  for (const referralId of referralIds) {
    proposals.push(
      ...(await ownStream(store, referralStreamId(referralId), visible)).filter((e) => e.type === 'MatchesProposed'),
    );
  }
  const on = options.on ?? (asOf === null ? null : londonDateOf(asOf));
  if (on !== null && !isBusinessDate(on)) throw new RangeError('on must be a YYYY-MM-DD date');
  return {
    subject: { kind: 'bed', settingId, bedId },
    asOf,
    on,
    night: on === null ? null : bedDayOf(state, on, asOf),
    state,
    streams: [streamId],
    entries: buildTimeline(events, proposals, statesBefore(events)),
  };
}
