import type { EventStore } from '@placement/event-store';
import { childListProjection } from './child-list.projection';
import { estateListProjection } from './estate-list.projection';
import {
  readContract,
  readContractList,
  readHousehold,
  readHouseholdList,
  readSettingList,
  type ReadContext,
} from './estate-list.query';
import type { PageRequest } from './page';
import { approvalTerms, occupy, setting } from '../testing/capacity-fixtures';
import { placementStartedIn } from '../testing/child-fixtures';
import { caughtUpWithStory, liveAndRebuiltTables, on, record, tempFilesEachTest } from '../testing/harness';

const ALL: PageRequest = { limit: 100, after: null };
const CONTEXT: ReadContext = { now: new Date('2026-06-01T10:00:00Z'), today: '2026-06-01', scope: null };
const MANAGER_OF_S1: ReadContext = { ...CONTEXT, scope: { settingIds: ['s1'] } };

const home = (settingId: string, kind: 'in-house' | 'external') => setting(settingId, kind, [11, 17], 'any');
const terms = (maxChildren: number) => approvalTerms('in-house', maxChildren, [0, 17], 'any');
const bed = (settingId: string, bedId: string, kind: 'residential' | 'emergency' = 'residential') =>
  on(`bed-${settingId}.${bedId}`, { type: 'BedAdded', data: { settingId, bedId, kind, label: `Room ${bedId}` } });
const held = (settingId: string, bedId: string, referralId: string, until: string) =>
  on(`bed-${settingId}.${bedId}`, {
    type: 'BedHeld',
    data: { settingId, bedId, referralId, childId: `c-${referralId}`, until, at: '2026-06-01T08:00:00Z' },
  });
const occupied = (settingId: string, bedId: string, childId: string, startDate: string) =>
  occupy(settingId, bedId, `p-${childId}`, startDate, { childId });
const placedWith = (householdId: string, childId: string) =>
  on(`household-${householdId}`, {
    type: 'ChildPlacedWithHousehold',
    data: {
      householdId,
      placementId: `p-${childId}`,
      childId,
      childSex: 'F',
      childDateOfBirth: '2015-01-01',
      referralId: null,
      placementType: 'long-term',
      siblingGroupId: null,
      startDate: '2026-04-01',
      emergency: false,
      emergencyOutsideTerms: false,
      stepDownId: null,
      at: '2026-04-01T10:00:00Z',
    },
  });
const contracted = (contractId: string, beds: string[]) =>
  on(`contract-${contractId}`, {
    type: 'BlockBookingContracted',
    data: {
      contractId,
      provider: { name: 'Hill Care', code: 'PR4' },
      settingName: 'Hill House',
      settingUrn: 'SC300001',
      settingPostcode: 'S66 1AA',
      beds,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      weeklyPricePerBed: 400_000,
    },
  });
const allocated = (contractId: string, bedRef: string, childId: string) =>
  on(`contract-${contractId}`, {
    type: 'BlockBedAllocated',
    data: {
      contractId,
      bedRef,
      placementId: `p-${childId}`,
      childId,
      referralId: null,
      date: '2026-05-01',
      at: '2026-05-01T10:00:00Z',
    },
  });

/**
 * Now is 2026-06-01 10:00 UTC (11:00 in London).
 * s1: b1 occupied by c1 since 1 May; b2 held until noon today; e1 (emergency) held until 09:00 (lapsed).
 * s2: one bed out of use. s3: closed on 1 May. s4: closes on 1 July; its bed has an arrival on 1 July.
 * fh1: approved for 3, changed to 2; c2 and c3 placed, c3 left. fh2 suspended; fh3 resigned.
 * k1: beds A, B, C; A allocated to c4; B allocated to c5 then released. k2: ended early on 15 May.
 */
