import { createHash } from 'node:crypto';
import type { CapacitySnapshot, ReferralNeeds, ResidentProfile, Setting } from './model';
import type { MatchingPolicy } from './policy';

/** Bump when a rule or the ranking changes, so an audit knows which engine made a list. */
export const ENGINE_VERSION = 'matching-1.0.0';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON with object keys sorted and undefined fields dropped: one text per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): Json {
  if (value === null || typeof value !== 'object') return value as Json;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (xs: readonly string[]): string[] => [...xs].sort(byCodeUnits);

// Set-like lists and the order of units, settings and residents carry no meaning, so they
// are sorted: a projection that lists them in another order yields the same hash.
function canonicalResident(r: ResidentProfile): ResidentProfile {
  return { ...r, risksToSelf: sorted(r.risksToSelf) as ResidentProfile['risksToSelf'], risksToOthers: sorted(r.risksToOthers) as ResidentProfile['risksToOthers'] };
}

function canonicalSetting(s: Setting): Setting {
  const residents = s.residents.map(canonicalResident);
  const keyed = residents.map((r) => [canonicalJson(r), r] as const).sort((a, b) => byCodeUnits(a[0], b[0]));
  return {
    ...s,
    adaptations: sorted(s.adaptations),
    residents: keyed.map(([, r]) => r),
    terms: {
      ...s.terms,
      sexes: sorted(s.terms.sexes) as Setting['terms']['sexes'],
      placeCodes: sorted(s.terms.placeCodes),
      risksNotAccepted: sorted(s.terms.risksNotAccepted) as Setting['terms']['risksNotAccepted'],
      connectedPersonFor: s.terms.connectedPersonFor ? sorted(s.terms.connectedPersonFor) : undefined,
    },
  };
}

/** SHA-256 of the snapshot's canonical form; a MatchingIndex computes it once. */
export function snapshotDigest(snapshot: CapacitySnapshot): string {
  const settings = [...snapshot.settings].sort((a, b) => byCodeUnits(a.settingId, b.settingId)).map(canonicalSetting);
  const units = [...snapshot.units].sort((a, b) => byCodeUnits(a.unitId, b.unitId));
  return sha256(canonicalJson({ asAt: snapshot.asAt, settings, units }));
}

function canonicalNeeds(n: ReferralNeeds): ReferralNeeds {
  return {
    ...n,
    siblingChildIds: sorted(n.siblingChildIds),
    risksToSelf: sorted(n.risksToSelf) as ReferralNeeds['risksToSelf'],
    risksToOthers: sorted(n.risksToOthers) as ReferralNeeds['risksToOthers'],
    adaptationsNeeded: sorted(n.adaptationsNeeded),
  };
}

export function inputsHashFromDigest(needs: ReferralNeeds, digest: string, policy: MatchingPolicy): string {
  return sha256(canonicalJson({ engineVersion: ENGINE_VERSION, needs: canonicalNeeds(needs), policy, snapshot: digest }));
}

/** The hash `MatchesProposed` records: the same needs, snapshot and policy always give the same hash. */
export function inputsHash(needs: ReferralNeeds, snapshot: CapacitySnapshot, policy: MatchingPolicy): string {
  return inputsHashFromDigest(needs, snapshotDigest(snapshot), policy);
}
