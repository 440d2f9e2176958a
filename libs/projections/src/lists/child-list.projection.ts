import { exhaustive, type Milestone, type MilestoneOutcome, type UnitRef } from '@placement/domain';
import { foldOf, type Projection, tablesOf } from '../projection';
import type { ReadModelDb } from '../read-model-db';
import { setRow } from './set-row';

/**
 * Children, their placements and their step-downs, as lists a placement team reads: who
 * lives where (a placement's unit and dates), open and ended placements by home or
 * household, step-downs by status. Dates are kept as recorded; "open" and "lives there
 * now" are decided on read against today's London date, so a planned date needs no clock here.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS list_children (
  child_id TEXT PRIMARY KEY, sex TEXT NOT NULL, date_of_birth TEXT NOT NULL, legal_status TEXT,
    position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS list_placements (
  placement_id TEXT PRIMARY KEY, child_id TEXT NOT NULL, unit TEXT NOT NULL, unit_kind TEXT NOT NULL, setting_id TEXT,
  household_id TEXT, contract_id TEXT, place TEXT NOT NULL, place_provider TEXT NOT NULL, legal_status TEXT NOT NULL,
  start_date TEXT NOT NULL, end_date TEXT, emergency INTEGER NOT NULL, referral_id TEXT, step_down_id TEXT,
    reason_for_change TEXT, reason_episode_ceased TEXT, position INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS list_placements_order ON list_placements (start_date, placement_id);
CREATE INDEX IF NOT EXISTS list_placements_child ON list_placements (child_id, start_date);
CREATE INDEX IF NOT EXISTS list_placements_setting ON list_placements (setting_id, start_date);
CREATE INDEX IF NOT EXISTS list_placements_household ON list_placements (household_id, start_date);
CREATE TABLE IF NOT EXISTS list_step_downs (
  step_down_id TEXT PRIMARY KEY, child_id TEXT NOT NULL, from_placement_id TEXT NOT NULL, from_setting_id TEXT,
  to_household_id TEXT NOT NULL, planned_date TEXT NOT NULL, status TEXT NOT NULL, milestones TEXT NOT NULL,
  new_placement_id TEXT, completed_on TEXT, abandoned_on TEXT, abandon_reason TEXT, position INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS list_step_downs_order ON list_step_downs (planned_date, step_down_id);
CREATE INDEX IF NOT EXISTS list_step_downs_child ON list_step_downs (child_id);
`;

/** A milestone as the list shows it: planned, then its latest recorded outcome. */
export interface ListedMilestone extends Milestone {
  readonly outcome: MilestoneOutcome | null;
  readonly recordedOn: string | null;
}

/** The home, household or contract a unit belongs to: the columns lists filter on. */
function placeOf(unit: UnitRef): { settingId: string | null; householdId: string | null; contractId: string | null } {
  switch (unit.kind) {
    case 'bed':
      return { settingId: unit.settingId, householdId: null, contractId: null };
    case 'household':
      return { settingId: null, householdId: unit.householdId, contractId: null };
    case 'block-bed':
      return { settingId: null, householdId: null, contractId: unit.contractId };
    case 'external':
      return { settingId: null, householdId: null, contractId: null };
    default:
      return exhaustive(unit);
  }
}

const fold = foldOf({
  ChildRegistered(d, tx, at) {
    tx.run(
      `INSERT INTO list_children (child_id, sex, date_of_birth, legal_status, position) VALUES (?, ?, ?, NULL, ?)
       ON CONFLICT (child_id) DO UPDATE SET sex = excluded.sex, date_of_birth = excluded.date_of_birth,
         position = excluded.position`,
      d.childId,
      d.sex,
      d.dateOfBirth,
      at,
    );
  },
  PlacementStarted(d, tx, at) {
    const where = placeOf(d.unit);
    tx.run(
      `INSERT OR REPLACE INTO list_placements (placement_id, child_id, unit, unit_kind, setting_id, household_id,
         contract_id,
         place, place_provider, legal_status, start_date, end_date, emergency, referral_id, step_down_id,
         reason_for_change, reason_episode_ceased, position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, NULL, ?)`,
      d.placementId,
      d.childId,
      JSON.stringify(d.unit),
      d.unit.kind,
      where.settingId,
      where.householdId,
      where.contractId,
      d.place,
      d.placeProvider,
      d.legalStatus,
      d.startDate,
      d.emergency ? 1 : 0,
      d.referralId,
      d.stepDownId,
      at,
    );
    // Like the child's own fold: a placement carries the legal status it started under.
    setLegalStatus(tx, d.childId, d.legalStatus, at);
  },
  PlacementEnded(d, tx, at) {
    tx.run(
      `UPDATE list_placements SET end_date = ?, reason_for_change = ?, reason_episode_ceased = ?, position = ?
       WHERE placement_id = ?`,
      d.endDate,
      d.reasonForChange,
      d.reasonEpisodeCeased,
      at,
      d.placementId,
    );
  },
  LegalStatusChanged(d, tx, at) {
    setLegalStatus(tx, d.childId, d.legalStatus, at);
  },
  StepDownPlanned(d, tx, at) {
    const milestones: ListedMilestone[] = d.milestones.map((m) => ({ ...m, outcome: null, recordedOn: null }));
    // The home it steps down from: the placement's setting (null for a placement that is not a bed).
    tx.run(
      `INSERT OR REPLACE INTO list_step_downs (step_down_id, child_id, from_placement_id, from_setting_id,
         to_household_id,
         planned_date, status, milestones, new_placement_id, completed_on, abandoned_on, abandon_reason, position)
       VALUES (?, ?, ?, (SELECT setting_id FROM list_placements WHERE placement_id = ?), ?, ?, 'planned', ?, NULL,
         NULL, NULL, NULL, ?)`,
      d.stepDownId,
      d.childId,
      d.fromPlacementId,
      d.fromPlacementId,
      d.toHouseholdId,
      d.plannedDate,
      JSON.stringify(milestones),
      at,
    );
  },
  StepDownMilestoneRecorded(d, tx, at) {
    const row = tx.get<{ milestones: string }>(
      'SELECT milestones FROM list_step_downs WHERE step_down_id = ?',
      d.stepDownId,
    );
    if (row === undefined) return;
    const milestones = (JSON.parse(row.milestones) as ListedMilestone[]).map((m) =>
      m.milestoneId === d.milestoneId ? { ...m, outcome: d.outcome, recordedOn: d.date } : m,
    );
    setRow(tx, 'list_step_downs', d.stepDownId, 'milestones = ?', [JSON.stringify(milestones)], at);
  },
  StepDownCompleted(d, tx, at) {
    setRow(
      tx,
      'list_step_downs',
      d.stepDownId,
      "status = 'completed', new_placement_id = ?, completed_on = ?",
      [d.newPlacementId, d.date],
      at,
    );
  },
  StepDownAbandoned(d, tx, at) {
    setRow(
      tx,
      'list_step_downs',
      d.stepDownId,
      "status = 'abandoned', abandoned_on = ?, abandon_reason = ?",
      [d.date, d.reason],
      at,
    );
  },
});

function setLegalStatus(tx: ReadModelDb, childId: string, legalStatus: string, at: bigint): void {
  setRow(tx, 'list_children', childId, 'legal_status = ?', [legalStatus], at);
}

export const childListProjection: Projection = {
  name: 'child-list',
  version: 1,
  tables: tablesOf(SCHEMA),
  schema: SCHEMA,
  ...fold,
};
