import {
  addDays,
  type BedDepartureWithdrawn,
  type BedVacated,
  type BusinessDate,
  type ChildLeftHousehold,
  type HouseholdDepartureWithdrawn,
  type MatchingMeetingHeld,
  type SettingRegistered,
  type SettingRegistrationChanged,
  type StepDownAbandoned,
  type StepDownCompleted,
  type UnitRef,
  unitRefOf,
} from '@placement/domain';
import { londonDateOf } from '../calendar';
import { foldOf, type Projection, tablesOf } from '../projection';
import type { ReadModelDb } from '../read-model-db';

/**
 * Work queues: what needs someone's attention. The fold keeps each alert's dated facts; whether
 * it shows is decided when it is read, on that day's date (and instant), so an alert that a
 * date brings (an 18th birthday coming, a hold about to lapse, a milestone overdue, a void
 * growing long, an emergency stay past its working days) appears without a new event.
 *
 * Each row of `alerts` shows, until the event that answers it clears it, when its condition holds:
 * - `date`: on and after `due_date` (a London date);
 * - `instant`: at and after `due_instant`;
 * - `working-days`: once the stay from `start_date` is past the working-day limit (the reader
 *   counts with the bank-holiday calendar, which is reference data, not the log);
 * and, whatever the condition, before `end_date` if one is set. Dates are facts recorded ahead of
 * time: a placement ending next week or a planned departure keeps its alerts until that date (the
 * child still lives there), a planned end withdrawn keeps them open-ended again, and a fact such as
 * a child left with no placement shows from its date.
 */
