import { currentSchemaVersion, upcast, type ChildSex, type DomainEvent } from '@placement/domain';
import { aChildRegistered, someReferralNeeds } from '@placement/domain/testing';
import { match } from '../match';
import type { CapacitySnapshot, CapacityUnit, Setting } from '../model';
import { evolve, holdEnds, initialCapacity, type CapacityEvent, type CapacityState } from './capacity';
import { canLiveWith, matchingNeeds } from './referral-needs';
import { WEEKLY_COST_PENCE, snapshotAt } from './snapshot';

const DISTRICTS = [
  { district: 'S60', laCode: 'E08000018', easting: 443_000, northing: 392_000 },
  { district: 'S61', laCode: 'E08000018', easting: 441_000, northing: 394_000 },
  { district: 'LS1', laCode: 'E08000035', easting: 430_000, northing: 433_500 },
];
const AT = '2026-11-20T10:00:00.000Z';
/** An event as the log holds it, read as the app reads it: upcast, with when it was recorded. */
const ev = (type: string, data: unknown, recordedAt = AT): CapacityEvent => ({
  ...upcast<DomainEvent>({ type, schemaVersion: currentSchemaVersion(type), data }),
  recordedAt,
});

const needs = someReferralNeeds({
  sex: 'M',
  ageAtStart: 14,
  preferredArea: { postcodeDistrict: 'S60', maxDistanceKm: 30 },
  placementTypeSuitability: { foster: 'preferred', 'childrens-home': 'suitable' },
  risksToSelf: ['going-missing'],
  risksToOthers: ['sexual-harm-to-younger-children'],
});

function home(settingId: string, provider: 'in-house' | 'external', type = 'childrens-home') {
  return ev('SettingRegistered', {
    settingId,
    name: 'A home',
    urn: `SC${settingId === 'h1' ? '100001' : '100002'}`,
    provider: { kind: provider, name: 'Provider', code: provider === 'in-house' ? 'PR1' : 'PR4' },
    type,
    registration: { ageRange: { min: 11, max: 17 }, sexes: 'F', maxChildren: 3 },
    postcode: 'S60 1AA',
    localAuthority: 'E08000018',
    registeredOn: '2024-01-01',
  });
}

function household(householdId: string, terms: Record<string, unknown> = {}) {
  return ev('FosterHouseholdApproved', {
    householdId,
    reference: 'FH-1',
    terms: {
      ageRange: { min: 0, max: 10 },
      maxChildren: 2,
      siblingGroup: true,
      placementTypes: ['emergency', 'short-term'],
      connectedPerson: false,
      provider: 'in-house',
      agencyName: null,
      sexes: 'any',
      postcode: 'LS1 4AP',
      ...terms,
    },
    approvedOn: '2024-01-01',
  });
}

function child(childId: string, dateOfBirth: string, sex: ChildSex = 'F') {
  return ev('ChildRegistered', aChildRegistered({ childId, sex, dateOfBirth, homePostcode: 'S60 1AA' }).data);
}

function referral(referralId: string, childId: string, overrides: Record<string, unknown> = {}) {
  return ev('ReferralReceived', {
    referralId,
    childId,
    urgency: 'planned',
    startDate: '2026-12-01',
    needs: { ...needs, ...overrides },
    requestedBy: { role: 'social-worker', team: 't' },
    at: AT,
  });
}

/** Child `childId` moves into bed `bedId` of h1 from `startDate`; `placedUnder` names its referral and meeting. */
function occupied(
  bedId: string,
  placementId: string,
  childId: string,
  startDate: string,
  placedUnder: { referralId: string; matchingMeetingId: string } | null = null,
) {
  return ev('BedOccupied', {
    settingId: 'h1',
    bedId,
    bedKind: 'residential',
    placementId,
    childId,
    referralId: placedUnder?.referralId ?? null,
    emergency: false,
    matchingMeetingId: placedUnder?.matchingMeetingId ?? null,
    unmatchedEmergency: false,
    startDate,
    at: AT,
  });
}

