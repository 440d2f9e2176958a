import { match } from './match';
import type { CapacityUnit, ReferralNeeds, Setting } from './model';
import { matchingPolicy, type MatchingPolicy } from './policy';
import { EXCLUSION_CODES, type ExclusionCode, type MatchResult } from './result';
import { bedDecider, fold, isDomainError, type BedEvent } from '@placement/domain';
import { AS_AT, household, needs, setting, snapshot, terms, unit } from './testing/builders';

function only(result: MatchResult, unitId = 'U-1') {
  const ranked = result.ranked.find((r) => r.unitId === unitId);
  const excluded = result.excluded.find((e) => e.unitId === unitId);
  return { ranked, excluded };
}

describe('match: the control case', () => {
  it('ranks a vacant bed in a home whose registration fits the child', () => {
    const result = match(needs(), snapshot([setting()], [unit()]));
    expect(result.excluded).toEqual([]);
    expect(result.ranked.map((r) => r.unitId)).toEqual(['U-1']);
    expect(result.ranked[0].rank).toBe(1);
  });
});

interface ExclusionRow {
  code: ExclusionCode;
  given: string;
  needs?: Partial<ReferralNeeds>;
  setting?: Setting;
  units?: CapacityUnit[];
  policy?: Partial<MatchingPolicy>;
  message: string | RegExp;
}

const withResidents = (...residents: Setting['residents']): Setting => setting({ residents });
const resident = (age: number, flags: Partial<Setting['residents'][number]> = {}): Setting['residents'][number] => ({
  age,
  sex: 'F',
  risksToSelf: [],
  risksToOthers: [],
  ...flags,
});

