import type { PlaceCode, PlaceProviderCode, RecCode, UnitRef } from '@placement/domain';
import { openSqliteEventStore } from '@placement/event-store';
import { sufficiencyProjection } from './sufficiency.projection';
import { placementGroupOf, readSufficiencyTrends } from './sufficiency.query';
import { childRegistered } from '../testing/audit-fixtures';
import { placementEndedIn, placementStartedIn } from '../testing/child-fixtures';
import { on, openStore, record, runToHead, tempFilesEachTest } from '../testing/harness';

const started = (
  childId: string,
  placementId: string,
  unit: UnitRef,
  place: PlaceCode,
  placeProvider: PlaceProviderCode,
  startDate: string,
  flags: { unmatchedEmergency?: boolean; referralId?: string } = {},
) =>
  on(
    `child-${childId}`,
    placementStartedIn(childId, placementId, unit, startDate, {
      place,
      placeProvider,
      emergency: flags.unmatchedEmergency ?? false,
      unmatchedEmergency: flags.unmatchedEmergency ?? false,
      referralId: flags.referralId ?? null,
    }),
  );
const ended = (childId: string, placementId: string, unit: UnitRef, endDate: string) =>
  on(`child-${childId}`, placementEndedIn(childId, placementId, unit, endDate));

const registered = (childId: string, dateOfBirth: string) =>
  on(`child-${childId}`, childRegistered(childId, { dateOfBirth, homePostcode: 'S65 1AA' }));
const leftCare = (childId: string, placementId: string, unit: UnitRef, endDate: string, rec: RecCode) =>
  on(
    `child-${childId}`,
    placementEndedIn(childId, placementId, unit, endDate, {
      reasonForChange: null,
      reasonEpisodeCeased: rec,
      next: 'leaves-care',
    }),
  );
/** The placement's end takes the child out of care, and on the same day they are recorded as a care leaver. */
const leftCareAsCareLeaver = (
  childId: string,
  placementId: string,
  unit: UnitRef,
  endDate: string,
  rec: RecCode,
  accommodation: 'staying-put' | 'supported-16-plus',
) => [
  leftCare(childId, placementId, unit, endDate, rec),
  on(`child-${childId}`, {
    type: 'CareLeaverRecorded',
    data: { childId, accommodation, from: endDate, ceasedCareOn: endDate, reasonEpisodeCeased: rec },
  }),
];

