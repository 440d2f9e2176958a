import { exhaustive } from '@placement/domain';
import { createHash } from 'node:crypto';
import type { CapacitySnapshot, CapacityUnit, ReferralNeeds, ResidentProfile, Setting } from './model';
import type { MatchingPolicy } from './policy';

/** Bump when a rule or the ranking changes, so an audit knows which engine made a list. */
export const ENGINE_VERSION = 'matching-1.1.0';

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
const sorted = (xs: readonly string[]): readonly string[] => (xs.length < 2 ? xs : [...xs].sort(byCodeUnits));

// The snapshot is hashed as one line per setting and per unit, each a fixed-order tuple of
// exactly the fields the engine reads: fast at national scale (no key sorting), and
// set-like lists, residents, settings and units are sorted, so a projection that lists
// them in another order yields the same hash.
function residentTuple(r: ResidentProfile): string {
  return JSON.stringify([r.childId ?? null, r.age, r.sex, sorted(r.risksToSelf), sorted(r.risksToOthers)]);
}

function settingLine(s: Setting): string {
  const t = s.terms;
  const siblings = t.siblings.accepted ? t.siblings.maxGroupSize : false;
  const terms = [
    t.ageMin,
    t.ageMax,
    sorted(t.sexes),
    t.maxChildren,
    sorted(t.placeCodes),
    siblings,
    t.emergencyApproved,
    t.connectedPersonFor ? sorted(t.connectedPersonFor) : null,
    sorted(t.risksNotAccepted),
    t.noEmergencyAdmissions === true,
  ];
  const residents = s.residents.map(residentTuple).sort(byCodeUnits);
  const members = (s.householdMembers ?? []).map((m) => m.age).sort((a, b) => a - b);
  const where = [s.location.postcodeDistrict, s.location.easting, s.location.northing];
  const fields = [s.settingId, s.kind, terms, residents, where, s.localAuthorityCode, sorted(s.adaptations)];
  return `S${JSON.stringify([...fields, s.urn ?? null, members])}\n`;
}

function unitLine(u: CapacityUnit): string {
  const st = u.state;
  let state: (string | null)[];
  switch (st.status) {
    case 'vacant':
      state = st.freeUntil === undefined ? [st.status] : [st.status, st.freeUntil];
      break;
    case 'occupied':
      state = [st.status];
      break;
    case 'held':
      state = [st.status, st.referralId, st.until];
      break;
    case 'out-of-use':
      state = [st.status, st.reason];
      break;
    default:
      return exhaustive(st);
  }
  return `U${JSON.stringify([u.unitId, u.settingId, u.kind, u.route, state, u.weeklyCostPence])}\n`;
}

/** SHA-256 of the snapshot's canonical form; a MatchingIndex computes it once. */
export function snapshotDigest(snapshot: CapacitySnapshot): string {
  const hash = createHash('sha256');
  // Lines are fed in chunks: one update per line costs more than the hashing itself.
  let chunk = `${JSON.stringify(['snapshot-1', snapshot.asAt])}\n`;
  const feed = (line: string): void => {
    chunk += line;
    if (chunk.length > 1 << 16) {
      hash.update(chunk);
      chunk = '';
    }
  };
  for (const s of [...snapshot.settings].sort((a, b) => byCodeUnits(a.settingId, b.settingId))) feed(settingLine(s));
  for (const u of [...snapshot.units].sort((a, b) => byCodeUnits(a.unitId, b.unitId))) feed(unitLine(u));
  return hash.update(chunk).digest('hex');
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
  return sha256(
    canonicalJson({ engineVersion: ENGINE_VERSION, needs: canonicalNeeds(needs), policy, snapshot: digest }),
  );
}

/** The hash `MatchesProposed` records: the same needs, snapshot and policy always give the same hash. */
export function inputsHash(needs: ReferralNeeds, snapshot: CapacitySnapshot, policy: MatchingPolicy): string {
  return inputsHashFromDigest(needs, snapshotDigest(snapshot), policy);
}
