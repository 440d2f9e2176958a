import type http from 'node:http';
import { request, TOKENS } from './http';

/** Request bodies the API accepts, for a synthetic estate (no real child). */
export const LA = 'E08000018';

/**
 * The API processes these tests start run on the system clock, and dates are facts: a placement,
 * its end and a step-down completion all happen today (London), so none is refused as in the
 * future and every unit freed today can be taken again from today.
 */
export const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

export function settingBody(settingId: string, maxChildren: number, urn: string) {
  return {
    settingId,
    name: `Home ${settingId}`,
    urn,
    provider: { kind: 'in-house', name: 'Rotherham MBC', code: 'PR1' },
    type: 'childrens-home',
    registration: { ageRange: { min: 11, max: 17 }, sexes: 'any', maxChildren },
    postcode: 'S60 1AA',
    localAuthority: LA,
    registeredOn: '2024-01-01',
  };
}

export function householdBody(householdId: string, maxChildren: number) {
  return {
    householdId,
    reference: `FH-${householdId}`,
    terms: {
      ageRange: { min: 0, max: 17 },
      maxChildren,
      siblingGroup: false,
      placementTypes: ['emergency', 'short-term', 'long-term'],
      connectedPerson: false,
      provider: 'in-house',
      agencyName: null,
      sexes: 'any',
      postcode: 'S65 1AA',
    },
    approvedOn: '2023-06-01',
  };
}

export function referralBody(referralId: string, childId: string) {
  return {
    referralId,
    childId,
    child: { sex: 'F', dateOfBirth: '2012-03-04', localAuthority: LA, homePostcode: 'S61 1AA', categoryOfNeed: 'N1' },
    urgency: 'emergency',
    startDate: TODAY,
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

export type Unit = { kind: 'bed'; settingId: string; bedId: string } | { kind: 'household'; householdId: string };

/** An emergency placement: it may go before a matching meeting (DESIGN §4), so any vacant unit that fits will do. */
export function placementBody(placementId: string, childId: string, referralId: string, unit: Unit) {
  return {
    placementId,
    childId,
    referralId,
    unit,
    place: unit.kind === 'bed' ? 'K2' : 'U6',
    placeProvider: 'PR1',
    legalStatus: 'C2',
    startDate: TODAY,
    emergency: true,
    ...(unit.kind === 'household' ? { placementType: 'emergency' } : {}),
  };
}

export const END_DATE = TODAY;
export const STEP_DOWN_DATE = TODAY;

export function stepDownBody(stepDownId: string, childId: string, toHouseholdId: string) {
  return {
    stepDownId,
    childId,
    toHouseholdId,
    placementType: 'long-term',
    plannedDate: STEP_DOWN_DATE,
    safetyPlan: {
      summaryProvided: true,
      reviewDate: '2027-02-01',
      contingencyAgreed: true,
      leadRole: 'supervising-social-worker',
    },
    milestones: [{ milestoneId: 'ms-1', kind: 'introductions', dueDate: TODAY }],
  };
}

export interface Estate {
  beds: { settingId: string; bedId: string }[];
  householdIds: string[];
  /** Household id → its approved maximum. */
  householdMax: Map<string, number>;
}

async function created(baseUrl: string, route: string, body: unknown, agent?: http.Agent): Promise<void> {
  const res = await request(baseUrl, 'POST', route, { token: TOKENS.admin, body, agent });
  if (res.status !== 201) throw new Error(`estate: POST ${route} → ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Settings of `bedsPerSetting` beds, registered for as many children unless `settingMax`
 * says otherwise for a setting, and households of `householdMax` places.
 */
export async function buildEstate(
  baseUrl: string,
  shape: {
    settings: number;
    bedsPerSetting: number;
    households: number;
    householdMax: number;
    settingMax?: Record<string, number>;
  },
  agent?: http.Agent,
): Promise<Estate> {
  const estate: Estate = { beds: [], householdIds: [], householdMax: new Map() };
  for (let s = 1; s <= shape.settings; s++) {
    const settingId = `home-${s}`;
    await created(
      baseUrl,
      '/v1/settings',
      settingBody(settingId, shape.settingMax?.[settingId] ?? shape.bedsPerSetting, `SC${String(100000 + s)}`),
      agent,
    );
    for (let b = 1; b <= shape.bedsPerSetting; b++) {
      await created(
        baseUrl,
        `/v1/settings/${settingId}/beds`,
        { bedId: `b${b}`, kind: 'residential', label: `Room ${b}` },
        agent,
      );
      estate.beds.push({ settingId, bedId: `b${b}` });
    }
  }
  for (let h = 1; h <= shape.households; h++) {
    const householdId = `fh-${h}`;
    await created(baseUrl, '/v1/foster-households', householdBody(householdId, shape.householdMax), agent);
    estate.householdIds.push(householdId);
    estate.householdMax.set(householdId, shape.householdMax);
  }
  return estate;
}