async function recordStory(store: EventStore): Promise<bigint> {
  return record(
    store,
    on('setting-s1', home('s1', 'in-house')),
    bed('s1', 'b1'),
    bed('s1', 'b2'),
    bed('s1', 'e1', 'emergency'),
    on('setting-s2', home('s2', 'external')),
    bed('s2', 'x1'),
    on('setting-s3', home('s3', 'in-house')),
    on('setting-s3', {
      type: 'SettingClosed',
      data: { settingId: 's3', date: '2026-05-01', reason: 'decommissioned' },
    }),
    on('setting-s4', home('s4', 'in-house')),
    bed('s4', 'b1'),
    on('setting-s4', { type: 'SettingClosed', data: { settingId: 's4', date: '2026-07-01', reason: 'other' } }),
    on('child-c1', {
      type: 'ChildRegistered',
      data: {
        childId: 'c1',
        sex: 'M',
        dateOfBirth: '2012-01-01',
        localAuthority: 'E08000018',
        homePostcode: 'S61 1AA',
        categoryOfNeed: 'N1',
        ethnicity: null,
        upn: null,
      },
    }),
    on('child-c1', placementStartedIn('c1', 'p-c1', { kind: 'bed', settingId: 's1', bedId: 'b1' }, '2026-05-01')),
    occupied('s1', 'b1', 'c1', '2026-05-01'),
    held('s1', 'b2', 'r-2', '2026-06-01T12:00:00Z'),
    held('s1', 'e1', 'r-3', '2026-06-01T09:00:00Z'),
    on('bed-s2.x1', {
      type: 'BedOutOfUse',
      data: { settingId: 's2', bedId: 'x1', reason: 'damage', from: '2026-05-20', to: null },
    }),
    occupied('s4', 'b1', 'c9', '2026-07-01'),
    on('household-fh1', {
      type: 'FosterHouseholdApproved',
      data: { householdId: 'fh1', reference: 'FH-001', terms: terms(3), approvedOn: '2024-01-01' },
    }),
    placedWith('fh1', 'c2'),
    placedWith('fh1', 'c3'),
    on('household-fh1', {
      type: 'ChildLeftHousehold',
      data: { householdId: 'fh1', placementId: 'p-c3', childId: 'c3', date: '2026-05-01', reason: 'placement-ended' },
    }),
    on('household-fh1', {
      type: 'ApprovalTermsChanged',
      data: { householdId: 'fh1', terms: terms(2), effectiveDate: '2026-05-02' },
    }),
    on('household-fh2', {
      type: 'FosterHouseholdApproved',
      data: { householdId: 'fh2', reference: 'FH-002', terms: terms(2), approvedOn: '2024-02-01' },
    }),
    on('household-fh2', {
      type: 'HouseholdSuspended',
      data: { householdId: 'fh2', date: '2026-05-10', reason: 'allegation' },
    }),
    on('household-fh3', {
      type: 'FosterHouseholdApproved',
      data: { householdId: 'fh3', reference: 'FH-003', terms: terms(1), approvedOn: '2024-03-01' },
    }),
    on('household-fh3', { type: 'HouseholdResigned', data: { householdId: 'fh3', date: '2026-04-30' } }),
    contracted('k1', ['A', 'B', 'C']),
    allocated('k1', 'A', 'c4'),
    allocated('k1', 'B', 'c5'),
    on('contract-k1', {
      type: 'BlockBedReleased',
      data: {
        contractId: 'k1',
        bedRef: 'B',
        placementId: 'p-c5',
        childId: 'c5',
        date: '2026-05-20',
        reason: 'placement-ended',
      },
    }),
    contracted('k2', ['A']),
    on('contract-k2', {
      type: 'BlockBookingEnded',
      data: { contractId: 'k2', date: '2026-05-15', reason: 'terminated' },
    }),
  );
}

