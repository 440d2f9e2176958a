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
import type { ReadModelDb } from '../read-model-db';
import type { CheckpointEvent } from '../runner';
import { parseAsOf, recordedBy } from './as-of';
import { readIndexedHistory, type IndexedEvent, type IndexedHistory } from './audit-index.query';
import { childRelated, field, referralRelated, type RelatedSeed, type RelatedSelector } from './related';
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
  /**
   * The read-model file holding the audit index: a child's or a referral's history is then read
   * from the events the index lists, plus a pass over the log after its checkpoint (what it has not
   * applied yet). Without it, or when the log no longer matches it, the whole log is scanned.
   */
  readonly index?: ReadModelDb | null;
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
 * One pass over the log, page by page, from the start or after `after`. The pass is the
 * reference every other way of reading a history must agree with: it is exactly "what the
 * record said". Between pages other requests get their turn.
 */
async function scan(
  store: EventStore,
  visible: (e: RecordedEvent) => boolean,
  related: RelatedSelector,
  after?: bigint,
): Promise<RecordedEvent[]> {
  const picked: RecordedEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await store.readAll(
      cursor === undefined ? { maxCount: SCAN_PAGE } : { after: cursor, maxCount: SCAN_PAGE },
    );
    for (const event of page) if (visible(event) && related(event)) picked.push(event);
    if (page.length < SCAN_PAGE) return picked;
    cursor = page[page.length - 1].position;
    await new Promise<void>((resolve) => setImmediate(resolve));
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

/** A history's events in commit order, and the state each one's decider saw. */
interface Collected {
  readonly events: readonly RecordedEvent[];
  readonly statesBefore: ReadonlyMap<string, unknown>;
}

/** The whole log scanned for the subject's events. */
async function scanned(
  store: EventStore,
  visible: (e: RecordedEvent) => boolean,
  related: RelatedSelector,
): Promise<Collected> {
  const events = await scan(store, visible, related);
  return { events, statesBefore: await statesBeforeAll(store, streamsOf(events), visible) };
}

/** The log still holds the event the index stands on, where it applied it: what it lists is this log's. */
async function stillHolds(store: EventStore, anchor: CheckpointEvent): Promise<boolean> {
  const [event] = await store.readStream(anchor.streamId, { fromRevision: anchor.revision, maxCount: 1 });
  return event !== undefined && event.position === anchor.position && event.hash === anchor.hash;
}

/**
 * The subject's events from the audit index, and a pass over the log after its checkpoint
 * (started from the links the index had learnt) for what it has not applied yet. Each stream the
 * history draws on is read from its start through the last event needed: that gives the events
 * listed and the states their deciders saw, and nothing later. Null when the log no longer holds
 * what the index applied (cut, or restored from an older copy): the caller scans instead.
 */
async function indexed(
  store: EventStore,
  history: IndexedHistory,
  visible: (e: RecordedEvent) => boolean,
  related: (seed: RelatedSeed) => RelatedSelector,
  alreadyRead: ReadonlyMap<string, readonly RecordedEvent[]>,
): Promise<Collected | null> {
  if (history.through !== null && !(await stillHolds(store, history.through))) return null;
  const rest = await scan(store, visible, related(history.seed), history.through?.position);
  const wanted = new Map<string, { last: bigint; listed: IndexedEvent[] }>();
  const want = (streamId: string, revision: bigint): { last: bigint; listed: IndexedEvent[] } => {
    const entry = wanted.get(streamId) ?? { last: revision, listed: [] };
    if (revision > entry.last) entry.last = revision;
    wanted.set(streamId, entry);
    return entry;
  };
  for (const event of history.events) want(event.streamId, event.revision).listed.push(event);
  for (const event of rest) want(event.streamId, event.revision);

  const events: RecordedEvent[] = [...rest];
  const states = new Map<string, unknown>();
  for (const [streamId, { last, listed }] of wanted) {
    const stream = alreadyRead.get(streamId) ?? (await store.readStream(streamId, { maxCount: Number(last) + 1 }));
    const byRevision = new Map(stream.map((e) => [e.revision, e]));
    for (const { revision, position } of listed) {
      const event = byRevision.get(revision);
      // Another event at that revision: the log changed under the index since it was read.
      if (event === undefined || event.position !== position) return null;
      if (visible(event)) events.push(event);
    }
    for (const [id, state] of statesBefore(stream.filter((e) => e.revision <= last && visible(e))))
      states.set(id, state);
  }
  events.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  return { events, statesBefore: states };
}

/** The stored events in their current shapes (older versions upcast), for the deciders' folds. */
const domainEvents = <E extends { readonly type: string; readonly data: unknown }>(
  events: readonly RecordedEvent[],
): E[] => events.map((e) => upcast<E>(e));

/**
 * A child's decisions and its state (the child decider's fold) as recorded by `asOf`;
 * null if the child was not yet registered then.
 */
export async function readChildAudit(
  store: EventStore,
  childId: string,
  options: AsOfOptions = {},
): Promise<ChildAudit | null> {
  const asOf = asOfOf(options);
  const visible = recordedBy(asOf);
  const streamId = childStreamId(childId);
  const own = await store.readStream(streamId);
  const state = fold(childDecider, domainEvents<ChildEvent>(own.filter(visible)));
  if (state.status === 'Unknown') return null;
  const history = options.index ? readIndexedHistory(options.index, { kind: 'child', childId }, asOf) : null;
  const collected =
    (history &&
      (await indexed(store, history, visible, (seed) => childRelated(childId, seed), new Map([[streamId, own]])))) ??
    (await scanned(store, visible, childRelated(childId)));
  return {
    subject: { kind: 'child', childId },
    asOf,
    state,
    streams: streamsOf(collected.events),
    entries: buildTimeline(collected.events, [], collected.statesBefore),
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
  const streamId = referralStreamId(referralId);
  const own = await store.readStream(streamId);
  const state = fold(referralDecider, domainEvents<ReferralEvent>(own.filter(visible)));
  if (state.status === 'NotReceived') return null;
  const history = options.index ? readIndexedHistory(options.index, { kind: 'referral', referralId }, asOf) : null;
  const collected =
    (history &&
      (await indexed(
        store,
        history,
        visible,
        (seed) => referralRelated(referralId, seed),
        new Map([[streamId, own]]),
      ))) ??
    (await scanned(store, visible, referralRelated(referralId)));
  return {
    subject: { kind: 'referral', referralId },
    asOf,
    state,
    streams: streamsOf(collected.events),
    entries: buildTimeline(collected.events, [], collected.statesBefore),
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
  const referralIds = new Set(events.map((e) => field(e, 'referralId')).filter((id): id is string => id !== null));
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