describe('sufficiency trends: children looked after, starts, ceases and care leavers', () => {
  const files = tempFilesEachTest('sufficiency-care');

  it('counts month ends in London time: looked after (placed or not), starts, ceases, care leavers', async () => {
    // Every event is recorded at 23:30 UTC on 31 March 2026: 00:30 on 1 April in London (BST).
    const store = await openSqliteEventStore({
      path: files.eventsPath,
      pollIntervalMs: 20,
      clock: { now: () => new Date('2026-03-31T23:30:00.000Z') },
    });
    const fh: UnitRef = { kind: 'household', householdId: 'fh1' };
    const home: UnitRef = { kind: 'bed', settingId: 's1', bedId: 'b1' };
    await record(
      store,
      // a: fostered from 10 Jan; turns 18 on 20 Feb and stays put with her carers (E17) from that day.
      registered('a', '2008-02-20'),
      started('a', 'pa1', fh, 'U4', 'PR1', '2026-01-10'),
      ...leftCareAsCareLeaver('a', 'pa1', fh, '2026-02-20', 'E17', 'staying-put'),
      // b: in the home from 5 Feb; the placement ends on 28 Feb with nothing after it (still looked after).
      registered('b', '2012-01-01'),
      started('b', 'pb1', home, 'K2', 'PR1', '2026-02-05'),
      ended('b', 'pb1', home, '2026-02-28'),
      // c: 17, left care to independent living (E5) on 31 Mar, in 16+ supported accommodation.
      registered('c', '2008-09-01'),
      started('c', 'pc1', home, 'K3', 'PR4', '2026-03-02'),
      ...leftCareAsCareLeaver('c', 'pc1', home, '2026-03-31', 'E5', 'supported-16-plus'),
      // d: went home at 15 (E13): ceased, not a care leaver.
      registered('d', '2011-01-01'),
      started('d', 'pd1', fh, 'U4', 'PR1', '2026-03-02'),
      leftCare('d', 'pd1', fh, '2026-03-20', 'E13'),
      // e: registered (1 April, London) and not yet placed.
      registered('e', '2013-01-01'),
    );
    try {
      const { db, runner } = await runToHead(store, files.readModelsPath(), [sufficiencyProjection]);
      const trends = readSufficiencyTrends(db, runner.status()[0].position, '2026-04-15', 4);
      const counts = trends.months.map((m) => ({
        month: m.month,
        lookedAfter: m.childrenLookedAfter,
        notPlaced: m.lookedAfterNotPlaced,
        started: m.startedToBeLookedAfter,
        ceased: m.ceasedToBeLookedAfter,
        careLeavers: m.careLeavers,
      }));
      expect(counts).toEqual([
        {
          month: '2026-01',
          lookedAfter: 1,
          notPlaced: 0,
          started: 1,
          ceased: 0,
          careLeavers: { total: 0, stayingPut: 0, supportedAccommodation: 0 },
        },
        {
          month: '2026-02',
          lookedAfter: 1, // b, no longer placed; a left care on the 20th
          notPlaced: 1,
          started: 1,
          ceased: 1,
          careLeavers: { total: 1, stayingPut: 1, supportedAccommodation: 0 },
        },
        {
          month: '2026-03',
          lookedAfter: 1, // b; c left care on the 31st, d on the 20th; e is registered in April (London)
          notPlaced: 1,
          started: 2,
          ceased: 2,
          careLeavers: { total: 2, stayingPut: 1, supportedAccommodation: 1 },
        },
        {
          month: '2026-04',
          lookedAfter: 2, // b and e, neither placed
          notPlaced: 2,
          started: 1,
          ceased: 0,
          careLeavers: { total: 2, stayingPut: 1, supportedAccommodation: 1 },
        },
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('sufficiency trends', () => {
  const files = tempFilesEachTest('sufficiency');

  it('counts month-end placements by type, in-house share, step-downs, emergency nights, unmatched', async () => {
    const store = await openStore(files);
    const s1: UnitRef = { kind: 'bed', settingId: 's1', bedId: 'b1' };
    const e1: UnitRef = { kind: 'bed', settingId: 's2', bedId: 'e1' };
    const fh: UnitRef = { kind: 'household', householdId: 'fh1' };
    const spot: UnitRef = { kind: 'external', urn: null, provider: { name: 'Spot', code: 'PR4' } };
    await record(
      store,
      // a: residential from 10 Jan, stepped down into foster care on 5 Mar.
      started('a', 'pa1', s1, 'K2', 'PR1', '2026-01-10'),
      ended('a', 'pa1', s1, '2026-03-05'),
      started('a', 'pa2', fh, 'U4', 'PR1', '2026-03-05'),
      on('child-a', {
        type: 'StepDownCompleted',
        data: {
          childId: 'a',
          stepDownId: 'sd-a',
          fromPlacementId: 'pa1',
          newPlacementId: 'pa2',
          toHouseholdId: 'fh1',
          date: '2026-03-05',
        },
      }),
      // b: family and friends foster care from 1 Feb.
      started('b', 'pb1', { kind: 'household', householdId: 'fh2' }, 'U1', 'PR1', '2026-02-01'),
      // c: emergency bed 27 Feb → 3 Mar, before any meeting; matched on 2 Mar (for its home).
      on('bed-s2.e1', {
        type: 'BedOccupied',
        data: {
          settingId: 's2',
          bedId: 'e1',
          bedKind: 'emergency',
          placementId: 'pc1',
          childId: 'c',
          referralId: 'rc',
          emergency: true,
          matchingMeetingId: null,
          unmatchedEmergency: true,
          startDate: '2026-02-27',
          at: '2026-02-27T22:00:00Z',
        },
      }),
      started('c', 'pc1', e1, 'K2', 'PR1', '2026-02-27', { unmatchedEmergency: true, referralId: 'rc' }),
      on('referral-rc', {
        type: 'MatchingMeetingHeld',
        data: {
          referralId: 'rc',
          meetingId: 'mc-other',
          heldOn: '2026-02-28',
          attendees: [],
          unitConsidered: { kind: 'setting', settingId: 's9' },
          impactAssessments: [],
          decision: 'matched',
          reasons: [],
        },
      }),
      on('referral-rc', {
        type: 'MatchingMeetingHeld',
        data: {
          referralId: 'rc',
          meetingId: 'mc',
          heldOn: '2026-03-02',
          attendees: [],
          unitConsidered: { kind: 'setting', settingId: 's2' },
          impactAssessments: [],
          decision: 'matched',
          reasons: [],
        },
      }),
      ended('c', 'pc1', e1, '2026-03-03'),
      on('bed-s2.e1', {
        type: 'BedVacated',
        data: {
          settingId: 's2',
          bedId: 'e1',
          placementId: 'pc1',
          childId: 'c',
          date: '2026-03-03',
          reason: 'placement-ended',
        },
      }),
      // d: supported accommodation, spot purchased, from 15 Mar; e: home to parents from 10 Apr.
      started('d', 'pd1', spot, 'K3', 'PR4', '2026-03-15'),
      started(
        'e',
        'pe1',
        { kind: 'external', urn: null, provider: { name: 'Parents', code: 'PR0' } },
        'P1',
        'PR0',
        '2026-04-10',
      ),
    );
    const { db, runner } = await runToHead(store, files.readModelsPath(), [sufficiencyProjection]);
    const trends = readSufficiencyTrends(db, runner.status()[0].position, '2026-04-15', 3);
    const zero = {
      'foster-family-and-friends': 0,
      'foster-other': 0,
      residential: 0,
      supported: 0,
      'with-parents': 0,
      'independent-living': 0,
      other: 0,
    };
    // The placement counts (the children in care and care leavers are the test above).
    expect(trends.months).toMatchObject([
      {
        month: '2026-02',
        monthEnd: '2026-02-28',
        snapshotDate: '2026-02-28',
        childrenPlaced: 3,
        byPlacementType: { ...zero, residential: 2, 'foster-family-and-friends': 1 },
        inHouse: 3,
        inHouseSharePercent: 100,
        stepDownsCompleted: 0,
        // The nights of 27 and 28 February; a meeting for another home does not match the placement.
        emergencyBedNights: 2,
        unmatchedEmergencyPlacements: 1,
      },
      {
        month: '2026-03',
        monthEnd: '2026-03-31',
        snapshotDate: '2026-03-31',
        childrenPlaced: 3,
        byPlacementType: { ...zero, 'foster-other': 1, 'foster-family-and-friends': 1, supported: 1 },
        inHouse: 2,
        inHouseSharePercent: 66.7,
        stepDownsCompleted: 1,
        emergencyBedNights: 2,
        unmatchedEmergencyPlacements: 0,
      },
      {
        month: '2026-04',
        monthEnd: '2026-04-30',
        snapshotDate: '2026-04-15',
        childrenPlaced: 4,
        byPlacementType: {
          ...zero,
          'foster-other': 1,
          'foster-family-and-friends': 1,
          supported: 1,
          'with-parents': 1,
        },
        inHouse: 2,
        inHouseSharePercent: 50,
        stepDownsCompleted: 0,
        emergencyBedNights: 0,
        unmatchedEmergencyPlacements: 0,
      },
    ]);
    await runner.stop();
    db.close();
    await store.close();
  });

  it('groups SSDA903 PLACE codes as the sufficiency statement does', () => {
    expect(
      ['U1', 'U3', 'U4', 'U6', 'K1', 'K2', 'R1', 'K3', 'H5', 'P1', 'P2', 'R2', 'Z1'].map(placementGroupOf),
    ).toEqual([
      'foster-family-and-friends',
      'foster-family-and-friends',
      'foster-other',
      'foster-other',
      'residential',
      'residential',
      'residential',
      'supported',
      'supported',
      'with-parents',
      'independent-living',
      'other',
      'other',
    ]);
  });
});
