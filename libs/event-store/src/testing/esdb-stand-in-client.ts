import { Readable } from 'node:stream';
import { EventEmitter } from 'node:events';
import {
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type EventData,
  type EventStoreDBClient,
  type JSONType,
  type ResolvedEvent,
} from '@eventstore/db-client';

/*
 * A stand-in for @eventstore/db-client's gRPC client, for the adapter's tests on a machine
 * where no EventStoreDB server can run: one node's streams in memory, the client's own event
 * shapes and error classes, exact expected revisions honoured as the server does. It is not
 * a store: it decides nothing the adapter decides (hash chains, idempotency, claims). The
 * contract suite is what proves the adapter against a live server.
 */

interface Stored {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly data: EventData;
}

export interface StandInOptions {
  /** Called before an append to `streamName` is applied; may append a rival's events first. */
  readonly beforeAppend?: (streamName: string, client: StandInClient) => void;
}

export class StandInClient {
  private readonly all: Stored[] = [];
  private readonly streams = new Map<string, Stored[]>();
  private nextPosition = 1000n;
  readonly subscriptions: (EventEmitter & { unsubscribe(): Promise<void> })[] = [];

  constructor(private readonly options: StandInOptions = {}) {}

  asClient(): EventStoreDBClient {
    return this as unknown as EventStoreDBClient;
  }

  /** Writes events as another writer would, bypassing any hook. */
  write(streamName: string, events: readonly EventData[]): bigint {
    const stream = this.streams.get(streamName) ?? [];
    for (const data of events) {
      const stored: Stored = {
        streamId: streamName,
        revision: BigInt(stream.length),
        position: this.nextPosition,
        data,
      };
      this.nextPosition += 100n;
      stream.push(stored);
      this.all.push(stored);
    }
    this.streams.set(streamName, stream);
    return BigInt(stream.length - 1);
  }

  async appendToStream(
    streamName: string,
    events: EventData | EventData[],
    options: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<{ success: true; nextExpectedRevision: bigint; position: { commit: bigint; prepare: bigint } }> {
    this.options.beforeAppend?.(streamName, this);
    const list = Array.isArray(events) ? events : [events];
    const stream = this.streams.get(streamName);
    const current = stream === undefined ? NO_STREAM : BigInt(stream.length - 1);
    const expected = options.expectedRevision;
    if (typeof expected === 'bigint' || expected === NO_STREAM) {
      if (expected !== current) {
        throw new WrongExpectedVersionError(undefined, { streamName, expected, current });
      }
    }
    const revision = this.write(streamName, list);
    const last = this.streams.get(streamName)?.at(-1) as Stored;
    return {
      success: true,
      nextExpectedRevision: revision,
      position: { commit: last.position, prepare: last.position },
    };
  }

  readStream(
    streamName: string,
    options: { direction?: string; fromRevision?: bigint | string; maxCount?: number | bigint } = {},
  ): Readable & { cancel(): Promise<void> } {
    const stream = this.streams.get(streamName);
    if (stream === undefined) return failing(new StreamNotFoundError(undefined, streamName));
    const backwards = options.direction === BACKWARDS;
    let events = backwards ? [...stream].reverse() : [...stream];
    const from = options.fromRevision;
    if (typeof from === 'bigint') events = events.filter((e) => (backwards ? e.revision <= from : e.revision >= from));
    else if (from !== undefined && from !== START && from !== END)
      throw new Error('stand-in: unsupported fromRevision');
    return readable(events.slice(0, Number(options.maxCount ?? events.length)).map(resolve));
  }

  readAll(options: { direction?: string; maxCount?: number | bigint } = {}): Readable & { cancel(): Promise<void> } {
    const events = options.direction === BACKWARDS ? [...this.all].reverse() : [...this.all];
    return readable(events.slice(0, Number(options.maxCount ?? events.length)).map(resolve));
  }

  /** Every stored event in $all order, as a subscription would deliver it. */
  resolvedAll(): AllStreamResolvedEvent[] {
    return this.all.map(resolve);
  }

  /** The last event of a stream as written (for a rival writer that chains onto it). */
  tailOf(streamName: string): { revision: bigint; metadata: unknown } | null {
    const last = this.streams.get(streamName)?.at(-1);
    return last === undefined ? null : { revision: last.revision, metadata: last.data.metadata };
  }

  /** A live subscription the test drives: `emit('data', resolved)`, `emit('error', e)`. */
  subscribeToAll(): EventEmitter & { unsubscribe(): Promise<void> } {
    const subscription = Object.assign(new EventEmitter(), { unsubscribe: async () => undefined });
    this.subscriptions.push(subscription);
    return subscription;
  }

  async dispose(): Promise<void> {
    return undefined;
  }
}

/** A stored event as the client hands it back ($all and stream reads alike). */
export function resolve(stored: Stored): AllStreamResolvedEvent {
  const data = stored.data as EventData & { contentType?: string };
  const isJson = data.contentType !== 'application/octet-stream';
  const echoed = isJson
    ? jsonEvent({ id: data.id, type: data.type, data: data.data as JSONType, metadata: data.metadata as JSONType })
    : data;
  return {
    event: {
      streamId: stored.streamId,
      id: echoed.id,
      isJson,
      revision: stored.revision,
      type: echoed.type,
      created: new Date('2026-11-30T09:00:00Z'),
      data: echoed.data,
      metadata: echoed.metadata === undefined ? undefined : (JSON.parse(JSON.stringify(echoed.metadata)) as JSONType),
      position: { commit: stored.position, prepare: stored.position },
    },
    commitPosition: stored.position,
  } as AllStreamResolvedEvent;
}

function readable(events: (ResolvedEvent | AllStreamResolvedEvent)[]): Readable & { cancel(): Promise<void> } {
  return Object.assign(Readable.from(events, { objectMode: true }), { cancel: async () => undefined });
}

function failing(error: Error): Readable & { cancel(): Promise<void> } {
  const stream = new Readable({
    objectMode: true,
    read() {
      this.destroy(error);
    },
  });
  return Object.assign(stream, { cancel: async () => undefined });
}
