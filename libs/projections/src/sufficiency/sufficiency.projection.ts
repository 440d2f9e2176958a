import { endsPeriodOfCare, exhaustive } from '@placement/domain';
import type { PlacementStarted } from '@placement/domain';
import { foldOf, type Projection, tablesOf } from '../projection';
import type { ReadModelDb } from '../read-model-db';
import { londonDateOf } from '../calendar';

/**
 * Sufficiency trends keep dated facts (placements, emergency-bed stays, completed
 * step-downs, matching meetings) and count any month end from them on request, so a
 * back-dated event lands in the right month however late it is recorded.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS sufficiency_placements (
  placement_id TEXT PRIMARY KEY, child_id TEXT NOT NULL, place TEXT NOT NULL, place_provider TEXT NOT NULL,
  unit_kind TEXT NOT NULL, unit_ref TEXT, start_date TEXT NOT NULL, end_date TEXT, unmatched_emergency INTEGER NOT NULL,
  referral_id TEXT);
CREATE INDEX IF NOT EXISTS sufficiency_placements_start ON sufficiency_placements (start_date);
CREATE TABLE IF NOT EXISTS sufficiency_emergency_bed_stays (
  setting_id TEXT NOT NULL, bed_id TEXT NOT NULL, placement_id TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT,
  PRIMARY KEY (setting_id, bed_id, placement_id));
CREATE TABLE IF NOT EXISTS sufficiency_step_downs (
  step_down_id TEXT PRIMARY KEY, completed_on TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sufficiency_meetings (
  referral_id TEXT NOT NULL, meeting_id TEXT NOT NULL, held_on TEXT NOT NULL, decision TEXT NOT NULL,
  unit_kind TEXT NOT NULL, unit_ref TEXT NOT NULL, PRIMARY KEY (referral_id, meeting_id));
CREATE TABLE IF NOT EXISTS sufficiency_children (child_id TEXT PRIMARY KEY, date_of_birth TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sufficiency_care_periods (
  period_id INTEGER PRIMARY KEY AUTOINCREMENT, child_id TEXT NOT NULL, start_date TEXT NOT NULL,
  placed INTEGER NOT NULL, end_date TEXT, reason_ceased TEXT, ended_by TEXT);
CREATE INDEX IF NOT EXISTS sufficiency_care_periods_child ON sufficiency_care_periods (child_id);
CREATE TABLE IF NOT EXISTS sufficiency_care_leavers (
  child_id TEXT NOT NULL, from_date TEXT NOT NULL, accommodation TEXT NOT NULL, PRIMARY KEY (child_id, from_date));
`;

interface OpenPeriodRow {
  period_id: number;
  start_date: string;
  placed: number;
}

/**
 * A period of care opens when the child is registered (looked after from that London day) or, after
 * one ceased, when a placement starts; a first placement dated earlier moves the start back to it.
 * It closes on the day a placement ends with an E-code REC.
 */
function openPeriod(tx: ReadModelDb, childId: string): OpenPeriodRow | undefined {
  return tx.get<OpenPeriodRow>(
    'SELECT period_id, start_date, placed FROM sufficiency_care_periods WHERE child_id = ? AND end_date IS NULL',
    childId,
  );
}

function periodPlaced(tx: ReadModelDb, childId: string, startDate: string): void {
  const open = openPeriod(tx, childId);
  if (open === undefined) {
    tx.run('INSERT INTO sufficiency_care_periods (child_id, start_date, placed) VALUES (?, ?, 1)', childId, startDate);
    return;
  }
  const start = open.placed === 0 && startDate < open.start_date ? startDate : open.start_date;
  tx.run('UPDATE sufficiency_care_periods SET start_date = ?, placed = 1 WHERE period_id = ?', start, open.period_id);
}

/** The home or household a placement is with, in the terms a matching meeting names it. */
function unitRefOf(unit: PlacementStarted['data']['unit']): string | null {
  switch (unit.kind) {
    case 'bed':
      return unit.settingId;
    case 'household':
      return unit.householdId;
    case 'block-bed':
    case 'external':
      return null;
    default:
      return exhaustive(unit);
  }
}