/** The rules, by their stable codes, in the order a queue groups them. */
export const ALERT_RULES = [
  'UNMATCHED_EMERGENCY',
  'EMERGENCY_STAY_OVERDUE',
  'PLACED_AGAINST_EXCLUSION',
  'AGED_18_IN_HOME_REGISTERED_TO_17',
  'NO_OPEN_PLACEMENT',
  'STEP_DOWN_MILESTONE_OVERDUE',
  'HOLD_LAPSING',
  'BLOCK_BED_VOID',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export type AlertCondition = 'date' | 'instant' | 'working-days';

/** Days before the 18th birthday that a young person in a home registered up to 17 shows. */
export const TURNING_18_NOTICE_DAYS = 90;
/** How long before a hold lapses it shows. */
export const HOLD_LAPSING_NOTICE_MS = 2 * 60 * 60 * 1000;
/** A block-booked bed shows once it has been void for more than this many nights. */
export const BLOCK_BED_VOID_NIGHTS = 7;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (
  alert_id TEXT PRIMARY KEY, rule TEXT NOT NULL, condition TEXT NOT NULL, arose TEXT NOT NULL, since TEXT,
  due_date TEXT, end_date TEXT, due_instant TEXT, start_date TEXT,
  child_id TEXT, unit TEXT, setting_id TEXT, household_id TEXT, contract_id TEXT,
  placement_id TEXT, referral_id TEXT, step_down_id TEXT, milestone_id TEXT, link TEXT NOT NULL,
  position INTEGER NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS alerts_order ON alerts (arose, alert_id);
CREATE INDEX IF NOT EXISTS alerts_placement ON alerts (placement_id);
CREATE INDEX IF NOT EXISTS alerts_setting ON alerts (setting_id);
CREATE TABLE IF NOT EXISTS alerts_children (
  child_id TEXT PRIMARY KEY, date_of_birth TEXT NOT NULL, registered_on TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alerts_placements (
  placement_id TEXT PRIMARY KEY, child_id TEXT NOT NULL, unit TEXT NOT NULL, setting_id TEXT, unit_key TEXT NOT NULL,
  referral_id TEXT, start_date TEXT NOT NULL, unmatched_emergency INTEGER NOT NULL, open INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS alerts_placements_child ON alerts_placements (child_id, open);
CREATE INDEX IF NOT EXISTS alerts_placements_setting ON alerts_placements (setting_id, open);
CREATE INDEX IF NOT EXISTS alerts_placements_referral ON alerts_placements (referral_id, unit_key, open);
CREATE TABLE IF NOT EXISTS alerts_settings (setting_id TEXT PRIMARY KEY, max_age INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS alerts_matched (referral_id TEXT NOT NULL, unit_key TEXT NOT NULL, meeting_id TEXT NOT NULL,
  PRIMARY KEY (referral_id, unit_key));
CREATE TABLE IF NOT EXISTS alerts_overrides (referral_id TEXT NOT NULL, meeting_id TEXT NOT NULL, code TEXT NOT NULL,
  PRIMARY KEY (referral_id, meeting_id, code));
CREATE TABLE IF NOT EXISTS alerts_block_beds (
  contract_id TEXT NOT NULL, bed_ref TEXT NOT NULL, end_date TEXT NOT NULL, PRIMARY KEY (contract_id, bed_ref));
`;

/** The unit an alert is about, by ids only. */
export type AlertUnit =
  | { readonly kind: 'bed'; readonly settingId: string; readonly bedId: string }
  | { readonly kind: 'household'; readonly householdId: string }
  | { readonly kind: 'block-bed'; readonly contractId: string; readonly bedRef: string }
  | { readonly kind: 'external'; readonly urn: string | null; readonly providerCode: string };

interface AlertRow {
  readonly alertId: string;
  readonly rule: AlertRule;
  readonly condition: AlertCondition;
  /** When the situation arose (the queue's order): a London date, or an instant for holds. */
  readonly arose: string;
  /** When the alert became due, if the fold can tell (null: the reader decides, by working days). */
  readonly since: string | null;
  readonly dueDate?: BusinessDate;
  readonly endDate?: BusinessDate | null;
  readonly dueInstant?: string;
  readonly startDate?: BusinessDate;
  readonly childId: string | null;
  readonly unit: AlertUnit | null;
  readonly settingId?: string | null;
  readonly householdId?: string | null;
  readonly contractId?: string | null;
  readonly placementId?: string | null;
  readonly referralId?: string | null;
  readonly stepDownId?: string | null;
  readonly milestoneId?: string | null;
  readonly link: string;
}

function raise(tx: ReadModelDb, row: AlertRow, at: bigint): void {
  tx.run(
    `INSERT OR REPLACE INTO alerts (alert_id, rule, condition, arose, since, due_date, end_date, due_instant,
       start_date,
       child_id, unit, setting_id, household_id, contract_id, placement_id, referral_id, step_down_id, milestone_id,
       link, position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    row.alertId,
    row.rule,
    row.condition,
    row.arose,
    row.since,
    row.dueDate ?? null,
    row.endDate ?? null,
    row.dueInstant ?? null,
    row.startDate ?? null,
    row.childId,
    row.unit === null ? null : JSON.stringify(row.unit),
    row.settingId ?? (row.unit?.kind === 'bed' ? row.unit.settingId : null),
    row.householdId ?? (row.unit?.kind === 'household' ? row.unit.householdId : null),
    row.contractId ?? (row.unit?.kind === 'block-bed' ? row.unit.contractId : null),
    row.placementId ?? null,
    row.referralId ?? null,
    row.stepDownId ?? null,
    row.milestoneId ?? null,
    row.link,
    at,
  );
}

function clear(tx: ReadModelDb, alertId: string): void {
  tx.run('DELETE FROM alerts WHERE alert_id = ?', alertId);
}

const childLink = (childId: string) => `/v1/children/${childId}`;

function alertUnit(unit: UnitRef): AlertUnit {
  const ref = unitRefOf(unit);
  return ref.kind === 'external' ? { kind: 'external', urn: ref.urn, providerCode: ref.provider.code } : ref;
}

/** What a matching meeting's unit must be to clear an emergency placed in this unit (as the domain's flag rule). */
function unitKey(unit: AlertUnit): string {
  if (unit.kind === 'bed') return `setting:${unit.settingId}`;
  if (unit.kind === 'household') return `household:${unit.householdId}`;
  return 'other';
}

function meetingUnitKey(unit: MatchingMeetingHeld['data']['unitConsidered']): string {
  if (unit.kind === 'setting') return `setting:${unit.settingId}`;
  if (unit.kind === 'household') return `household:${unit.householdId}`;
  return 'other';
}

/** The 18th birthday (29 February counts as 1 March in common years, as English law has it). */
export function eighteenthBirthday(dateOfBirth: BusinessDate): BusinessDate {
  const [year, month, day] = dateOfBirth.split('-').map(Number);
  const target = year + 18;
  const leap = (target % 4 === 0 && target % 100 !== 0) || target % 400 === 0;
  if (month === 2 && day === 29 && !leap) return `${target}-03-01`;
  return `${target}${dateOfBirth.slice(4)}`;
}

interface PlacementRow {
  placement_id: string;
  child_id: string;
  unit: string;
  setting_id: string | null;
  start_date: string;
}

/** Raises (or clears) the 18th-birthday alert of an open placement in a bed, from its home's registration. */
function reviewAdulthood(tx: ReadModelDb, placement: PlacementRow, at: bigint): void {
  const alertId = `AGED_18_IN_HOME_REGISTERED_TO_17:${placement.placement_id}`;
  const home =
    placement.setting_id === null
      ? undefined
      : tx.get<{ max_age: number }>('SELECT max_age FROM alerts_settings WHERE setting_id = ?', placement.setting_id);
  const child = tx.get<{ date_of_birth: string }>(
    'SELECT date_of_birth FROM alerts_children WHERE child_id = ?',
    placement.child_id,
  );
  if (home === undefined || home.max_age >= 18 || child === undefined) {
    clear(tx, alertId);
    return;
  }
  const due = addDays(eighteenthBirthday(child.date_of_birth), -TURNING_18_NOTICE_DAYS);
  const since = due > placement.start_date ? due : placement.start_date;
  raise(
    tx,
    {
      alertId,
      rule: 'AGED_18_IN_HOME_REGISTERED_TO_17',
      condition: 'date',
      arose: since,
      since,
      dueDate: due,
      childId: placement.child_id,
      unit: JSON.parse(placement.unit) as AlertUnit,
      placementId: placement.placement_id,
      link: childLink(placement.child_id),
    },
    at,
  );
}

/** A looked-after child with no open placement shows from `since` until one starts. */
function reviewNoPlacement(tx: ReadModelDb, childId: string, since: BusinessDate, at: bigint): void {
  const open = tx.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM alerts_placements WHERE child_id = ? AND open = 1',
    childId,
  );
  const alertId = `NO_OPEN_PLACEMENT:${childId}`;
  if ((open?.n ?? 0) > 0) {
    clear(tx, alertId);
    return;
  }
  raise(
    tx,
    {
      alertId,
      rule: 'NO_OPEN_PLACEMENT',
      condition: 'date',
      arose: since,
      since,
      dueDate: since,
      childId,
      unit: null,
      link: childLink(childId),
    },
    at,
  );
}

function voidAlert(
  tx: ReadModelDb,
  contractId: string,
  bedRef: string,
  voidFrom: BusinessDate,
  endDate: BusinessDate,
  at: bigint,
): void {
  const due = addDays(voidFrom, BLOCK_BED_VOID_NIGHTS + 1);
  raise(
    tx,
    {
      alertId: `BLOCK_BED_VOID:${contractId}.${bedRef}`,
      rule: 'BLOCK_BED_VOID',
      condition: 'date',
      arose: voidFrom,
      since: due,
      dueDate: due,
      endDate,
      childId: null,
      unit: { kind: 'block-bed', contractId, bedRef },
      link: `/v1/block-bookings/${contractId}`,
    },
    at,
  );
}

/** An alert that holds until a date: a planned end or departure (null: open-ended again, the plan withdrawn). */
function endsOn(tx: ReadModelDb, alertId: string, date: BusinessDate | null): void {
  tx.run('UPDATE alerts SET end_date = ? WHERE alert_id = ?', date, alertId);
}

/** An emergency stay begun: overdue once it outlasts the working-day limit, until its placement ends. */
function raiseEmergencyStay(
  tx: ReadModelDb,
  stay: {
    readonly placementId: string;
    readonly startDate: BusinessDate;
    readonly childId: string;
    readonly referralId: string | null;
  },
  unit: AlertUnit,
  at: bigint,
): void {
  raise(
    tx,
    {
      alertId: `EMERGENCY_STAY_OVERDUE:${stay.placementId}`,
      rule: 'EMERGENCY_STAY_OVERDUE',
      condition: 'working-days',
      arose: stay.startDate,
      since: null,
      startDate: stay.startDate,
      childId: stay.childId,
      unit,
      placementId: stay.placementId,
      referralId: stay.referralId,
      link: childLink(stay.childId),
    },
    at,
  );
}

/** The rules a placement's end (or a planned end withdrawn) bounds: they hold while the child lives there. */
const WHILE_PLACED = `('UNMATCHED_EMERGENCY', 'AGED_18_IN_HOME_REGISTERED_TO_17', 'PLACED_AGAINST_EXCLUSION')`;

interface OpenPlacementRow extends PlacementRow {
  referral_id: string | null;
}

/**
 * Raises (or clears) the override alert of each open placement of the referral in a unit: a placement
 * made in a unit the matching engine excluded, because the referral's meeting for that unit (its latest
 * matched one, as the placement rule reads it) set the engine's exclusion aside.
 */
function reviewOverrides(tx: ReadModelDb, referralId: string, key: string, at: bigint): void {
  const meeting = tx.get<{ meeting_id: string }>(
    'SELECT meeting_id FROM alerts_matched WHERE referral_id = ? AND unit_key = ?',
    referralId,
    key,
  );
  const codes =
    meeting === undefined
      ? []
      : tx.all<{ code: string }>(
          'SELECT code FROM alerts_overrides WHERE referral_id = ? AND meeting_id = ? ORDER BY code',
          referralId,
          meeting.meeting_id,
        );
  for (const placement of tx.all<OpenPlacementRow>(
    'SELECT * FROM alerts_placements WHERE referral_id = ? AND unit_key = ? AND open = 1',
    referralId,
    key,
  )) {
    const alertId = `PLACED_AGAINST_EXCLUSION:${placement.placement_id}`;
    if (codes.length === 0) {
      clear(tx, alertId);
      continue;
    }
    raise(
      tx,
      {
        alertId,
        rule: 'PLACED_AGAINST_EXCLUSION',
        condition: 'date',
        arose: placement.start_date,
        since: placement.start_date,
        dueDate: placement.start_date,
        childId: placement.child_id,
        unit: JSON.parse(placement.unit) as AlertUnit,
        placementId: placement.placement_id,
        referralId,
        link: `/v1/referrals/${referralId}`,
      },
      at,
    );
  }
}

/** A setting's registration, new or changed: its maximum age, and who in it is older. */
function setRegistration(
  d: SettingRegistered['data'] | SettingRegistrationChanged['data'],
  tx: ReadModelDb,
  at: bigint,
): void {
  tx.run(
    'INSERT OR REPLACE INTO alerts_settings (setting_id, max_age) VALUES (?, ?)',
    d.settingId,
    d.registration.ageRange.max,
  );
  for (const placement of tx.all<PlacementRow>(
    'SELECT * FROM alerts_placements WHERE setting_id = ? AND open = 1',
    d.settingId,
  ))
    reviewAdulthood(tx, placement, at);
}

/** The stay ends on the departure date (a planned departure is recorded ahead of it). */
function departed(d: BedVacated['data'] | ChildLeftHousehold['data'], tx: ReadModelDb): void {
  endsOn(tx, `EMERGENCY_STAY_OVERDUE:${d.placementId}`, d.date);
}

function departureWithdrawn(d: BedDepartureWithdrawn['data'] | HouseholdDepartureWithdrawn['data'], tx: ReadModelDb) {
  endsOn(tx, `EMERGENCY_STAY_OVERDUE:${d.placementId}`, null);
}

function stepDownClosed(d: StepDownCompleted['data'] | StepDownAbandoned['data'], tx: ReadModelDb): void {
  tx.run(`DELETE FROM alerts WHERE rule = 'STEP_DOWN_MILESTONE_OVERDUE' AND step_down_id = ?`, d.stepDownId);
}

const fold = foldOf({
  ChildRegistered(d, tx, at, recorded) {
    const registeredOn = londonDateOf(recorded.metadata.recordedAt);
    tx.run(
      'INSERT OR REPLACE INTO alerts_children (child_id, date_of_birth, registered_on) VALUES (?, ?, ?)',
      d.childId,
      d.dateOfBirth,
      registeredOn,
    );
    // Registered as looked after: until a placement starts, the child has none.
    reviewNoPlacement(tx, d.childId, registeredOn, at);
  },
  PlacementStarted(d, tx, at) {
    const unit = alertUnit(d.unit);
    const row: PlacementRow = {
      placement_id: d.placementId,
      child_id: d.childId,
      unit: JSON.stringify(unit),
      setting_id: unit.kind === 'bed' ? unit.settingId : null,
      start_date: d.startDate,
    };
    tx.run(
      `INSERT OR REPLACE INTO alerts_placements (placement_id, child_id, unit, setting_id, unit_key, referral_id,
         start_date, unmatched_emergency, open) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
      d.placementId,
      d.childId,
      row.unit,
      row.setting_id,
      unitKey(unit),
      d.referralId,
      d.startDate,
      d.emergency && d.unmatchedEmergency ? 1 : 0,
    );
    clear(tx, `NO_OPEN_PLACEMENT:${d.childId}`);
    const matched =
      d.referralId !== null &&
      tx.get('SELECT 1 AS m FROM alerts_matched WHERE referral_id = ? AND unit_key = ?', d.referralId, unitKey(unit));
    if (d.emergency && d.unmatchedEmergency && !matched)
      raise(
        tx,
        {
          alertId: `UNMATCHED_EMERGENCY:${d.placementId}`,
          rule: 'UNMATCHED_EMERGENCY',
          condition: 'date',
          arose: d.startDate,
          since: d.startDate,
          dueDate: d.startDate,
          childId: d.childId,
          unit,
          placementId: d.placementId,
          referralId: d.referralId,
          link: childLink(d.childId),
        },
        at,
      );
    reviewAdulthood(tx, row, at);
    if (d.referralId !== null) reviewOverrides(tx, d.referralId, unitKey(unit), at);
  },
  PlacementEnded(d, tx, at) {
    tx.run('UPDATE alerts_placements SET open = 0 WHERE placement_id = ?', d.placementId);
    // The child lives there until the end date (a planned end is recorded ahead of it).
    tx.run(
      `UPDATE alerts SET end_date = ? WHERE placement_id = ? AND rule IN ${WHILE_PLACED}`,
      d.endDate,
      d.placementId,
    );
    // An E-code ends the period of care; without one (or with X1) the child is still looked after.
    const ceased = d.reasonEpisodeCeased !== null && d.reasonEpisodeCeased !== 'X1';
    if (ceased) clear(tx, `NO_OPEN_PLACEMENT:${d.childId}`);
    else reviewNoPlacement(tx, d.childId, d.endDate, at);
  },
  PlacementEndWithdrawn(d, tx, at, recorded) {
    tx.run('UPDATE alerts_placements SET open = 1 WHERE placement_id = ?', d.placementId);
    tx.run(`UPDATE alerts SET end_date = NULL WHERE placement_id = ? AND rule IN ${WHILE_PLACED}`, d.placementId);
    reviewNoPlacement(tx, d.childId, londonDateOf(recorded.metadata.recordedAt), at);
  },
  MatchingExclusionOverridden(d, tx, at) {
    tx.run(
      'INSERT OR IGNORE INTO alerts_overrides (referral_id, meeting_id, code) VALUES (?, ?, ?)',
      d.referralId,
      d.meetingId,
      d.code,
    );
    reviewOverrides(tx, d.referralId, meetingUnitKey(d.unitConsidered), at);
  },
  MatchingMeetingHeld(d, tx, at) {
    if (d.decision !== 'matched') return;
    const key = meetingUnitKey(d.unitConsidered);
    // The latest matched meeting for a unit is the one a placement there is made under.
    tx.run(
      'INSERT OR REPLACE INTO alerts_matched (referral_id, unit_key, meeting_id) VALUES (?, ?, ?)',
      d.referralId,
      key,
      d.meetingId,
    );
    reviewOverrides(tx, d.referralId, key, at);
    tx.run(
      `DELETE FROM alerts WHERE rule = 'UNMATCHED_EMERGENCY' AND placement_id IN
         (SELECT placement_id FROM alerts_placements WHERE referral_id = ? AND unit_key = ?)`,
      d.referralId,
      key,
    );
  },
  SettingRegistered: setRegistration,
  SettingRegistrationChanged: setRegistration,
  BedOccupied(d, tx, at) {
    clear(tx, `HOLD_LAPSING:${d.settingId}.${d.bedId}`);
    if (d.bedKind === 'emergency')
      raiseEmergencyStay(tx, d, { kind: 'bed', settingId: d.settingId, bedId: d.bedId }, at);
  },
  BedVacated: departed,
  ChildLeftHousehold: departed,
  BedDepartureWithdrawn: departureWithdrawn,
  HouseholdDepartureWithdrawn: departureWithdrawn,
  ChildPlacedWithHousehold(d, tx, at) {
    // Placed with carers whose terms do not fit: allowed for the emergency working-day limit only.
    if (d.emergencyOutsideTerms) raiseEmergencyStay(tx, d, { kind: 'household', householdId: d.householdId }, at);
  },
  BedHeld(d, tx, at) {
    const until = new Date(d.until).getTime();
    const due = new Date(until - HOLD_LAPSING_NOTICE_MS).toISOString();
    raise(
      tx,
      {
        alertId: `HOLD_LAPSING:${d.settingId}.${d.bedId}`,
        rule: 'HOLD_LAPSING',
        condition: 'instant',
        arose: new Date(until).toISOString(),
        since: due,
        dueInstant: due,
        childId: d.childId,
        unit: { kind: 'bed', settingId: d.settingId, bedId: d.bedId },
        referralId: d.referralId,
        link: `/v1/referrals/${d.referralId}`,
      },
      at,
    );
  },
  BedHoldReleased(d, tx) {
    clear(tx, `HOLD_LAPSING:${d.settingId}.${d.bedId}`);
  },
  StepDownPlanned(d, tx, at) {
    const from = tx.get<{ unit: string }>(
      'SELECT unit FROM alerts_placements WHERE placement_id = ?',
      d.fromPlacementId,
    );
    for (const milestone of d.milestones) {
      const due = addDays(milestone.dueDate, 1);
      raise(
        tx,
        {
          alertId: `STEP_DOWN_MILESTONE_OVERDUE:${d.stepDownId}.${milestone.milestoneId}`,
          rule: 'STEP_DOWN_MILESTONE_OVERDUE',
          condition: 'date',
          arose: milestone.dueDate,
          since: due,
          dueDate: due,
          childId: d.childId,
          unit: from === undefined ? null : (JSON.parse(from.unit) as AlertUnit),
          householdId: d.toHouseholdId,
          placementId: d.fromPlacementId,
          stepDownId: d.stepDownId,
          milestoneId: milestone.milestoneId,
          link: childLink(d.childId),
        },
        at,
      );
    }
  },
  StepDownMilestoneRecorded(d, tx) {
    clear(tx, `STEP_DOWN_MILESTONE_OVERDUE:${d.stepDownId}.${d.milestoneId}`);
  },
  StepDownCompleted: stepDownClosed,
  StepDownAbandoned: stepDownClosed,
  BlockBookingContracted(d, tx, at) {
    for (const bedRef of d.beds) {
      tx.run(
        'INSERT OR REPLACE INTO alerts_block_beds (contract_id, bed_ref, end_date) VALUES (?, ?, ?)',
        d.contractId,
        bedRef,
        d.endDate,
      );
      voidAlert(tx, d.contractId, bedRef, d.startDate, d.endDate, at);
    }
  },
  BlockBedAllocated(d, tx) {
    // Void until the child arrives (an allocation may be booked ahead of its date).
    tx.run(
      `UPDATE alerts SET end_date = MIN(COALESCE(end_date, ?), ?) WHERE alert_id = ?`,
      d.date,
      d.date,
      `BLOCK_BED_VOID:${d.contractId}.${d.bedRef}`,
    );
  },
  BlockBedReleased(d, tx, at) {
    const bed = tx.get<{ end_date: string }>(
      'SELECT end_date FROM alerts_block_beds WHERE contract_id = ? AND bed_ref = ?',
      d.contractId,
      d.bedRef,
    );
    if (bed !== undefined && d.date < bed.end_date) voidAlert(tx, d.contractId, d.bedRef, d.date, bed.end_date, at);
  },
  BlockBedDepartureWithdrawn(d, tx) {
    // The allocation is open-ended again: the bed is not void after it.
    clear(tx, `BLOCK_BED_VOID:${d.contractId}.${d.bedRef}`);
  },
  BlockBookingEnded(d, tx) {
    // Ended early: its beds stop being void (and paid for) from that date.
    tx.run('UPDATE alerts_block_beds SET end_date = MIN(end_date, ?) WHERE contract_id = ?', d.date, d.contractId);
    tx.run(
      `UPDATE alerts SET end_date = MIN(end_date, ?) WHERE rule = 'BLOCK_BED_VOID' AND contract_id = ?`,
      d.date,
      d.contractId,
    );
  },
});

export const alertsProjection: Projection = {
  name: 'alerts',
  version: 2,
  tables: tablesOf(SCHEMA),
  schema: SCHEMA,
  ...fold,
};