/** A child placed long-term with household `householdId` from 1 January 2026, under `referralId` or none. */
function placedWithHousehold(
  householdId: string,
  placementId: string,
  child: { childId: string; sex: string; dateOfBirth: string },
  referralId: string | null = null,
) {
  return ev('ChildPlacedWithHousehold', {
    householdId,
    placementId,
    childId: child.childId,
    childSex: child.sex,
    childDateOfBirth: child.dateOfBirth,
    referralId,
    placementType: 'long-term',
    siblingGroupId: null,
    startDate: '2026-01-01',
    emergency: false,
    emergencyOutsideTerms: false,
    stepDownId: null,
    at: AT,
  });
}

/** A bed added to home h1. */
function bedAdded(bedId: string, label: string, kind = 'residential') {
  return ev('BedAdded', { settingId: 'h1', bedId, kind, label });
}

function vacated(bedId: string, placementId: string, childId: string, date: string) {
  return ev('BedVacated', { settingId: 'h1', bedId, placementId, childId, date, reason: 'placement-ended' });
}

function stateOf(events: CapacityEvent[]): CapacityState {
  return events.reduce(evolve, initialCapacity(DISTRICTS));
}

const unit = (s: CapacitySnapshot, id: string): CapacityUnit | undefined => s.units.find((u) => u.unitId === id);
const setting = (s: CapacitySnapshot, id: string): Setting | undefined => s.settings.find((x) => x.settingId === id);