const fold = foldOf({
  ChildRegistered(d, tx, _at, recorded) {
    tx.run(
      'INSERT OR REPLACE INTO sufficiency_children (child_id, date_of_birth) VALUES (?, ?)',
      d.childId,
      d.dateOfBirth,
    );
    if (openPeriod(tx, d.childId) === undefined)
      tx.run(
        'INSERT INTO sufficiency_care_periods (child_id, start_date, placed) VALUES (?, ?, 0)',
        d.childId,
        londonDateOf(recorded.metadata.recordedAt),
      );
  },
  CareLeaverRecorded(d, tx) {
    tx.run(
      'INSERT OR REPLACE INTO sufficiency_care_leavers (child_id, from_date, accommodation) VALUES (?, ?, ?)',
      d.childId,
      d.from,
      d.accommodation,
    );
  },
  PlacementEndWithdrawn(d, tx) {
    tx.run(
      `UPDATE sufficiency_care_periods SET end_date = NULL, reason_ceased = NULL, ended_by = NULL
        WHERE child_id = ? AND ended_by = ?`,
      d.childId,
      d.placementId,
    );
    tx.run('UPDATE sufficiency_placements SET end_date = NULL WHERE placement_id = ?', d.placementId);
  },
  PlacementStarted(d, tx) {
    periodPlaced(tx, d.childId, d.startDate);
    tx.run(
      `INSERT OR REPLACE INTO sufficiency_placements (placement_id, child_id, place, place_provider, unit_kind, ` +
        `unit_ref, start_date, end_date, unmatched_emergency, referral_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      d.placementId,
      d.childId,
      d.place,
      d.placeProvider,
      d.unit.kind,
      unitRefOf(d.unit),
      d.startDate,
      d.unmatchedEmergency ? 1 : 0,
      d.referralId,
    );
  },
  PlacementEnded(d, tx) {
    tx.run('UPDATE sufficiency_placements SET end_date = ? WHERE placement_id = ?', d.endDate, d.placementId);
    const open = openPeriod(tx, d.childId);
    if (open !== undefined && endsPeriodOfCare(d.reasonEpisodeCeased))
      tx.run(
        'UPDATE sufficiency_care_periods SET end_date = ?, reason_ceased = ?, ended_by = ? WHERE period_id = ?',
        d.endDate,
        d.reasonEpisodeCeased,
        d.placementId,
        open.period_id,
      );
  },
  StepDownCompleted(d, tx) {
    // The child decider only plans a step-down from a residential placement into a household.
    tx.run(
      'INSERT OR REPLACE INTO sufficiency_step_downs (step_down_id, completed_on) VALUES (?, ?)',
      d.stepDownId,
      d.date,
    );
  },
  BedOccupied(d, tx) {
    if (d.bedKind !== 'emergency') return;
    tx.run(
      'INSERT OR REPLACE INTO sufficiency_emergency_bed_stays (setting_id, bed_id, placement_id, start_date, ' +
        'end_date) VALUES (?, ?, ?, ?, NULL)',
      d.settingId,
      d.bedId,
      d.placementId,
      d.startDate,
    );
  },
  BedVacated(d, tx) {
    tx.run(
      'UPDATE sufficiency_emergency_bed_stays SET end_date = ? WHERE setting_id = ? AND bed_id = ? AND ' +
        'placement_id = ? AND end_date IS NULL',
      d.date,
      d.settingId,
      d.bedId,
      d.placementId,
    );
  },
  MatchingMeetingHeld(d, tx) {
    const unit = d.unitConsidered;
    const ref = unit.kind === 'setting' ? unit.settingId : unit.kind === 'household' ? unit.householdId : unit.ref;
    tx.run(
      'INSERT OR REPLACE INTO sufficiency_meetings (referral_id, meeting_id, held_on, decision, unit_kind, ' +
        'unit_ref) VALUES (?, ?, ?, ?, ?, ?)',
      d.referralId,
      d.meetingId,
      d.heldOn,
      d.decision,
      unit.kind,
      ref,
    );
  },
});

export const sufficiencyProjection: Projection = {
  name: 'sufficiency',
  version: 2,
  tables: tablesOf(SCHEMA),
  schema: SCHEMA,
  ...fold,
};
