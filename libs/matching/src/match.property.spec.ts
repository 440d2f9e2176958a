import fc from 'fast-check';
import { ageOn } from './age';
import { inputsHash } from './inputs-hash';
import { match } from './match';
import { MatchingIndex } from './matching-index';
import type {
  CapacitySnapshot,
  CapacityUnit,
  ReferralNeeds,
  ResidentProfile,
  RiskToOthers,
  RiskToSelf,
  Setting,
  Sex,
} from './model';
import { matchingPolicy, type MatchingPolicy } from './policy';
import type { MatchResult } from './result';
import { AS_AT } from './testing/builders';

const sexes: Sex[] = ['M', 'F', 'U'];
const risksToSelf: RiskToSelf[] = ['self-harm', 'cse', 'cce', 'drugs-alcohol', 'eating-disorder', 'missing'];
const risksToOthers: RiskToOthers[] = [
  'physical-harm',
  'sexual-harm',
  'sexual-harm-to-younger-children',
  'fire-setting',
  'harm-to-animals',
  'criminal-exploitation-of-others',
];

// Mostly the easy case, so that plenty of estates leave something to rank.
const sometimes = <T>(arb: fc.Arbitrary<T>, usual: T): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: fc.constant(usual), weight: 3 }, { arbitrary: arb, weight: 1 });

const residentArb: fc.Arbitrary<ResidentProfile> = fc.record({
  age: fc.integer({ min: 0, max: 17 }),
  sex: fc.constantFrom(...sexes),
  risksToSelf: fc.subarray(risksToSelf, { maxLength: 2 }),
  risksToOthers: fc.subarray(risksToOthers, { maxLength: 2 }),
});

const settingArb = (settingId: string): fc.Arbitrary<Setting> =>
  fc
    .record({
      kind: fc.constantFrom('childrens-home', 'foster-household', 'supported-accommodation') as fc.Arbitrary<
        Setting['kind']
      >,
      ages: fc.oneof(
        { arbitrary: fc.constant([0, 17] as [number, number]), weight: 2 },
        { arbitrary: fc.tuple(fc.integer({ min: 0, max: 17 }), fc.integer({ min: 0, max: 17 })), weight: 1 },
      ),
      sexes: fc.oneof(
        { arbitrary: fc.constant(sexes), weight: 2 },
        { arbitrary: fc.subarray(sexes, { minLength: 1 }), weight: 1 },
      ),
      maxChildren: fc.integer({ min: 1, max: 4 }),
      siblings: sometimes<Setting['terms']['siblings']>(fc.constant({ accepted: false }), {
        accepted: true,
        maxGroupSize: 3,
      }),
      emergencyApproved: sometimes(fc.boolean(), true),
      connected: fc.option(fc.constantFrom('C-1', 'C-2'), { nil: undefined }),
      risksNotAccepted: sometimes(fc.subarray(risksToOthers, { maxLength: 2 }), []),
      residents: fc.array(residentArb, { maxLength: 2 }),
      km: fc.tuple(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -40, max: 40 })),
      la: fc.constantFrom('E08000018', 'E08000019'),
      wheelchair: fc.constantFrom(false, false, true),
    })
    .map((s) => ({
      settingId,
      kind: s.kind,
      terms: {
        ageMin: Math.min(...s.ages),
        ageMax: Math.max(...s.ages),
        sexes: s.sexes,
        maxChildren: s.maxChildren,
        placeCodes: ['K2'],
        siblings: s.siblings,
        emergencyApproved: s.emergencyApproved,
        connectedPersonFor: s.kind === 'foster-household' && s.connected ? [s.connected] : undefined,
        risksNotAccepted: s.risksNotAccepted,
      },
      residents: s.residents,
      location: { postcodeDistrict: 'S60', easting: 443_000 + s.km[0] * 1000, northing: 391_000 + s.km[1] * 1000 },
      localAuthorityCode: s.la,
      adaptations: s.wheelchair ? ['wheelchair'] : [],
    }));

