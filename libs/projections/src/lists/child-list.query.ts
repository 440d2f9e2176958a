import type { BusinessDate, ChildSex, UnitRef } from '@placement/domain';
import type { ReadModelDb } from '../read-model-db';
import type { ListedMilestone } from './child-list.projection';
import { either, inSettings, listPage, type ListOptions, type Page, type PageRequest, type Where } from './page';

export interface ChildListItem {
  readonly childId: string;
  readonly sex: ChildSex;
  readonly dateOfBirth: BusinessDate;
  readonly legalStatus: string | null;
  /** The placement the child lives in today, or null when none is open today. */
  readonly livesAt: {
    readonly placementId: string;
    readonly unit: UnitRef;
    readonly since: BusinessDate;
    /** A recorded end still to come; null while open-ended. */
    readonly until: BusinessDate | null;
  } | null;
}

export interface PlacementListItem {
  readonly placementId: string;
  readonly childId: string;
  readonly unit: UnitRef;
  readonly place: string;
  readonly placeProvider: string;
  readonly legalStatus: string;
  readonly startDate: BusinessDate;
  readonly endDate: BusinessDate | null;
  /** Not ended on or before today (London). */
  readonly open: boolean;
  readonly emergency: boolean;
  readonly referralId: string | null;
  readonly stepDownId: string | null;
  readonly reasonForChange: string | null;
  readonly reasonEpisodeCeased: string | null;
}

export type StepDownStatus = 'planned' | 'completed' | 'abandoned';

export interface StepDownListItem {
  readonly stepDownId: string;
  readonly childId: string;
  readonly fromPlacementId: string;
  /** The home stepped down from (null if the placement was not in one of our homes' beds). */
  readonly fromSettingId: string | null;
  readonly toHouseholdId: string;
  readonly plannedDate: BusinessDate;
  readonly status: StepDownStatus;
  readonly milestones: readonly ListedMilestone[];
  readonly newPlacementId: string | null;
  readonly completedOn: BusinessDate | null;
  readonly abandoned: { readonly on: BusinessDate; readonly reason: string } | null;
}

export interface ChildListFilter {
  /** Children living today in this home / with this household. */
  readonly settingId?: string;
  readonly householdId?: string;
}

export interface PlacementListFilter {
  readonly open?: boolean;
  readonly settingId?: string;
  readonly householdId?: string;
}

export interface StepDownListFilter {
  readonly status?: StepDownStatus;
}

/** A placement row that is open on `today`: started on or before it and not ended by it. */
const OPEN_ON = (alias: string) => `${alias}.start_date <= ? AND (${alias}.end_date IS NULL OR ${alias}.end_date > ?)`;

/** Children who live today in one of the scope's homes. */
function livingInScope(column: string, settingIds: readonly string[], today: BusinessDate): Where {
  const homes = inSettings('h.setting_id', settingIds);
  return {
    sql: `${column} IN (SELECT h.child_id FROM list_placements h WHERE ${homes.sql} AND ${OPEN_ON('h')})`,
    params: [...homes.params, today, today],
  };
}

/** Rows of one of the scope's homes, and every row of a child who lives in one of them today. */
function inScope(
  settingColumn: string,
  childColumn: string,
  settingIds: readonly string[],
  today: BusinessDate,
): Where {
  return either(inSettings(settingColumn, settingIds), livingInScope(childColumn, settingIds, today));
}

interface ChildRow {
  child_id: string;
  sex: ChildSex;
  date_of_birth: string;
  legal_status: string | null;
  placement_id: string | null;
  unit: string | null;
  start_date: string | null;
  end_date: string | null;
}

/**
 * Who lives where today. A residential manager sees only the children living in the homes
 * they keep.
 */
export function readChildList(
  db: ReadModelDb,
  position: bigint,
  options: ListOptions<ChildListFilter>,
  request: PageRequest,
): Page<ChildListItem> {
  const { today, filter, scope } = options;
  const where: Where[] = [];
  if (filter.settingId !== undefined) where.push({ sql: 'p.setting_id = ?', params: [filter.settingId] });
  if (filter.householdId !== undefined) where.push({ sql: 'p.household_id = ?', params: [filter.householdId] });
  if (scope !== null) where.push(livingInScope('c.child_id', scope.settingIds, today));
  return listPage(
    db,
    position,
    {
      select: `SELECT c.child_id, c.sex, c.date_of_birth, c.legal_status, p.placement_id, p.unit, p.start_date,
        p.end_date
        FROM list_children c LEFT JOIN list_placements p ON p.placement_id = (
          SELECT q.placement_id FROM list_placements q WHERE q.child_id = c.child_id AND ${OPEN_ON('q')}
          ORDER BY q.start_date DESC, q.placement_id DESC LIMIT 1)`,
      selectParams: [today, today],
      where,
      keys: ['c.child_id'],
      keyOf: (row) => [row.child_id],
    },
    request,
    (r: ChildRow) => ({
      childId: r.child_id,
      sex: r.sex,
      dateOfBirth: r.date_of_birth,
      legalStatus: r.legal_status,
      livesAt:
        r.placement_id !== null && r.unit !== null && r.start_date !== null
          ? { placementId: r.placement_id, unit: JSON.parse(r.unit) as UnitRef, since: r.start_date, until: r.end_date }
          : null,
    }),
  );
}

