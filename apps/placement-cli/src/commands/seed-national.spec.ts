import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type RecordedEvent, type SqliteEventStore } from '@placement/event-store';
import { syntheticEstate } from '@placement/matching';
import { englandDistricts, NATIONAL_AS_AT, seedNational, type NationalSeedReport } from './seed-national';

// The national seed's translation, run on the Rotherham-scale synthetic estate (the same
// code path, a hundredth of the size) into a real sqlite store.
describe('seed national (at Rotherham scale)', () => {
  const districts = englandDistricts();
  let dir: string;
  let store: SqliteEventStore;
  let report: NationalSeedReport;
  let events: RecordedEvent[];
  const count = (type: string) => events.filter((e) => e.type === type).length;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'placement-seed-national-'));
    store = await openSqliteEventStore({ path: join(dir, 'events.db') });
    report = await seedNational(store, { seed: 7, districts, scale: 'rotherham', childrenInCare: 600 });
    events = await store.readAll();
  }, 60_000);
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the estate the synthetic generator describes, as domain events', () => {
    const { snapshot } = syntheticEstate({
      scale: 'rotherham',
      seed: 7,
      districts,
      asAt: `${NATIONAL_AS_AT}T00:00:00.000Z`,
    });
    const households = snapshot.settings.filter((s) => s.kind === 'foster-household');
    const blockHomes = new Set(snapshot.units.filter((u) => u.route === 'block-booked').map((u) => u.settingId));
    const bedsOutsideContracts = snapshot.units.filter(
      (u) => u.kind !== 'foster-household' && u.route !== 'block-booked',
    );
    expect(report.events).toBe(events.length);
    expect(count('FosterHouseholdApproved')).toBe(households.length);
    expect(count('BlockBookingContracted')).toBe(blockHomes.size);
    expect(count('SettingRegistered')).toBe(snapshot.settings.length - households.length);
    expect(count('BedAdded')).toBe(bedsOutsideContracts.length);
    expect(count('BedOutOfUse')).toBe(bedsOutsideContracts.filter((u) => u.state.status === 'out-of-use').length);
  });

  it('gives every child one placement, and each child in a unit a referral with the resident profile and unit', () => {
    expect(report.children).toBe(600);
    expect(count('ChildRegistered')).toBe(600);
    expect(count('PlacementStarted')).toBe(600);
    expect(new Set(events.filter((e) => e.type === 'PlacementStarted').map((e) => e.streamId)).size).toBe(600);
    expect(count('ReferralReceived')).toBe(report.childrenInUnits);
    expect(count('ReferralClosed')).toBe(report.childrenInUnits);
    expect(count('BedOccupied') + count('ChildPlacedWithHousehold') + count('BlockBedAllocated')).toBe(
      report.childrenInUnits,
    );
    // Every home placement was matched at a meeting that covered the residents already there.
    expect(count('MatchingMeetingHeld')).toBe(count('BedOccupied'));
    expect(
      events
        .filter((e) => e.type === 'BedOccupied')
        .every((e) => (e.data as { matchingMeetingId: string | null }).matchingMeetingId !== null),
    ).toBe(true);
    // The resident profiles' risk flags reach the referrals in the domain's words.
    const risks = events
      .filter((e) => e.type === 'ReferralReceived')
      .flatMap((e) => (e.data as { needs: { risksToSelf: string[] } }).needs.risksToSelf);
    expect(risks).not.toContain('missing');
  });

  it('orders the log as the flow does: estate, referrals, units, placements', () => {
    const first = (type: string) => events.findIndex((e) => e.type === type);
    const last = (type: string) => events.length - 1 - [...events].reverse().findIndex((e) => e.type === type);
    expect(last('FosterHouseholdApproved')).toBeLessThan(first('ChildRegistered'));
    expect(last('ReferralReceived')).toBeLessThan(first('BedOccupied'));
    expect(last('BedOccupied')).toBeLessThan(first('PlacementStarted'));
  });

  it('is deterministic and idempotent: the same seed again writes nothing, and the log verifies', async () => {
    const again = await seedNational(store, { seed: 7, districts, scale: 'rotherham', childrenInCare: 600 });
    expect(again.events).toBe(0);
    expect(again.children).toBe(report.children);
    const verified = await store.verify();
    expect(verified.ok).toBe(true);
  }, 60_000);
});
