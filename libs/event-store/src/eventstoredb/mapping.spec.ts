import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  START,
  AccessDeniedError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type JSONType,
  type Position,
} from '@eventstore/db-client';
import { StoreUnavailableError, WrongExpectedVersionError } from '../errors';
import { eventHash } from '../hashing';
import type { EventToAppend, RecordedEvent } from '../port';
import {
  AllStreamCursor,
  assertAfter,
  chainEvents,
  describeStartupFailure,
  mapResolvedEvent,
  checkLink,
  claimEvent,
  claimedStream,
  decodeMetadata,
  hasUsablePosition,
  isTransient,
  redactConnectionString,
  resumeFrom,
  revisionSatisfies,
  sameContent,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toPortPosition,
  toRecordedEvent,
  translateError,
} from './mapping';

const actor = { id: 'officer-1', role: 'placement-officer' };
const metadata = { commandId: 'c-1', correlationId: 'corr-1', causationId: 'cause-1', actor };

function toAppend(id: string, type: string, data: Record<string, unknown>, schemaVersion?: number): EventToAppend {
  return { id, type, data, metadata, ...(schemaVersion === undefined ? {} : { schemaVersion }) };
}

/**
 * What the client hands back for an event we wrote: built with the client's own `jsonEvent`,
 * as the server would echo it.
 */
function asReadFromAll(
  streamName: string,
  revision: bigint,
  position: Position,
  written: ReturnType<typeof chainEvents>[number],
): AllStreamResolvedEvent {
  const data = written.eventData;
  const echoed = jsonEvent({ id: data.id, type: data.type, data: data.data as JSONType, metadata: data.metadata });
  return {
    event: {
      streamId: streamName,
      id: echoed.id,
      isJson: true,
      revision,
      type: echoed.type,
      created: new Date('2026-01-05T10:00:00Z'),
      data: echoed.data,
      metadata: JSON.parse(JSON.stringify(echoed.metadata)) as JSONType,
      position,
    },
    commitPosition: position.commit,
  };
}

describe('expected revisions', () => {
  it('map onto the client constants, and a bigint stays exact', () => {
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpectedRevision(0n)).toBe(0n);
    expect(toEsdbExpectedRevision(2n ** 62n + 1n)).toBe(2n ** 62n + 1n);
  });

  it('refuse a negative revision', () => {
    expect(() => toEsdbExpectedRevision(-1n)).toThrow(RangeError);
  });

  it('are checked against the stream before writing', () => {
    expect(revisionSatisfies('any', 'no_stream')).toBe(true);
    expect(revisionSatisfies('no_stream', 'no_stream')).toBe(true);
    expect(revisionSatisfies('no_stream', 0n)).toBe(false);
    expect(revisionSatisfies('stream_exists', 'no_stream')).toBe(false);
    expect(revisionSatisfies('stream_exists', 4n)).toBe(true);
    expect(revisionSatisfies(3n, 3n)).toBe(true);
    expect(revisionSatisfies(3n, 4n)).toBe(false);
    expect(revisionSatisfies(0n, 'no_stream')).toBe(false);
  });
});

describe('positions', () => {
  it('use the commit position as the port position', () => {
    expect(toPortPosition({ commit: 1234n, prepare: 1234n })).toBe(1234n);
    expect(toPortPosition({ commit: 2000n, prepare: 1900n })).toBe(2000n);
  });

  it('resume from {commit: C, prepare: C}, which sorts after every event committed at or before C', () => {
    const resume = toEsdbPosition(5000n);
    expect(resume).toEqual({ commit: 5000n, prepare: 5000n });
    // ESDB orders $all by (commit, prepare); a prepare is never after its commit.
    const sortsAfterResume = (p: Position) =>
      p.commit > resume.commit || (p.commit === resume.commit && p.prepare > resume.prepare);
    expect(sortsAfterResume({ commit: 5000n, prepare: 5000n })).toBe(false);
    expect(sortsAfterResume({ commit: 5000n, prepare: 4800n })).toBe(false);
    expect(sortsAfterResume({ commit: 5001n, prepare: 4900n })).toBe(true);
  });

  it('start from the beginning without a checkpoint or after -1 (the head of an empty log)', () => {
    expect(resumeFrom(undefined)).toBe(START);
    expect(resumeFrom(-1n)).toBe(START);
    expect(resumeFrom(0n)).toEqual({ commit: 0n, prepare: 0n });
  });

  it('treat a missing position or u64::MAX (servers before 22.6 reading a stream) as unusable', () => {
    expect(hasUsablePosition(undefined)).toBe(false);
    expect(hasUsablePosition({ commit: 0xffffffffffffffffn, prepare: 0xffffffffffffffffn })).toBe(false);
    expect(hasUsablePosition({ commit: 0n, prepare: 0n })).toBe(true);
  });

  it('refuse a position that does not increase (legacy explicit transactions share a commit)', () => {
    const event = { id: 'e', position: 10n } as RecordedEvent;
    expect(() => assertAfter(9n, event)).not.toThrow();
    expect(() => assertAfter(undefined, event)).not.toThrow();
    expect(() => assertAfter(10n, event)).toThrow(/did not increase/);
  });
});