interface PlacementRow {
  placement_id: string;
  child_id: string;
  unit: string;
  place: string;
  place_provider: string;
  legal_status: string;
  start_date: string;
  end_date: string | null;
  emergency: number;
  referral_id: string | null;
  step_down_id: string | null;
  reason_for_change: string | null;
  reason_episode_ceased: string | null;
}

/**
 * Placements in start-date order. A residential manager sees the placements made in the
 * homes they keep, and every placement of a child who lives in one of them today.
 */
export function readPlacementList(
  db: ReadModelDb,
  position: bigint,
  options: ListOptions<PlacementListFilter>,
  request: PageRequest,
): Page<PlacementListItem> {
  const { today, filter, scope } = options;
  const where: Where[] = [];
  if (filter.open === true) where.push({ sql: 'p.end_date IS NULL OR p.end_date > ?', params: [today] });
  if (filter.open === false) where.push({ sql: 'p.end_date IS NOT NULL AND p.end_date <= ?', params: [today] });
  if (filter.settingId !== undefined) where.push({ sql: 'p.setting_id = ?', params: [filter.settingId] });
  if (filter.householdId !== undefined) where.push({ sql: 'p.household_id = ?', params: [filter.householdId] });
  if (scope !== null) where.push(inScope('p.setting_id', 'p.child_id', scope.settingIds, today));
  return listPage(
    db,
    position,
    {
      select: 'SELECT p.* FROM list_placements p',
      where,
      keys: ['p.start_date', 'p.placement_id'],
      keyOf: (row) => [row.start_date, row.placement_id],
    },
    request,
    (r: PlacementRow) => ({
      placementId: r.placement_id,
      childId: r.child_id,
      unit: JSON.parse(r.unit) as UnitRef,
      place: r.place,
      placeProvider: r.place_provider,
      legalStatus: r.legal_status,
      startDate: r.start_date,
      endDate: r.end_date,
      open: r.end_date === null || r.end_date > today,
      emergency: r.emergency === 1,
      referralId: r.referral_id,
      stepDownId: r.step_down_id,
      reasonForChange: r.reason_for_change,
      reasonEpisodeCeased: r.reason_episode_ceased,
    }),
  );
}

interface StepDownRow {
  step_down_id: string;
  child_id: string;
  from_placement_id: string;
  from_setting_id: string | null;
  to_household_id: string;
  planned_date: string;
  status: StepDownStatus;
  milestones: string;
  new_placement_id: string | null;
  completed_on: string | null;
  abandoned_on: string | null;
  abandon_reason: string | null;
}

/**
 * Step-downs in planned-date order. A residential manager sees the step-downs from the homes
 * they keep, and those of a child who lives in one of them today.
 */
export function readStepDownList(
  db: ReadModelDb,
  position: bigint,
  options: ListOptions<StepDownListFilter>,
  request: PageRequest,
): Page<StepDownListItem> {
  const { today, filter, scope } = options;
  const where: Where[] = [];
  if (filter.status !== undefined) where.push({ sql: 's.status = ?', params: [filter.status] });
  if (scope !== null) where.push(inScope('s.from_setting_id', 's.child_id', scope.settingIds, today));
  return listPage(
    db,
    position,
    {
      select: 'SELECT s.* FROM list_step_downs s',
      where,
      keys: ['s.planned_date', 's.step_down_id'],
      keyOf: (row) => [row.planned_date, row.step_down_id],
    },
    request,
    (r: StepDownRow) => ({
      stepDownId: r.step_down_id,
      childId: r.child_id,
      fromPlacementId: r.from_placement_id,
      fromSettingId: r.from_setting_id,
      toHouseholdId: r.to_household_id,
      plannedDate: r.planned_date,
      status: r.status,
      milestones: JSON.parse(r.milestones) as ListedMilestone[],
      newPlacementId: r.new_placement_id,
      completedOn: r.completed_on,
      abandoned: r.abandoned_on !== null ? { on: r.abandoned_on, reason: r.abandon_reason ?? 'other' } : null,
    }),
  );
}

/** The children a residential manager's lists include: those living today in the homes they keep. */
export function childrenLivingIn(db: ReadModelDb, settingIds: readonly string[], today: BusinessDate): Set<string> {
  const living = livingInScope('c.child_id', settingIds, today);
  const rows = db.all<{ child_id: string }>(
    `SELECT c.child_id FROM list_children c WHERE ${living.sql}`,
    ...living.params,
  );
  return new Set(rows.map((r) => r.child_id));
}
