import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type SqliteEventStore } from '@placement/event-store';
import { exportChild } from './export-child';

const meta = (role: string) => ({
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: { id: `${role}-person`, role },
});

describe('exportChild: one child’s record for a subject access request', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'placement-export-child-'));
    store = await openSqliteEventStore({ path: join(dir, 'events.db') });
    const put = (stream: string, type: string, data: unknown, role = 'placement-officer') =>
      store.append(stream, [{ id: randomUUID(), type, data, metadata: meta(role) }]);
    await put('child-amy', 'ChildRegistered', { childId: 'amy', dateOfBirth: '2012-03-04' });
    await put('child-ben', 'ChildRegistered', { childId: 'ben', dateOfBirth: '2010-07-08' });
    await put('referral-r1', 'ReferralReceived', { referralId: 'r1', childId: 'amy' });
    await put('referral-r2', 'ReferralReceived', { referralId: 'r2', childId: 'ben' });
    // Ben's meeting assesses Amy as a resident: it is Ben's record, not Amy's.
    await put('referral-r2', 'MatchingMeetingHeld', {
      referralId: 'r2',
      impactAssessments: [{ residentChildId: 'amy' }],
    });
    await put(
      'referral-r1',
      'MatchingMeetingHeld',
      { referralId: 'r1', reasons: [{ code: 'NEEDS_MET', text: 'free text' }] },
      'residential-manager',
    );
    await put('bed-oak.b1', 'BedAdded', { settingId: 'oak', bedId: 'b1' }, 'admin');
    await put('bed-oak.b1', 'BedOccupied', { settingId: 'oak', bedId: 'b1', childId: 'amy' });
    await put('bed-oak.b2', 'BedOccupied', { settingId: 'oak', bedId: 'b2', childId: 'ben' });
    await put('household-fh1', 'ChildPlacedWithHousehold', { householdId: 'fh1', child: { childId: 'amy' } });
    await put('child-amy', 'PlacementStarted', { childId: 'amy', placementId: 'p1' });
    await put('setting-oak', 'SettingRegistered', { settingId: 'oak', note: 'childId amy is not a key here' }, 'admin');
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("collects the child's stream, referrals and the unit events naming the child, in log order", async () => {
    const record = await exportChild(store, 'amy', new Date('2026-11-27T10:00:00Z'));
    expect(record?.subjectAccessExport).toEqual({
      childId: 'amy',
      generatedAt: '2026-11-27T10:00:00.000Z',
      storeHeadPosition: '11',
      eventCount: 6,
    });
    expect(record?.child.map((e) => e.type)).toEqual(['ChildRegistered', 'PlacementStarted']);
    expect(Object.keys(record?.referrals ?? {})).toEqual(['r1']);
    expect(record?.referrals['r1'].map((e) => [e.type, e.actorRole])).toEqual([
      ['ReferralReceived', 'placement-officer'],
      ['MatchingMeetingHeld', 'residential-manager'],
    ]);
    expect(record?.units.map((e) => `${e.stream} ${e.type}`)).toEqual([
      'bed-oak.b1 BedOccupied',
      'household-fh1 ChildPlacedWithHousehold',
    ]);
    const text = JSON.stringify(record);
    expect(text).not.toContain('2010-07-08');
    expect(text).not.toContain('-person');
  });

  it('returns null for a child the log never mentions', async () => {
    expect(await exportChild(store, 'nobody', new Date())).toBeNull();
  });
});