const stateArb: fc.Arbitrary<CapacityUnit['state']> = fc.oneof(
  { arbitrary: fc.constant({ status: 'vacant' as const }), weight: 4 },
  fc.constant({ status: 'occupied' as const }),
  fc.constant({ status: 'out-of-use' as const, reason: 'repairs' }),
  fc.record({
    status: fc.constant('held' as const),
    referralId: fc.constantFrom('R-1', 'R-2'),
    until: fc.constantFrom('2026-03-01T09:00:00Z', '2026-03-02T09:00:00Z', '2026-03-04T09:00:00Z'),
  }),
);

const snapshotArb: fc.Arbitrary<CapacitySnapshot> = fc.integer({ min: 1, max: 5 }).chain((settingCount) =>
  fc
    .tuple(
      fc.tuple(...Array.from({ length: settingCount }, (_, i) => settingArb(`S-${i}`))),
      fc.array(
        fc.record({
          setting: fc.integer({ min: 0, max: settingCount - 1 }),
          kind: fc.constantFrom(
            'residential-bed',
            'emergency-bed',
            'supported-accommodation',
            'foster-household',
          ) as fc.Arbitrary<CapacityUnit['kind']>,
          route: fc.constantFrom('in-house', 'block-booked', 'framework', 'spot') as fc.Arbitrary<
            CapacityUnit['route']
          >,
          state: stateArb,
          weeklyCostPence: fc.integer({ min: 50_000, max: 600_000 }),
        }),
        { minLength: 1, maxLength: 12 },
      ),
    )
    .map(([settings, units]) => ({
      asAt: AS_AT,
      settings,
      // Kinds follow their setting, as a projection would give them.
      units: units.map((u, i) => {
        const setting = settings[u.setting];
        const kind =
          setting.kind === 'foster-household'
            ? 'foster-household'
            : setting.kind === 'supported-accommodation'
              ? 'supported-accommodation'
              : u.kind === 'emergency-bed'
                ? 'emergency-bed'
                : 'residential-bed';
        return {
          unitId: `U-${String(i).padStart(2, '0')}`,
          settingId: setting.settingId,
          kind,
          route: u.route,
          state: u.state,
          weeklyCostPence: u.weeklyCostPence,
        };
      }),
    })),
);

const needsArb: fc.Arbitrary<ReferralNeeds> = fc
  .record({
    referralId: fc.constantFrom('R-1', 'R-2', 'R-3'),
    childId: fc.constantFrom('C-1', 'C-2', 'C-3'),
    sex: fc.constantFrom(...sexes),
    age: fc.integer({ min: 0, max: 17 }),
    urgency: fc.constantFrom('emergency', 'planned') as fc.Arbitrary<ReferralNeeds['urgency']>,
    siblingGroupSize: fc.constantFrom(1, 1, 1, 2, 3),
    residential: fc.constantFrom('preferred', 'suitable', 'suitable', 'unsuitable') as fc.Arbitrary<
      'preferred' | 'suitable' | 'unsuitable'
    >,
    foster: fc.constantFrom('preferred', 'suitable', 'suitable', 'unsuitable') as fc.Arbitrary<
      'preferred' | 'suitable' | 'unsuitable'
    >,
    risksToSelf: sometimes(fc.subarray(risksToSelf, { maxLength: 2 }), []),
    risksToOthers: sometimes(fc.subarray(risksToOthers, { maxLength: 2 }), []),
    canLiveWith: sometimes(fc.record({ others: fc.boolean(), older: fc.boolean(), younger: fc.boolean() }), {
      others: true,
      older: true,
      younger: true,
    }),
    wheelchair: fc.constantFrom(false, false, false, true),
    maxDistanceKm: sometimes(fc.integer({ min: 5, max: 80 }), undefined),
    budget: sometimes(fc.integer({ min: 50_000, max: 600_000 }), undefined),
  })
  .map((n) => ({
    referralId: n.referralId,
    childId: n.childId,
    sex: n.sex,
    dateOfBirth: `${2026 - n.age - 1}-06-01`,
    startDate: '2026-03-09',
    urgency: n.urgency,
    siblingGroupSize: n.siblingGroupSize,
    siblingChildIds: Array.from({ length: n.siblingGroupSize - 1 }, (_, i) => `C-S${i}`),
    placingAuthorityCode: 'E08000018',
    preferredArea: { postcodeDistrict: 'S60', easting: 443_000, northing: 391_000 },
    maxDistanceKm: n.maxDistanceKm,
    placementTypes: { residential: n.residential, foster: n.foster },
    risksToSelf: n.risksToSelf,
    risksToOthers: n.risksToOthers,
    canLiveWith: n.canLiveWith,
    adaptationsNeeded: n.wheelchair ? ['wheelchair'] : [],
    budgetWeeklyPence: n.budget,
  }));

