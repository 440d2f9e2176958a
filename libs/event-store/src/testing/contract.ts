import { randomUUID } from 'node:crypto';
import { firstValueFrom, take, toArray, type Subscription } from 'rxjs';
import { IdempotencyConflictError, WrongExpectedVersionError } from '../errors';
import { eventHash } from '../hashing';
import { anEvent, someMetadata } from './events';
import type { AppendResult, EventStore, EventToAppend, RecordedEvent } from '../port';

/**
 * Ways an adapter's test fixture can alter the stored log behind the store's back, so the
 * suite can prove `verify` notices. An adapter that cannot tamper (EventStoreDB) leaves
 * them out and those cases are reported as skipped.
 */
export interface TamperHooks {
  /** Change the stored data of the event at this global position. */
  editData?(position: bigint): Promise<void>;
  /** Remove the event at this global position. */
  deleteEvent?(position: bigint): Promise<void>;
  /** Exchange the stored contents of two events, leaving their positions. */
  swapEvents?(a: bigint, b: bigint): Promise<void>;
  /** Remove every event after this global position (a cut tail). */
  truncateAfter?(position: bigint): Promise<void>;
}
export type TamperHookName = keyof TamperHooks;

export interface ContractFixture {
  readonly store: EventStore;
  /** Opens the same log again after `store.close()`; absent → the reopen case is skipped. */
  readonly reopen?: () => Promise<EventStore>;
  readonly tamper?: TamperHooks;
  /**
   * Closes whatever store is open (also one returned by `reopen`; `close()` may already have been called)
   * and removes the log.
   */
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  /**
   * Which tamper hooks the fixture supplies. jest decides skips when tests are declared,
   * before any fixture exists, so the hooks are named here too; a named hook missing from
   * the fixture fails its test rather than passing.
   */
  readonly tamperHooks?: readonly TamperHookName[];
  /** Whether the fixture supplies `reopen` (default true). */
  readonly reopen?: boolean;
}

/**
 * The one contract every EventStore adapter must pass. It only uses the
 * port, uses fresh stream names per case and reads relative to the head it found, so it
 * also runs against a shared server that cannot be wiped.
 */
