import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyClock, copyStore, type CopyProgress } from './copy';
import { WrongExpectedVersionError } from './errors';
import type { Clock, EventStore, RecordedEvent } from './port';
import { openSqliteEventStore } from './sqlite';
import { anEvent as event } from './testing/events';

/** A clock that advances one minute per reading, so every source event has its own recordedAt. */
function tickingClock(start: string): Clock {
  let at = new Date(start).getTime();
  return { now: () => new Date((at += 60_000)) };
}

/** What a copy must preserve; positions are the target's own. */
const envelope = (e: RecordedEvent) => ({
  id: e.id,
  streamId: e.streamId,
  revision: e.revision,
  type: e.type,
  schemaVersion: e.schemaVersion,
  data: e.data,
  metadata: e.metadata,
  prevHash: e.prevHash,
  hash: e.hash,
});

describe('copyStore (sqlite → sqlite, real files)', () => {
  let dir: string;
  let source: EventStore;
  const opened: EventStore[] = [];

  const openTarget = async (clock: Clock = new CopyClock()) => {
    const store = await openSqliteEventStore({ path: join(dir, 'target.db'), clock });
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'copy-store-'));
    source = await openSqliteEventStore({ path: join(dir, 'source.db'), clock: tickingClock('2024-04-01T08:00:00Z') });
    opened.push(source);
    // Interleaved streams, a multi-event append, a back-dated event and a schema version 2.
    await source.append('setting-s1', [event('SettingRegistered', { urn: 'SC123456', maxChildren: 3 })], {
      expectedRevision: 'no_stream',
    });
    await source.append('bed-s1.a', [
      event('BedAdded', { kind: 'residential' }),
      event('BedHeld', { referralId: 'r1', until: '2024-04-08' }),
    ]);
    await source.append('referral-r1', [
      event('ReferralReceived', { urgency: 'planned', needs: { risks: ['missing'] } }, { schemaVersion: 2 }),
    ]);
    await source.append('bed-s1.a', [
      event(
        'BedOccupied',
        { placementId: 'p1' },
        { metadata: { ...event('x', {}).metadata, effectiveAt: '2024-04-02T09:00:00Z' } },
      ),
    ]);
    await source.append('child-c1', [
      event(
        'PlacementStarted',
        { placementId: 'p1', place: 'K2' },
        { metadata: { ...event('x', {}).metadata, commandDigest: { placementId: '0f1e2d3c4b5a6978' } } },
      ),
    ]);
    await source.append('setting-s1', [event('SettingRegistrationChanged', { maxChildren: 4 })], {
      expectedRevision: 0n,
    });
    await source.append('referral-r1', [event('MatchingMeetingHeld', { decision: 'matched', note: 'Zoë — “ok”' })]);
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies every event in order: ids, streams, revisions, data, metadata, recordedAt, hashes; verifies', async () => {
    const clock = new CopyClock();
    const target = await openTarget(clock);
    const progress: CopyProgress[] = [];

    const report = await copyStore(source, target, { clock, onProgress: (p) => progress.push(p) });

    expect(report).toMatchObject({
      events: 8,
      written: 8,
      alreadyPresent: 0,
      streams: 4,
      aborted: false,
      mismatch: null,
    });
    expect(report.targetVerify?.ok).toBe(true);
    expect((await target.readAll()).map(envelope)).toEqual((await source.readAll()).map(envelope));
    expect(progress.map((p) => p.events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // The original recording times survive, not the copy's.
    const [first] = await target.readStream('setting-s1');
    expect(first.metadata.recordedAt).toBe('2024-04-01T08:01:00.000Z');
  });

  it('resumes after an interrupted copy, and a further run writes nothing', async () => {
    const clock = new CopyClock();
    const target = await openTarget(clock);
    const stop = new AbortController();

    const partial = await copyStore(source, target, {
      clock,
      signal: stop.signal,
      onProgress: (p) => p.events === 3 && stop.abort(),
    });
    expect(partial).toMatchObject({ events: 3, written: 3, aborted: true });
    expect(await target.readAll()).toHaveLength(3);

    const resumed = await copyStore(source, target, { clock });
    expect(resumed).toMatchObject({ events: 8, written: 5, alreadyPresent: 3, aborted: false, mismatch: null });
    expect(resumed.targetVerify?.ok).toBe(true);

    const head = await target.headPosition();
    const again = await copyStore(source, target, { clock });
    expect(again).toMatchObject({ written: 0, alreadyPresent: 8, mismatch: null });
    expect(await target.headPosition()).toBe(head);
    expect((await target.readAll()).map(envelope)).toEqual((await source.readAll()).map(envelope));
  });

  it('resumes in a new process: the target reopened from its file', async () => {
    const clock = new CopyClock();
    const stop = new AbortController();
    const firstTarget = await openTarget(clock);
    await copyStore(source, firstTarget, {
      clock,
      signal: stop.signal,
      onProgress: (p) => p.events === 5 && stop.abort(),
    });
    await firstTarget.close();

    const reopened = await openTarget(clock);
    const report = await copyStore(source, reopened, { clock });
    expect(report).toMatchObject({ written: 3, alreadyPresent: 5, mismatch: null });
  });

  it('notices when the copy did not keep recordedAt (target has its own clock): the hashes differ', async () => {
    const target = await openTarget(tickingClock('2030-01-01T00:00:00Z'));
    const report = await copyStore(source, target);
    expect(report.targetVerify?.ok).toBe(true); // the target's own chain is sound…
    expect(report.mismatch).toMatch(/differs: metadata/); // …but it is not the source's log
  });

  it('refuses to merge into a target whose stream already holds other events', async () => {
    const clock = new CopyClock();
    const target = await openTarget(clock);
    await target.append('bed-s1.a', [event('BedAdded', { kind: 'emergency' })]);
    await expect(copyStore(source, target, { clock })).rejects.toBeInstanceOf(WrongExpectedVersionError);
  });
});

describe('CopyClock', () => {
  it('reads the replayed instant only during the append it wraps', async () => {
    const clock = new CopyClock();
    const seen = await clock.at('2024-04-01T08:01:00.000Z', async () => clock.now().toISOString());
    expect(seen).toBe('2024-04-01T08:01:00.000Z');
    // Outside it, the system clock: bracketed by two readings of it, not compared with a tolerance.
    const before = Date.now();
    const outside = clock.now().getTime();
    expect(outside).toBeGreaterThanOrEqual(before);
    expect(outside).toBeLessThanOrEqual(Date.now());
    await expect(clock.at('not a date', async () => 1)).rejects.toThrow(/ISO-8601/);
  });
});