describe('metadata and the hash chain', () => {
  const recordedAt = '2026-01-05T10:00:00.000Z';

  it('chains each event to the previous one of its stream, starting from the tail', () => {
    const [first, second] = chainEvents(
      'bed-1.a',
      null,
      [toAppend('e1', 'BedAdded', { kind: 'residential' }), toAppend('e2', 'BedHeld', { referralId: 'r1' }, 2)],
      recordedAt,
    );
    expect(first.eventData.metadata).toMatchObject({
      prevHash: null,
      hash: first.hash,
      schemaVersion: 1,
      recordedAt,
      $correlationId: 'corr-1',
      $causationId: 'cause-1',
    });
    expect(second.eventData.metadata).toMatchObject({ prevHash: first.hash, hash: second.hash, schemaVersion: 2 });
    const [third] = chainEvents(
      'bed-1.a',
      { revision: 1n, hash: second.hash },
      [toAppend('e3', 'BedVacated', {})],
      recordedAt,
    );
    expect(third.eventData.metadata).toMatchObject({ prevHash: second.hash });
  });

  it('hashes with the shared definition, so the sqlite adapter and this one agree', () => {
    const [written] = chainEvents('bed-1.a', null, [toAppend('e1', 'BedAdded', { kind: 'residential' })], recordedAt);
    expect(written.hash).toBe(
      eventHash({
        id: 'e1',
        streamId: 'bed-1.a',
        revision: 0n,
        type: 'BedAdded',
        schemaVersion: 1,
        data: { kind: 'residential' },
        metadata: { ...metadata, recordedAt },
        prevHash: null,
      }),
    );
  });

  it("stamps the store's clock even over a recordedAt slipped into the caller's metadata", () => {
    const slipped = {
      ...toAppend('e1', 'BedAdded', {}),
      metadata: { ...metadata, recordedAt: '2024-03-01T09:00:00.000Z' },
    };
    const [written] = chainEvents('bed-1.a', null, [slipped], recordedAt);
    expect(written.eventData.metadata).toMatchObject({ recordedAt });
  });

  it('refuses data that is not a JSON object, array or string', () => {
    expect(() => chainEvents('s', null, [{ ...toAppend('e1', 'T', {}), data: 42 }], recordedAt)).toThrow(/JSON object/);
  });

  it('round-trips through the client event shape into the port envelope, namespace stripped', () => {
    const written = chainEvents(
      'bed-1.a',
      null,
      [toAppend('e1', 'BedAdded', { kind: 'residential' }), toAppend('e2', 'BedHeld', { referralId: 'r1' }, 3)],
      recordedAt,
    );
    const read = toRecordedEvent(
      asReadFromAll('test-ns:bed-1.a', 1n, { commit: 900n, prepare: 900n }, written[1]),
      'test-ns:',
    );
    expect(read).toEqual({
      id: 'e2',
      type: 'BedHeld',
      schemaVersion: 3,
      data: { referralId: 'r1' },
      metadata: { ...metadata, recordedAt },
      streamId: 'bed-1.a',
      revision: 1n,
      position: 900n,
      prevHash: written[0].hash,
      hash: written[1].hash,
    });
    expect(checkLink(read as RecordedEvent, { revision: 0n, hash: written[0].hash })).toBeNull();
  });

  it('round-trips the command digest and covers it by the hash, as the sqlite adapter does', () => {
    const commandDigest = { placementId: '0f1e2d3c4b5a6978', 'unit.bedId': '89abcdef01234567' };
    const appended = {
      ...toAppend('e1', 'BedOccupied', { placementId: 'p1' }),
      metadata: { ...metadata, commandDigest },
    };
    const [written] = chainEvents('bed-1.a', null, [appended], recordedAt);
    const read = toRecordedEvent(asReadFromAll('bed-1.a', 0n, { commit: 5n, prepare: 5n }, written)) as RecordedEvent;
    expect(read.metadata).toEqual({ ...metadata, commandDigest, recordedAt });
    expect(read.hash).toBe(eventHash(read));
    expect(checkLink(read, undefined)).toBeNull();
    expect(sameContent(read, appended)).toBe(true);
    expect(sameContent(read, { ...appended, metadata: { ...metadata, commandDigest: { placementId: 'x' } } })).toBe(
      false,
    );
    const malformed = { ...(written.eventData.metadata as Record<string, unknown>), commandDigest: { bedId: 7 } };
    expect(() => decodeMetadata('e9', malformed)).toThrow(
      'Event e9 was not written by this store: metadata.commandDigest is missing or malformed',
    );
  });

  it('names the first missing field of metadata it did not write', () => {
    expect(() => decodeMetadata('e9', { commandId: 'c', correlationId: 'x' })).toThrow(
      'Event e9 was not written by this store: metadata.actor is missing or malformed',
    );
    expect(() => decodeMetadata('e9', new Uint8Array([1]))).toThrow(/metadata\.\(json\)/);
  });

  it('skips system events, links and other namespaces', () => {
    const [written] = chainEvents('bed-1.a', null, [toAppend('e1', 'BedAdded', {})], recordedAt);
    const resolved = asReadFromAll('bed-1.a', 0n, { commit: 10n, prepare: 10n }, written);
    expect(toRecordedEvent(resolved, 'other:')).toBeNull();
    const base = resolved.event as NonNullable<AllStreamResolvedEvent['event']>;
    const stats = {
      ...resolved,
      event: { ...base, streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' },
    } as AllStreamResolvedEvent;
    expect(toRecordedEvent(stats)).toBeNull();
    const claim = { ...resolved, event: { ...base, type: claimEvent('e1', 'bed-1.a').type } } as AllStreamResolvedEvent;
    expect(toRecordedEvent(claim)).toBeNull();
  });

  it('compares a retried event with the stored one on caller-supplied content only', () => {
    const original = toAppend('e1', 'BedHeld', { referralId: 'r1', until: '2026-01-09' });
    const [written] = chainEvents('bed-1.a', null, [original], recordedAt);
    const stored = toRecordedEvent(asReadFromAll('bed-1.a', 0n, { commit: 1n, prepare: 1n }, written)) as RecordedEvent;
    expect(sameContent(stored, { ...original, data: { until: '2026-01-09', referralId: 'r1' } })).toBe(true);
    expect(sameContent(stored, { ...original, data: { referralId: 'r2', until: '2026-01-09' } })).toBe(false);
    expect(sameContent(stored, { ...original, schemaVersion: 2 })).toBe(false);
    expect(
      sameContent(stored, { ...original, metadata: { ...metadata, actor: { id: 'someone-else', role: 'admin' } } }),
    ).toBe(false);
  });
});

describe('verify links', () => {
  const recordedAt = '2026-01-05T10:00:00.000Z';
  const [a, b] = chainEvents('s', null, [toAppend('e1', 'A', { n: 1 }), toAppend('e2', 'B', { n: 2 })], recordedAt);
  const read = (written: typeof a, revision: bigint, position: bigint) =>
    toRecordedEvent(asReadFromAll('s', revision, { commit: position, prepare: position }, written)) as RecordedEvent;

  it('accept an intact chain', () => {
    expect(checkLink(read(a, 0n, 5n), undefined)).toBeNull();
    expect(checkLink(read(b, 1n, 6n), { revision: 0n, hash: a.hash })).toBeNull();
  });

  it('name edited data, a missing event and a wrong previous hash', () => {
    const edited = { ...read(b, 1n, 6n), data: { n: 3 } };
    expect(checkLink(edited, { revision: 0n, hash: a.hash })?.reason).toMatch(/content changed/);
    expect(checkLink(read(b, 1n, 6n), undefined)).toMatchObject({
      streamId: 's',
      revision: 1n,
      position: 6n,
      reason: expect.stringMatching(/expected revision 0/),
    });
    expect(checkLink(read(b, 1n, 6n), { revision: 0n, hash: 'f'.repeat(64) })?.reason).toMatch(/prevHash/);
  });
});

describe('event-id claims', () => {
  it('get a fresh id each time, so ESDB never treats a second claim as an idempotent retry', () => {
    const first = claimEvent('0b7e8a52-7d0e-4f7b-9a7a-3f1c2b9d8e11', 'bed-1.a');
    const again = claimEvent('0b7e8a52-7d0e-4f7b-9a7a-3f1c2b9d8e11', 'bed-1.a');
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(again.id).not.toBe(first.id);
    expect(first).toMatchObject({
      type: '$placement-event-id-claimed',
      data: { eventId: '0b7e8a52-7d0e-4f7b-9a7a-3f1c2b9d8e11', streamId: 'bed-1.a' },
    });
  });

  it('name the stream that owns the id when read back', () => {
    const claim = claimEvent('e1', 'bed-1.a');
    const echoed = jsonEvent({ id: claim.id, type: claim.type, data: claim.data as JSONType });
    const resolved = {
      event: {
        streamId: 'event-id-e1',
        id: echoed.id,
        isJson: true as const,
        revision: 0n,
        type: echoed.type,
        created: new Date(0),
        data: echoed.data,
        metadata: undefined,
      },
    };
    expect(claimedStream(resolved)).toBe('bed-1.a');
  });
});

describe('error translation', () => {
  it("maps the client's WrongExpectedVersionError, keeping the caller's expectation and the actual revision", () => {
    const fromClient = new EsdbWrongExpectedVersionError(undefined, {
      streamName: 'ns:bed-1.a',
      expected: 0n,
      current: 1n,
    });
    const translated = translateError(fromClient, 'bed-1.a', 0n);
    expect(translated).toBeInstanceOf(WrongExpectedVersionError);
    expect(translated).toMatchObject({ streamId: 'bed-1.a', expected: 0n, actual: 1n });
    const missing = translateError(
      new EsdbWrongExpectedVersionError(undefined, { streamName: 'x', expected: STREAM_EXISTS, current: NO_STREAM }),
      'x',
      'stream_exists',
    );
    expect(missing).toMatchObject({ actual: 'no_stream' });
  });

  it('turns an unavailable server into StoreUnavailableError and marks it transient', () => {
    const unavailable = new UnavailableError(undefined, 'No connection established');
    expect(isTransient(unavailable)).toBe(true);
    expect(translateError(unavailable, 's', 'any')).toBeInstanceOf(StoreUnavailableError);
    expect(isTransient(new AccessDeniedError(undefined, 'denied'))).toBe(false);
    expect(translateError(new AccessDeniedError(undefined, 'denied'), 's', 'any').message).toMatch(/credentials/);
  });

  it('explains a deleted stream and an oversized append', () => {
    expect(translateError(StreamDeletedError.fromStreamName('bed-1.a'), 'bed-1.a', 'any').message).toMatch(/deleted/);
    expect(translateError(MaxAppendSizeExceededError.fromMaxAppendSize(1048576), 'bed-1.a', 'any').message).toMatch(
      /EVENTSTORE_MAX_APPEND_SIZE/,
    );
  });

  it('never prints the password of a connection string', () => {
    expect(redactConnectionString('esdb://admin:changeit@db1:2113,db2:2113?tls=true')).toBe(
      'esdb://admin:***@db1:2113,db2:2113?tls=true',
    );
    expect(redactConnectionString('esdb+discover://ops:s3cr%40t@cluster.council.gov.uk:2113')).toBe(
      'esdb+discover://ops:***@cluster.council.gov.uk:2113',
    );
    expect(redactConnectionString('esdb://localhost:2113?tls=false')).toBe('esdb://localhost:2113?tls=false');
  });
});

describe('foreign events (another application writing in the same cluster)', () => {
  const recordedAt = '2026-01-05T10:00:00.000Z';
  const [written] = chainEvents('bed-1.a', null, [toAppend('e1', 'BedAdded', {})], recordedAt);
  const ourEvent = (position: bigint, id = 'e1') =>
    asReadFromAll(
      'placement-bed-1.a',
      0n,
      { commit: position, prepare: position },
      { ...written, eventData: { ...written.eventData, id } },
    );
  const foreignJson = (position: bigint): AllStreamResolvedEvent => ({
    event: {
      streamId: 'placement-billing-1',
      id: 'f-json',
      isJson: true,
      revision: 0n,
      type: 'PatientAdmitted',
      created: new Date(0),
      data: { name: 'Ellie Smith' },
      metadata: { $correlationId: 'x' },
      position: { commit: position, prepare: position },
    },
    commitPosition: position,
  });
  const foreignBinary = (position: bigint): AllStreamResolvedEvent => ({
    event: {
      streamId: 'placement-billing-1',
      id: 'f-bin',
      isJson: false,
      revision: 1n,
      type: 'Invoice',
      created: new Date(0),
      data: new Uint8Array([69, 108, 108, 105, 101]),
      metadata: new Uint8Array(),
      position: { commit: position, prepare: position },
    },
    commitPosition: position,
  });

  it('are told apart from ours and from what is not ours at all', () => {
    expect(mapResolvedEvent(ourEvent(10n), 'placement-')).toMatchObject({
      kind: 'ours',
      event: { streamId: 'bed-1.a' },
    });
    expect(mapResolvedEvent(foreignJson(11n), 'placement-')).toEqual({
      kind: 'foreign',
      notice: { eventId: 'f-json', position: 11n, reason: 'metadata.actor is missing or malformed' },
    });
    expect(mapResolvedEvent(foreignBinary(12n), 'placement-')).toEqual({
      kind: 'foreign',
      notice: { eventId: 'f-bin', position: 12n, reason: 'not JSON; this store writes JSON only' },
    });
    // Outside the namespace: not ours, and not worth a word.
    expect(mapResolvedEvent(foreignJson(13n), 'other-')).toEqual({ kind: 'not-ours' });
  });

  it('make toRecordedEvent throw, for readers of one of our own streams', () => {
    expect(() => toRecordedEvent(foreignBinary(12n), 'placement-')).toThrow(
      'Event f-bin was not written by this store: not JSON; this store writes JSON only',
    );
  });

  it('are skipped and reported by an $all cursor, which carries on with ours', () => {
    const notices: unknown[] = [];
    const cursor = new AllStreamCursor('placement-', undefined, (n) => notices.push(n));
    const delivered = [ourEvent(10n, 'a'), foreignBinary(11n), foreignJson(12n), ourEvent(13n, 'b')]
      .map((r) => cursor.next(r)?.id ?? null)
      .filter((id) => id !== null);
    expect(delivered).toEqual(['a', 'b']);
    expect(notices).toEqual([
      { eventId: 'f-bin', position: 11n, reason: 'not JSON; this store writes JSON only' },
      { eventId: 'f-json', position: 12n, reason: 'metadata.actor is missing or malformed' },
    ]);
    expect(cursor.position).toBe(13n);
  });

  it('skip the overlap of a resumed read, and fail loudly on a position that does not increase', () => {
    const cursor = new AllStreamCursor('placement-', 10n, () => undefined);
    expect(cursor.next(ourEvent(10n, 'checkpoint'))).toBeNull(); // readAll's start is inclusive
    expect(cursor.next(ourEvent(11n, 'a'))?.id).toBe('a');
    cursor.resume();
    expect(cursor.next(ourEvent(11n, 'a'))).toBeNull();
    expect(cursor.next(ourEvent(12n, 'b'))?.id).toBe('b');
    expect(() => cursor.next(ourEvent(12n, 'c'))).toThrow(/did not increase/);
  });
});

describe('start-up failures, each said for what it is', () => {
  const where = 'esdb://api:***@esdb1:2113?tls=true';
  // What gRPC hands the client for a follower's refusal: the leader's address in the metadata.
  const notLeader = Object.assign(new Error('5 NOT_FOUND: Leader info available'), {
    code: 5,
    details: 'Leader info available',
    metadata: { getMap: () => ({ 'leader-endpoint-host': 'esdb2', 'leader-endpoint-port': '2113' }) },
  });

  it('names access denied, refused credentials, TLS, unreachable, not leader, no answer and the rest apart', () => {
    const said = (error: unknown) => describeStartupFailure(error, where, 5000);
    expect(said(new AccessDeniedError(undefined, 'Access denied'))).toBe(
      `EventStoreDB at ${where} denied access: the user in ESDB_CONNECTION_STRING must be allowed to read $all ` +
        '(see docs/deployment.md)',
    );
    const unauthenticated = Object.assign(new AccessDeniedError(undefined, 'bad creds'), { code: 16 });
    expect(said(unauthenticated)).toMatch(/^EventStoreDB at .* refused the credentials \(not authenticated\)/);
    expect(
      said(new UnavailableError(undefined, '14 UNAVAILABLE: self-signed certificate in certificate chain')),
    ).toMatch(/^TLS with EventStoreDB at .* failed: check tls= and tlsCAFile/);
    expect(said(new UnavailableError(undefined, '14 UNAVAILABLE: No connection established'))).toBe(
      `Cannot reach EventStoreDB at ${where}: 14 UNAVAILABLE: No connection established`,
    );
    expect(said(new NotLeaderError(notLeader as never))).toMatch(/^EventStoreDB at .* is not the leader/);
    expect(said(Object.assign(new Error('no answer within 5000 ms'), { name: 'ProbeTimeoutError' }))).toBe(
      `EventStoreDB at ${where} did not answer within 5000 ms: is it starting, or is the address a different service?`,
    );
    expect(said(new TypeError('boom'))).toBe(`EventStoreDB at ${where} failed the start-up check (TypeError): boom`);
    for (const error of [new AccessDeniedError(undefined, 'x'), new UnavailableError(undefined, 'y')])
      expect(said(error)).not.toContain('Cannot reach EventStoreDB at esdb://api:secret');
  });
});
