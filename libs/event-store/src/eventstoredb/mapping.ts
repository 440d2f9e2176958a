import { randomUUID } from 'node:crypto';
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  START,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  StreamDeletedError,
  UnavailableError,
  DeadlineExceededError,
  CancelledError,
  NotLeaderError,
  AccessDeniedError,
  TimeoutError,
  MaxAppendSizeExceededError,
  type AppendExpectedRevision,
  type AllStreamResolvedEvent,
  type EventData,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { canonicalJson } from '../canonical-json';
import { eventHash } from '../hashing';
import { StoreUnavailableError, WrongExpectedVersionError } from '../errors';
import type {
  CommandDigest,
  EventMetadata,
  EventMetadataInput,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
  VerifyResult,
} from '../port';

/*
 * Pure mapping between the port and @eventstore/db-client's types.
 * No I/O here: every function is unit-tested against the client's own classes.
 */

// ---------------------------------------------------------------- revisions

/** The port's expectations map one-to-one onto the client's constants; a bigint stays exact. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (expected < 0n) throw new RangeError(`Expected revision must be >= 0, got ${expected}`);
      return expected;
  }
}

/** Whether a stream whose last revision is `actual` satisfies `expected` (checked before we write). */
export function revisionSatisfies(expected: ExpectedRevision, actual: bigint | 'no_stream'): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return actual === expected;
  }
}

// ---------------------------------------------------------------- positions

/*
 * The port's position is one bigint; ESDB's is a pair {commit, prepare} ordered
 * lexicographically in $all. We use the COMMIT position as the port's position:
 * - In ESDB >= 20 every append over gRPC is an implicit transaction, so each event
 *   has commit == prepare and a commit position of its own: the single bigint is
 *   unique and increases in $all order.
 * - Resuming from a checkpoint C, we ask ESDB for {commit: C, prepare: C}. Since a
 *   prepare is always written before its commit (prepare <= commit), every event with
 *   commit <= C sorts at or before (C, C) and every event with commit > C after it:
 *   the resume point is exact even when an event's prepare differs from its commit.
 * - Only legacy explicit (TCP) transactions put several events on one commit
 *   position; the single bigint cannot tell them apart, so readers check that
 *   positions strictly increase (`assertAfter`) and fail loudly rather than skip.
 */
export function toPortPosition(position: Position): bigint {
  return position.commit;
}

/** The ESDB position to resume from after the port's checkpoint `after`. */
export function toEsdbPosition(after: bigint): Position {
  if (after < 0n) throw new RangeError(`Position must be >= 0, got ${after}`);
  return { commit: after, prepare: after };
}

/** Where a read or subscription starts: the log's start for no checkpoint or -1 (an empty log's head). */
export function resumeFrom(after: bigint | undefined): ReadPosition {
  return after === undefined || after < 0n ? START : toEsdbPosition(after);
}

/** ESDB < 22.6 returns no position (or u64::MAX) for events read from a stream rather than $all. */
const NO_POSITION = 0xffffffffffffffffn;

export function hasUsablePosition(position: Position | undefined): position is Position {
  return position !== undefined && position.commit !== NO_POSITION && position.commit >= 0n;
}

/** Fails if `next` does not come strictly after `previous` (see the note on explicit transactions above). */
export function assertAfter(previous: bigint | undefined, next: Pick<RecordedEvent, 'id' | 'position'>): void {
  if (previous !== undefined && next.position <= previous) {
    throw new Error(
      `EventStoreDB $all position did not increase (event ${next.id} at commit ${next.position} after ${previous}); ` +
        'events written in legacy explicit transactions share a commit position and are not supported',
    );
  }
}

// ---------------------------------------------------------------- metadata and hashes

/**
 * What we store as the ESDB event's JSON metadata. `$correlationId` / `$causationId`
 * are ESDB's own conventions (used by its system projections, e.g. `$bc-`).
 */
export interface EsdbEventMetadata {
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly recordedAt: string;
  readonly effectiveAt?: string;
  readonly commandDigest?: CommandDigest;
  readonly schemaVersion: number;
  readonly prevHash: string | null;
  readonly hash: string;
  readonly $correlationId: string;
  readonly $causationId: string;
}

