import type { Observable } from 'rxjs';

/**
 * The event store port (docs/architecture.md). Adapters: sqlite (embedded default) and
 * eventstoredb. Every adapter must pass the shared contract suite in ./testing.
 */

/** `'any'` skips the check; a bigint is the exact revision of the stream's last event. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface Actor {
  readonly id: string;
  readonly role: string;
}

/** What the caller supplies; the store adds `recordedAt` from its injected clock. */
export interface EventMetadataInput {
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  /** The business time the event takes effect, when it differs from when it was recorded (back-dating). */
  readonly effectiveAt?: string;
  /**
   * A digest of the request that wrote the event (leaf field path → short hash of its value), so
   * the same command id sent again can be told apart from the same id reused for another
   * request. Opaque to the store; absent on events written before it was kept.
   */
  readonly commandDigest?: CommandDigest;
}

/** Leaf field path (e.g. `unit.bedId`, `milestones[0].kind`) → short hash of the value sent there. */
export type CommandDigest = Readonly<Record<string, string>>;

export interface EventMetadata extends EventMetadataInput {
  /** ISO-8601 instant the store recorded the event, from the store's clock. */
  readonly recordedAt: string;
}

export interface EventToAppend<TData = unknown> {
  /** uuid, chosen by the caller so that a retry is idempotent. */
  readonly id: string;
  /** A stable name such as `BedHeld`, never a class name. */
  readonly type: string;
  readonly schemaVersion?: number;
  readonly data: TData;
  readonly metadata: EventMetadataInput;
}

export interface RecordedEvent<TData = unknown> {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: TData;
  readonly metadata: EventMetadata;
  readonly streamId: string;
  /** 0-based revision within the stream. */
  readonly revision: bigint;
  /** Global position in the log ($all); strictly increasing in commit order. */
  readonly position: bigint;
  /** SHA-256 (hex) of the previous event of the same stream, or null for the first. */
  readonly prevHash: string | null;
  /** SHA-256 (hex) of this event's canonical JSON, including prevHash. */
  readonly hash: string;
}

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event written (or already present, on an idempotent retry). */
  readonly position: bigint;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive start revision (forwards: lowest, backwards: highest). */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: only events with a position greater than this (a checkpoint). Default: from the start. */
  readonly after?: bigint;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Exclusive: deliver events with position greater than this. Default: from the start. */
  readonly after?: bigint;
}

export type VerifyResult =
  | {
      readonly ok: true;
      readonly events: number;
      readonly head: { readonly position: bigint; readonly hash: string } | null;
    }
  | {
      readonly ok: false;
      readonly events: number;
      readonly brokenLink: {
        readonly chain: 'stream' | 'global';
        readonly streamId?: string;
        readonly revision?: bigint;
        readonly position: bigint;
        /** Plain words: what was expected and what was found. */
        readonly reason: string;
      };
    };

export interface VerifyOptions {
  /** A head recorded earlier (global position and hash); verify fails if it is gone or changed. */
  readonly expectedHead?: { readonly position: bigint; readonly hash: string };
}

export interface EventStore {
  append(streamId: string, events: readonly EventToAppend[], options?: AppendOptions): Promise<AppendResult>;
  /** Events of one stream; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catches up from `after`, then goes live: in order, no gap, no duplicate at the switch-over. */
  subscribeToAll(options?: SubscribeOptions): Observable<RecordedEvent>;
  /** Position of the last event in the log, or -1n when empty. */
  headPosition(): Promise<bigint>;
  verify(options?: VerifyOptions): Promise<VerifyResult>;
  close(): Promise<void>;
}

/** The store's clock, injected so tests and replays are deterministic. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
