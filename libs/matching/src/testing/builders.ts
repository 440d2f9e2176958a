import type { CapacitySnapshot, CapacityUnit, ReferralNeeds, Setting, SettingTerms } from '../model';

// Small builders for table-driven tests: a child of 14 and a home that fits them, so each
// row changes only the one thing it is about.

export const AS_AT = '2026-03-02T09:00:00Z';

export function needs(overrides: Partial<ReferralNeeds> = {}): ReferralNeeds {
  return {
    referralId: 'R-100',
    childId: 'C-100',
    sex: 'F',
    dateOfBirth: '2012-01-15', // 14 on the start date
    startDate: '2026-03-09',
    urgency: 'planned',
    siblingGroupSize: 1,
    siblingChildIds: [],
    placingAuthorityCode: 'E08000018',
    placementTypes: {},
    risksToSelf: [],
    risksToOthers: [],
    canLiveWith: { others: true, older: true, younger: true },
    adaptationsNeeded: [],
    ...overrides,
  };
}

export function terms(overrides: Partial<SettingTerms> = {}): SettingTerms {
  return {
    ageMin: 8,
    ageMax: 17,
    sexes: ['M', 'F', 'U'],
    maxChildren: 4,
    placeCodes: ['K2'],
    siblings: { accepted: true, maxGroupSize: 3 },
    emergencyApproved: true,
    risksNotAccepted: [],
    ...overrides,
  };
}

export function setting(overrides: Partial<Setting> & { settingId?: string } = {}): Setting {
  return {
    settingId: 'S-1',
    kind: 'childrens-home',
    terms: terms(),
    residents: [],
    location: { postcodeDistrict: 'S60', easting: 443101, northing: 391226 },
    localAuthorityCode: 'E08000018',
    adaptations: [],
    ...overrides,
  };
}

export function household(overrides: Partial<Setting> = {}): Setting {
  return setting({
    settingId: 'H-1',
    kind: 'foster-household',
    terms: terms({ ageMin: 0, ageMax: 17, maxChildren: 3, placeCodes: ['U4', 'U6'] }),
    ...overrides,
  });
}

export function unit(overrides: Partial<CapacityUnit> = {}): CapacityUnit {
  return {
    unitId: 'U-1',
    settingId: 'S-1',
    kind: 'residential-bed',
    route: 'in-house',
    state: { status: 'vacant' },
    weeklyCostPence: 400_000,
    ...overrides,
  };
}

export function snapshot(settings: Setting[], units: CapacityUnit[]): CapacitySnapshot {
  return { asAt: AS_AT, settings, units };
}
