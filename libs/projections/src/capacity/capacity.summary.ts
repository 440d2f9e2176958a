import type { BusinessDate, ContractState } from '@placement/domain';
import type { ReadModelDb } from '../read-model-db';
import { londonDateOf } from '../calendar';
import {
  BEDS,
  BLOCK_BEDS,
  CapacityTally,
  HOUSEHOLDS,
  NO_FLAG_FACTS,
  flagFactsOf,
  inKeyOrder,
  toBlockBed,
  type BedRow,
  type BedUnit,
  type BlockBedRow,
  type BlockBedUnit,
  type CapacityView,
  type HouseholdRow,
  type HouseholdUnit,
  type UnitNight,
  type UnitTable,
} from './capacity.query';

export type CapacityFigures = Pick<CapacityView, 'totals' | 'byProvision' | 'freeByAgeBandAndSex'>;

/** One night's counts and the units they were counted from, as of a position and an instant. */
interface Night {
  position: bigint;
  /** The instant the units were read at: holds live then. */
  readonly since: number;
  /** The end of the earliest hold counted as held: the counts stand until then. */
  lapse: number;
  readonly tally: CapacityTally;
  readonly beds: Map<string, BedUnit>;
  readonly households: Map<string, HouseholdUnit>;
  /** By contract, then by bed: a contract's beds are read again together. */
  readonly blockBeds: Map<string, Map<string, BlockBedUnit>>;
}

/** A night's units as counts need them: a bed's flags do not count, so a summary reads no child's facts. */
const unitNight = (now: Date, on: BusinessDate): UnitNight => ({ on, nowIso: now.toISOString(), facts: NO_FLAG_FACTS });

/**
 * The whole estate's totals (by kind, by provision, by age band and sex) kept between reads, so
 * a page of capacity costs the page and not the estate. A night is counted once, from every row;
 * after that each read folds in only the rows changed since (each table's `position` index). It
 * is counted again when a hold it counted lapses (the clock, not an event, changed a bed), when
 * the clock or the read model went back, or after `reset` (the read model was rebuilt). A few
 * nights are kept, today's and the last ones asked for with `?on=`.
 */
export class CapacitySummary {
  private readonly nights = new Map<BusinessDate, Night>();

  constructor(
    private readonly db: ReadModelDb,
    private readonly keep = 4,
  ) {}

  /** Forgets every night: the read model was rebuilt, and rows it no longer has must not count. */
  reset(): void {
    this.nights.clear();
  }

  figures(position: bigint, now: Date, on: BusinessDate): CapacityFigures {
    const at = now.getTime();
    let night = this.nights.get(on);
    if (night === undefined || position < night.position || at < night.since || at >= night.lapse)
      night = this.count(position, now, on);
    else if (position > night.position) this.catchUp(night, position, now, on);
    // The night read last is kept longest.
    this.nights.delete(on);
    this.nights.set(on, night);
    while (this.nights.size > this.keep) this.nights.delete(this.nights.keys().next().value as BusinessDate);
    return night.tally.figures();
  }

  private count(position: bigint, now: Date, on: BusinessDate): Night {
    const night: Night = {
      position,
      since: now.getTime(),
      lapse: Infinity,
      tally: new CapacityTally(),
      beds: new Map(),
      households: new Map(),
      blockBeds: new Map(),
    };
    const reading = unitNight(now, on);
    this.db.snapshot(() => {
      for (const row of this.db.all<BedRow>(BEDS.select)) this.putBed(night, row, reading);
      for (const row of this.db.all<HouseholdRow>(HOUSEHOLDS.select)) this.putHousehold(night, row, reading);
      this.putBlockBeds(night, this.db.all<BlockBedRow>(BLOCK_BEDS.select), on);
    });
    return night;
  }

