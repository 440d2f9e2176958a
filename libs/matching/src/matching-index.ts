import { evaluateUnit, isOpen, matchContext, Screen, type MatchContext } from './evaluate';
import { ENGINE_VERSION, inputsHashFromDigest, snapshotDigest } from './inputs-hash';
import { judge, settingOf, settingsById, unitsInIdOrder } from './match';
import type { CapacitySnapshot, CapacityUnit, ReferralNeeds, Setting, Sex } from './model';
import { DEFAULT_MATCHING_POLICY, type MatchingPolicy } from './policy';
import { candidate, rankCandidates, tierOf, type Candidate } from './ranking';
import type { Caution, ExcludedUnit, ExclusionCode, MatchResult, RankedUnit, Reason } from './result';

export type MatchDetail = 'summary' | 'full';

export interface IndexedMatchOptions {
  /** `full` lists every unit with all its reasons, as `match` does; `summary` is the fast path. */
  detail?: MatchDetail;
  /** Summary only: how many of the best-ranked units to list (all are counted). */
  limit?: number;
}

export interface IndexedMatchResult extends MatchResult {
  detail: MatchDetail;
  /** How many units rank; `ranked` holds the best `limit` of them in summary detail. */
  rankedTotal: number;
  excludedTotal: number;
  /**
   * Excluded units counted once each, under the first reason found, so the counts sum to
   * `excludedTotal`. Summary detail itemises none of them (`excluded` is empty); full
   * detail lists each with all its reasons.
   */
  excludedByReason: Partial<Record<ExclusionCode, number>>;
}

export const DEFAULT_SUMMARY_LIMIT = 100;

const SEXES: readonly Sex[] = ['M', 'F', 'U'];
const OLDEST_BUCKET = 25;
/** Grid cells for pruning by distance: 20 km squares of the National Grid. */
const CELL_METRES = 20_000;

interface Cell {
  cx: number;
  cy: number;
  units: Int32Array;
}

/** Open units with room whose terms cover one (age, sex), by grid cell; and how many others fail on terms. */
interface Bucket {
  cells: Cell[];
  size: number;
  termsMisfits: Partial<Record<ExclusionCode, number>>;
}

/**
 * Built once per snapshot. A unit can only rank if it is open, its setting has room and
 * its terms cover the child's age and sex, so those units are bucketed by (age, sex) and by
 * 20 km grid cell. A summary request screens one bucket's cells within the distance limit
 * (plus the few held units) and counts everything else under the reason the index already
 * knows; only the best `limit` ranked units are written out in full. `detail: 'full'`
 * reads every unit and is identical to `match`.
 */
export class MatchingIndex {
  readonly unitCount: number;
  readonly snapshotDigest: string;
  private readonly units: CapacityUnit[];
  private readonly unitSettings: Setting[];
  private readonly unitSettingPosition: Int32Array;
  private readonly openPlaces: Int32Array;
  private readonly buckets: Bucket[];
  /** Open households with room, whatever their terms (emergencies may go outside terms). */
  private readonly openRoomyHouseholds: Int32Array;
  private readonly openWithRoom: Int32Array;
  /** Units under a live hold, by the referral holding them: only this referral's are screened. */
  private readonly held = new Map<string, number[]>();
  private readonly heldCount: number;
  private readonly unavailable: Partial<Record<ExclusionCode, number>>;

