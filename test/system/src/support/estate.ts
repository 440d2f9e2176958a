import type http from 'node:http';
import {
  aBed,
  aHousehold,
  aPlacement,
  aReferral,
  aSetting,
  aStepDown,
  householdTerms,
  type UnitBody,
} from '@placement/test-support';
import { request, TOKENS } from './http';

/**
 * The API processes these tests start run on the system clock, and dates are facts: a placement,
 * its end and a step-down completion all happen today (London), so none is refused as in the
 * future and every unit freed today can be taken again from today.
 */
export const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

/** An emergency referral wanted from today (a synthetic child, libs/test-support). */
export function referralBody(referralId: string, childId: string) {
  return aReferral({ referralId, childId, urgency: 'emergency', startDate: TODAY });
}

export type Unit = Extract<UnitBody, { kind: 'bed' } | { kind: 'household' }>;

/** An emergency placement: it may go before a matching meeting (DESIGN §4), so any vacant unit that fits will do. */
export function placementBody(placementId: string, childId: string, referralId: string, unit: Unit) {
  return aPlacement({
    placementId,
    childId,
    referralId,
    unit,
    place: unit.kind === 'bed' ? 'K2' : 'U6',
    startDate: TODAY,
    emergency: true,
    ...(unit.kind === 'household' ? { placementType: 'emergency' } : {}),
  });
}

export const END_DATE = TODAY;
export const STEP_DOWN_DATE = TODAY;

export function stepDownBody(stepDownId: string, childId: string, toHouseholdId: string) {
  return aStepDown({
    stepDownId,
    childId,
    toHouseholdId,
    plannedDate: STEP_DOWN_DATE,
    milestones: [{ milestoneId: 'ms-1', kind: 'introductions', dueDate: TODAY }],
  });
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
      aSetting({
        settingId,
        urn: `SC${String(100000 + s)}`,
        maxChildren: shape.settingMax?.[settingId] ?? shape.bedsPerSetting,
      }),
      agent,
    );
    for (let b = 1; b <= shape.bedsPerSetting; b++) {
      await created(baseUrl, `/v1/settings/${settingId}/beds`, aBed({ bedId: `b${b}` }), agent);
      estate.beds.push({ settingId, bedId: `b${b}` });
    }
  }
  for (let h = 1; h <= shape.households; h++) {
    const householdId = `fh-${h}`;
    const terms = householdTerms({
      maxChildren: shape.householdMax,
      placementTypes: ['emergency', 'short-term', 'long-term'],
    });
    await created(baseUrl, '/v1/foster-households', aHousehold({ householdId, terms }), agent);
    estate.householdIds.push(householdId);
    estate.householdMax.set(householdId, shape.householdMax);
  }
  return estate;
}
