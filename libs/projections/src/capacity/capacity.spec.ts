import type { UnitRef } from '@placement/domain';
import { capacityProjection } from './capacity.projection';
import { readCapacity } from './capacity.query';
import { appendAll } from '../testing/append';
import { syntheticEvents, type StreamEvent } from '../testing/synthetic-events';
import { childRegistered } from '../testing/audit-fixtures';
import { bed, household, occupy, setting, vacate } from '../testing/capacity-fixtures';
import { caughtUpWithStory, on, record, tempFilesEachTest } from '../testing/harness';

const placedWith = (householdId: string, placementId: string) =>
  on(`household-${householdId}`, {
    type: 'ChildPlacedWithHousehold',
    data: {
      householdId,
      placementId,
      childId: `c-${placementId}`,
      childSex: 'F',
      childDateOfBirth: '2018-01-01',
      referralId: null,
      placementType: 'long-term',
      siblingGroupId: null,
      startDate: '2026-05-01',
      emergency: false,
      emergencyOutsideTerms: false,
      stepDownId: null,
      at: '2026-05-01T10:00:00Z',
    },
  });

describe('live capacity', () => {
  const files = tempFilesEachTest('capacity');
  /** The capacity read model caught up with a log of these events, recorded in this order. */
  const caughtUpWith = (...story: StreamEvent[]) =>
    caughtUpWithStory(files, [capacityProjection], (store) => record(store, ...story));

  it('gives every unit its state and totals computed from the units', async () => {
    const occupied: UnitRef = { kind: 'bed', settingId: 's1', bedId: 'b2' };
    const { store, db, runner, close } = await caughtUpWith(
      on('setting-s1', setting('s1', 'in-house', [11, 17], 'any')),
      bed('s1', 'b1', 'residential'),
      bed('s1', 'b2', 'residential'),
      bed('s1', 'b3', 'residential'),
      on('setting-s2', setting('s2', 'in-house', [8, 17], 'F')),
      bed('s2', 'e1', 'emergency'),
      on('setting-s3', setting('s3', 'external', [16, 17], 'M')),
      bed('s3', 'x1', 'residential'),
      on('setting-s3', {
        type: 'SettingClosed',
        data: { settingId: 's3', date: '2026-02-01', reason: 'decommissioned' },
      }),
      on('bed-s1.b1', {
        type: 'BedHeld',
        data: {
          settingId: 's1',
          bedId: 'b1',
          referralId: 'r-1',
          childId: 'c-1',
          until: '2026-06-01T12:00:00Z',
          at: '2026-05-31T09:00:00Z',
        },
      }),
      on('bed-s1.b2', {
        type: 'BedOccupied',
        data: {
          ...occupied,
          bedKind: 'residential',
          placementId: 'p-2',
          childId: 'c-2',
          referralId: 'r-2',
          emergency: false,
          matchingMeetingId: 'm-2',
          unmatchedEmergency: false,
          startDate: '2026-05-20',
          at: '2026-05-20T10:00:00Z',
        },
      }),
      on('bed-s1.b3', {
        type: 'BedOutOfUse',
        data: { settingId: 's1', bedId: 'b3', reason: 'damage', from: '2026-05-25', to: '2026-06-10' },
      }),
      // A hold whose time has passed: the bed is free again though no release was recorded yet.
      on('bed-s2.e1', {
        type: 'BedHeld',
        data: {
          settingId: 's2',
          bedId: 'e1',
          referralId: 'r-3',
          childId: 'c-3',
          until: '2026-05-31T12:00:00Z',
          at: '2026-05-31T09:00:00Z',
        },
      }),
      on('household-fh1', household('fh1', 'in-house', 3, [0, 10], 'any')),
      placedWith('fh1', 'p-4'),
      placedWith('fh1', 'p-5'),
      on('household-fh1', {
        type: 'ChildLeftHousehold',
        data: {
          householdId: 'fh1',
          placementId: 'p-5',
          childId: 'c-p-5',
          date: '2026-05-02',
          reason: 'compensation',
        },
      }),
      on('household-fh2', household('fh2', 'ifa', 2, [5, 17], 'F')),
      on('household-fh2', {
        type: 'HouseholdSuspended',
        data: { householdId: 'fh2', date: '2026-05-01', reason: 'allegation' },
      }),
      on('household-fh3', household('fh3', 'in-house', 1, [0, 17], 'any')),
      on('household-fh3', { type: 'HouseholdResigned', data: { householdId: 'fh3', date: '2026-04-01' } }),
      on('contract-c1', {
        type: 'BlockBookingContracted',
        data: {
          contractId: 'c1',
          provider: { name: 'Hill Care', code: 'PR4' },
          settingName: 'Hill House',
          settingUrn: null,
          settingPostcode: 'S66 1AA',
          beds: ['A', 'B'],
          startDate: '2026-01-01',
          endDate: '2026-12-31',
          weeklyPricePerBed: 400_000,
        },
      }),
      on('contract-c1', {
        type: 'BlockBedAllocated',
        data: {
          contractId: 'c1',
          bedRef: 'A',
          placementId: 'p-6',
          childId: 'c-6',
          referralId: null,
          date: '2026-05-01',
          at: '2026-05-01T10:00:00Z',
        },
      }),
    );
    const view = readCapacity(db, runner.status()[0].position, { now: new Date('2026-06-01T10:00:00Z') });

    expect(view.totals).toEqual({
      residential: { beds: 3, vacant: 0, reserved: 0, held: 1, occupied: 1, outOfUse: 1, free: 0 },
      // A lapsed hold holds nothing: the bed is vacant, though no release was recorded yet.
      emergency: { beds: 1, vacant: 1, reserved: 0, held: 0, occupied: 0, outOfUse: 0, free: 1 },
      foster: { households: 2, suspendedHouseholds: 1, approvedPlaces: 5, usedPlaces: 1, freePlaces: 2 },
      blockBooked: { contracted: 2, allocated: 1, void: 1, reserved: 0 },
    });
    expect(view.byProvision).toEqual({ inHouse: { units: 7, free: 3 }, external: { units: 4, free: 1 } });
    expect(view.freeByAgeBandAndSex).toEqual([
      { band: '0-4', minAge: 0, maxAge: 4, male: 2, female: 2 },
      { band: '5-10', minAge: 5, maxAge: 10, male: 2, female: 3 },
      { band: '11-15', minAge: 11, maxAge: 15, male: 0, female: 1 },
      { band: '16-17', minAge: 16, maxAge: 17, male: 0, female: 1 },
    ]);
    const beds = Object.fromEntries(view.units.beds.map((b) => [`${b.settingId}.${b.bedId}`, b]));
    expect(beds['s1.b1'].hold).toEqual({ referralId: 'r-1', until: '2026-06-01T12:00:00Z', lapsed: false });
    expect(beds['s1.b2'].occupied).toEqual({ placementId: 'p-2', since: '2026-05-20', until: null, emergency: false });
    expect(beds['s1.b3'].outOfUse).toEqual({ reason: 'damage', from: '2026-05-25', until: '2026-06-10' });
    expect(beds['s2.e1']).toMatchObject({ status: 'vacant', hold: { lapsed: true } });
    expect(beds['s3.x1'].settingOpen).toBe(false);
    expect(view.units.households.map((h) => [h.householdId, h.status, h.usedPlaces, h.freePlaces])).toEqual([
      ['fh1', 'approved', 1, 2],
      ['fh2', 'suspended', 0, 0],
      ['fh3', 'resigned', 0, 0],
    ]);
    expect(view.units.blockBeds.map((b) => [b.bedRef, b.status])).toEqual([
      ['A', 'allocated'],
      ['B', 'void'],
    ]);
    // No child ids leave the capacity view.
    expect(JSON.stringify(view)).not.toMatch(/"c-\d/);

    // A delta lists only the units changed in the range; totals stay whole.
    const position = runner.status()[0].position;
    const next = await record(store, vacate('s1', 'b2', 'p-2', 'c-2', '2026-06-01'));
    await runner.waitFor(next, { timeoutMs: 5000 });
    const delta = readCapacity(db, next, {
      now: new Date('2026-06-01T10:00:00Z'),
      changed: { after: position, through: next },
    });
    expect(delta.units.beds.map((b) => [b.bedId, b.status])).toEqual([['b2', 'vacant']]);
    expect(delta.units.households).toEqual([]);
    expect(delta.totals.residential.free).toBe(1);
    await close();
  });

  it("flags a bed's occupant: unmatched emergency until matched for that home; 18+ in a home to 17", async () => {
    const child = (childId: string, dateOfBirth: string) =>
      on(`child-${childId}`, childRegistered(childId, { dateOfBirth }));
    const occupiedBy = (settingId: string, bedId: string, childId: string, referralId: string, emergency: boolean) =>
      occupy(settingId, bedId, `p-${childId}`, '2026-05-20', {
        bedKind: emergency ? 'emergency' : 'residential',
        childId,
        referralId,
        emergency,
        matchingMeetingId: emergency ? null : `m-${childId}`,
        unmatchedEmergency: emergency,
        at: '2026-05-20T10:00:00Z',
      });
    const meeting = (referralId: string, settingId: string, decision: 'matched' | 'not-matched' | 'deferred') =>
      on(`referral-${referralId}`, {
        type: 'MatchingMeetingHeld',
        data: {
          referralId,
          meetingId: `m-${referralId}-${settingId}-${decision}`,
          heldOn: '2026-05-21',
          attendees: [{ role: 'registered-manager' }],
          unitConsidered: { kind: 'setting', settingId },
          impactAssessments: [],
          decision,
          reasons: [],
        },
      });
    const { store, db, runner, close } = await caughtUpWith(
      on('setting-s1', setting('s1', 'in-house', [11, 17], 'any')),
      bed('s1', 'e1', 'emergency'),
      bed('s1', 'b2', 'residential'),
      on('setting-s2', setting('s2', 'external', [16, 18], 'any')),
      bed('s2', 'b1', 'residential'),
      child('c-1', '2012-01-01'),
      child('c-2', '2008-06-01'),
      child('c-3', '2008-01-01'),
      occupiedBy('s1', 'e1', 'c-1', 'r-1', true),
      occupiedBy('s1', 'b2', 'c-2', 'r-2', false),
      occupiedBy('s2', 'b1', 'c-3', 'r-3', false),
      // Not matched, or matched for another home: still an unmatched emergency in s1.
      meeting('r-1', 's1', 'deferred'),
      meeting('r-1', 's2', 'matched'),
    );
    const flagsOn = (
      now: string,
      position = runner.status()[0].position,
      changed?: { after: bigint; through: bigint },
    ) =>
      Object.fromEntries(
        readCapacity(db, position, { now: new Date(now), changed }).units.beds.map((b) => [
          `${b.settingId}.${b.bedId}`,
          [b.flags.unmatchedEmergency, b.flags.aged18InHomeRegisteredTo17],
        ]),
      );
    // 31 May: c-2 is 17. 1 June (London): 18, in a home registered to 17. c-3 is 18 in a home registered to 18.
    expect(flagsOn('2026-05-31T12:00:00Z')).toEqual({
      's1.e1': [true, false],
      's1.b2': [false, false],
      's2.b1': [false, false],
    });
    expect(flagsOn('2026-05-31T23:30:00Z')).toEqual({
      's1.e1': [true, false],
      's1.b2': [false, true],
      's2.b1': [false, false],
    });

    const before = runner.status()[0].position;
    const met = await record(store, meeting('r-1', 's1', 'matched'));
    expect(await runner.waitFor(met, { timeoutMs: 5000 })).toBe(true);
    // The meeting changed the bed's row: it is in the delta, cleared.
    expect(flagsOn('2026-06-01T12:00:00Z', met, { after: before, through: met })).toEqual({ 's1.e1': [false, false] });
    const view = readCapacity(db, met, { now: new Date('2026-06-01T12:00:00Z') });
    // Neither a child's id nor a date of birth leaves the capacity view.
    expect(JSON.stringify(view)).not.toMatch(/"c-\d|2008-06-01|2012-01-01/);

    // A vacated bed has no flags, whoever lived there.
    const vacated = await record(store, vacate('s1', 'b2', 'p-c-2', 'c-2', '2026-06-02'));
    expect(await runner.waitFor(vacated, { timeoutMs: 5000 })).toBe(true);
    expect(flagsOn('2026-06-02T12:00:00Z', vacated)['s1.b2']).toEqual([false, false]);

    // A child registered again (its date of birth corrected) moves the bed it lives in, and no other.
    const corrected = await record(store, child('c-1', '2008-01-01'));
    expect(await runner.waitFor(corrected, { timeoutMs: 5000 })).toBe(true);
    expect(flagsOn('2026-06-02T12:00:00Z', corrected, { after: vacated, through: corrected })).toEqual({
      's1.e1': [false, true],
    });
    await close();
  });

  it('reads every unit on the night asked: planned departures and arrivals, and the midnight rollover', async () => {
    const occupied = (placementId: string, startDate: string) =>
      occupy('s1', 'b1', placementId, startDate, { at: '2026-05-20T10:00:00Z' });
    const { db, runner, close } = await caughtUpWith(
      on('setting-s1', setting('s1', 'in-house', [11, 17], 'any')),
      bed('s1', 'b1', 'residential'),
      bed('s1', 'b2', 'residential'),
      occupied('p-1', '2026-05-20'),
      // Notice given: p-1 leaves on 15 June; p-2 is booked into the same bed from that day.
      vacate('s1', 'b1', 'p-1', 'c-p-1', '2026-06-15'),
      occupied('p-2', '2026-06-15'),
      // b2 is free tonight and booked from 20 June.
      occupy('s1', 'b2', 'p-3', '2026-06-20', { at: '2026-05-20T10:00:00Z' }),
    );
    const position = runner.status()[0].position;
    const now = new Date('2026-06-01T10:00:00Z');
    const tonight = readCapacity(db, position, { now });
    expect(tonight.on).toBe('2026-06-01');
    expect(tonight.units.beds.map((b) => [b.bedId, b.status, b.next])).toEqual([
      ['b1', 'occupied', { date: '2026-06-15', change: 'departure' }],
      ['b2', 'reserved', { date: '2026-06-20', change: 'arrival' }],
    ]);
    expect(tonight.units.beds[0].occupied).toEqual({
      placementId: 'p-1',
      since: '2026-05-20',
      until: '2026-06-15',
      emergency: false,
    });
    expect(tonight.units.beds[1].reserved).toEqual({ placementId: 'p-3', from: '2026-06-20' });
    // Reserved is free tonight: the bed is counted among tonight's vacancies.
    expect(tonight.totals.residential).toEqual({
      beds: 2,
      vacant: 0,
      reserved: 1,
      held: 0,
      occupied: 1,
      outOfUse: 0,
      free: 1,
    });
    // Next Tuesday, 16 June: p-2 has arrived; b2 is still free until the 20th.
    const tuesday = readCapacity(db, position, { now, on: '2026-06-16' });
    expect(tuesday.units.beds.map((b) => [b.bedId, b.status, b.occupied?.placementId ?? null])).toEqual([
      ['b1', 'occupied', 'p-2'],
      ['b2', 'reserved', null],
    ]);
    // At midnight into 20 June only b2 changes: the rollover pushes it alone, with the new totals.
    const rollover = readCapacity(db, position, { now, on: '2026-06-20', comparedWith: '2026-06-19' });
    expect(rollover.rolledOverFrom).toBe('2026-06-19');
    expect(rollover.units.beds.map((b) => [b.bedId, b.status])).toEqual([['b2', 'occupied']]);
    expect(rollover.totals.residential.free).toBe(0);
    expect(JSON.stringify(tonight)).not.toMatch(/"c-p/);
    await close();
  });

  it('computes the seeded-size estate: 16 residential and 2 emergency in-house beds', async () => {
    // The synthetic estate opens with the in-house homes, an external home (2 beds), 120 households, 2 block bookings.
    const { db, runner, close } = await caughtUpWithStory(files, [capacityProjection], (store) =>
      appendAll(store, syntheticEvents({ count: 150 })),
    );
    const view = readCapacity(db, runner.status()[0].position, { now: new Date('2024-01-01T12:00:00Z') });
    const inHouseResidential = view.units.beds.filter(
      (b) => b.provision === 'in-house' && b.kind === 'residential',
    ).length;
    expect([inHouseResidential, view.totals.residential.beds, view.totals.emergency.beds]).toEqual([16, 18, 2]);
    expect(view.totals.foster.households).toBe(120);
    await close();
  });
});