  private constructor(private readonly snapshot: CapacitySnapshot) {
    const settings = settingsById(snapshot.settings);
    this.units = unitsInIdOrder(snapshot.units);
    this.unitCount = this.units.length;
    this.snapshotDigest = snapshotDigest(snapshot);
    this.unitSettings = this.units.map((u) => settingOf(settings, u));
    const asAtMs = Date.parse(snapshot.asAt);

    const settingPositions = new Map<string, number>();
    snapshot.settings.forEach((s, i) => settingPositions.set(s.settingId, i));
    this.unitSettingPosition = Int32Array.from(this.units, (u) => settingPositions.get(u.settingId) ?? 0);
    this.openPlaces = new Int32Array(snapshot.settings.length);
    this.units.forEach((u, i) => {
      if (isOpen(u, asAtMs)) this.openPlaces[this.unitSettingPosition[i]]++;
    });

    const members: Map<number, number[]>[] = Array.from(
      { length: (OLDEST_BUCKET + 1) * SEXES.length },
      () => new Map(),
    );
    const households: number[] = [];
    const roomy: number[] = [];
    const unavailable: Partial<Record<ExclusionCode, number>> = {};
    // For the counts of units outside terms: registered settings covering each age, and
    // each bucket's registered settings and households.
    const registeredCoveringAge = new Int32Array(OLDEST_BUCKET + 1);
    const registeredInBucket = new Int32Array(members.length);
    const householdsInBucket = new Int32Array(members.length);
    this.units.forEach((unit, i) => {
      const setting = this.unitSettings[i];
      const household = setting.kind === 'foster-household';
      if (unit.state.status === 'held' && !isOpen(unit, asAtMs)) {
        const list = this.held.get(unit.state.referralId) ?? [];
        list.push(i);
        this.held.set(unit.state.referralId, list);
        return;
      }
      if (unit.state.status === 'occupied' || unit.state.status === 'out-of-use') {
        bump(unavailable, unit.state.status === 'occupied' ? 'OCCUPIED' : 'OUT_OF_USE');
        return;
      }
      if (setting.residents.length >= setting.terms.maxChildren) {
        bump(unavailable, household ? 'HOUSEHOLD_FULL' : 'SETTING_FULL');
        return;
      }
      roomy.push(i);
      if (household) households.push(i);
      const { ageMin, ageMax, sexes } = setting.terms;
      const cell = cellKey(setting.location.easting, setting.location.northing);
      for (let age = Math.max(0, ageMin); age <= Math.min(OLDEST_BUCKET, ageMax); age++) {
        if (!household) registeredCoveringAge[age]++;
        for (let s = 0; s < SEXES.length; s++) {
          if (!sexes.includes(SEXES[s])) continue;
          const b = age * SEXES.length + s;
          const list = members[b].get(cell);
          if (list) list.push(i);
          else members[b].set(cell, [i]);
          if (household) householdsInBucket[b]++;
          else registeredInBucket[b]++;
        }
      }
    });
    const roomyHouseholds = households.length;
    const roomyRegistered = roomy.length - households.length;
    const misfits = members.map((_, b): Partial<Record<ExclusionCode, number>> => {
      const age = Math.floor(b / SEXES.length);
      const counts: Partial<Record<ExclusionCode, number>> = {};
      const wrongAge = roomyRegistered - registeredCoveringAge[age];
      const wrongSex = registeredCoveringAge[age] - registeredInBucket[b];
      const outsideApproval = roomyHouseholds - householdsInBucket[b];
      if (wrongAge > 0) counts.AGE_OUTSIDE_REGISTRATION = wrongAge;
      if (wrongSex > 0) counts.SEX_OUTSIDE_REGISTRATION = wrongSex;
      if (outsideApproval > 0) counts.APPROVAL_TERMS = outsideApproval;
      return counts;
    });
    this.buckets = members.map((cells, b) => {
      const list = [...cells.entries()]
        .sort((x, y) => x[0] - y[0])
        .map(([key, units]) => ({ cx: Math.floor(key / 10_000), cy: key % 10_000, units: Int32Array.from(units) }));
      return { cells: list, size: list.reduce((n, c) => n + c.units.length, 0), termsMisfits: misfits[b] };
    });
    this.openRoomyHouseholds = Int32Array.from(households);
    this.openWithRoom = Int32Array.from(roomy);
    this.heldCount = [...this.held.values()].reduce((n, l) => n + l.length, 0);
    this.unavailable = unavailable;
  }

  static build(snapshot: CapacitySnapshot): MatchingIndex {
    return new MatchingIndex(snapshot);
  }

