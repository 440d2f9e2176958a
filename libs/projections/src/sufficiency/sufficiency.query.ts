import { ageOn, type BusinessDate } from '@placement/domain';
import type { ReadModelDb } from '../read-model-db';
import { addDays, minDate, monthsEndingWith, nightsInWindow } from '../calendar';

/** SSDA903 PLACE codes grouped as a sufficiency statement reports them. */
export const PLACEMENT_GROUPS = [
  'foster-family-and-friends',
  'foster-other',
  'residential',
  'supported',
  'with-parents',
  'independent-living',
  'other',
] as const;
export type PlacementGroup = (typeof PLACEMENT_GROUPS)[number];

export function placementGroupOf(place: string): PlacementGroup {
  switch (place) {
    case 'U1':
    case 'U2':
    case 'U3':
      return 'foster-family-and-friends';
    case 'U4':
    case 'U5':
    case 'U6':
      return 'foster-other';
    case 'K1':
    case 'K2':
    case 'R1':
      return 'residential';
    case 'K3':
    case 'H5':
      return 'supported';
    case 'P1':
      return 'with-parents';
    case 'P2':
      return 'independent-living';
    default:
      return 'other';
  }
}

export interface SufficiencyMonth {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly monthEnd: BusinessDate;
  /** The date counted: the month end, or today for the month not yet over. */
  readonly snapshotDate: BusinessDate;
  readonly childrenPlaced: number;
  readonly byPlacementType: Readonly<Record<PlacementGroup, number>>;
  /** Children placed in the authority's own provision (PLACE_PROVIDER PR1). */
  readonly inHouse: number;
  readonly inHouseSharePercent: number | null;
  /** Residential → foster step-downs completed in the month. */
  readonly stepDownsCompleted: number;
  /** Nights emergency beds were occupied in the month (up to today for the current month). */
  readonly emergencyBedNights: number;
  /** Emergency placements open at the snapshot date with no matched meeting for their home or household by then. */
  readonly unmatchedEmergencyPlacements: number;
  /** Children looked after at the snapshot date, placed or not (registered, and care not since ceased). */
  readonly childrenLookedAfter: number;
  /** Of them, children with no placement that night. */
  readonly lookedAfterNotPlaced: number;
  /** Periods of care that started in the month (up to the snapshot date). */
  readonly startedToBeLookedAfter: number;
  /** Periods of care that ceased in the month (a placement ended with an E-code REC). */
  readonly ceasedToBeLookedAfter: number;
  readonly careLeavers: CareLeaverCounts;
}

/**
 * Care leavers at the snapshot date: under 21, not looked after, whose last period of care ceased at
 * 18 or over, or at 16–17 to independent living (E5, E6); with their accommodation as last recorded by then.
 */
export interface CareLeaverCounts {
  readonly total: number;
  /** Staying put with their former foster carer. */
  readonly stayingPut: number;
  /** In 16+ supported accommodation. */
  readonly supportedAccommodation: number;
}

export interface SufficiencyTrends {
  readonly position: string;
  readonly months: readonly SufficiencyMonth[];
}

interface OpenPlacementRow {
  child_id: string;
  place: string;
  place_provider: string;
}

interface PeriodRow {
  child_id: string;
  start_date: string;
  end_date: string | null;
  reason_ceased: string | null;
  date_of_birth: string | null;
}

interface CareLeaverRow {
  child_id: string;
  from_date: string;
  accommodation: string;
}

const TO_INDEPENDENCE = new Set(['E5', 'E6']);

/** The care-leaver half of a month: periods of care and care leavers on `snapshotDate`. */
function careCounts(
  periods: readonly PeriodRow[],
  leavers: readonly CareLeaverRow[],
  placed: ReadonlySet<string>,
  month: { firstDay: BusinessDate },
  snapshotDate: BusinessDate,
): Pick<
  SufficiencyMonth,
  'childrenLookedAfter' | 'lookedAfterNotPlaced' | 'startedToBeLookedAfter' | 'ceasedToBeLookedAfter' | 'careLeavers'