const exclusionRows: ExclusionRow[] = [
  {
    code: 'OUT_OF_USE',
    given: 'a bed out of use for repairs',
    units: [unit({ state: { status: 'out-of-use', reason: 'repairs' } })],
    message: 'out of use: repairs',
  },
  {
    code: 'OCCUPIED',
    given: 'an occupied bed',
    units: [unit({ state: { status: 'occupied' } })],
    message: 'bed is occupied',
  },
  {
    code: 'BOOKED_FROM',
    given: 'a bed free from the start date only until a planned arrival, for an open-ended placement',
    units: [unit({ state: { status: 'vacant', freeUntil: '2026-03-20' } })],
    message: 'booked from 2026-03-20',
  },
  {
    code: 'HELD',
    given: 'a bed held for another referral until after the snapshot',
    units: [unit({ state: { status: 'held', referralId: 'R-7', until: '2026-03-03T09:00:00Z' } })],
    message: 'held for referral R-7 until 2026-03-03T09:00:00Z',
  },
  {
    code: 'SETTING_FULL',
    given: 'a home at its registered number',
    setting: setting({ terms: terms({ maxChildren: 2 }), residents: [resident(14), resident(15)] }),
    message: 'registered for 2 children and 2 live here',
  },
  {
    code: 'HOUSEHOLD_FULL',
    given: 'a household at its approved number',
    setting: household({ settingId: 'S-1', terms: terms({ maxChildren: 1 }), residents: [resident(14)] }),
    units: [unit({ kind: 'foster-household' })],
    message: 'household approved for 1 children and has 1',
  },
  {
    code: 'AGE_OUTSIDE_REGISTRATION',
    given: 'a 9-year-old and a home registered for 12–17',
    needs: { dateOfBirth: '2016-06-01' },
    setting: setting({ terms: terms({ ageMin: 12, ageMax: 17 }) }),
    message: 'home registered for 12–17, child is 9 on the start date',
  },
  {
    code: 'SEX_OUTSIDE_REGISTRATION',
    given: 'a girl and a home registered for boys',
    setting: setting({ terms: terms({ sexes: ['M'] }) }),
    message: 'home registered for boys only',
  },
  {
    code: 'APPROVAL_TERMS',
    given: 'a 14-year-old and a household approved for 0–4',
    setting: household({ settingId: 'S-1', terms: terms({ ageMin: 0, ageMax: 4 }) }),
    units: [unit({ kind: 'foster-household' })],
    message: 'household approved for 0–4, child is 14 on the start date',
  },
  {
    code: 'APPROVAL_TERMS',
    given: 'a connected-person carer approved for another child',
    setting: household({ settingId: 'S-1', terms: terms({ connectedPersonFor: ['C-999'] }) }),
    units: [unit({ kind: 'foster-household' })],
    message: 'connected-person carer is approved for another named child',
  },
  {
    code: 'SIBLINGS_NOT_APPROVED',
    given: 'a sibling group of 2 and a household not approved for siblings',
    needs: { siblingGroupSize: 2, siblingChildIds: ['C-101'] },
    setting: household({ settingId: 'S-1', terms: terms({ siblings: { accepted: false } }) }),
    units: [unit({ kind: 'foster-household' })],
    message: 'not approved for sibling groups; group of 2',
  },
  {
    code: 'SIBLINGS_NOT_APPROVED',
    given: 'a sibling group of 3 and a household approved for groups of 2',
    needs: { siblingGroupSize: 3, siblingChildIds: ['C-101', 'C-102'] },
    setting: household({ settingId: 'S-1', terms: terms({ siblings: { accepted: true, maxGroupSize: 2 } }) }),
    units: [unit({ kind: 'foster-household' })],
    message: 'approved for sibling groups of up to 2; group of 3',
  },
  {
    code: 'SIBLING_GROUP_SPLIT',
    given: 'a sibling group of 2 and a home with one bed open',
    needs: { siblingGroupSize: 2, siblingChildIds: ['C-101'] },
    units: [unit(), unit({ unitId: 'U-2', state: { status: 'occupied' } })],
    setting: withResidents(resident(15)),
    message: 'room for 1 of a sibling group of 2',
  },
  {
    code: 'SIBLING_GROUP_SPLIT',
    given: 'a sibling group of 3 and a household with room for 2',
    needs: { siblingGroupSize: 3, siblingChildIds: ['C-101', 'C-102'] },
    setting: household({ settingId: 'S-1', terms: terms({ maxChildren: 3 }), residents: [resident(10)] }),
    units: [unit({ kind: 'foster-household' })],
    message: 'room for 2 of a sibling group of 3',
  },
  {
    code: 'PLACEMENT_TYPE_UNSUITABLE',
    given: 'residential marked unsuitable',
    needs: { placementTypes: { residential: 'unsuitable' } },
    message: 'residential placements are marked unsuitable for this child',
  },
  {
    code: 'SUPPORTED_ACCOMMODATION_UNDER_16',
    given: 'a 15-year-old and supported accommodation',
    needs: { dateOfBirth: '2010-06-01' },
    setting: setting({ kind: 'supported-accommodation', terms: terms({ ageMin: 15, ageMax: 17, placeCodes: ['K3'] }) }),
    units: [unit({ kind: 'supported-accommodation' })],
    message: 'supported accommodation is for 16–17 year olds; child is 15 on the start date',
  },
  {
    code: 'EMERGENCY_BED_PLANNED_REFERRAL',
    given: 'a planned referral and an emergency bed',
    units: [unit({ kind: 'emergency-bed' })],
    message: 'emergency beds are kept for emergency referrals',
  },
  {
    code: 'NOT_EMERGENCY_APPROVED',
    given: 'an emergency and a home that takes no emergency admissions',
    needs: { urgency: 'emergency' },
    setting: setting({ terms: terms({ emergencyApproved: false }) }),
    message: 'setting does not take emergency admissions',
  },
  {
    code: 'NOT_EMERGENCY_APPROVED',
    given: 'an emergency and a household not approved for emergencies',
    needs: { urgency: 'emergency' },
    setting: household({ settingId: 'S-1', terms: terms({ emergencyApproved: false }) }),
    units: [unit({ kind: 'foster-household' })],
    message: 'household is not approved for emergency placements',
  },
  {
    code: 'RESIDENT_RISK',
    given: 'a resident of 16 with a sexual-harm-to-younger-children flag and a child of 14',
    setting: withResidents(resident(16, { risksToOthers: ['sexual-harm-to-younger-children'] })),
    message: 'a current resident (16) has a sexual-harm-to-younger-children flag; child is 14',
  },
  {
    code: 'RESIDENT_RISK',
    given: 'a child with a risk to younger children and a younger resident',
    needs: { risksToOthers: ['sexual-harm-to-younger-children'] },
    setting: withResidents(resident(11)),
    message: 'child has a sexual-harm-to-younger-children flag; a younger child (11) lives here',
  },
  {
    code: 'RESIDENT_RISK',
    given: 'a resident with a sexual-harm flag and a child at risk of CSE',
    needs: { risksToSelf: ['cse'] },
    setting: withResidents(resident(15, { risksToOthers: ['sexual-harm'] })),
    message: /resident has a sexual-harm flag/,
  },
  {
    code: 'RESIDENT_RISK',
    given: 'a child with a sexual-harm flag and a resident at risk of CSE',
    needs: { risksToOthers: ['sexual-harm'] },
    setting: withResidents(resident(15, { risksToSelf: ['cse'] })),
    message: /child has a sexual-harm flag/,
  },
  {
    code: 'RESIDENT_RISK',
    given: 'a resident who exploits others and a child at risk of CCE',
    needs: { risksToSelf: ['cce'] },
    setting: withResidents(resident(16, { risksToOthers: ['criminal-exploitation-of-others'] })),
    message: /criminal-exploitation-of-others flag; child is at risk/,
  },
  {
    code: 'RESIDENT_RISK',
    given: 'a child who exploits others and a resident at risk of CCE',
    needs: { risksToOthers: ['criminal-exploitation-of-others'] },
    setting: withResidents(resident(16, { risksToSelf: ['cce'] })),
    message: /a current resident is at risk of criminal exploitation/,
  },
  {
    code: 'RISK_NOT_ACCEPTED',
    given: 'a fire-setting risk and a home whose statement of purpose excludes it',
    needs: { risksToOthers: ['fire-setting'] },
    setting: setting({ terms: terms({ risksNotAccepted: ['fire-setting'] }) }),
    message: 'statement of purpose does not cover a fire-setting risk',
  },
  {
    code: 'RISK_NOT_ACCEPTED',
    given: 'a child at risk of CSE and a home whose statement of purpose does not accept it',
    needs: { risksToSelf: ['cse'] },
    setting: setting({ terms: terms({ risksNotAccepted: ['cse'] }) }),
    message: 'statement of purpose does not cover a cse risk',
  },
  {
    code: 'HOUSEHOLD_MEMBER_RISK',
    given: 'a child with a risk to younger children and a household with a carer’s child of 6',
    needs: { risksToOthers: ['sexual-harm-to-younger-children'] },
    setting: household({ settingId: 'S-1', householdMembers: [{ age: 6 }] }),
    units: [unit({ kind: 'foster-household' })],
    message: 'child has a sexual-harm-to-younger-children flag; a younger member of the household (6) lives here',
  },
  {
    code: 'NOT_EMERGENCY_APPROVED',
    given:
      'an emergency and a home whose statement of purpose takes no emergency admissions, even in its emergency bed',
    needs: { urgency: 'emergency' },
    setting: setting({ terms: terms({ emergencyApproved: false, noEmergencyAdmissions: true }) }),
    units: [unit({ kind: 'emergency-bed' })],
    message: 'setting takes no emergency admissions',
  },
  {
    code: 'CANNOT_LIVE_WITH',
    given: 'a child who needs a solo placement and a home with a resident',
    needs: { canLiveWith: { others: false, older: false, younger: false } },
    setting: withResidents(resident(15)),
    message: 'child needs a solo placement; 1 child lives here',
  },
  {
    code: 'CANNOT_LIVE_WITH',
    given: 'a child who cannot live with older children',
    needs: { canLiveWith: { others: true, older: false, younger: true } },
    setting: withResidents(resident(16)),
    message: 'child cannot live with older children; an older child (16) lives here',
  },
  {
    code: 'CANNOT_LIVE_WITH',
    given: 'a child who cannot live with younger children',
    needs: { canLiveWith: { others: true, older: true, younger: false } },
    setting: withResidents(resident(9)),
    message: 'child cannot live with younger children; a younger child (9) lives here',
  },
  {
    code: 'ADAPTATIONS_MISSING',
    given: 'a wheelchair user and a home without access',
    needs: { adaptationsNeeded: ['wheelchair'] },
    message: 'needs wheelchair; not available here',
  },
  {
    code: 'OUT_OF_DISTANCE',
    given: 'a home 30 km from the preferred area and a 20 km limit',
    needs: {
      preferredArea: { postcodeDistrict: 'S60', easting: 443101, northing: 391226 + 30_000 },
      maxDistanceKm: 20,
    },
    message: '30.0 km from S60; limit 20 km',
  },
  {
    code: 'OVER_BUDGET',
    given: 'a policy that excludes over-budget units',
    needs: { budgetWeeklyPence: 300_000 },
    policy: { overBudget: 'exclude' },
    message: '£4000.00 a week is over the budget of £3000.00',
  },
];

