import { exhaustive } from '@placement/domain';
import type { CapacityUnit, ReferralNeeds } from './model';
import type { Evaluation, UnitFacts } from './evaluate';
import type { MatchingPolicy, RankingCriterion } from './policy';
import type { RankedUnit, ScorePart } from './result';

/** A unit that passed every rule, before its place in the list is known. */
export type Candidate = Omit<RankedUnit, 'rank'>;

export function candidate(
  unit: CapacityUnit,
  evaluation: Evaluation,
  needs: ReferralNeeds,
  policy: MatchingPolicy,
): Candidate {
  return {
    outcome: 'ranked',
    unitId: unit.unitId,
    settingId: unit.settingId,
    kind: unit.kind,
    route: unit.route,
    distanceKm: evaluation.distanceKm,
    weeklyCostPence: unit.weeklyCostPence,
    score: policy.order.map((criterion) => scorePart(criterion, unit, evaluation, needs, policy)),
    cautions: evaluation.cautions,
  };
}

/** The number a criterion compares (lower is better); `scorePart` explains the same number. */
export function tierOf(
  criterion: RankingCriterion,
  unit: CapacityUnit,
  facts: UnitFacts,
  needs: ReferralNeeds,
  policy: MatchingPolicy,
): number {
  switch (criterion) {
    case 'placement-preference':
      return (needs.placementTypes[facts.category] ?? 'suitable') === 'preferred' ? 0 : 1;
    case 'family-based':
      return unit.kind === 'foster-household' ? 0 : 1;
    case 'route': {
      const position = policy.routeOrder.indexOf(unit.route);
      return position < 0 ? policy.routeOrder.length : position;
    }
    case 'siblings-together':
      return facts.siblingsSplit ? 1 : 0;
    case 'distance':
      return facts.distanceKm === null ? 0 : Math.floor(facts.distanceKm / policy.distanceBandKm);
    case 'cost':
      return unit.weeklyCostPence;
    default:
      return exhaustive(criterion);
  }
}

function scorePart(
  criterion: RankingCriterion,
  unit: CapacityUnit,
  evaluation: Evaluation,
  needs: ReferralNeeds,
  policy: MatchingPolicy,
): ScorePart {
  const tier = tierOf(criterion, unit, evaluation, needs, policy);
  switch (criterion) {
    case 'placement-preference': {
      const suitability = needs.placementTypes[evaluation.category] ?? 'suitable';
      return {
        criterion,
        tier,
        value: suitability,
        explanation: `${evaluation.category} is ${suitability} for this child`,
      };
    }
    case 'family-based': {
      const family = unit.kind === 'foster-household';
      return { criterion, tier, value: family, explanation: family ? 'family-based placement' : 'not family-based' };
    }
    case 'route': {
      return { criterion, tier, value: unit.route, explanation: ROUTE_WORDS[unit.route] };
    }
    case 'siblings-together': {
      const together = !evaluation.siblingsSplit;
      return {
        criterion,
        tier,
        value: together,
        explanation:
          needs.siblingGroupSize > 1
            ? together
              ? 'sibling group kept together'
              : 'sibling group split'
            : 'no sibling group',
      };
    }
    case 'distance': {
      const km = evaluation.distanceKm;
      if (km === null) return { criterion, tier, value: null, explanation: 'no preferred area given' };
      const band = tier;
      return {
        criterion,
        tier,
        value: km,
        explanation:
          `${km.toFixed(1)} km from ${needs.preferredArea?.postcodeDistrict} ` +
          `(band ${band * policy.distanceBandKm}–${(band + 1) * policy.distanceBandKm} km)`,
      };
    }
    case 'cost':
      return {
        criterion,
        tier,
        value: unit.weeklyCostPence,
        explanation: `£${(unit.weeklyCostPence / 100).toFixed(2)} a week`,
      };
    default:
      return exhaustive(criterion);
  }
}

const ROUTE_WORDS: Record<CapacityUnit['route'], string> = {
  'in-house': "the authority's own provision",
  'block-booked': 'a block-booked bed, already paid for',
  framework: 'a framework call-off',
  spot: 'a spot purchase',
};

/** A total order: the policy's criteria, then unit id (code-unit order, not locale). */
export function compareCandidates(a: Candidate, b: Candidate): number {
  for (let i = 0; i < a.score.length; i++) {
    const d = a.score[i].tier - b.score[i].tier;
    if (d !== 0) return d;
  }
  return a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0;
}

export function rankCandidates(candidates: Candidate[]): RankedUnit[] {
  return candidates.sort(compareCandidates).map((c, i) => ({ ...c, rank: i + 1 }));
}