export function describeEventStoreContract(
  name: string,
  createStore: () => Promise<ContractFixture>,
  options: ContractOptions = {},
): void {
  describe(`EventStore contract: ${name}`, () => {
    let fixture: ContractFixture;
    let store: EventStore;
    let run: string;

    beforeEach(async () => {
      fixture = await createStore();
      store = fixture.store;
      run = randomUUID().slice(0, 8);
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    const stream = (label: string): string => `${label}-${run}`;

    describe('expected revision', () => {
      it('no_stream creates a stream and returns its last revision', async () => {
        const result = await store.append(stream('bed'), [event('BedAdded'), event('BedHeld')], {
          expectedRevision: 'no_stream',
        });
        expect(result.nextExpectedRevision).toBe(1n);
        expect(result.position).toBe(await store.headPosition());
      });

      it('no_stream on an existing stream fails with the actual revision and writes nothing', async () => {
        await store.append(stream('bed'), [event('BedAdded')]);
        const head = await store.headPosition();
        const error = await failureOf(
          store.append(stream('bed'), [event('BedHeld')], { expectedRevision: 'no_stream' }),
        );
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect((error as WrongExpectedVersionError).actual).toBe(0n);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(stream('bed'))).toHaveLength(1);
      });

      it('stream_exists fails on a missing stream and succeeds on an existing one', async () => {
        const error = await failureOf(
          store.append(stream('bed'), [event('BedHeld')], { expectedRevision: 'stream_exists' }),
        );
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect((error as WrongExpectedVersionError).actual).toBe('no_stream');
        expect(await store.readStream(stream('bed'))).toEqual([]);
        await store.append(stream('bed'), [event('BedAdded')]);
        const result = await store.append(stream('bed'), [event('BedHeld')], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('an exact revision succeeds when current and fails when stale', async () => {
        await store.append(stream('bed'), [event('BedAdded')], { expectedRevision: 'no_stream' });
        await store.append(stream('bed'), [event('BedHeld')], { expectedRevision: 0n });
        const error = await failureOf(store.append(stream('bed'), [event('BedOccupied')], { expectedRevision: 0n }));
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect((error as WrongExpectedVersionError).expected).toBe(0n);
        expect((error as WrongExpectedVersionError).actual).toBe(1n);
        expect((await store.readStream(stream('bed'))).map((e) => e.type)).toEqual(['BedAdded', 'BedHeld']);
      });

      it('an exact revision on a missing stream fails', async () => {
        const error = await failureOf(store.append(stream('bed'), [event('BedHeld')], { expectedRevision: 0n }));
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
      });

      it("'any' (the default) appends whatever the stream's state", async () => {
        await store.append(stream('bed'), [event('BedAdded')]);
        await store.append(stream('bed'), [event('BedHeld')], { expectedRevision: 'any' });
        expect(await store.readStream(stream('bed'))).toHaveLength(2);
      });

      it('50 concurrent appends with the same expected revision: exactly one succeeds', async () => {
        await store.append(stream('bed'), [event('BedAdded')], { expectedRevision: 'no_stream' });
        const attempts = await Promise.allSettled(
          Array.from({ length: 50 }, (_, i) =>
            store.append(stream('bed'), [event('BedHeld', { attempt: i })], { expectedRevision: 0n }),
          ),
        );
        const won = attempts.filter((a) => a.status === 'fulfilled');
        const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(49);
        for (const failure of lost) expect(failure.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.readStream(stream('bed'))).toHaveLength(2);
      }, 30_000);

      it("20 concurrent 'any' appends to one stream: none refused for contention, each written once", async () => {
        await store.append(stream('contract'), [event('BlockBookingContracted')], { expectedRevision: 'no_stream' });
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.append(stream('contract'), [event('BlockBedAllocated', { attempt: i })], { expectedRevision: 'any' }),
          ),
        );
        const written = await store.readStream(stream('contract'));
        expect(written).toHaveLength(21);
        expect(new Set(results.map((r) => r.nextExpectedRevision))).toEqual(
          new Set(Array.from({ length: 20 }, (_, i) => BigInt(i + 1))),
        );
        expect(new Set(written.slice(1).map((e) => (e.data as { attempt: number }).attempt)).size).toBe(20);
        // One unbroken chain: each event names the one before it.
        for (let i = 1; i < written.length; i += 1) expect(written[i].prevHash).toBe(written[i - 1].hash);
      }, 120_000);
    });

    describe('idempotency', () => {
      it('re-appending the same events is a success that writes nothing and returns the original result', async () => {
        const events = [event('ReferralReceived'), event('NeedsUpdated')];
        const first = await store.append(stream('referral'), events, { expectedRevision: 'no_stream' });
        const head = await store.headPosition();
        // A client retrying after a timeout sends the same expected revision again.
        const retry = await store.append(stream('referral'), events, { expectedRevision: 'no_stream' });
        expect(retry).toEqual(first);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(stream('referral'))).toHaveLength(2);
      });

      it('a reused id with different content is a conflict', async () => {
        const original = event('BedHeld', { referralId: 'r1' });
        await store.append(stream('bed'), [original]);
        const error = await failureOf(store.append(stream('bed'), [{ ...original, data: { referralId: 'r2' } }]));
        expect(error).toBeInstanceOf(IdempotencyConflictError);
        expect(await store.readStream(stream('bed'))).toHaveLength(1);
      });

      it('a reused id whose command digest differs is a conflict: the digest is content', async () => {
        const original = {
          ...event('BedHeld', { referralId: 'r1' }),
          metadata: { ...someMetadata(), commandDigest: { until: 'aaaa' } },
        };
        await store.append(stream('bed'), [original]);
        const retry = await store.append(stream('bed'), [original]);
        expect(retry.nextExpectedRevision).toBe(0n);
        const error = await failureOf(
          store.append(stream('bed'), [
            { ...original, metadata: { ...original.metadata, commandDigest: { until: 'bbbb' } } },
          ]),
        );
        expect(error).toBeInstanceOf(IdempotencyConflictError);
        expect(await store.readStream(stream('bed'))).toHaveLength(1);
      });

      it('a reused id in another stream is a conflict', async () => {
        const original = event('BedHeld');
        await store.append(stream('bed'), [original]);
        const error = await failureOf(store.append(stream('other-bed'), [original]));
        expect(error).toBeInstanceOf(IdempotencyConflictError);
        expect(await store.readStream(stream('other-bed'))).toEqual([]);
      });
    });

    describe('reading', () => {
      it('records the envelope as given, with revision, position, recordedAt and a hash chain', async () => {
        const given = event(
          'BedHeld',
          { referralId: 'r1', until: '2026-01-02', nested: { list: [1, 'two', null, true] } },
          3,
        );
        await store.append(stream('bed'), [event('BedAdded'), given]);
        const [first, second] = await store.readStream(stream('bed'));
        expect(second).toMatchObject({
          id: given.id,
          type: 'BedHeld',
          schemaVersion: 3,
          data: given.data,
          metadata: {
            ...given.metadata,
            recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
          },
          streamId: stream('bed'),
          revision: 1n,
        });
        expect(first.schemaVersion).toBe(1);
        expect(second.position).toBeGreaterThan(first.position);
        expect(first.prevHash).toBeNull();
        expect(second.prevHash).toBe(first.hash);
        for (const recorded of [first, second]) expect(recorded.hash).toBe(eventHash(recorded));
      });

      it('keeps the command digest in the metadata as given, covered by the hash chain', async () => {
        const commandDigest = { placementId: '0f1e2d3c4b5a6978', 'unit.bedId': '89abcdef01234567', 'needs[0]': 'x' };
        const given = { ...event('BedOccupied'), metadata: { ...someMetadata(), commandDigest } };
        const plain = event('BedVacated');
        await store.append(stream('bed'), [given, plain]);
        const [withDigest, without] = await store.readStream(stream('bed'));
        expect(withDigest.metadata.commandDigest).toEqual(commandDigest);
        expect(without.metadata).not.toHaveProperty('commandDigest');
        expect(withDigest.hash).toBe(eventHash(withDigest));
        expect(
          eventHash({ ...withDigest, metadata: { ...withDigest.metadata, commandDigest: { placementId: 'other' } } }),
        ).not.toBe(withDigest.hash);
        expect(without.prevHash).toBe(withDigest.hash);
      });

      it('reads a stream forwards and backwards, from a revision, at most maxCount', async () => {
        await store.append(
          stream('bed'),
          Array.from({ length: 5 }, (_, i) => event('BedHeld', { n: i })),
        );
        const revisions = (events: RecordedEvent[]) => events.map((e) => e.revision);
        expect(revisions(await store.readStream(stream('bed')))).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(revisions(await store.readStream(stream('bed'), { fromRevision: 2n, maxCount: 2 }))).toEqual([2n, 3n]);
        expect(revisions(await store.readStream(stream('bed'), { direction: 'backwards' }))).toEqual([
          4n,
          3n,
          2n,
          1n,
          0n,
        ]);
        expect(
          revisions(await store.readStream(stream('bed'), { direction: 'backwards', fromRevision: 3n, maxCount: 2 })),
        ).toEqual([3n, 2n]);
        expect(await store.readStream(stream('never-written'))).toEqual([]);
      });

      it('readAll returns every event once, in commit order, page by page', async () => {
        const start = await store.headPosition();
        const written: string[] = [];
        for (let i = 0; i < 7; i += 1) {
          const e = event('BedHeld', { n: i });
          written.push(e.id);
          await store.append(stream(i % 2 === 0 ? 'even' : 'odd'), [e]);
        }
        const pages: RecordedEvent[][] = [];
        let after = start;
        for (;;) {
          const page = await store.readAll({ after, maxCount: 3 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(3);
          pages.push(page);
          after = page[page.length - 1].position;
        }
        const ours = pages.flat().filter((e) => e.streamId.endsWith(run));
        expect(ours.map((e) => e.id)).toEqual(written);
        expectStrictlyIncreasing(pages.flat().map((e) => e.position));
        expect(after).toBe(await store.headPosition());
      });

      it('keeps a 1 MiB event intact', async () => {
        const large = 'x'.repeat(1024 * 1024);
        const appended = event('LargeRecorded', { large });
        await store.append(stream('large'), [appended]);
        const [read] = await store.readStream(stream('large'));
        expect((read.data as { large: string }).large).toBe(large);
        expect(read.hash).toBe(eventHash(read));
      }, 30_000);

      it('keeps unicode in stream ids, data and metadata', async () => {
        const id = stream('child-Zoë-😀-ملف');
        const data = { name: 'Siân Ó Briain 李小龍', note: '👨‍👩‍👧 — “quotes” \u00e9 e\u0301 \t\n', rtl: 'مرحبا' };
        const appended = {
          ...event('ReferralReceived', data),
          metadata: { ...someMetadata(), actor: { id: 'zoë@council', role: 'placement-officer' } },
        };
        await store.append(id, [appended]);
        const [read] = await store.readStream(id);
        expect(read.streamId).toBe(id);
        expect(read.data).toEqual(data);
        expect(read.metadata.actor.id).toBe('zoë@council');
        expect(read.hash).toBe(eventHash(read));
      });
    });

    describe('subscribeToAll', () => {
      it('catches up and then goes live under concurrent writes, in order, with no gap and no duplicate', async () => {
        const start = await store.headPosition();
        for (let i = 0; i < 20; i += 1) await store.append(stream(`before-${i % 3}`), [event('BedHeld', { i })]);
        const writers = 5;
        const perWriter = 20;
        const total = 20 + writers * perWriter;
        const ours = (e: RecordedEvent) => e.streamId.endsWith(run);
        const received: RecordedEvent[] = [];
        const done = new Promise<void>((resolve, reject) => {
          const subscription: Subscription = store.subscribeToAll({ after: start }).subscribe({
            next: (e) => {
              if (!ours(e)) return;
              received.push(e);
              if (received.length === total) {
                subscription.unsubscribe();
                resolve();
              }
            },
            error: reject,
          });
        });
        // Writers run while the subscription is still catching up and after it went live.
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < perWriter; i += 1) {
              await store.append(stream(`writer-${w}`), [event('BedHeld', { w, i })]);
              if (i % 5 === 0) await new Promise((r) => setTimeout(r, 1));
            }
          }),
        );
        await done;
        expectStrictlyIncreasing(received.map((e) => e.position));
        const log = (await store.readAll({ after: start })).filter(ours);
        expect(received.map((e) => e.id)).toEqual(log.map((e) => e.id));
        expect(new Set(received.map((e) => e.id)).size).toBe(total);
      }, 30_000);

      it('starts after the given position', async () => {
        await store.append(stream('bed'), [event('BedAdded'), event('BedHeld')]);
        const [, second] = await store.readStream(stream('bed'));
        await store.append(stream('bed'), [event('BedOccupied')]);
        const [firstDelivered] = await firstValueFrom(
          store.subscribeToAll({ after: second.position }).pipe(take(1), toArray()),
        );
        expect(firstDelivered.position).toBeGreaterThan(second.position);
        expect(firstDelivered.type).toBe('BedOccupied');
      });

      it('stops delivering after unsubscribe', async () => {
        const start = await store.headPosition();
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({ after: start }).subscribe((e) => received.push(e));
        await store.append(stream('bed'), [event('BedAdded')]);
        await eventually(() => expect(received).toHaveLength(1));
        subscription.unsubscribe();
        await store.append(stream('bed'), [event('BedHeld')]);
        await new Promise((r) => setTimeout(r, 600));
        expect(received).toHaveLength(1);
      });

      it('close() completes open subscriptions', async () => {
        let completed = false;
        store.subscribeToAll().subscribe({ complete: () => (completed = true) });
        await store.close();
        expect(completed).toBe(true);
      });
    });

    describe('verify', () => {
      it('reports an intact log with its head', async () => {
        await store.append(stream('bed'), [event('BedAdded'), event('BedHeld')]);
        await store.append(stream('household'), [event('FosterHouseholdApproved')]);
        const result = await store.verify();
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.events).toBeGreaterThanOrEqual(3);
        expect(result.head?.position).toBe(await store.headPosition());
        expect(result.head?.hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('accepts the recorded head and rejects a head that does not match', async () => {
        await store.append(stream('bed'), [event('BedAdded')]);
        const intact = await store.verify();
        if (!intact.ok || intact.head === null) throw new Error('expected an intact log with a head');
        expect((await store.verify({ expectedHead: intact.head })).ok).toBe(true);
        await store.append(stream('bed'), [event('BedHeld')]);
        expect((await store.verify({ expectedHead: intact.head })).ok).toBe(true);
        const forged = await store.verify({ expectedHead: { position: intact.head.position, hash: '0'.repeat(64) } });
        expect(forged.ok).toBe(false);
        const beyond = await store.verify({
          expectedHead: { position: (await store.headPosition()) + 1000n, hash: intact.head.hash },
        });
        expect(beyond.ok).toBe(false);
      });
    });

    const canReopen = options.reopen ?? true;
    (canReopen ? it : it.skip)('keeps everything after close and reopen, and carries on appending', async () => {
      if (!fixture.reopen) throw new Error('the fixture declared reopen but supplies none');
      const start = await store.headPosition();
      await store.append(stream('bed'), [event('BedAdded'), event('BedHeld')]);
      await store.append(stream('child'), [event('PlacementStarted')]);
      const before = await store.readAll({ after: start });
      await store.close();
      store = await fixture.reopen();
      expect(await store.readAll({ after: start })).toEqual(before);
      const result = await store.append(stream('bed'), [event('BedOccupied')], { expectedRevision: 1n });
      expect(result.nextExpectedRevision).toBe(2n);
      const [, , third] = await store.readStream(stream('bed'));
      const [, second] = await store.readStream(stream('bed'));
      expect(third.prevHash).toBe(second.hash);
      expect((await store.verify()).ok).toBe(true);
    });

    describe('tamper evidence', () => {
      const hooks = new Set(options.tamperHooks ?? []);
      const tamperCase = (
        hook: TamperHookName,
        title: string,
        body: (tamper: Required<TamperHooks>) => Promise<void>,
      ) =>
        (hooks.has(hook) ? it : it.skip)(title, async () => {
          const tamper = fixture.tamper;
          if (!tamper || !tamper[hook]) throw new Error(`the fixture declared the ${hook} hook but supplies none`);
          await body(tamper as Required<TamperHooks>);
        });

      const writeSome = async (): Promise<AppendResult[]> => [
        await store.append(stream('bed'), [event('BedAdded')]),
        await store.append(stream('household'), [event('FosterHouseholdApproved')]),
        await store.append(stream('bed'), [event('BedHeld')]),
        await store.append(stream('household'), [event('ChildPlacedWithHousehold')]),
      ];

      tamperCase('editData', 'finds edited data and names its position', async (tamper) => {
        const written = await writeSome();
        await tamper.editData(written[1].position);
        const result = await store.verify();
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.brokenLink.position).toBe(written[1].position);
      });

      tamperCase('deleteEvent', 'finds a deleted event', async (tamper) => {
        const written = await writeSome();
        await tamper.deleteEvent(written[1].position);
        const result = await store.verify();
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.brokenLink.position).toBeGreaterThanOrEqual(written[1].position);
      });

      tamperCase('swapEvents', 'finds two swapped events', async (tamper) => {
        const written = await writeSome();
        await tamper.swapEvents(written[0].position, written[2].position);
        const result = await store.verify();
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.brokenLink.position).toBe(written[0].position);
      });

      tamperCase('truncateAfter', 'finds a cut tail only against a recorded head', async (tamper) => {
        const written = await writeSome();
        const intact = await store.verify();
        if (!intact.ok || intact.head === null) throw new Error('expected an intact log with a head');
        await tamper.truncateAfter(written[1].position);
        // A chain cannot see its own tail cut off: that is why operators record the head.
        expect((await store.verify()).ok).toBe(true);
        const result = await store.verify({ expectedHead: intact.head });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.brokenLink.position).toBe(intact.head.position);
      });
    });
  });
}

function event(
  type: string,
  data: Record<string, unknown> = { at: type },
  schemaVersion?: number,
): EventToAppend<Record<string, unknown>> {
  return anEvent(type, data, schemaVersion === undefined ? {} : { schemaVersion });
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

function expectStrictlyIncreasing(positions: readonly bigint[]): void {
  for (let i = 1; i < positions.length; i += 1) expect(positions[i]).toBeGreaterThan(positions[i - 1]);
}

/** Retries the assertion every 20 ms until it passes, rethrowing its last failure after the timeout. */
export async function eventually(assertion: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