describe('match: every exclusion reason', () => {
  it.each(exclusionRows)('$code when $given', (row) => {
    const result = match(
      needs(row.needs),
      snapshot([row.setting ?? setting()], row.units ?? [unit()]),
      matchingPolicy(row.policy),
    );
    const { ranked, excluded } = only(result);
    expect(ranked).toBeUndefined();
    expect(excluded?.reasons.map((r) => r.code)).toContain(row.code);
    const reason = excluded?.reasons.find(
      (r) =>
        r.code === row.code &&
        (typeof row.message === 'string' ? r.message.includes(row.message) : row.message.test(r.message)),
    );
    expect(reason).toBeDefined();
  });

  it('has a row for every exclusion code', () => {
    expect(new Set(exclusionRows.map((r) => r.code))).toEqual(new Set(EXCLUSION_CODES));
  });

  it('lists all of a unit’s reasons, not just the first', () => {
    const result = match(
      needs({ dateOfBirth: '2016-06-01', adaptationsNeeded: ['wheelchair'] }),
      snapshot(
        [setting({ terms: terms({ ageMin: 12, sexes: ['M'] }) })],
        [unit({ state: { status: 'out-of-use', reason: 'fire damage' } })],
      ),
    );
    expect(result.excluded[0].reasons.map((r) => r.code)).toEqual([
      'OUT_OF_USE',
      'AGE_OUTSIDE_REGISTRATION',
      'SEX_OUTSIDE_REGISTRATION',
      'ADAPTATIONS_MISSING',
    ]);
  });
});