describe('the capacity snapshot folded from events', () => {
  it('maps a home: registration as terms, beds as units, state per bed, district centroid as location', () => {
    const state = stateOf([
      home('h1', 'in-house'),
      bedAdded('b1', 'Room 1'),
      bedAdded('b2', 'Room 2'),
      bedAdded('b3', 'E', 'emergency'),
      bedAdded('b4', 'Room 4'),
      ev('BedHeld', {
        settingId: 'h1',
        bedId: 'b2',
        referralId: 'r9',
        childId: 'c9',
        until: '2026-11-21T10:00:00Z',
        at: AT,
      }),
      ev('BedOutOfUse', {
        settingId: 'h1',
        bedId: 'b4',
        reason: 'maintenance',
        from: '2026-11-20',
        to: '2026-12-01',
      }),
    ]);
    const { snapshot, unitRefs } = snapshotAt(state, AT);
    const s = setting(snapshot, 'h1');
    expect(s).toMatchObject({
      kind: 'childrens-home',
      terms: { ageMin: 11, ageMax: 17, sexes: ['F'], maxChildren: 3, placeCodes: ['K2'], emergencyApproved: false },
      location: { postcodeDistrict: 'S60', easting: 443_000, northing: 392_000 },
      localAuthorityCode: 'E08000018',
      urn: 'SC100001',
      residents: [],
    });
    expect(unit(snapshot, 'bed:h1.b1')).toEqual({
      unitId: 'bed:h1.b1',
      settingId: 'h1',
      kind: 'residential-bed',
      route: 'in-house',
      state: { status: 'vacant' },
      weeklyCostPence: WEEKLY_COST_PENCE.inHouseResidential,
    });
    expect(unit(snapshot, 'bed:h1.b2')?.state).toEqual({
      status: 'held',
      referralId: 'r9',
      until: '2026-11-21T10:00:00Z',
    });
    expect(unit(snapshot, 'bed:h1.b3')?.kind).toBe('emergency-bed');
    expect(unit(snapshot, 'bed:h1.b4')?.state).toEqual({
      status: 'out-of-use',
      reason: 'maintenance from 2026-11-20 until 2026-12-01',
    });
    expect(unitRefs.get('bed:h1.b1')).toEqual({ kind: 'bed', settingId: 'h1', bedId: 'b1' });
    expect(holdEnds(state)).toEqual(['2026-11-21T10:00:00Z']);
  });

  it('gives residents an age on the snapshot date, their sex, and their referral’s risk flags, without names', () => {
    const state = stateOf([
      home('h1', 'in-house'),
      bedAdded('b1', 'Room 1'),
      child('c1', '2012-11-21'),
      referral('r1', 'c1', { risksToSelf: ['going-missing', 'cse'], risksToOthers: ['fire-setting'] }),
      occupied('b1', 'p1', 'c1', '2026-01-01', { referralId: 'r1', matchingMeetingId: 'm1' }),
    ]);
    const before = snapshotAt(state, '2026-11-20T12:00:00Z').snapshot;
    expect(setting(before, 'h1')?.residents).toEqual([
      { childId: 'c1', age: 13, sex: 'F', risksToSelf: ['missing', 'cse'], risksToOthers: ['fire-setting'] },
    ]);
    expect(unit(before, 'bed:h1.b1')?.state).toEqual({ status: 'occupied' });
    // A day later is the 14th birthday (London date).
    expect(setting(snapshotAt(state, '2026-11-21T09:00:00Z').snapshot, 'h1')?.residents[0].age).toBe(14);

    evolve(
      state,
      ev('NeedsUpdated', {
        referralId: 'r1',
        needs: { ...needs, risksToSelf: [], risksToOthers: ['physical-harm'] },
        at: AT,
      }),
    );
    expect(setting(snapshotAt(state, AT).snapshot, 'h1')?.residents[0].risksToOthers).toEqual(['physical-harm']);

    evolve(state, vacated('b1', 'p1', 'c1', '2026-11-20'));
    const after = snapshotAt(state, AT).snapshot;
    expect(setting(after, 'h1')?.residents).toEqual([]);
    expect(unit(after, 'bed:h1.b1')?.state).toEqual({ status: 'vacant' });
  });

  it('reads each bed’s diary on the snapshot’s London date: planned departures and arrivals', () => {
    const state = stateOf([
      home('h1', 'in-house'),
      bedAdded('b1', 'Room 1'),
      child('c1', '2012-01-01'),
      occupied('b1', 'p1', 'c1', '2026-01-01'),
      vacated('b1', 'p1', 'c1', '2026-12-04'),
    ]);
    // Notice given for 4 December: c1 still lives there on 20 November.
    expect(setting(snapshotAt(state, AT).snapshot, 'h1')?.residents.map((r) => r.childId)).toEqual(['c1']);
    expect(unit(snapshotAt(state, AT).snapshot, 'bed:h1.b1')?.state).toEqual({ status: 'occupied' });
    expect(unit(snapshotAt(state, '2026-12-04T09:00:00Z').snapshot, 'bed:h1.b1')?.state).toEqual({ status: 'vacant' });
    // The next child is booked from that date: the bed is no longer free from 4 December on.
    evolve(state, occupied('b1', 'p2', 'c2', '2026-12-04'));
    expect(unit(snapshotAt(state, '2026-12-03T09:00:00Z').snapshot, 'bed:h1.b1')?.state).toEqual({
      status: 'occupied',
    });
    // For a referral starting on the 4th the bed is read on the 4th: c2 lives there then, not c1.
    const onThe4th = snapshotAt(state, AT, '2026-12-04').snapshot;
    expect(unit(onThe4th, 'bed:h1.b1')?.state).toEqual({ status: 'occupied' });
    expect(setting(onThe4th, 'h1')?.residents.map((r) => r.childId)).toEqual(['c2']);
    // A second bed free from the 1st only until an arrival on the 10th is offered with that limit.
    evolve(state, bedAdded('b2', 'Room 2'));
    evolve(state, occupied('b2', 'p3', 'c3', '2026-12-10'));
    expect(unit(snapshotAt(state, AT, '2026-12-01').snapshot, 'bed:h1.b2')?.state).toEqual({
      status: 'vacant',
      freeUntil: '2026-12-10',
    });
  });

  it('reads a past night from the diaries: who lived there then or has arrived since, ages then, places then', () => {
    const state = stateOf([
      home('h1', 'in-house'),
      bedAdded('b1', 'Room 1'),
      bedAdded('b2', 'Room 2'),
      bedAdded('b3', 'Room 3'),
      child('c1', '2012-11-15'),
      child('c2', '2011-01-01'),
      child('c3', '2010-01-01'),
      child('c4', '2010-06-01'),
      // c1 lived in b1 until the 18th (14 on the 15th); c4 left b3 on the 5th; c2 arrived in b2 on the 17th.
      occupied('b1', 'p1', 'c1', '2026-01-01'),
      vacated('b1', 'p1', 'c1', '2026-11-18'),
      occupied('b3', 'p4', 'c4', '2026-01-01'),
      vacated('b3', 'p4', 'c4', '2026-11-05'),
      occupied('b2', 'p2', 'c2', '2026-11-17'),
      // c3 is booked into b3 from 1 December: not yet living there.
      occupied('b3', 'p3', 'c3', '2026-12-01'),
    ]);
    // Today (20 November) only c2 lives there.
    expect(setting(snapshotAt(state, AT).snapshot, 'h1')?.residents.map((r) => r.childId)).toEqual(['c2']);

    // A placement from the 10th lives alongside c1 (there that night, aged 13) and c2 (arrived since, aged 15).
    const onThe10th = snapshotAt(state, AT, '2026-11-10').snapshot;
    expect(setting(onThe10th, 'h1')?.residents).toEqual([
      { childId: 'c1', age: 13, sex: 'F', risksToSelf: [], risksToOthers: [] },
      { childId: 'c2', age: 15, sex: 'F', risksToSelf: [], risksToOthers: [] },
    ]);
    // Each bed as its diary held it that night: b1 taken by c1; b2 free until c2 came; b3 free until c3's booking.
    expect(unit(onThe10th, 'bed:h1.b1')?.state).toEqual({ status: 'occupied' });
    expect(unit(onThe10th, 'bed:h1.b2')?.state).toEqual({ status: 'vacant', freeUntil: '2026-11-17' });
    expect(unit(onThe10th, 'bed:h1.b3')?.state).toEqual({ status: 'vacant', freeUntil: '2026-12-01' });
    // On the 1st c4 still lived in b3.
    const onThe1st = snapshotAt(state, AT, '2026-11-01').snapshot;
    expect(setting(onThe1st, 'h1')?.residents.map((r) => r.childId)).toEqual(['c1', 'c2', 'c4']);
    expect(unit(onThe1st, 'bed:h1.b3')?.state).toEqual({ status: 'occupied' });
  });

  it('reads a household and a block-booked bed on a past night: places taken then, and who lived there', () => {
    const state = stateOf([
      household('fh1', { maxChildren: 1, ageRange: { min: 0, max: 17 } }),
      child('c5', '2012-01-01', 'M'),
      placedWithHousehold('fh1', 'p5', { childId: 'c5', sex: 'M', dateOfBirth: '2012-01-01' }),
      ev('ChildLeftHousehold', {
        householdId: 'fh1',
        placementId: 'p5',
        childId: 'c5',
        date: '2026-11-15',
        reason: 'placement-ended',
      }),
      ev('BlockBookingContracted', {
        contractId: 'k1',
        provider: { name: 'P', code: 'PR4' },
        settingName: 'X',
        settingUrn: null,
        settingPostcode: 'S61 2ZZ',
        beds: ['x1'],
        startDate: '2025-04-01',
        endDate: '2027-03-31',
        weeklyPricePerBed: 365_000,
      }),
      child('c6', '2011-01-01', 'M'),
      ev('BlockBedAllocated', {
        contractId: 'k1',
        bedRef: 'x1',
        placementId: 'p6',
        childId: 'c6',
        referralId: null,
        date: '2026-11-18',
        at: AT,
      }),
    ]);
    const today = snapshotAt(state, AT).snapshot;
    expect(unit(today, 'household:fh1')?.state).toEqual({ status: 'vacant' });
    expect(setting(today, 'household:fh1')?.residents).toEqual([]);

    const onThe10th = snapshotAt(state, AT, '2026-11-10').snapshot;
    expect(unit(onThe10th, 'household:fh1')?.state).toEqual({ status: 'occupied' });
    expect(setting(onThe10th, 'household:fh1')?.residents).toEqual([
      { childId: 'c5', age: 14, sex: 'M', risksToSelf: [], risksToOthers: [] },
    ]);
    // The block-booked bed was free on the 10th, until c6 came; c6 has lived alongside since.
    expect(unit(onThe10th, 'block-bed:k1.x1')?.state).toEqual({ status: 'vacant', freeUntil: '2026-11-18' });
    expect(setting(onThe10th, 'contract:k1')?.residents.map((r) => [r.childId, r.age])).toEqual([['c6', 15]]);
  });

  it('maps foster households: terms, route, cost, full at the approved number, suspended, resigned gone', () => {
    const state = stateOf([
      household('fh1'),
      household('ifa1', {
        provider: 'ifa',
        agencyName: 'Agency',
        maxChildren: 1,
        siblingGroup: false,
        placementTypes: ['long-term'],
      }),
      household('fh2'),
      household('fh3'),
      child('c2', '2020-01-01', 'M'),
      referral('r2', 'c2', { risksToOthers: [] }),
      placedWithHousehold('ifa1', 'p2', { childId: 'c2', sex: 'M', dateOfBirth: '2020-01-01' }, 'r2'),
      ev('HouseholdSuspended', { householdId: 'fh2', date: '2026-11-01', reason: 'allegation' }),
      ev('HouseholdResigned', { householdId: 'fh3', date: '2026-11-01' }),
    ]);
    const { snapshot, unitRefs } = snapshotAt(state, AT);
    expect(setting(snapshot, 'household:fh1')).toMatchObject({
      kind: 'foster-household',
      terms: {
        ageMin: 0,
        ageMax: 10,
        sexes: ['M', 'F', 'U'],
        maxChildren: 2,
        siblings: { accepted: true, maxGroupSize: 2 },
        emergencyApproved: true,
        placeCodes: ['U4', 'U5', 'U6'],
      },
      location: { postcodeDistrict: 'LS1' },
      localAuthorityCode: 'E08000035',
    });
    expect(unit(snapshot, 'household:fh1')).toMatchObject({
      kind: 'foster-household',
      route: 'in-house',
      state: { status: 'vacant' },
      weeklyCostPence: 64_600,
    });
    expect(unit(snapshot, 'household:ifa1')).toMatchObject({
      route: 'framework',
      state: { status: 'occupied' },
      weeklyCostPence: 82_000,
    });
    expect(setting(snapshot, 'household:ifa1')?.terms).toMatchObject({
      siblings: { accepted: false },
      emergencyApproved: false,
    });
    expect(setting(snapshot, 'household:ifa1')?.residents).toEqual([
      { childId: 'c2', age: 6, sex: 'M', risksToSelf: ['missing'], risksToOthers: [] },
    ]);
    expect(unit(snapshot, 'household:fh2')?.state).toEqual({ status: 'out-of-use', reason: 'household suspended' });
    expect(unit(snapshot, 'household:fh3')).toBeUndefined();
    expect(unitRefs.get('household:fh1')).toEqual({ kind: 'household', householdId: 'fh1' });
  });

  it('approves a connected-person household only for the children placed with it', () => {
    const state = stateOf([
      household('cp1', { connectedPerson: true, maxChildren: 2 }),
      placedWithHousehold('cp1', 'p3', { childId: 'c3', sex: 'F', dateOfBirth: '2019-01-01' }),
    ]);
    expect(setting(snapshotAt(state, AT).snapshot, 'household:cp1')?.terms).toMatchObject({
      connectedPersonFor: ['c3'],
      placeCodes: ['U1', 'U2', 'U3'],
    });
  });

  it('maps block bookings to block-booked beds at the contract price, terms by URN, while it runs', () => {
    const contract = (contractId: string, urn: string | null, startDate = '2025-04-01', endDate = '2027-03-31') =>
      ev('BlockBookingContracted', {
        contractId,
        provider: { name: 'P', code: 'PR4' },
        settingName: 'X',
        settingUrn: urn,
        settingPostcode: 'S61 2ZZ',
        beds: ['x1', 'x2'],
        startDate,
        endDate,
        weeklyPricePerBed: 365_000,
      });
    const state = stateOf([
      home('h2', 'external'),
      contract('k1', 'SC100002'),
      contract('k2', null),
      contract('k3', null, '2027-04-01', '2028-03-31'),
      ev('BlockBedAllocated', {
        contractId: 'k1',
        bedRef: 'x1',
        placementId: 'p4',
        childId: 'c4',
        referralId: null,
        date: '2026-01-01',
        at: AT,
      }),
      ev('BlockBookingEnded', { contractId: 'k2', date: '2026-11-19', reason: 'terminated' }),
    ]);
    const { snapshot, unitRefs } = snapshotAt(state, AT);
    expect(unit(snapshot, 'block-bed:k1.x1')).toMatchObject({
      kind: 'residential-bed',
      route: 'block-booked',
      state: { status: 'occupied' },
      weeklyCostPence: 365_000,
    });
    expect(unit(snapshot, 'block-bed:k1.x2')?.state).toEqual({ status: 'vacant' });
    expect(setting(snapshot, 'contract:k1')).toMatchObject({
      kind: 'childrens-home',
      terms: { ageMin: 11, ageMax: 17, sexes: ['F'] },
      location: { postcodeDistrict: 'S61' },
    });
    expect(setting(snapshot, 'contract:k1')?.residents).toHaveLength(1);
    expect(unitRefs.get('block-bed:k1.x2')).toEqual({ kind: 'block-bed', contractId: 'k1', bedRef: 'x2' });
    expect(unit(snapshot, 'block-bed:k2.x1')).toBeUndefined();
    expect(unit(snapshot, 'block-bed:k3.x1')).toBeUndefined();
    // The registered external home's own beds are spot purchases at the private average.
    evolve(state, ev('BedAdded', { settingId: 'h2', bedId: 'b1', kind: 'residential', label: 'R' }));
    expect(unit(snapshotAt(state, AT).snapshot, 'bed:h2.b1')).toMatchObject({
      route: 'spot',
      weeklyCostPence: WEEKLY_COST_PENCE.privateResidential,
    });
  });

  it('maps supported accommodation to its own kind, and drops a closed setting', () => {
    const state = stateOf([
      home('sa1', 'external', 'supported-accommodation'),
      ev('BedAdded', { settingId: 'sa1', bedId: 'a1', kind: 'residential', label: 'Flat 1' }),
      home('h1', 'in-house'),
      bedAdded('b1', 'R'),
      ev('SettingClosed', { settingId: 'h1', date: '2026-11-01', reason: 'decommissioned' }),
    ]);
    const { snapshot } = snapshotAt(state, AT);
    expect(unit(snapshot, 'bed:sa1.a1')).toMatchObject({
      kind: 'supported-accommodation',
      weeklyCostPence: WEEKLY_COST_PENCE.supportedAccommodation,
    });
    expect(setting(snapshot, 'sa1')?.kind).toBe('supported-accommodation');
    expect(unit(snapshot, 'bed:h1.b1')).toBeUndefined();
  });

  it("reads a household's members' ages and a home's statement of purpose; without one, terms are as before", () => {
    const state = initialCapacity(DISTRICTS);
    evolve(state, home('h1', 'in-house'));
    evolve(state, household('fh1'));
    const before = snapshotAt(state, AT).snapshot;
    const h1 = (snapshot: CapacitySnapshot) => snapshot.settings.find((s) => s.settingId === 'h1');
    expect(h1(before)?.terms).toMatchObject({ emergencyApproved: false, risksNotAccepted: [] });
    expect(h1(before)?.terms.noEmergencyAdmissions).toBeUndefined();
    expect(before.settings.find((s) => s.settingId === 'household:fh1')?.householdMembers).toEqual([]);

    const version = state.version;
    evolve(
      state,
      ev('StatementOfPurposeRecorded', {
        settingId: 'h1',
        risksNotAccepted: ['going-missing', 'fire-setting'],
        emergencyAdmissions: 'none',
      }),
    );
    evolve(
      state,
      ev('HouseholdMembersRecorded', {
        householdId: 'fh1',
        members: [
          { bornIn: '2020-11', relationship: 'carers-child' },
          { bornIn: '1999-01', relationship: 'other-adult' },
        ],
      }),
    );
    expect(state.version).toBe(version + 2);
    const after = snapshotAt(state, AT).snapshot;
    expect(h1(after)?.terms).toMatchObject({
      emergencyApproved: false,
      noEmergencyAdmissions: true,
      risksNotAccepted: ['missing', 'fire-setting'],
    });
    // Born in November 2020: counted as born on the 30th, so 5 on 20 November 2026.
    expect(after.settings.find((s) => s.settingId === 'household:fh1')?.householdMembers).toEqual([
      { age: 5 },
      { age: 27 },
    ]);
  });

  it('moves its version only for changes the engine reads', () => {
    const state = stateOf([home('h1', 'in-house'), child('c5', '2012-01-01')]);
    const version = state.version;
    evolve(state, referral('r5', 'c5'));
    evolve(state, ev('MatchesProposed', { referralId: 'r5' }));
    expect(state.version).toBe(version);
    evolve(
      state,
      ev('BedAdded', { settingId: 'h1', bedId: 'b1', kind: 'residential', label: 'R' }, '2026-11-20T11:00:00.000Z'),
    );
    expect(state.version).toBe(version + 1);
    expect(state.changedAt).toBe('2026-11-20T11:00:00.000Z');
  });
});

