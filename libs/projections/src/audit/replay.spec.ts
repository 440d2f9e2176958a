import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type SqliteEventStore } from '@placement/event-store';
import {
  bedAdded,
  bedOccupied,
  childRegistered,
  matchesProposed,
  meetingHeld,
  MovableClock,
  placementStarted,
  record,
  referralClosed,
  referralReceived,
} from '../testing/audit-fixtures';
import { readBedAudit, readChildAudit, readReferralAudit } from './replay';

const DAY_1 = '2026-03-01T09:00:00.000Z';
const DAY_2 = '2026-03-02T09:00:00.000Z';
const DAY_3 = '2026-03-03T09:00:00.000Z';
const DAY_7 = '2026-03-07T12:00:00.000Z';
const DAY_10 = '2026-03-10T14:00:00.000Z';

/**
 * A real sqlite store whose clock the test moves: referral and child on day 1, a proposal on
 * day 2, the meeting on day 3, and on day 10 a placement back-dated to day 5 (startDate and effectiveAt).
 */
describe('audit replay as of an instant (sqlite store, injected clock)', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-replay-'));
    const clock = new MovableClock(new Date(DAY_1));
    store = await openSqliteEventStore({ path: join(dir, 'events.db'), clock });
    const officer = { id: 'officer-1', role: 'placement-officer' };
    const manager = { id: 'manager-2', role: 'residential-manager' };

    await record(store, 'bed-oak.b3', [bedAdded('oak', 'b3')], { actor: { id: 'admin-1', role: 'admin' } });
    await record(store, 'child-c1', [childRegistered('c1')], { actor: officer });
    await record(store, 'referral-r1', [referralReceived('r1', 'c1', DAY_1)], { actor: officer });
    clock.set(DAY_2);
    await record(
      store,
      'referral-r1',
      [
        matchesProposed(
          'r1',
          DAY_2,
          [
            { settingId: 'elm', bedId: 'b1' },
            { settingId: 'oak', bedId: 'b3' },
          ],
          [{ settingId: 'ash', bedId: 'b2', reason: 'out of use' }],
        ),
      ],
      { actor: officer },
    );
    clock.set(DAY_3);
    await record(store, 'referral-r1', [meetingHeld('r1', 'm1', 'oak', [], '2026-03-03')], { actor: manager });
    clock.set(DAY_10);
    const backDated = { actor: officer, effectiveAt: '2026-03-05T09:00:00.000Z', commandId: 'place:p1' };
    await record(
      store,
      'bed-oak.b3',
      [bedOccupied('oak', 'b3', 'p1', 'c1', 'r1', '2026-03-05', DAY_10, 'm1')],
      backDated,
    );
    await record(store, 'child-c1', [placementStarted('c1', 'p1', 'oak', 'b3', 'r1', '2026-03-05')], backDated);
    await record(store, 'referral-r1', [referralClosed('r1', 'p1', DAY_10)], backDated);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows no placement as of day 7, although the placement says it started on day 5', async () => {
    const audit = await readChildAudit(store, 'c1', { asOf: DAY_7 });
    expect(audit?.state).toMatchObject({ status: 'Registered', child: { placements: [] } });
    expect(audit?.entries.map((e) => e.type)).toEqual([
      'ChildRegistered',
      'ReferralReceived',
      'MatchesProposed',
      'MatchingMeetingHeld',
    ]);
    expect(audit?.asOf).toBe(DAY_7);
  });

  it('shows the back-dated placement from the instant it was recorded on day 10', async () => {
    const justBefore = await readChildAudit(store, 'c1', { asOf: '2026-03-10T13:59:59.999Z' });
    expect(justBefore?.entries.some((e) => e.type === 'PlacementStarted')).toBe(false);

    for (const asOf of [DAY_10, '2026-03-11T00:00:00Z', null]) {
      const audit = await readChildAudit(store, 'c1', { asOf });
      expect(audit?.state).toMatchObject({
        status: 'Registered',
        child: { placements: [{ placementId: 'p1', startDate: '2026-03-05', endDate: null }] },
      });
      const started = audit?.entries.find((e) => e.type === 'PlacementStarted');
      expect(started).toMatchObject({
        decision: 'Placement p1 started in bed oak.b3',
        recordedAt: DAY_10,
        effectiveAt: '2026-03-05T09:00:00.000Z',
        businessDate: '2026-03-05',
        backDated: true,
        actor: { id: 'officer-1', role: 'placement-officer' },
      });
      // Taken from the proposal of day 2, where the bed ranked second.
      expect(started?.optionsOnTable).toMatchObject({
        engineVersion: 'matching-1.0.0',
        proposedAt: DAY_2,
        chosen: { standing: 'ranked', rank: 2 },
      });
    }
  });

  it('includes the unit events of the child’s placement and its referral’s decisions', async () => {
    const audit = await readChildAudit(store, 'c1');
    expect(audit?.streams).toEqual(expect.arrayContaining(['child-c1', 'referral-r1', 'bed-oak.b3']));
    expect(audit?.entries.map((e) => `${e.streamId}:${e.type}`)).toEqual([
      'child-c1:ChildRegistered',
      'referral-r1:ReferralReceived',
      'referral-r1:MatchesProposed',
      'referral-r1:MatchingMeetingHeld',
      'bed-oak.b3:BedOccupied',
      'child-c1:PlacementStarted',
      'referral-r1:ReferralClosed',
    ]);
    // What each decider saw: the bed was vacant, the child had no placement yet.
    expect(audit?.entries.find((e) => e.type === 'BedOccupied')?.stateBefore).toMatchObject({
      status: 'Added',
      occupancies: [],
    });
    expect(audit?.entries.find((e) => e.type === 'PlacementStarted')?.stateBefore).toMatchObject({
      status: 'Registered',
      child: { placements: [] },
    });
    expect(audit?.entries[0].stateBefore).toEqual({ status: 'Unknown' });
    const meeting = audit?.entries.find((e) => e.type === 'MatchingMeetingHeld');
    expect(meeting?.stateBefore).toMatchObject({
      status: 'Open',
      referral: { meetings: [], lastProposal: { engineVersion: 'matching-1.0.0' } },
    });
    expect(meeting?.actor).toEqual({ id: 'manager-2', role: 'residential-manager' });
    expect(meeting?.optionsOnTable?.options.map((o) => o.rank)).toEqual([1, 2]);
    expect(meeting?.optionsOnTable?.excluded).toEqual([
      { unit: { kind: 'bed', settingId: 'ash', bedId: 'b2' }, reasons: ['out of use'] },
    ]);
  });

  it('finds nothing before the child was registered', async () => {
    expect(await readChildAudit(store, 'c1', { asOf: '2026-02-28T23:59:59Z' })).toBeNull();
    expect(await readChildAudit(store, 'nobody')).toBeNull();
  });

  it('replays a referral as open on day 7 and closed by its placement on day 10', async () => {
    const day7 = await readReferralAudit(store, 'r1', { asOf: DAY_7 });
    expect(day7?.state.status).toBe('Open');
    const now = await readReferralAudit(store, 'r1');
    expect(now?.state.status).toBe('Closed');
    expect(now?.entries.map((e) => e.type)).toEqual([
      'ReferralReceived',
      'MatchesProposed',
      'MatchingMeetingHeld',
      'BedOccupied',
      'PlacementStarted',
      'ReferralClosed',
    ]);
    expect(await readReferralAudit(store, 'r1', { asOf: '2026-02-01T00:00:00Z' })).toBeNull();
  });

  it('replays a bed vacant on day 7, occupied from day 10, with the options its occupant was chosen from', async () => {
    const day7 = await readBedAudit(store, 'oak', 'b3', { asOf: DAY_7 });
    expect(day7?.night?.status).toBe('Vacant');
    expect(day7?.on).toBe('2026-03-07');
    expect(day7?.entries.map((e) => e.type)).toEqual(['BedAdded']);
    const now = await readBedAudit(store, 'oak', 'b3', { on: '2026-03-10' });
    expect(now?.night).toMatchObject({ status: 'Occupied', occupant: { placementId: 'p1', childId: 'c1' } });
    // Both axes: the record as it stood on day 7 knew nothing of the placement for the night of day 10.
    expect((await readBedAudit(store, 'oak', 'b3', { asOf: DAY_7, on: '2026-03-10' }))?.night?.status).toBe('Vacant');
    expect(now?.entries[1].optionsOnTable).toMatchObject({
      proposedAt: DAY_2,
      chosen: { standing: 'ranked', rank: 2 },
    });
    expect(await readBedAudit(store, 'oak', 'b9')).toBeNull();
  });

  it('refuses an as-of that is not an instant with a zone', async () => {
    await expect(readChildAudit(store, 'c1', { asOf: '2026-03-07' })).rejects.toThrow(RangeError);
  });
});