  /** Folds in the rows changed after the night's position: a unit's old counts out, its new ones in. */
  private catchUp(night: Night, position: bigint, now: Date, on: BusinessDate): void {
    const after = night.position;
    const reading = unitNight(now, on);
    this.db.snapshot(() => {
      // A setting's closing moves the setting's row, not its beds'.
      for (const row of this.db.all<BedRow>(`${BEDS.select} WHERE ${BEDS.position} > ?`, after))
        this.putBed(night, row, reading);
      for (const row of this.db.all<BedRow>(`${BEDS.select} WHERE s.position > ?`, after))
        this.putBed(night, row, reading);
      for (const row of this.db.all<HouseholdRow>(`${HOUSEHOLDS.select} WHERE ${HOUSEHOLDS.position} > ?`, after))
        this.putHousehold(night, row, reading);
      // A contract contracted again may list other beds: its beds are read again together.
      const contracts = new Set(
        [
          ...this.db.all<{ contract_id: string }>(
            'SELECT contract_id FROM capacity_contracts WHERE position > ?',
            after,
          ),
          ...this.db.all<{ contract_id: string }>(
            'SELECT contract_id FROM capacity_block_beds WHERE position > ?',
            after,
          ),
        ].map((r) => r.contract_id),
      );
      for (const contractId of contracts) {
        for (const unit of night.blockBeds.get(contractId)?.values() ?? []) night.tally.addBlockBed(unit, -1);
        night.blockBeds.delete(contractId);
        this.putBlockBeds(
          night,
          this.db.all<BlockBedRow>(`${BLOCK_BEDS.select} WHERE k.contract_id = ?`, contractId),
          on,
        );
      }
    });
    night.position = position;
  }

  private putBed(night: Night, row: BedRow, reading: UnitNight): void {
    const key = `${row.setting_id}\u0000${row.bed_id}`;
    const before = night.beds.get(key);
    if (before !== undefined) night.tally.addBed(before, -1);
    const unit = BEDS.unitOf(row, reading);
    if (unit === null) {
      night.beds.delete(key);
      return;
    }
    night.beds.set(key, unit);
    night.tally.addBed(unit, 1);
    if (unit.status === 'held' && unit.hold !== null) night.lapse = Math.min(night.lapse, Date.parse(unit.hold.until));
  }

  private putHousehold(night: Night, row: HouseholdRow, reading: UnitNight): void {
    const before = night.households.get(row.household_id);
    if (before !== undefined) night.tally.addHousehold(before, -1);
    const unit = HOUSEHOLDS.unitOf(row, reading);
    if (unit === null) {
      night.households.delete(row.household_id);
      return;
    }
    night.households.set(row.household_id, unit);
    night.tally.addHousehold(unit, 1);
  }

  private putBlockBeds(night: Night, rows: readonly BlockBedRow[], on: BusinessDate): void {
    const diaries = new Map<string, ContractState>();
    for (const row of rows) {
      let diary = diaries.get(row.diary);
      if (diary === undefined) diaries.set(row.diary, (diary = JSON.parse(row.diary) as ContractState));
      const unit = toBlockBed(row, diary, on);
      if (unit === null) continue;
      let beds = night.blockBeds.get(row.contract_id);
      if (beds === undefined) night.blockBeds.set(row.contract_id, (beds = new Map()));
      beds.set(row.bed_ref, unit);
      night.tally.addBlockBed(unit, 1);
    }
  }
}

/**
 * Tonight's capacity as `readCapacity` with `changed` reads it (the units changed by events in
 * (after, through], in key order, with the whole estate's totals), read from each table's
 * `position` index and the summary kept between reads: it costs the rows changed, not the estate.
 */
export function readCapacityChanges(
  db: ReadModelDb,
  summary: CapacitySummary,
  changed: { readonly after: bigint; readonly through: bigint },
  now: Date,
): CapacityView {
  const night: UnitNight = { on: londonDateOf(now), nowIso: now.toISOString(), facts: flagFactsOf(db) };
  const unitsChanged = <R, U>(table: UnitTable<R, U>): U[] =>
    db
      .all<R>(inKeyOrder(table, `${table.position} > ? AND ${table.position} <= ?`), changed.after, changed.through)
      .map((row) => table.unitOf(row, night))
      .filter((unit): unit is U => unit !== null);
  return db.snapshot(() => ({
    position: changed.through.toString(),
    asOf: night.nowIso,
    on: night.on,
    ...summary.figures(changed.through, now, night.on),
    units: { beds: unitsChanged(BEDS), households: unitsChanged(HOUSEHOLDS), blockBeds: unitsChanged(BLOCK_BEDS) },
  }));
}