/** The fields an event's hash covers: everything the caller and the store decided, and the previous hash. */
export interface HashedContent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly prevHash: string | null;
}

/**
 * The shared definition (../hashing.ts), over exactly the metadata fields of the port, so
 * an event copied between adapters keeps its hash. Position is not covered: ESDB assigns
 * it after the write.
 */
export function chainHash(content: HashedContent): string {
  return eventHash({ ...content, metadata: pickMetadata(content.metadata) });
}

function pickMetadata(metadata: EventMetadata): EventMetadata {
  return { ...pickInput(metadata), recordedAt: metadata.recordedAt };
}

/** Exactly the caller-supplied metadata fields of the port: nothing a client or another writer added. */
function pickInput(metadata: EventMetadataInput): EventMetadataInput {
  const { commandId, correlationId, causationId, actor, effectiveAt, commandDigest } = metadata;
  return {
    commandId,
    correlationId,
    causationId,
    actor: { id: actor.id, role: actor.role },
    ...(effectiveAt === undefined ? {} : { effectiveAt }),
    ...(commandDigest === undefined ? {} : { commandDigest }),
  };
}

/** An event ready for the wire, plus the hash it will carry (the next event's prevHash). */
export interface ChainedEvent {
  readonly eventData: EventData;
  readonly hash: string;
}

/**
 * Builds the events of one append, chained from the stream's current tail.
 * `recordedAt` is always the store's clock (a copy replays original times through it: copy.ts).
 */
export function chainEvents(
  streamId: string,
  tail: { readonly revision: bigint; readonly hash: string } | null,
  events: readonly EventToAppend[],
  recordedAt: string,
): ChainedEvent[] {
  let prevHash = tail?.hash ?? null;
  let revision = tail === null ? 0n : tail.revision + 1n;
  const chained: ChainedEvent[] = [];
  for (const event of events) {
    const schemaVersion = event.schemaVersion ?? 1;
    const metadata: EventMetadata = pickMetadata({ ...event.metadata, recordedAt });
    const hash = chainHash({
      streamId,
      revision,
      id: event.id,
      type: event.type,
      schemaVersion,
      data: event.data,
      metadata,
      prevHash,
    });
    const esdbMetadata: EsdbEventMetadata = {
      ...metadata,
      schemaVersion,
      prevHash,
      hash,
      $correlationId: metadata.correlationId,
      $causationId: metadata.causationId,
    };
    chained.push({
      eventData: {
        id: event.id,
        contentType: 'application/json',
        type: event.type,
        data: toJsonData(event.id, event.data),
        metadata: { ...esdbMetadata },
      },
      hash,
    });
    prevHash = hash;
    revision += 1n;
  }
  return chained;
}

function toJsonData(eventId: string, data: unknown): JSONType {
  if (typeof data === 'string' || Array.isArray(data) || (typeof data === 'object' && data !== null)) {
    return data as JSONType;
  }
  throw new TypeError(`Event ${eventId}: data must be a JSON object, array or string`);
}

/** Reads our metadata back, naming the first field that is missing or malformed. */
export function decodeMetadata(eventId: string, raw: unknown): EsdbEventMetadata {
  const read = readMetadata(raw);
  if (typeof read === 'string') throw new Error(`Event ${eventId} was not written by this store: ${read}`);
  return read;
}