describe('match: what is not an exclusion', () => {
  it('a household member older than a child with a risk to younger children is no bar', () => {
    const result = match(
      needs({ risksToOthers: ['sexual-harm-to-younger-children'] }),
      snapshot(
        [household({ settingId: 'S-1', householdMembers: [{ age: 15 }, { age: 42 }] })],
        [unit({ kind: 'foster-household' })],
      ),
    );
    expect(result.ranked.map((r) => r.unitId)).toEqual(['U-1']);
  });

  it('a younger household member is no bar to a child without a risk to younger children', () => {
    const result = match(
      needs({ risksToOthers: ['physical-harm'] }),
      snapshot([household({ settingId: 'S-1', householdMembers: [{ age: 3 }] })], [unit({ kind: 'foster-household' })]),
    );
    expect(result.ranked.map((r) => r.unitId)).toEqual(['U-1']);
  });

  it('an emergency bed takes an emergency in a home whose other beds take none', () => {
    const result = match(
      needs({ urgency: 'emergency' }),
      snapshot([setting({ terms: terms({ emergencyApproved: false }) })], [unit({ kind: 'emergency-bed' })]),
    );
    expect(result.ranked.map((r) => r.unitId)).toEqual(['U-1']);
  });

  it('a hold for this referral is offered, with a caution', () => {
    const result = match(
      needs(),
      snapshot([setting()], [unit({ state: { status: 'held', referralId: 'R-100', until: '2026-03-03T09:00:00Z' } })]),
    );
    expect(result.ranked[0].cautions.map((c) => c.code)).toEqual(['HELD_FOR_THIS_REFERRAL']);
  });

  it('a hold that ended before the snapshot has released itself', () => {
    const result = match(
      needs(),
      snapshot([setting()], [unit({ state: { status: 'held', referralId: 'R-7', until: '2026-03-01T09:00:00Z' } })]),
    );
    expect(result.ranked.map((r) => r.unitId)).toEqual(['U-1']);
  });

  it('a hold lapses exactly at its `until`: held a millisecond before, free from that instant', () => {
    const heldUntil = (until: string) =>
      match(needs(), snapshot([setting()], [unit({ state: { status: 'held', referralId: 'R-7', until } })]));
    expect(heldUntil(AS_AT).ranked.map((r) => r.unitId)).toEqual(['U-1']);
    expect(heldUntil('2026-03-02T10:00:00+01:00').ranked.map((r) => r.unitId)).toEqual(['U-1']);
    expect(heldUntil('2026-03-02T09:00:00.001Z').excluded[0].reasons.map((r) => r.code)).toEqual(['HELD']);
  });

  it('a bed free only until a planned arrival is offered, with a caution, for a short break that ends by then', () => {
    const until = unit({ state: { status: 'vacant', freeUntil: '2026-03-20' } });
    const shortBreak = match(needs({ endDate: '2026-03-20' }), snapshot([setting()], [until]));
    expect(shortBreak.ranked[0].cautions).toEqual([
      { code: 'FREE_UNTIL', message: 'free only until 2026-03-20: the placement must end by then' },
    ]);
    const tooLong = match(needs({ endDate: '2026-03-21' }), snapshot([setting()], [until]));
    expect(tooLong.excluded[0].reasons.map((r) => r.code)).toEqual(['BOOKED_FROM']);
  });

  it('over budget is a caution by default', () => {
    const result = match(needs({ budgetWeeklyPence: 300_000 }), snapshot([setting()], [unit()]));
    expect(result.ranked[0].cautions).toEqual([
      { code: 'OVER_BUDGET', message: '£4000.00 a week is over the budget of £3000.00' },
    ]);
  });

  it('out of area is a caution until the nominated officer approves', () => {
    const away = setting({ localAuthorityCode: 'E08000019' });
    expect(match(needs(), snapshot([away], [unit()])).ranked[0].cautions.map((c) => c.code)).toEqual(['OUT_OF_AREA']);
    expect(match(needs({ outOfAreaApproved: true }), snapshot([away], [unit()])).ranked[0].cautions).toEqual([]);
  });

  it('an emergency may go to a household outside its terms when the policy allows, with the 6-day caution', () => {
    const young = household({ settingId: 'S-1', terms: terms({ ageMin: 0, ageMax: 10 }) });
    const policy = matchingPolicy({ emergencyOutsideApprovalTerms: 'caution' });
    const result = match(
      needs({ urgency: 'emergency' }),
      snapshot([young], [unit({ kind: 'foster-household' })]),
      policy,
    );
    expect(result.ranked[0].cautions[0]).toMatchObject({
      code: 'OUTSIDE_APPROVAL_TERMS_EMERGENCY',
      message: expect.stringContaining('6 working days'),
    });
    expect(
      match(needs({ urgency: 'planned' }), snapshot([young], [unit({ kind: 'foster-household' })]), policy).ranked,
    ).toEqual([]);
  });

  it('an emergency referral is offered an emergency bed', () => {
    const result = match(needs({ urgency: 'emergency' }), snapshot([setting()], [unit({ kind: 'emergency-bed' })]));
    expect(result.ranked.map((r) => r.unitId)).toEqual(['U-1']);
  });

  it('a 16-year-old may have supported accommodation', () => {
    const sa = setting({
      kind: 'supported-accommodation',
      terms: terms({ ageMin: 16, ageMax: 17, placeCodes: ['K3'] }),
    });
    const result = match(
      needs({ dateOfBirth: '2009-06-01' }),
      snapshot([sa], [unit({ kind: 'supported-accommodation' })]),
    );
    expect(result.ranked.map((r) => r.unitId)).toEqual(['U-1']);
  });
});