describe('estate lists: homes, households and block bookings (worked by hand)', () => {
  const files = tempFilesEachTest('estate-list');

  const projections = [estateListProjection, childListProjection];

  it('lists homes with their bed counts and residents today; a manager lists the homes they keep', async () => {
    const { db, position, close } = await caughtUpWithStory(files, projections, recordStory);

    const homes = readSettingList(db, position, CONTEXT, ALL);
    expect(homes.items.map((s) => [s.settingId, s.open, s.beds, s.residents])).toEqual([
      ['s1', true, { total: 3, residential: 2, emergency: 1, vacant: 1, held: 1, occupied: 1, outOfUse: 0 }, 1],
      ['s2', true, { total: 1, residential: 1, emergency: 0, vacant: 0, held: 0, occupied: 0, outOfUse: 1 }, 0],
      ['s3', false, { total: 0, residential: 0, emergency: 0, vacant: 0, held: 0, occupied: 0, outOfUse: 0 }, 0],
      // Closing in July: open today. The arrival on 1 July occupies the bed but is nobody living there yet.
      ['s4', true, { total: 1, residential: 1, emergency: 0, vacant: 0, held: 0, occupied: 1, outOfUse: 0 }, 0],
    ]);
    expect(homes.items[2].closed).toEqual({ on: '2026-05-01', reason: 'decommissioned' });
    expect(homes.items[1]).toMatchObject({
      provider: { kind: 'external', name: 'Private Ltd', code: 'PR4' },
      registration: { ageRange: { min: 11, max: 17 }, sexes: 'any', maxChildren: 3 },
      urn: 'SC100001',
    });
    // At 12:00 UTC the hold on b2 has lapsed too.
    const noon = readSettingList(db, position, { ...CONTEXT, now: new Date('2026-06-01T12:00:00Z') }, ALL);
    expect(noon.items[0].beds).toMatchObject({ vacant: 2, held: 0 });
    expect(readSettingList(db, position, MANAGER_OF_S1, ALL).items.map((s) => s.settingId)).toEqual(['s1']);

    const first = readSettingList(db, position, CONTEXT, { limit: 3, after: null });
    expect(first.items.map((s) => s.settingId)).toEqual(['s1', 's2', 's3']);
    expect(first.nextAfter).toEqual(['s3']);
    const rest = readSettingList(db, position, CONTEXT, { limit: 3, after: first.nextAfter });
    expect([rest.items.map((s) => s.settingId), rest.nextAfter]).toEqual([['s4'], null]);
    await close();
  });

  it('lists households with terms and free places; a record names children to those who may know them', async () => {
    const { db, position, close } = await caughtUpWithStory(files, projections, recordStory);

    const households = readHouseholdList(db, position, {}, ALL);
    expect(
      households.items.map((h) => [h.householdId, h.status, h.statusSince, h.childrenPlaced, h.freePlaces]),
    ).toEqual([
      ['fh1', 'approved', '2024-01-01', 1, 1],
      ['fh2', 'suspended', '2026-05-10', 0, 0],
      ['fh3', 'resigned', '2026-04-30', 0, 0],
    ]);
    expect(households.items[0].terms.maxChildren).toBe(2);
    expect(households.items[1].statusReason).toBe('allegation');
    expect(readHouseholdList(db, position, { status: 'suspended' }, ALL).items.map((h) => h.householdId)).toEqual([
      'fh2',
    ]);
    const record = readHousehold(db, 'fh1', CONTEXT);
    expect(record?.children).toEqual([
      {
        placementId: 'p-c2',
        childId: 'c2',
        placementType: 'long-term',
        startDate: '2026-04-01',
        emergency: false,
        emergencyOutsideTerms: false,
      },
    ]);
    // c2 does not live in s1: its manager sees the placement, not the child.
    expect(readHousehold(db, 'fh1', MANAGER_OF_S1)?.children.map((c) => c.childId)).toEqual([null]);
    expect(readHousehold(db, 'fh9', CONTEXT)).toBeNull();
    await close();
  });

  it('lists block-booking contracts with allocated and void beds; a record lists each bed', async () => {
    const { db, position, close } = await caughtUpWithStory(files, projections, recordStory);

    const contracts = readContractList(db, position, CONTEXT.today, ALL);
    expect(contracts.items.map((k) => [k.contractId, k.active, k.ended, k.beds])).toEqual([
      ['k1', true, null, { contracted: 3, allocated: 1, void: 2 }],
      ['k2', false, { on: '2026-05-15', reason: 'terminated' }, { contracted: 1, allocated: 0, void: 1 }],
    ]);
    expect(contracts.items[0]).toMatchObject({
      provider: { name: 'Hill Care', code: 'PR4' },
      settingUrn: 'SC300001',
      weeklyPricePerBed: 400_000,
    });
    expect(readContract(db, 'k1', CONTEXT)?.bedAllocations).toEqual([
      { bedRef: 'A', allocated: { placementId: 'p-c4', childId: 'c4', since: '2026-05-01' } },
      { bedRef: 'B', allocated: null },
      { bedRef: 'C', allocated: null },
    ]);
    expect(readContract(db, 'k1', MANAGER_OF_S1)?.bedAllocations[0].allocated?.childId).toBeNull();
    expect(readContract(db, 'k9', CONTEXT)).toBeNull();
    await close();
  });

  it('gives the same tables rebuilt from zero as built live', async () => {
    const { live, rebuilt } = await liveAndRebuiltTables(files, [estateListProjection], recordStory);
    expect([live['list_settings'].length, live['list_beds'].length, live['list_contract_beds'].length]).toEqual([
      4, 5, 4,
    ]);
    expect(rebuilt).toEqual(live);
  });
});
