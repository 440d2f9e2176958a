import { isOpen, matchContext } from './evaluate';
import { ENGINE_VERSION, inputsHashFromDigest, snapshotDigest } from './inputs-hash';
import { countsAsOpenFor, judge, settingOf, settingsById, unitsInIdOrder } from './match';
import type { CapacitySnapshot, CapacityUnit, ReferralNeeds, Setting, Sex } from './model';
import { DEFAULT_MATCHING_POLICY, type MatchingPolicy } from './policy';
import { rankCandidates, type Candidate } from './ranking';
import type { ExcludedUnit, MatchResult } from './result';

/** Why the index left a unit unread for this request; each implies at least one exclusion. */
export type PruneStage = 'occupied' | 'out-of-use' | 'setting-full' | 'age-or-sex-terms';

export interface PrunedSummary {
  total: number;
  byStage: Record<PruneStage, number>;
}

export type MatchDetail = 'summary' | 'full';

export interface IndexedMatchResult extends MatchResult {
  detail: MatchDetail;
  /**
   * Units the index ruled out without reading them (summary detail only; zero in full
   * detail, where they are in `excluded` with all their reasons).
   */
  pruned: PrunedSummary;
}

const SEXES: readonly Sex[] = ['M', 'F', 'U'];
const OLDEST_BUCKET = 25;

/**
 * Built once per snapshot. A unit can only be ranked if it is open, its setting has room
 * and its terms cover the child's age and sex, so those units are bucketed by (age, sex);
 * a request reads one bucket plus the few held units. Everything else is excluded for a
 * reason known at build time, which is what the summary counts; `detail: 'full'` reads
 * every unit and lists all reasons, as `match` does.
 */
export class MatchingIndex {
  readonly unitCount: number;
  readonly snapshotDigest: string;
  private readonly units: CapacityUnit[];
  private readonly unitSettings: Setting[];
  private readonly openPlaces: Int32Array;
  private readonly settingPositions = new Map<string, number>();
  /** bucket[age * 3 + sex] = positions of open units in settings with room whose terms cover (age, sex). */
  private readonly buckets: Int32Array[];
  /** Open households with room, whatever their terms (emergencies may go outside terms). */
  private readonly openRoomyHouseholds: Int32Array;
  /** Units under a live hold: read on every request, since the hold may be this referral's. */
  private readonly held: Int32Array;
  private readonly openWithRoom: number;
  private readonly stageCounts: Record<Exclude<PruneStage, 'age-or-sex-terms'>, number>;

  private constructor(private readonly snapshot: CapacitySnapshot) {
    const settings = settingsById(snapshot.settings);
    this.units = unitsInIdOrder(snapshot.units);
    this.unitCount = this.units.length;
    this.snapshotDigest = snapshotDigest(snapshot);
    this.unitSettings = this.units.map((u) => settingOf(settings, u));
    const asAtMs = Date.parse(snapshot.asAt);

    let p = 0;
    for (const s of snapshot.settings) this.settingPositions.set(s.settingId, p++);
    this.openPlaces = new Int32Array(p);
    for (const u of this.units) if (isOpen(u, asAtMs)) this.openPlaces[this.settingPositions.get(u.settingId) ?? 0]++;

    const buckets: number[][] = Array.from({ length: (OLDEST_BUCKET + 1) * SEXES.length }, () => []);
    const households: number[] = [];
    const held: number[] = [];
    const stageCounts = { occupied: 0, 'out-of-use': 0, 'setting-full': 0 };
    let openWithRoom = 0;
    this.units.forEach((unit, i) => {
      const setting = this.unitSettings[i];
      if (unit.state.status === 'held' && !isOpen(unit, asAtMs)) {
        held.push(i);
        return;
      }
      if (unit.state.status === 'occupied' || unit.state.status === 'out-of-use') {
        stageCounts[unit.state.status]++;
        return;
      }
      if (setting.residents.length >= setting.terms.maxChildren) {
        stageCounts['setting-full']++;
        return;
      }
      openWithRoom++;
      if (setting.kind === 'foster-household') households.push(i);
      const { ageMin, ageMax, sexes } = setting.terms;
      for (let age = Math.max(0, ageMin); age <= Math.min(OLDEST_BUCKET, ageMax); age++) {
        SEXES.forEach((sex, s) => {
          if (sexes.includes(sex)) buckets[age * SEXES.length + s].push(i);
        });
      }
    });
    this.buckets = buckets.map((b) => Int32Array.from(b));
    this.openRoomyHouseholds = Int32Array.from(households);
    this.held = Int32Array.from(held);
    this.openWithRoom = openWithRoom;
    this.stageCounts = stageCounts;
  }

  static build(snapshot: CapacitySnapshot): MatchingIndex {
    return new MatchingIndex(snapshot);
  }

  inputsHash(needs: ReferralNeeds, policy: MatchingPolicy = DEFAULT_MATCHING_POLICY): string {
    return inputsHashFromDigest(needs, this.snapshotDigest, policy);
  }

  match(needs: ReferralNeeds, policy: MatchingPolicy = DEFAULT_MATCHING_POLICY, options: { detail?: MatchDetail } = {}): IndexedMatchResult {
    const detail = options.detail ?? 'summary';
    const ctx = matchContext(needs, this.snapshot.asAt, policy);

    // Places in each setting: open at build time, plus any held for this referral.
    const heldHere = new Map<number, number>();
    for (const i of this.held) {
      if (countsAsOpenFor(ctx, this.units[i])) {
        const s = this.settingPositionOf(i);
        heldHere.set(s, (heldHere.get(s) ?? 0) + 1);
      }
    }
    const openPlaces = (i: number): number => {
      const s = this.settingPositionOf(i);
      return this.openPlaces[s] + (heldHere.get(s) ?? 0);
    };

    const candidates: Candidate[] = [];
    const excluded: ExcludedUnit[] = [];
    const read = new Uint8Array(this.unitCount);
    const consider = (i: number): void => {
      if (read[i]) return;
      read[i] = 1;
      judge(ctx, this.units[i], this.unitSettings[i], openPlaces(i), candidates, excluded);
    };

    if (detail === 'full') {
      for (let i = 0; i < this.unitCount; i++) consider(i);
    } else {
      const age = ctx.childAge;
      const sex = SEXES.indexOf(needs.sex);
      if (age >= 0 && age <= OLDEST_BUCKET && sex >= 0) {
        for (const i of this.buckets[age * SEXES.length + sex]) consider(i);
      }
      if (needs.urgency === 'emergency' && policy.emergencyOutsideApprovalTerms === 'caution') {
        for (const i of this.openRoomyHouseholds) consider(i);
      }
      for (const i of this.held) consider(i);
    }
    excluded.sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));

    const readCount = candidates.length + excluded.length;
    const outsideTerms = detail === 'full' ? 0 : this.openWithRoom + this.held.length - readCount;
    const byStage: Record<PruneStage, number> =
      detail === 'full'
        ? { occupied: 0, 'out-of-use': 0, 'setting-full': 0, 'age-or-sex-terms': 0 }
        : { ...this.stageCounts, 'age-or-sex-terms': outsideTerms };
    return {
      engineVersion: ENGINE_VERSION,
      inputsHash: this.inputsHash(needs, policy),
      referralId: needs.referralId,
      asAt: this.snapshot.asAt,
      detail,
      ranked: rankCandidates(candidates),
      excluded,
      pruned: { total: this.unitCount - readCount, byStage },
    };
  }

  private settingPositionOf(i: number): number {
    return this.settingPositions.get(this.units[i].settingId) ?? 0;
  }
}