/** A 14-year-old girl with siblings, preferred area S60, and an estate with one unit per row. */
interface OrderRow {
  name: string;
  first: Candidate;
  second: Candidate;
  needs?: Partial<ReferralNeeds>;
  policy?: Partial<MatchingPolicy>;
}

/** One home with one unit in it: a children's home and a residential bed, or a foster household and its foster bed. */
interface Candidate {
  household?: true;
  setting?: Partial<Setting>;
  unit?: Partial<CapacityUnit>;
}

/**
 * A row's first candidate is S-A's unit U-Z and its second S-B's U-A (unless the row names others), so the unit id
 * tie-break alone would rank them the other way round.
 */
function candidate(side: Candidate, settingId: string, unitId: string): { setting: Setting; unit: CapacityUnit } {
  const home = side.household ? household({ settingId, ...side.setting }) : setting({ settingId, ...side.setting });
  const kind = side.household ? 'foster-household' : 'residential-bed';
  return { setting: home, unit: unit({ unitId, settingId: home.settingId, kind, ...side.unit }) };
}

const at = (km: number) => ({ postcodeDistrict: 'X', easting: 443101 + km * 1000, northing: 391226 });
const preferS60 = { preferredArea: { postcodeDistrict: 'S60', easting: 443101, northing: 391226 } };

