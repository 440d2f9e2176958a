import type {
  ApprovalTerms,
  BedOccupied,
  BlockBookingContracted,
  FosterHouseholdApproved,
  SettingRegistered,
} from '@placement/domain';
import { someApprovalTerms } from '@placement/domain/testing';
import { on } from './harness';

/** Capacity's events, built short: homes, their beds, foster households, block bookings, a bed taken or held. */
export const setting = (
  settingId: string,
  kind: 'in-house' | 'external',
  ages: [number, number],
  sexes: 'M' | 'F' | 'any',
  localAuthority = 'E08000018',
): SettingRegistered => ({
  type: 'SettingRegistered',
  data: {
    settingId,
    name: `Home ${settingId}`,
    urn: 'SC100001',
    provider:
      kind === 'in-house' ? { kind, name: 'Rotherham MBC', code: 'PR1' } : { kind, name: 'Private Ltd', code: 'PR4' },
    type: 'childrens-home',
    registration: { ageRange: { min: ages[0], max: ages[1] }, sexes, maxChildren: 3 },
    postcode: 'S60 1AA',
    localAuthority,
    registeredOn: '2025-01-01',
  },
});
/** A foster household's terms: long-term, not for a sibling group, not a connected person. */
export const approvalTerms = (
  provider: 'in-house' | 'ifa',
  places: number,
  ages: [number, number],
  sexes: 'M' | 'F' | 'any',
): ApprovalTerms =>
  someApprovalTerms({
    ageRange: { min: ages[0], max: ages[1] },
    maxChildren: places,
    placementTypes: ['long-term'],
    provider,
    agencyName: provider === 'ifa' ? 'Agency' : null,
    sexes,
  });
export const household = (
  householdId: string,
  provider: 'in-house' | 'ifa',
  places: number,
  ages: [number, number],
  sexes: 'M' | 'F' | 'any',
): FosterHouseholdApproved => ({
  type: 'FosterHouseholdApproved',
  data: {
    householdId,
    reference: `FH-${householdId}`,
    terms: approvalTerms(provider, places, ages, sexes),
    approvedOn: '2025-01-01',
  },
});
export const bed = (settingId: string, bedId: string, kind: 'residential' | 'emergency' = 'residential') =>
  on(`bed-${settingId}.${bedId}`, { type: 'BedAdded', data: { settingId, bedId, kind, label: bedId } });
/** A block booking of these beds for 2026; a test sets the other fields its story reads. */
export const contract = (
  contractId: string,
  beds: string[],
  more: Partial<BlockBookingContracted['data']> = {},
): BlockBookingContracted => ({
  type: 'BlockBookingContracted',
  data: {
    contractId,
    provider: { name: 'Private Ltd', code: 'PR4' },
    settingName: 'Block home',
    settingUrn: null,
    settingPostcode: 'S60 1AA',
    beds,
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    weeklyPricePerBed: 500_000,
    ...more,
  },
});
/** A child moving into a home's bed, as the bed decider writes it; a test sets the fields its story reads. */
export const bedOccupation = (
  settingId: string,
  bedId: string,
  placementId: string,
  startDate = '2026-05-01',
  more: Partial<BedOccupied['data']> = {},
): BedOccupied => ({
  type: 'BedOccupied',
  data: {
    settingId,
    bedId,
    bedKind: 'residential',
    placementId,
    childId: `c-${placementId}`,
    referralId: null,
    emergency: false,
    matchingMeetingId: null,
    unmatchedEmergency: false,
    startDate,
    at: '2026-05-01T10:00:00Z',
    ...more,
  },
});
/** The same on its bed's stream. */
export const occupy = (
  settingId: string,
  bedId: string,
  placementId: string,
  startDate?: string,
  more?: Partial<BedOccupied['data']>,
) => on(`bed-${settingId}.${bedId}`, bedOccupation(settingId, bedId, placementId, startDate, more));
/** A child leaving a home's bed on `date`, on its bed's stream. */
export const vacate = (settingId: string, bedId: string, placementId: string, childId: string, date: string) =>
  on(`bed-${settingId}.${bedId}`, {
    type: 'BedVacated',
    data: { settingId, bedId, placementId, childId, date, reason: 'placement-ended' },
  });
export const hold = (settingId: string, bedId: string, until: string) =>
  on(`bed-${settingId}.${bedId}`, {
    type: 'BedHeld',
    data: { settingId, bedId, referralId: 'r-1', childId: 'c-1', until, at: '2026-05-31T09:00:00Z' },
  });