  inputsHash(needs: ReferralNeeds, policy: MatchingPolicy = DEFAULT_MATCHING_POLICY): string {
    return inputsHashFromDigest(needs, this.snapshotDigest, policy);
  }

  match(
    needs: ReferralNeeds,
    policy: MatchingPolicy = DEFAULT_MATCHING_POLICY,
    options: IndexedMatchOptions = {},
  ): IndexedMatchResult {
    const ctx = matchContext(needs, this.snapshot.asAt, policy);
    const openPlaces = this.openPlacesFor(needs);
    const base = {
      engineVersion: ENGINE_VERSION,
      inputsHash: this.inputsHash(needs, policy),
      referralId: needs.referralId,
      asAt: this.snapshot.asAt,
    };
    return options.detail === 'full'
      ? { ...base, ...this.full(ctx, openPlaces) }
      : { ...base, ...this.summary(ctx, openPlaces, options.limit ?? DEFAULT_SUMMARY_LIMIT) };
  }

  /**
   * One unit judged for a referral exactly as `match` with `detail: 'full'` judges it: every
   * reason it is excluded (none if it would be ranked) and its cautions. Undefined for a unit
   * the snapshot does not hold. A placement into the unit is checked with this.
   */
  judge(
    needs: ReferralNeeds,
    unitId: string,
    policy: MatchingPolicy = DEFAULT_MATCHING_POLICY,
  ): { unitId: string; reasons: Reason[]; cautions: Caution[] } | undefined {
    let lo = 0;
    let hi = this.unitCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.units[mid].unitId;
      if (at === unitId) {
        const ctx = matchContext(needs, this.snapshot.asAt, policy);
        const { reasons, cautions } = evaluateUnit(
          ctx,
          this.units[mid],
          this.unitSettings[mid],
          this.openPlacesFor(needs)(mid),
        );
        return { unitId, reasons, cautions };
      }
      if (at < unitId) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Open places in each unit's setting, counting this referral's own holds as open. */
  private openPlacesFor(needs: ReferralNeeds): (i: number) => number {
    const heldHere = new Map<number, number>();
    for (const i of this.held.get(needs.referralId) ?? []) {
      const s = this.unitSettingPosition[i];
      heldHere.set(s, (heldHere.get(s) ?? 0) + 1);
    }
    return (i: number): number => {
      const s = this.unitSettingPosition[i];
      return heldHere.size === 0 ? this.openPlaces[s] : this.openPlaces[s] + (heldHere.get(s) ?? 0);
    };
  }

  private full(
    ctx: MatchContext,
    openPlaces: (i: number) => number,
  ): Omit<IndexedMatchResult, keyof Omit<MatchResult, 'ranked' | 'excluded'>> {
    const candidates: Candidate[] = [];
    const excluded: ExcludedUnit[] = [];
    for (let i = 0; i < this.unitCount; i++)
      judge(ctx, this.units[i], this.unitSettings[i], openPlaces(i), candidates, excluded);
    const excludedByReason: Partial<Record<ExclusionCode, number>> = {};
    for (const e of excluded) bump(excludedByReason, e.reasons[0].code);
    return {
      detail: 'full',
      ranked: rankCandidates(candidates),
      excluded,
      rankedTotal: candidates.length,
      excludedTotal: excluded.length,
      excludedByReason,
    };
  }

  private summary(
    ctx: MatchContext,
    openPlaces: (i: number) => number,
    limit: number,
  ): Omit<IndexedMatchResult, keyof Omit<MatchResult, 'ranked' | 'excluded'>> {
    const { needs, policy } = ctx;
    const excludedByReason: Partial<Record<ExclusionCode, number>> = { ...this.unavailable };
    const screen = new Screen();
    const read = new Uint8Array(this.unitCount);
    const admitted: number[] = [];
    const width = policy.order.length;
    let tiers = new Float64Array(1024 * width);
    const consider = (i: number): void => {
      if (read[i]) return;
      read[i] = 1;
      const facts = screen.run(ctx, this.units[i], this.unitSettings[i], openPlaces(i));
      if (screen.first !== null) {
        bump(excludedByReason, screen.first);
        return;
      }
      const at = admitted.length * width;
      if (at + width > tiers.length) {
        const grown = new Float64Array(tiers.length * 2);
        grown.set(tiers);
        tiers = grown;
      }
      for (let c = 0; c < width; c++) tiers[at + c] = tierOf(policy.order[c], this.units[i], facts, needs, policy);
      admitted.push(i);
    };

    const flexible = needs.urgency === 'emergency' && policy.emergencyOutsideApprovalTerms === 'caution';
    const sex = SEXES.indexOf(needs.sex);
    const bucket =
      ctx.childAge >= 0 && ctx.childAge <= OLDEST_BUCKET && sex >= 0
        ? this.buckets[ctx.childAge * SEXES.length + sex]
        : undefined;
    if (bucket) {
      for (const [code, n] of Object.entries(bucket.termsMisfits) as [ExclusionCode, number][]) {
        // Households outside terms are screened below when an emergency may use them.
        if (!(flexible && code === 'APPROVAL_TERMS')) bump(excludedByReason, code, n);
      }
      const area = needs.preferredArea;
      const limitKm = needs.maxDistanceKm;
      for (const cell of bucket.cells) {
        // The margin covers distanceKm's rounding to 10 m.
        if (area && limitKm !== undefined && cellDistanceKm(cell, area.easting, area.northing) > limitKm + 0.01) {
          // Every unit in the cell is beyond the limit; those outside terms were counted above.
          bump(excludedByReason, 'OUT_OF_DISTANCE', cell.units.length);
          for (const i of cell.units) read[i] = 1;
          continue;
        }
        for (const i of cell.units) consider(i);
      }
    } else {
      // No bucket covers the child (an age outside 0–25): screen every open unit.
      for (const i of this.openWithRoom) consider(i);
    }
    if (flexible) for (const i of this.openRoomyHouseholds) consider(i);
    // Holds for other referrals are excluded as HELD; this referral's are screened.
    const mine = this.held.get(needs.referralId) ?? [];
    bump(excludedByReason, 'HELD', this.heldCount - mine.length);
    for (const i of mine) consider(i);

    const order = admitted.map((_, k) => k);
    order.sort((a, b) => {
      for (let c = 0; c < width; c++) {
        const d = tiers[a * width + c] - tiers[b * width + c];
        if (d !== 0) return d;
      }
      return admitted[a] - admitted[b]; // units are held in id order
    });
    const ranked: RankedUnit[] = order.slice(0, limit).map((k, r) => {
      const i = admitted[k];
      const unit = this.units[i];
      return {
        ...candidate(unit, evaluateUnit(ctx, unit, this.unitSettings[i], openPlaces(i)), needs, policy),
        rank: r + 1,
      };
    });
    const excludedTotal = this.unitCount - admitted.length;
    return { detail: 'summary', ranked, excluded: [], rankedTotal: admitted.length, excludedTotal, excludedByReason };
  }
}

function bump(counts: Partial<Record<ExclusionCode, number>>, code: ExclusionCode, n = 1): void {
  counts[code] = (counts[code] ?? 0) + n;
}

function cellKey(easting: number, northing: number): number {
  return Math.floor(easting / CELL_METRES) * 10_000 + Math.floor(northing / CELL_METRES);
}

/** Shortest distance from a point to a cell's square, in km (0 inside it). */
function cellDistanceKm(cell: Cell, easting: number, northing: number): number {
  const x0 = cell.cx * CELL_METRES;
  const y0 = cell.cy * CELL_METRES;
  const dx = Math.max(x0 - easting, 0, easting - (x0 + CELL_METRES));
  const dy = Math.max(y0 - northing, 0, northing - (y0 + CELL_METRES));
  return Math.hypot(dx, dy) / 1000;
}