/** Our metadata, or why it is not ours (`metadata.<field> is missing or malformed`). */
function readMetadata(raw: unknown): EsdbEventMetadata | string {
  const fail = (field: string) => `metadata.${field} is missing or malformed`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof Uint8Array) return fail('(json)');
  const m = raw as Record<string, unknown>;
  const actor = m['actor'];
  if (typeof actor !== 'object' || actor === null) return fail('actor');
  const { id: actorId, role } = actor as Record<string, unknown>;
  if (typeof actorId !== 'string' || typeof role !== 'string') return fail('actor');
  const schemaVersion = m['schemaVersion'];
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion)) return fail('schemaVersion');
  const prevHash = m['prevHash'];
  if (prevHash !== null && typeof prevHash !== 'string') return fail('prevHash');
  const effectiveAt = m['effectiveAt'];
  if (effectiveAt !== undefined && typeof effectiveAt !== 'string') return fail('effectiveAt');
  const commandDigest = m['commandDigest'];
  if (commandDigest !== undefined && !isDigest(commandDigest)) return fail('commandDigest');
  for (const field of ['correlationId', 'causationId', 'commandId', 'recordedAt', 'hash']) {
    if (typeof m[field] !== 'string') return fail(field);
  }
  const text = (field: string) => m[field] as string;
  const decoded: EsdbEventMetadata = {
    commandId: text('commandId'),
    correlationId: text('correlationId'),
    causationId: text('causationId'),
    actor: { id: actorId, role },
    recordedAt: text('recordedAt'),
    schemaVersion,
    prevHash,
    hash: text('hash'),
    $correlationId: text('correlationId'),
    $causationId: text('causationId'),
    ...(effectiveAt === undefined ? {} : { effectiveAt }),
    ...(commandDigest === undefined ? {} : { commandDigest }),
  };
  return decoded;
}

function isDigest(value: unknown): value is CommandDigest {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((hash) => typeof hash === 'string')
  );
}

// ---------------------------------------------------------------- event-id claims

/*
 * ESDB checks event ids only within one stream. To refuse an id reused in another
 * stream (a client bug that must not pass silently), each event first claims its id
 * in a stream of its own, `<namespace>event-id-<id>`, with expected revision no_stream,
 * before it is written. Every event this adapter wrote therefore has a claim, so a
 * batch whose claims were all new cannot be in any stream yet: the append needs only
 * the stream's tail. A claim that already exists for the same stream (a retry, or an
 * attempt that failed) sends the append to read the stream for its events; a claim for
 * another stream is a conflict. Claims have a `$` event type, so $all readers skip them.
 */
export const CLAIM_EVENT_TYPE = '$placement-event-id-claimed';

export function claimStreamName(namespace: string, eventId: string): string {
  return `${namespace}event-id-${eventId}`;
}

/**
 * A fresh claim: its own id is random, so a second claim of the same id is a conflict,
 * never ESDB's idempotent success.
 */
export function claimEvent(eventId: string, streamId: string): EventData {
  return {
    id: randomUUID(),
    contentType: 'application/json',
    type: CLAIM_EVENT_TYPE,
    data: { eventId, streamId },
    metadata: undefined,
  };
}

/** The stream named by a claim read back, or null when the record is not a claim. */
export function claimedStream(resolved: ResolvedEvent): string | null {
  const event = resolved.event;
  if (event === undefined || event.type !== CLAIM_EVENT_TYPE || !event.isJson) return null;
  const data = event.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const streamId = (data as Record<string, unknown>)['streamId'];
  return typeof streamId === 'string' ? streamId : null;
}

// ---------------------------------------------------------------- recorded events

/** System streams and event types start with `$` (stats, settings, scavenges, links): never ours. */
export function isSystemEvent(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$');
}

/**
 * An event in this store's namespace that this store did not write: another application's
 * (not JSON, or metadata of another shape). Only its id, position and what is wrong are
 * kept, never its data: they are what an operator needs and all a log may carry.
 */
export interface ForeignEventNotice {
  readonly eventId: string;
  /** Its $all commit position. */
  readonly position: bigint;
  readonly reason: string;
}

export type MappedEvent =
  | { readonly kind: 'ours'; readonly event: RecordedEvent }
  /** System events, links, id claims and anything outside the namespace: never this store's business. */
  | { readonly kind: 'not-ours' }
  | { readonly kind: 'foreign'; readonly notice: ForeignEventNotice };

const NOT_OURS: MappedEvent = { kind: 'not-ours' };

/**
 * One ESDB resolved event in the port's words: ours (namespace stripped from the stream name),
 * not ours at all, or foreign (in our namespace but not written by this store). Readers of
 * $all skip foreign events, so another application sharing the cluster cannot stop the
 * projections; readers of one of our streams refuse them (see `toRecordedEvent`).
 */