const orderRows: OrderRow[] = [
  {
    name: 'a block-booked void outranks a spot purchase at a lower weekly price',
    first: { unit: { route: 'block-booked', weeklyCostPence: 500_000 } },
    second: { unit: { route: 'spot', weeklyCostPence: 380_000 } },
  },
  {
    name: 'family-based before residential, even when the home is in-house and nearer',
    first: { household: true, setting: { location: at(40) }, unit: { route: 'framework', weeklyCostPence: 82_000 } },
    second: { unit: { route: 'in-house' } },
    needs: preferS60,
  },
  {
    name: 'in-house before block-booked',
    first: { unit: { route: 'in-house', weeklyCostPence: 600_000 } },
    second: { unit: { route: 'block-booked', weeklyCostPence: 300_000 } },
  },
  {
    name: 'framework before spot',
    first: { household: true, unit: { route: 'framework', weeklyCostPence: 90_000 } },
    second: { household: true, unit: { route: 'spot', weeklyCostPence: 80_000 } },
  },
  {
    name: 'nearer before cheaper when the distance bands differ',
    first: { setting: { location: at(3) }, unit: { weeklyCostPence: 500_000 } },
    second: { setting: { location: at(25) }, unit: { weeklyCostPence: 300_000 } },
    needs: preferS60,
  },
  {
    name: 'cheaper first within one distance band',
    first: { setting: { location: at(8) }, unit: { weeklyCostPence: 300_000 } },
    second: { setting: { location: at(2) }, unit: { weeklyCostPence: 500_000 } },
    needs: preferS60,
  },
  {
    name: 'siblings together before a nearer household that would split them (when splits are ranked)',
    first: { household: true, setting: { location: at(30) } },
    second: { household: true, setting: { terms: terms({ maxChildren: 1 }) } },
    needs: { ...preferS60, siblingGroupSize: 2, siblingChildIds: ['C-101'] },
    policy: { siblingGroupSplit: 'rank' },
  },
  {
    name: "the child's preferred placement type before the family approach",
    first: {},
    second: { household: true },
    needs: { placementTypes: { residential: 'preferred', foster: 'suitable' } },
  },
  {
    name: 'a configured route order is honoured (spot before in-house)',
    first: { unit: { route: 'spot' } },
    second: { unit: { route: 'in-house' } },
    policy: { routeOrder: ['spot', 'framework', 'block-booked', 'in-house'] },
  },
  {
    name: 'unit id breaks a full tie',
    first: { setting: { settingId: 'S-B' }, unit: { unitId: 'U-A' } },
    second: { setting: { settingId: 'S-A' }, unit: { unitId: 'U-B' } },
  },
];

describe('match: policy order', () => {
  it.each(orderRows)('$name', (row) => {
    const first = candidate(row.first, 'S-A', 'U-Z');
    const second = candidate(row.second, 'S-B', 'U-A');
    const result = match(
      needs(row.needs),
      snapshot([second.setting, first.setting], [second.unit, first.unit]),
      matchingPolicy(row.policy),
    );
    expect(result.excluded).toEqual([]);
    expect(result.ranked.map((r) => r.unitId)).toEqual([first.unit.unitId, second.unit.unitId]);
  });

  it('explains the score in named parts, in the policy order', () => {
    const result = match(
      needs(preferS60),
      snapshot([setting({ location: at(12) })], [unit({ route: 'block-booked' })]),
    );
    expect(result.ranked[0].score.map((p) => [p.criterion, p.value])).toEqual([
      ['placement-preference', 'suitable'],
      ['family-based', false],
      ['route', 'block-booked'],
      ['siblings-together', true],
      ['distance', 12],
      ['cost', 400_000],
    ]);
    expect(result.ranked[0].distanceKm).toBe(12);
  });
});

