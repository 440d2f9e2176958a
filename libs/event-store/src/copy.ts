import { canonicalJson } from './canonical-json';
import type { Clock, EventStore, RecordedEvent, VerifyResult } from './port';

/*
 * Copies one event store into another through the port only, so it works between any
 * two adapters (sqlite → EventStoreDB for a council outgrowing one machine, or sqlite →
 * sqlite for a backup). Every event keeps its id, type, schema version, data, metadata,
 * stream revision and global order. Each event is appended on its own with the exact
 * revision it had, so a re-run after an interruption re-appends what is already there —
 * a no-op by event id — and carries on: the copy is resumable and a second run writes nothing.
 */

/**
 * The target store's clock during a copy. The port stamps `recordedAt` from the store's
 * injected clock, so the copy opens the target with this clock and sets it to each
 * event's original `recordedAt` just before appending it: the copied metadata (and so
 * the hash chain) is identical to the source's. Outside a copy it is the system clock.
 */
export class CopyClock implements Clock {
  private replaying: Date | null = null;

  now(): Date {
    return this.replaying === null ? new Date() : new Date(this.replaying.getTime());
  }

  /** Runs `append` with the clock reading `recordedAt`. Appends must not overlap (copyStore awaits each). */
  async at<T>(recordedAt: string, append: () => Promise<T>): Promise<T> {
    const instant = new Date(recordedAt);
    if (Number.isNaN(instant.getTime())) throw new Error(`recordedAt ${recordedAt} is not an ISO-8601 instant`);
    this.replaying = instant;
    try {
      return await append();
    } finally {
      this.replaying = null;
    }
  }
}

export interface CopyProgress {
  /** Source events handled so far (written + already present). */
  readonly events: number;
  readonly written: number;
  readonly alreadyPresent: number;
  /** Source position of the last event handled. */
  readonly position: bigint;
  /** Source head when the copy started. */
  readonly sourceHead: bigint;
}

export interface CopyOptions {
  /** The clock the target store was opened with; without it the target stamps its own recordedAt. */
  readonly clock?: CopyClock;
  readonly onProgress?: (progress: CopyProgress) => void;
  /** Stops cleanly between two events; a later run resumes. */
  readonly signal?: AbortSignal;
  readonly pageSize?: number;
}

export interface CopyReport {
  readonly events: number;
  readonly written: number;
  readonly alreadyPresent: number;
  readonly streams: number;
  readonly aborted: boolean;
  /** The target's own `verify()`; absent when the copy was aborted. */
  readonly targetVerify?: VerifyResult;
  /** Every source event found in the target, in order, with identical content and hash; null when it was. */
  readonly mismatch?: string | null;
}

export async function copyStore(from: EventStore, to: EventStore, options: CopyOptions = {}): Promise<CopyReport> {
  const pageSize = options.pageSize ?? 500;
  const sourceHead = await from.headPosition();
  let targetHead = await to.headPosition();
  let events = 0;
  let written = 0;
  let alreadyPresent = 0;
  const streams = new Set<string>();
  let after: bigint | undefined;

  for (;;) {
    const page = await from.readAll({ after, maxCount: pageSize });
    // Events appended to the source during the copy are left for the next run.
    const inScope = page.filter((event) => event.position <= sourceHead);
    for (const event of inScope) {
      if (options.signal?.aborted) return { events, written, alreadyPresent, streams: streams.size, aborted: true };
      const append = () =>
        to.append(event.streamId, [toAppendable(event)], {
          expectedRevision: event.revision === 0n ? 'no_stream' : event.revision - 1n,
        });
      const result = await (options.clock ? options.clock.at(event.metadata.recordedAt, append) : append());
      // A fresh write lands after the target's head; an idempotent re-append returns the original, older position.
      if (result.position > targetHead) {
        written += 1;
        targetHead = result.position;
      } else {
        alreadyPresent += 1;
      }
      events += 1;
      streams.add(event.streamId);
      after = event.position;
      options.onProgress?.({ events, written, alreadyPresent, position: event.position, sourceHead });
    }
    if (inScope.length < page.length || page.length === 0) break;
    after = page[page.length - 1].position;
  }

  const targetVerify = await to.verify();
  const mismatch = await compareLogs(from, to, sourceHead, pageSize);
  return { events, written, alreadyPresent, streams: streams.size, aborted: false, targetVerify, mismatch };
}

/** The envelope as the caller once supplied it; recordedAt travels through the target's clock. */
function toAppendable(event: RecordedEvent) {
  const { commandId, correlationId, causationId, actor, effectiveAt, commandDigest } = event.metadata;
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: {
      commandId,
      correlationId,
      causationId,
      actor,
      ...(effectiveAt === undefined ? {} : { effectiveAt }),
      ...(commandDigest === undefined ? {} : { commandDigest }),
    },
  };
}

/**
 * Walks the target's log and checks that the source's events (up to `sourceHead`) all
 * appear in it, in the same order, with the same stream, revision, content, metadata and
 * hash. The target may hold other events too (it was not empty). Returns the first
 * difference in plain words, or null.
 */
export async function compareLogs(
  from: EventStore,
  to: EventStore,
  sourceHead: bigint,
  pageSize = 500,
): Promise<string | null> {
  const expected: RecordedEvent[] = [];
  for (let after: bigint | undefined; ;) {
    const page = (await from.readAll({ after, maxCount: pageSize })).filter((event) => event.position <= sourceHead);
    expected.push(...page);
    if (page.length < pageSize) break;
    after = page[page.length - 1].position;
  }
  const index = new Map(expected.map((event, i) => [event.id, i]));
  let next = 0;
  for (let after: bigint | undefined; next < expected.length;) {
    const page = await to.readAll({ after, maxCount: pageSize });
    if (page.length === 0) break;
    for (const copied of page) {
      const at = index.get(copied.id);
      if (at === undefined) continue;
      if (at !== next) return `event ${copied.id} is out of order in the target (source index ${at}, expected ${next})`;
      const difference = differenceBetween(expected[at], copied);
      if (difference !== null) return `event ${copied.id} differs: ${difference}`;
      next += 1;
    }
    after = page[page.length - 1].position;
  }
  return next === expected.length
    ? null
    : `event ${expected[next].id} of ${expected[next].streamId} is missing from the target`;
}

function differenceBetween(source: RecordedEvent, target: RecordedEvent): string | null {
  const fields: [string, unknown, unknown][] = [
    ['stream', source.streamId, target.streamId],
    ['revision', source.revision, target.revision],
    ['type', source.type, target.type],
    ['schemaVersion', source.schemaVersion, target.schemaVersion],
    ['data', canonicalJson(source.data), canonicalJson(target.data)],
    ['metadata', canonicalJson(source.metadata), canonicalJson(target.metadata)],
    ['hash', source.hash, target.hash],
  ];
  for (const [name, a, b] of fields) if (a !== b) return `${name}: source ${String(a)}, target ${String(b)}`;
  return null;
}