const policyArb: fc.Arbitrary<MatchingPolicy> = fc
  .record({
    overBudget: fc.constantFrom('exclude', 'caution') as fc.Arbitrary<MatchingPolicy['overBudget']>,
    siblingGroupSplit: fc.constantFrom('exclude', 'rank') as fc.Arbitrary<MatchingPolicy['siblingGroupSplit']>,
    emergencyOutsideApprovalTerms: fc.constantFrom('exclude', 'caution') as fc.Arbitrary<
      MatchingPolicy['emergencyOutsideApprovalTerms']
    >,
  })
  .map((p) => matchingPolicy(p));

const shuffledArb = <T>(xs: readonly T[]): fc.Arbitrary<T[]> =>
  fc.array(fc.nat(), { minLength: xs.length, maxLength: xs.length }).map((keys) =>
    xs
      .map((x, i) => [keys[i], i, x] as const)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([, , x]) => x),
  );

const ids = (r: MatchResult) => [...r.ranked.map((u) => u.unitId), ...r.excluded.map((u) => u.unitId)];

describe('match: properties over random estates', () => {
  it('every unit is ranked or excluded, exactly once', () => {
    fc.assert(
      fc.property(needsArb, snapshotArb, policyArb, (needs, snap, policy) => {
        const result = match(needs, snap, policy);
        expect(ids(result).sort()).toEqual(snap.units.map((u) => u.unitId).sort());
        expect(result.excluded.every((e) => e.reasons.length > 0)).toBe(true);
        expect(result.ranked.map((r) => r.rank)).toEqual(result.ranked.map((_, i) => i + 1));
      }),
      { numRuns: 300 },
    );
  });

  it('never offers a unit a hard rule forbids', () => {
    fc.assert(
      fc.property(needsArb, snapshotArb, policyArb, (needs, snap, policy) => {
        const result = match(needs, snap, policy);
        const age = ageOn(needs.dateOfBirth, needs.startDate);
        for (const ranked of result.ranked) {
          const unit = snap.units.find((u) => u.unitId === ranked.unitId) as CapacityUnit;
          const setting = snap.settings.find((s) => s.settingId === unit.settingId) as Setting;
          expect(['occupied', 'out-of-use']).not.toContain(unit.state.status);
          if (unit.state.status === 'held' && unit.state.referralId !== needs.referralId)
            expect(Date.parse(unit.state.until)).toBeLessThanOrEqual(Date.parse(snap.asAt));
          if (unit.kind === 'emergency-bed') expect(needs.urgency).toBe('emergency');
          if (unit.kind === 'supported-accommodation') expect(age).toBeGreaterThanOrEqual(16);
          expect(setting.residents.length).toBeLessThan(setting.terms.maxChildren);
          if (setting.kind !== 'foster-household')
            expect(
              age >= setting.terms.ageMin && age <= setting.terms.ageMax && setting.terms.sexes.includes(needs.sex),
            ).toBe(true);
          if (needs.risksToOthers.includes('sexual-harm-to-younger-children'))
            expect(setting.residents.some((r) => r.age < age)).toBe(false);
          if (!needs.canLiveWith.others) expect(setting.residents).toEqual([]);
          for (const a of needs.adaptationsNeeded) expect(setting.adaptations).toContain(a);
          if (needs.maxDistanceKm !== undefined) expect(ranked.distanceKm).toBeLessThanOrEqual(needs.maxDistanceKm);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same inputs, in any order, give the same list and hash', () => {
    fc.assert(
      fc.property(
        needsArb,
        snapshotArb.chain((snap) => fc.tuple(fc.constant(snap), shuffledArb(snap.units), shuffledArb(snap.settings))),
        policyArb,
        (needs, [snap, units, settings], policy) => {
          const first = match(needs, snap, policy);
          expect(match(needs, snap, policy)).toEqual(first);
          const shuffled = match(needs, { ...snap, units, settings }, policy);
          expect(shuffled.ranked).toEqual(first.ranked);
          expect(shuffled.excluded).toEqual(first.excluded);
          expect(shuffled.inputsHash).toBe(first.inputsHash);
          expect(inputsHash(needs, snap, policy)).toBe(first.inputsHash);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the index ranks exactly as the full read does, and accounts for every unit', () => {
    fc.assert(
      fc.property(needsArb, snapshotArb, policyArb, fc.integer({ min: 1, max: 6 }), (needs, snap, policy, limit) => {
        const reference = match(needs, snap, policy);
        const index = MatchingIndex.build(snap);
        const summary = index.match(needs, policy, { limit });
        expect(summary.ranked).toEqual(reference.ranked.slice(0, limit));
        expect(summary.rankedTotal).toBe(reference.ranked.length);
        expect(summary.excludedTotal).toBe(reference.excluded.length);
        expect(summary.inputsHash).toBe(reference.inputsHash);
        const counted = Object.entries(summary.excludedByReason);
        expect(counted.reduce((n, [, k]) => n + (k ?? 0), 0)).toBe(summary.excludedTotal);
        // Each count is under a reason that many excluded units really have.
        for (const [code, n] of counted)
          expect(
            reference.excluded.filter((e) => e.reasons.some((r) => r.code === code)).length,
          ).toBeGreaterThanOrEqual(n ?? 0);
        const full = index.match(needs, policy, { detail: 'full' });
        expect(full.ranked).toEqual(reference.ranked);
        expect(full.excluded).toEqual(reference.excluded);
        expect(full.rankedTotal + full.excludedTotal).toBe(snap.units.length);
      }),
      { numRuns: 300 },
    );
  });

  it('a different input gives a different hash', () => {
    fc.assert(
      fc.property(needsArb, snapshotArb, policyArb, (needs, snap, policy) => {
        const base = inputsHash(needs, snap, policy);
        expect(inputsHash({ ...needs, startDate: '2026-03-10' }, snap, policy)).not.toBe(base);
        expect(inputsHash(needs, { ...snap, asAt: '2026-03-02T10:00:00Z' }, policy)).not.toBe(base);
        expect(inputsHash(needs, snap, { ...policy, distanceBandKm: policy.distanceBandKm + 1 })).not.toBe(base);
        const [first, ...rest] = snap.units;
        expect(
          inputsHash(
            needs,
            { ...snap, units: [{ ...first, weeklyCostPence: first.weeklyCostPence + 1 }, ...rest] },
            policy,
          ),
        ).not.toBe(base);
        const [setting, ...others] = snap.settings;
        const newcomer = { age: 12, sex: 'F' as const, risksToSelf: [], risksToOthers: ['fire-setting' as const] };
        expect(
          inputsHash(
            needs,
            { ...snap, settings: [{ ...setting, residents: [...setting.residents, newcomer] }, ...others] },
            policy,
          ),
        ).not.toBe(base);
      }),
      { numRuns: 50 },
    );
  });
});