export function mapResolvedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent, namespace = ''): MappedEvent {
  const event = resolved.event;
  if (event === undefined || resolved.link !== undefined) return NOT_OURS;
  if (isSystemEvent(event.streamId, event.type)) return NOT_OURS;
  if (!event.streamId.startsWith(namespace)) return NOT_OURS;
  if (!hasUsablePosition(event.position)) {
    throw new Error(`Event ${event.id} has no $all position: EventStoreDB 22.6 or later is required`);
  }
  const position = toPortPosition(event.position);
  const foreign = (reason: string): MappedEvent => ({
    kind: 'foreign',
    notice: { eventId: event.id, position, reason },
  });
  if (!event.isJson) return foreign('not JSON; this store writes JSON only');
  const m = readMetadata(event.metadata);
  if (typeof m === 'string') return foreign(m);
  return {
    kind: 'ours',
    event: {
      id: event.id,
      type: event.type,
      schemaVersion: m.schemaVersion,
      data: event.data,
      metadata: pickMetadata(m),
      streamId: event.streamId.slice(namespace.length),
      revision: event.revision,
      position,
      prevHash: m.prevHash,
      hash: m.hash,
    },
  };
}

/**
 * One ESDB resolved event as the port's RecordedEvent, or null when it is not ours (system
 * event, link, or outside this store's namespace). Throws on a foreign event: in one of our
 * own streams it means the stream was written by something else, and no decision may be
 * taken on it.
 */
export function toRecordedEvent(
  resolved: ResolvedEvent | AllStreamResolvedEvent,
  namespace = '',
): RecordedEvent | null {
  const mapped = mapResolvedEvent(resolved, namespace);
  switch (mapped.kind) {
    case 'ours':
      return mapped.event;
    case 'not-ours':
      return null;
    case 'foreign':
      throw new Error(`Event ${mapped.notice.eventId} was not written by this store: ${mapped.notice.reason}`);
    default: {
      const _exhaustive: never = mapped;
      return _exhaustive;
    }
  }
}

/**
 * Follows $all for a reader: delivers our events strictly after `after`, in order, and skips
 * (and reports) foreign ones. Shared by the live subscription and `readAll`, so both treat
 * another application's events the same way.
 */
export class AllStreamCursor {
  private lastSeen: bigint | undefined;
  private resumePoint: bigint | undefined;

  constructor(
    private readonly namespace: string,
    after: bigint | undefined,
    private readonly onForeign: (notice: ForeignEventNotice) => void,
  ) {
    this.lastSeen = after;
    this.resumePoint = after;
  }

  /** The last position delivered or skipped as foreign: where a resubscription resumes. */
  get position(): bigint | undefined {
    return this.lastSeen;
  }

  /** Before reading again from `position`: what the new read repeats up to there is skipped. */
  resume(): void {
    this.resumePoint = this.lastSeen;
  }

  /** The event to deliver, or null to skip it. Throws if $all positions stop increasing. */
  next(resolved: AllStreamResolvedEvent): RecordedEvent | null {
    const mapped = mapResolvedEvent(resolved, this.namespace);
    if (mapped.kind === 'not-ours') return null;
    const position = mapped.kind === 'ours' ? mapped.event.position : mapped.notice.position;
    // At or before the resume point: the overlap of a read that starts there (readAll's start is inclusive).
    if (this.resumePoint !== undefined && position <= this.resumePoint) return null;
    if (this.lastSeen !== undefined && position <= this.lastSeen) {
      const id = mapped.kind === 'ours' ? mapped.event.id : mapped.notice.eventId;
      assertAfter(this.lastSeen, { id, position });
    }
    this.lastSeen = position;
    if (mapped.kind === 'foreign') {
      this.onForeign(mapped.notice);
      return null;
    }
    return mapped.event;
  }
}

/** True when a stored event carries the same caller-supplied content as a retried one (idempotency). */
export function sameContent(stored: RecordedEvent, retried: EventToAppend): boolean {
  return (
    stored.type === retried.type &&
    stored.schemaVersion === (retried.schemaVersion ?? 1) &&
    canonicalJson(stored.data) === canonicalJson(retried.data) &&
    canonicalJson(pickInput(stored.metadata)) === canonicalJson(pickInput(retried.metadata))
  );
}

// ---------------------------------------------------------------- verification

export type BrokenLink = Extract<VerifyResult, { ok: false }>['brokenLink'];