> {
  const inMonth = (date: string | null) => date !== null && date >= month.firstDay && date <= snapshotDate;
  const lookedAfter = new Set(
    periods
      .filter((p) => p.start_date <= snapshotDate && (p.end_date === null || p.end_date > snapshotDate))
      .map((p) => p.child_id),
  );
  // Each child's last period ceased by the snapshot date, for those not looked after then.
  const lastCeased = new Map<string, PeriodRow>();
  for (const p of periods)
    if (p.end_date !== null && p.end_date <= snapshotDate && !lookedAfter.has(p.child_id)) {
      const before = lastCeased.get(p.child_id);
      if (before === undefined || (before.end_date ?? '') < p.end_date) lastCeased.set(p.child_id, p);
    }
  const careLeavers = [...lastCeased.values()].filter((p) => {
    if (p.date_of_birth === null || p.end_date === null) return false;
    const ageCeased = ageOn(p.date_of_birth, p.end_date);
    const isLeaver = ageCeased >= 18 || (ageCeased >= 16 && TO_INDEPENDENCE.has(p.reason_ceased ?? ''));
    return isLeaver && ageOn(p.date_of_birth, snapshotDate) < 21;
  });
  const accommodation = (childId: string) =>
    leavers
      .filter((l) => l.child_id === childId && l.from_date <= snapshotDate)
      .reduce<CareLeaverRow | undefined>((last, l) => (last && last.from_date > l.from_date ? last : l), undefined)
      ?.accommodation;
  const living = careLeavers.map((p) => accommodation(p.child_id));
  return {
    childrenLookedAfter: lookedAfter.size,
    lookedAfterNotPlaced: [...lookedAfter].filter((childId) => !placed.has(childId)).length,
    startedToBeLookedAfter: periods.filter((p) => inMonth(p.start_date)).length,
    ceasedToBeLookedAfter: periods.filter((p) => inMonth(p.end_date)).length,
    careLeavers: {
      total: careLeavers.length,
      stayingPut: living.filter((a) => a === 'staying-put').length,
      supportedAccommodation: living.filter((a) => a === 'supported-16-plus').length,
    },
  };
}

interface StayRow {
  start_date: string;
  end_date: string | null;
}

export function readSufficiencyTrends(
  db: ReadModelDb,
  position: bigint,
  today: BusinessDate,
  monthCount: number,
): SufficiencyTrends {
  const periods = db.all<PeriodRow>(
    `SELECT p.child_id, p.start_date, p.end_date, p.reason_ceased, c.date_of_birth
       FROM sufficiency_care_periods p LEFT JOIN sufficiency_children c ON c.child_id = p.child_id`,
  );
  const leavers = db.all<CareLeaverRow>('SELECT child_id, from_date, accommodation FROM sufficiency_care_leavers');
  const months = monthsEndingWith(today, monthCount).map((month): SufficiencyMonth => {
    const snapshotDate = minDate(month.lastDay, today);
    const open = db.all<OpenPlacementRow>(
      'SELECT child_id, place, place_provider FROM sufficiency_placements ' +
        'WHERE start_date <= ? AND (end_date IS NULL OR end_date > ?)',
      snapshotDate,
      snapshotDate,
    );
    const byPlacementType = Object.fromEntries(PLACEMENT_GROUPS.map((g) => [g, 0])) as Record<PlacementGroup, number>;
    for (const row of open) byPlacementType[placementGroupOf(row.place)] += 1;
    const childrenPlaced = new Set(open.map((r) => r.child_id)).size;
    const inHouse = open.filter((r) => r.place_provider === 'PR1').length;

    const stepDowns =
      db.get<{ n: number }>(
        'SELECT COUNT(*) AS n FROM sufficiency_step_downs WHERE completed_on >= ? AND completed_on <= ?',
        month.firstDay,
        snapshotDate,
      )?.n ?? 0;

    const window = { from: month.firstDay, until: addDays(snapshotDate, 1) };
    const stays = db.all<StayRow>(
      'SELECT start_date, end_date FROM sufficiency_emergency_bed_stays ' +
        'WHERE start_date < ? AND (end_date IS NULL OR end_date > ?)',
      window.until,
      window.from,
    );
    const emergencyBedNights = stays.reduce(
      (n, s) => n + nightsInWindow({ from: s.start_date, until: s.end_date }, window),
      0,
    );

    const unmatched =
      db.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM sufficiency_placements p
          WHERE p.unmatched_emergency = 1 AND p.start_date <= ? AND (p.end_date IS NULL OR p.end_date > ?)
            AND NOT EXISTS (
              SELECT 1 FROM sufficiency_meetings m
               WHERE m.referral_id = p.referral_id AND m.decision = 'matched' AND m.held_on <= ?
                 AND ((p.unit_kind = 'bed' AND m.unit_kind = 'setting' AND m.unit_ref = p.unit_ref)
                   OR (p.unit_kind = 'household' AND m.unit_kind = 'household' AND m.unit_ref = p.unit_ref)
                   OR (p.unit_kind IN ('block-bed', 'external') AND m.unit_kind = 'other')))`,
        snapshotDate,
        snapshotDate,
        snapshotDate,
      )?.n ?? 0;

    return {
      month: month.month,
      monthEnd: month.lastDay,
      snapshotDate,
      childrenPlaced,
      byPlacementType,
      inHouse,
      inHouseSharePercent: open.length === 0 ? null : Math.round((inHouse / open.length) * 1000) / 10,
      stepDownsCompleted: stepDowns,
      emergencyBedNights,
      unmatchedEmergencyPlacements: unmatched,
      ...careCounts(periods, leavers, new Set(open.map((r) => r.child_id)), month, snapshotDate),
    };
  });
  return { position: position.toString(), months };
}