describe('match: the cases the service insists on', () => {
  it('siblings stay together where a household’s terms allow', () => {
    const result = match(
      needs({ siblingGroupSize: 3, siblingChildIds: ['C-101', 'C-102'] }),
      snapshot(
        [
          household({
            settingId: 'H-fits',
            terms: terms({ maxChildren: 3, siblings: { accepted: true, maxGroupSize: 3 } }),
          }),
          household({
            settingId: 'H-two',
            terms: terms({ maxChildren: 2, siblings: { accepted: true, maxGroupSize: 2 } }),
          }),
          household({ settingId: 'H-none', terms: terms({ maxChildren: 3, siblings: { accepted: false } }) }),
        ],
        [
          unit({ unitId: 'U-fits', settingId: 'H-fits', kind: 'foster-household' }),
          unit({ unitId: 'U-two', settingId: 'H-two', kind: 'foster-household' }),
          unit({ unitId: 'U-none', settingId: 'H-none', kind: 'foster-household' }),
        ],
      ),
    );
    expect(result.ranked.map((r) => r.unitId)).toEqual(['U-fits']);
    expect(result.ranked[0].score.find((p) => p.criterion === 'siblings-together')?.explanation).toBe(
      'sibling group kept together',
    );
  });

  it('an under-16 never gets supported accommodation, whatever its terms say', () => {
    for (const dob of ['2010-03-10', '2011-01-01', '2014-05-05']) {
      const sa = setting({
        kind: 'supported-accommodation',
        terms: terms({ ageMin: 0, ageMax: 17, placeCodes: ['K3'] }),
      });
      const result = match(needs({ dateOfBirth: dob }), snapshot([sa], [unit({ kind: 'supported-accommodation' })]));
      expect(result.ranked).toEqual([]);
      expect(result.excluded[0].reasons.map((r) => r.code)).toContain('SUPPORTED_ACCOMMODATION_UNDER_16');
    }
  });

  it('a planned referral never gets an emergency bed, even when it is the only vacancy', () => {
    const result = match(
      needs({ urgency: 'planned' }),
      snapshot([setting()], [unit({ kind: 'emergency-bed' }), unit({ unitId: 'U-2', state: { status: 'occupied' } })]),
    );
    expect(result.ranked).toEqual([]);
    expect(result.excluded.map((e) => e.reasons[0].code)).toEqual(['EMERGENCY_BED_PLANNED_REFERRAL', 'OCCUPIED']);
  });

  it('a child with a risk to younger children excludes homes with younger residents only', () => {
    const result = match(
      needs({ risksToOthers: ['sexual-harm-to-younger-children'] }),
      snapshot(
        [
          setting({ settingId: 'S-young', residents: [resident(12)] }),
          setting({ settingId: 'S-older', residents: [resident(16), resident(14)] }),
        ],
        [unit({ unitId: 'U-young', settingId: 'S-young' }), unit({ unitId: 'U-older', settingId: 'S-older' })],
      ),
    );
    expect(result.ranked.map((r) => r.unitId)).toEqual(['U-older']);
    expect(result.excluded[0]).toMatchObject({ unitId: 'U-young', reasons: [{ code: 'RESIDENT_RISK' }] });
  });
});

describe('match: a hold lapses at the instant the bed decider lets another referral take the bed', () => {
  // The bed decider (libs/domain) and matching each decide when a hold has lapsed; they must agree
  // to the millisecond, whatever the offset an instant is written in, or matching offers a bed the
  // decider refuses (or hides one it would give).
  const until = '2026-03-02T09:00:00Z';
  const bedHistory: BedEvent[] = [
    { type: 'BedAdded', data: { settingId: 'S-1', bedId: 'b1', kind: 'residential', label: 'Room 1' } },
    {
      type: 'BedHeld',
      data: { settingId: 'S-1', bedId: 'b1', referralId: 'R-7', childId: 'C-7', until, at: '2026-03-01T09:00:00Z' },
    },
  ];
  const deciderLetsAnotherReferralHold = (at: string): boolean => {
    const hold = {
      settingId: 'S-1',
      bedId: 'b1',
      referralId: 'R-100',
      childId: 'C-100',
      until: '2026-03-09T09:00:00Z',
      at,
    };
    try {
      bedDecider.decide({ type: 'HoldBed', data: hold, from: '2026-03-01' }, fold(bedDecider, bedHistory));
      return true;
    } catch (error) {
      if (isDomainError(error) && error.code === 'BED_NOT_VACANT') return false;
      throw error;
    }
  };
  const matchingOffers = (asAt: string): boolean =>
    match(needs(), { ...snapshot([setting()], [unit({ state: { status: 'held', referralId: 'R-7', until } })]), asAt })
      .ranked.length === 1;

  it('counts a bed whose hold lapses at this instant as open, for keeping siblings together', () => {
    const siblings = needs({ siblingGroupSize: 2, siblingChildIds: ['C-101'] });
    const beds = (heldUntil: string) => [
      unit({ unitId: 'U-1' }),
      unit({ unitId: 'U-2', state: { status: 'held', referralId: 'R-7', until: heldUntil } }),
    ];
    expect(match(siblings, snapshot([setting()], beds(AS_AT))).ranked.map((r) => r.unitId)).toEqual(['U-1', 'U-2']);
    const stillHeld = match(siblings, snapshot([setting()], beds('2026-03-02T09:00:00.001Z')));
    expect(stillHeld.excluded.map((e) => [e.unitId, e.reasons.map((r) => r.code)])).toEqual([
      ['U-1', ['SIBLING_GROUP_SPLIT']],
      ['U-2', ['HELD', 'SIBLING_GROUP_SPLIT']],
    ]);
  });

  it.each([
    ['2026-03-02T08:59:59.999Z', false],
    ['2026-03-02T09:00:00Z', true],
    ['2026-03-02T09:00:00.000Z', true],
    ['2026-03-02T10:00:00+01:00', true],
    ['2026-03-02T09:59:59.999+01:00', false],
    ['2026-03-02T09:00:00.001Z', true],
  ])('at %s: lapsed %s, for both', (asAt, lapsed) => {
    expect([deciderLetsAnotherReferralHold(asAt), matchingOffers(asAt)]).toEqual([lapsed, lapsed]);
  });
});