/** The first broken link between an event and its stream's previous event, or null. */
export function checkLink(
  event: RecordedEvent,
  previous: { readonly revision: bigint; readonly hash: string } | undefined,
): BrokenLink | null {
  const at = { chain: 'stream' as const, streamId: event.streamId, revision: event.revision, position: event.position };
  const expectedRevision = previous === undefined ? 0n : previous.revision + 1n;
  if (event.revision !== expectedRevision) {
    return { ...at, reason: `expected revision ${expectedRevision}, found ${event.revision}: events are missing` };
  }
  const expectedPrev = previous?.hash ?? null;
  if (event.prevHash !== expectedPrev) {
    return {
      ...at,
      reason: `prevHash ${String(event.prevHash)} does not match the previous event's hash ${String(expectedPrev)}`,
    };
  }
  const recomputed = chainHash(event);
  if (recomputed !== event.hash) {
    return { ...at, reason: `content changed: stored hash ${event.hash}, recomputed ${recomputed}` };
  }
  return null;
}

// ---------------------------------------------------------------- errors

/** Errors worth a retry with backoff: the node is down, restarting, or not the leader. */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError ||
    error instanceof TimeoutError
  );
}

/**
 * The client's errors in the port's words. `streamId` is the port's name (without
 * namespace); `expected` is what the caller asked for.
 */
export function translateError(error: unknown, streamId: string, expected: ExpectedRevision): Error {
  if (error instanceof EsdbWrongExpectedVersionError) {
    return new WrongExpectedVersionError(streamId, expected, error.actualVersion);
  }
  if (error instanceof StreamDeletedError) {
    return new Error(`Stream ${streamId} was deleted in EventStoreDB; it cannot be written again`, { cause: error });
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return new Error(
      `Append to ${streamId} exceeds EventStoreDB's maximum append size (${error.maxAppendSize} bytes): ` +
        'raise EVENTSTORE_MAX_APPEND_SIZE',
      { cause: error },
    );
  }
  if (error instanceof AccessDeniedError) {
    return new StoreUnavailableError('EventStoreDB refused access: check the credentials in ESDB_CONNECTION_STRING', {
      cause: error,
    });
  }
  if (isTransient(error)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new StoreUnavailableError(`EventStoreDB is unavailable: ${detail}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The start-up check's failure in an operator's words, saying which failure it is: the
 * server cannot be reached, the TLS handshake failed, the credentials were refused, the
 * user may not read $all, no answer in time, or something else. Never the password.
 */
export function describeStartupFailure(error: unknown, where: string, timeoutMs: number): string {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof AccessDeniedError) {
    // The client maps gRPC UNAUTHENTICATED (16) and the server's access-denied to one class.
    return (error as { code?: unknown }).code === 16
      ? `EventStoreDB at ${where} refused the credentials (not authenticated): ` +
          'check the user and password in ESDB_CONNECTION_STRING'
      : `EventStoreDB at ${where} denied access: the user in ESDB_CONNECTION_STRING must be allowed to read $all ` +
          '(see docs/deployment.md)';
  }
  if (/certificate|ssl|tls|handshake/i.test(detail)) {
    return `TLS with EventStoreDB at ${where} failed: check tls= and tlsCAFile in ESDB_CONNECTION_STRING (${detail})`;
  }
  if (error instanceof UnavailableError) return `Cannot reach EventStoreDB at ${where}: ${detail}`;
  if (error instanceof NotLeaderError) {
    return (
      `EventStoreDB at ${where} is not the leader and the connection requires it: ` +
      `give every node, or use esdb+discover:// (${detail})`
    );
  }
  if (error instanceof DeadlineExceededError || (error instanceof Error && error.name === 'ProbeTimeoutError')) {
    return (
      `EventStoreDB at ${where} did not answer within ${timeoutMs} ms: ` +
      'is it starting, or is the address a different service?'
    );
  }
  const name = error instanceof Error ? error.constructor.name : typeof error;
  return `EventStoreDB at ${where} failed the start-up check (${name}): ${detail}`;
}

/** A connection string without its password, safe for logs and error messages. */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/^([a-z+]+:\/\/)([^:@/]+):([^@/]*)@/i, '$1$2:***@');
}