describe("a referral in the engine's words", () => {
  const facts = {
    referralId: 'r1',
    childId: 'c1',
    urgency: 'emergency' as const,
    startDate: '2026-12-01',
    needs: {
      ...needs,
      siblingGroup: { id: 'sg1', size: 2 },
      placementTypeSuitability: { foster: 'preferred', 'childrens-home': 'unsuitable', secure: 'unsuitable' },
      weeklyBudget: 90_000,
    },
    meetings: [],
    overrides: [],
    lastProposal: null,
    meetingsOnEarlierNeeds: [],
  } as const;

  it('maps risks, placement types, siblings, budget and the preferred area', () => {
    const area = { postcodeDistrict: 'S60', easting: 443_000, northing: 392_000 };
    const n = matchingNeeds(facts, { dateOfBirth: '2012-06-01', localAuthority: 'E08000018' }, area);
    expect(n).toMatchObject({
      referralId: 'r1',
      childId: 'c1',
      sex: 'M',
      dateOfBirth: '2012-06-01',
      urgency: 'emergency',
      siblingGroupSize: 2,
      placingAuthorityCode: 'E08000018',
      preferredArea: area,
      maxDistanceKm: 30,
      placementTypes: { foster: 'preferred', residential: 'unsuitable' },
      risksToSelf: ['missing'],
      risksToOthers: ['sexual-harm-to-younger-children'],
      canLiveWith: { others: true, older: true, younger: true },
      budgetWeeklyPence: 90_000,
    });
    expect(
      matchingNeeds(facts, { dateOfBirth: '2012-06-01', localAuthority: 'E08000018' }, undefined).maxDistanceKm,
    ).toBeUndefined();
  });

  it('reads who the child can live with', () => {
    expect(canLiveWith(['solo'])).toEqual({ others: false, older: false, younger: false });
    expect(canLiveWith(['older'])).toEqual({ others: true, older: true, younger: false });
    expect(canLiveWith(['younger', 'older'])).toEqual({ others: true, older: true, younger: true });
    expect(canLiveWith(['with-others'])).toEqual({ others: true, older: true, younger: true });
  });

  it("lets a resident's recorded risk exclude a home for a younger child", () => {
    const state = stateOf([
      home('h1', 'in-house'),
      bedAdded('b1', 'R'),
      bedAdded('b2', 'R'),
      child('c6', '2010-01-01'),
      referral('r6', 'c6'),
      occupied('b1', 'p6', 'c6', '2026-01-01', { referralId: 'r6', matchingMeetingId: 'm6' }),
    ]);
    const younger = matchingNeeds(
      { ...facts, urgency: 'planned', needs: { ...needs, sex: 'F', risksToOthers: [] } },
      { dateOfBirth: '2013-06-01', localAuthority: 'E08000018' },
      { postcodeDistrict: 'S60', easting: 443_000, northing: 392_000 },
    );
    const result = match(younger, snapshotAt(state, AT).snapshot);
    const b2 = result.excluded.find((e) => e.unitId === 'bed:h1.b2');
    expect(b2?.reasons.map((r) => r.code)).toEqual(['RESIDENT_RISK']);
    expect(b2?.reasons[0].message).toContain('sexual-harm-to-younger-children');
  });
});
