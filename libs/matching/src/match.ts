import { evaluateUnit, isOpen, matchContext, type MatchContext } from './evaluate';
import { ENGINE_VERSION, inputsHash } from './inputs-hash';
import type { CapacitySnapshot, CapacityUnit, ReferralNeeds, Setting } from './model';
import { DEFAULT_MATCHING_POLICY, type MatchingPolicy } from './policy';
import { candidate, rankCandidates, type Candidate } from './ranking';
import type { ExcludedUnit, MatchResult } from './result';

/** The snapshot does not hang together (a unit names no known setting, or an id repeats). */
export class InconsistentSnapshotError extends Error {
  readonly code = 'INCONSISTENT_SNAPSHOT';
}

/**
 * Every unit in the snapshot, ranked or excluded with all its reasons. This is the
 * reference: it reads every unit. `MatchingIndex` gives the same ranking without doing so.
 */
export function match(
  needs: ReferralNeeds,
  snapshot: CapacitySnapshot,
  policy: MatchingPolicy = DEFAULT_MATCHING_POLICY,
): MatchResult {
  const settings = settingsById(snapshot.settings);
  const units = unitsInIdOrder(snapshot.units);
  const ctx = matchContext(needs, snapshot.asAt, policy);
  const openPlaces = new Map<string, number>();
  for (const unit of units) {
    if (countsAsOpenFor(ctx, unit)) openPlaces.set(unit.settingId, (openPlaces.get(unit.settingId) ?? 0) + 1);
  }
  const candidates: Candidate[] = [];
  const excluded: ExcludedUnit[] = [];
  for (const unit of units) {
    judge(ctx, unit, settingOf(settings, unit), openPlaces.get(unit.settingId) ?? 0, candidates, excluded);
  }
  return {
    engineVersion: ENGINE_VERSION,
    inputsHash: inputsHash(needs, snapshot, policy),
    referralId: needs.referralId,
    asAt: snapshot.asAt,
    ranked: rankCandidates(candidates),
    excluded,
  };
}

/** Open now, or held for this very referral: a place the child (or a sibling) could take. */
export function countsAsOpenFor(ctx: MatchContext, unit: CapacityUnit): boolean {
  return isOpen(unit, ctx.asAtMs) || (unit.state.status === 'held' && unit.state.referralId === ctx.needs.referralId);
}

export function judge(
  ctx: MatchContext,
  unit: CapacityUnit,
  setting: Setting,
  openPlaces: number,
  candidates: Candidate[],
  excluded: ExcludedUnit[],
): void {
  const evaluation = evaluateUnit(ctx, unit, setting, openPlaces);
  if (evaluation.reasons.length === 0) {
    candidates.push(candidate(unit, evaluation, ctx.needs, ctx.policy));
  } else {
    excluded.push({
      outcome: 'excluded',
      unitId: unit.unitId,
      settingId: unit.settingId,
      kind: unit.kind,
      route: unit.route,
      reasons: evaluation.reasons,
    });
  }
}

export function settingsById(settings: readonly Setting[]): Map<string, Setting> {
  const map = new Map<string, Setting>();
  for (const s of settings) {
    if (map.has(s.settingId)) throw new InconsistentSnapshotError(`setting ${s.settingId} appears twice`);
    map.set(s.settingId, s);
  }
  return map;
}

export function unitsInIdOrder(units: readonly CapacityUnit[]): CapacityUnit[] {
  const sorted = [...units].sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].unitId === sorted[i - 1].unitId)
      throw new InconsistentSnapshotError(`unit ${sorted[i].unitId} appears twice`);
  }
  return sorted;
}

export function settingOf(settings: ReadonlyMap<string, Setting>, unit: CapacityUnit): Setting {
  const setting = settings.get(unit.settingId);
  if (!setting) throw new InconsistentSnapshotError(`unit ${unit.unitId} names unknown setting ${unit.settingId}`);
  return setting;
}