describe('match: a resident of the same age is neither older nor younger', () => {
  // The child is 14 on the start date (builders); each case has a control one year either side.
  const withResident = (age: number, flags: Partial<Setting['residents'][number]> = {}) =>
    snapshot([setting({ residents: [resident(age, flags)] })], [unit()]);
  const ranks = (result: MatchResult) => result.ranked.map((r) => r.unitId);
  const codes = (result: MatchResult) => result.excluded.flatMap((e) => e.reasons.map((r) => r.code));

  it("a resident's risk to younger children is no bar to a child of the same age", () => {
    const flag = { risksToOthers: ['sexual-harm-to-younger-children' as const] };
    expect(ranks(match(needs(), withResident(14, flag)))).toEqual(['U-1']);
    expect(codes(match(needs(), withResident(15, flag)))).toEqual(['RESIDENT_RISK']);
  });

  it("the child's risk to younger children is no bar to a resident of the same age", () => {
    const child = needs({ risksToOthers: ['sexual-harm-to-younger-children'] });
    expect(ranks(match(child, withResident(14)))).toEqual(['U-1']);
    expect(codes(match(child, withResident(13)))).toEqual(['RESIDENT_RISK']);
  });

  it('a child who cannot live with older or younger children can live with one of the same age', () => {
    const child = needs({ canLiveWith: { others: true, older: false, younger: false } });
    expect(ranks(match(child, withResident(14)))).toEqual(['U-1']);
    expect(codes(match(child, withResident(15)))).toEqual(['CANNOT_LIVE_WITH']);
    expect(codes(match(child, withResident(13)))).toEqual(['CANNOT_LIVE_WITH']);
  });
});

describe('match: a child is never their own co-resident', () => {
  // A child moving beds within a home is listed among its residents on the start date (their
  // old booking not yet ended): they are neither a risk to themselves nor a child they live with.
  const self = resident(14, { childId: 'C-100', risksToSelf: ['cse'], risksToOthers: ['sexual-harm'] });
  const child = needs({ risksToSelf: ['cse'], risksToOthers: ['sexual-harm'] });

  it('is not judged against themselves, nor counted towards the home’s children', () => {
    const full = setting({ residents: [self], terms: terms({ maxChildren: 1 }) });
    expect(match(child, snapshot([full], [unit()])).ranked.map((r) => r.unitId)).toEqual(['U-1']);
    const solo = needs({ canLiveWith: { others: false, older: false, younger: false } });
    expect(match(solo, snapshot([setting({ residents: [self] })], [unit()])).ranked.map((r) => r.unitId)).toEqual([
      'U-1',
    ]);
  });

  it('is still judged against every other resident', () => {
    const other = { ...self, childId: 'C-200' };
    const result = match(child, snapshot([setting({ residents: [self, other] })], [unit()]));
    expect(result.excluded[0].reasons.map((r) => r.code)).toEqual(['RESIDENT_RISK', 'RESIDENT_RISK']);
  });
});
