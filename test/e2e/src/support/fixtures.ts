import { api, TestServer, TOKENS } from './server';

export const LA = 'E08000018';

export function settingBody(settingId: string, overrides: Record<string, unknown> = {}) {
  return {
    settingId,
    name: `Home ${settingId}`,
    urn: 'SC100001',
    provider: { kind: 'in-house', name: 'Rotherham MBC', code: 'PR1' },
    type: 'childrens-home',
    registration: { ageRange: { min: 11, max: 17 }, sexes: 'any', maxChildren: 3 },
    postcode: 'S60 1AA',
    localAuthority: LA,
    registeredOn: '2024-01-01',
    ...overrides,
  };
}

export function householdBody(householdId: string, terms: Record<string, unknown> = {}) {
  return {
    householdId,
    reference: `FH-${householdId}`,
    terms: {
      ageRange: { min: 0, max: 17 },
      maxChildren: 2,
      siblingGroup: false,
      placementTypes: ['short-term', 'long-term'],
      connectedPerson: false,
      provider: 'in-house',
      agencyName: null,
      sexes: 'any',
      postcode: 'S65 1AA',
      ...terms,
    },
    approvedOn: '2023-06-01',
  };
}

export function referralBody(
  referralId: string,
  childId: string,
  options: { urgency?: 'emergency' | 'planned'; dateOfBirth?: string; startDate?: string; sex?: 'M' | 'F' | 'U' } = {},
) {
  return {
    referralId,
    childId,
    child: {
      sex: options.sex ?? 'F',
      dateOfBirth: options.dateOfBirth ?? '2012-03-04',
      localAuthority: LA,
      homePostcode: 'S61 1AA',
      categoryOfNeed: 'N1',
    },
    urgency: options.urgency ?? 'planned',
    startDate: options.startDate ?? '2026-11-30',
    needs: {
      siblingGroup: null,
      preferredArea: { postcodeDistrict: 'S60', maxDistanceKm: 30 },
      communicationNeeds: [],
      adaptations: [],
      canLiveWith: ['with-others'],
      placementTypeSuitability: { foster: 'preferred', 'childrens-home': 'suitable' },
      fosterPlacementType: 'long-term',
      risksToSelf: [],
      risksToOthers: [],
      deprivationOfLiberty: false,
      weeklyBudget: null,
    },
    requestedBy: { role: 'social-worker', team: 'children-in-care' },
  };
}

export function meetingBody(
  meetingId: string,
  settingId: string,
  residentChildIds: string[],
  decision: 'matched' | 'not-matched' | 'deferred' = 'matched',
) {
  return {
    meetingId,
    heldOn: '2026-11-27',
    attendees: [{ role: 'registered-manager' }, { role: 'social-worker' }, { role: 'placement-officer' }],
    unitConsidered: { kind: 'setting', settingId },
    impactAssessments: residentChildIds.map((residentChildId) => ({
      residentChildId,
      outcome: 'no-concerns',
      risksConsidered: ['physical-harm'],
    })),
    decision,
    reasons: [{ code: 'NEEDS_MET', text: 'The home meets the assessed needs.' }],
  };
}

export function bedPlacementBody(
  placementId: string,
  childId: string,
  referralId: string | null,
  settingId: string,
  bedId: string,
  options: { emergency?: boolean; startDate?: string } = {},
) {
  return {
    placementId,
    childId,
    referralId,
    unit: { kind: 'bed', settingId, bedId },
    place: 'K2',
    placeProvider: 'PR1',
    legalStatus: 'C2',
    startDate: options.startDate ?? '2026-11-30',
    emergency: options.emergency ?? false,
  };
}

export async function expectCreated(server: TestServer, route: string, token: string, body: unknown): Promise<void> {
  const res = await api(server, 'POST', route, { token, body });
  if (res.status !== 201) throw new Error(`POST ${route} → ${res.status}: ${JSON.stringify(res.body)}`);
}

/** A home with beds b1..bN and the given children already living in the first beds, each properly matched. */
export async function homeWithResidents(
  server: TestServer,
  settingId: string,
  beds: number,
  residents: string[],
): Promise<void> {
  await expectCreated(
    server,
    '/v1/settings',
    TOKENS.admin,
    settingBody(settingId, { registration: { ageRange: { min: 11, max: 17 }, sexes: 'any', maxChildren: beds } }),
  );
  for (let i = 1; i <= beds; i++)
    await expectCreated(server, `/v1/settings/${settingId}/beds`, TOKENS.admin, {
      bedId: `b${i}`,
      kind: 'residential',
      label: `Room ${i}`,
    });
  const placed: string[] = [];
  for (const [i, childId] of residents.entries()) {
    const referralId = `r-${childId}`;
    await expectCreated(
      server,
      '/v1/referrals',
      TOKENS.placement,
      referralBody(referralId, childId, { dateOfBirth: '2011-05-05' }),
    );
    await expectCreated(
      server,
      `/v1/referrals/${referralId}/matching-meetings`,
      TOKENS.placement,
      meetingBody(`m-${childId}`, settingId, placed),
    );
    await expectCreated(
      server,
      '/v1/placements',
      TOKENS.placement,
      bedPlacementBody(`p-${childId}`, childId, referralId, settingId, `b${i + 1}`),
    );
    placed.push(childId);
  }
}
