import type { BedBackInUse, BedVacated } from '@placement/domain';
import { foldOf, type Projection, tablesOf } from '../projection';
import type { ReadModelDb, SqlValue } from '../read-model-db';
import { setRow } from './set-row';

/**
 * The estate as lists and records: homes with their beds (and who occupies them, so a
 * home's residents can be counted and a manager's list limited), foster households with
 * their terms and the children placed, block-booking contracts with their beds. Unlike
 * capacity, which every role reads and which keeps no child id, these rows name the
 * children; the API decides who sees them.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS list_settings (
  setting_id TEXT PRIMARY KEY, name TEXT NOT NULL, urn TEXT, provider TEXT NOT NULL, setting_type TEXT NOT NULL,
  registration TEXT NOT NULL, postcode TEXT NOT NULL, local_authority TEXT NOT NULL, registered_on TEXT NOT NULL,
  closed_on TEXT, close_reason TEXT, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS list_beds (
  setting_id TEXT NOT NULL, bed_id TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL, status TEXT NOT NULL,
  referral_id TEXT, held_until TEXT, placement_id TEXT, child_id TEXT, occupied_from TEXT, out_of_use_reason TEXT,
  out_of_use_from TEXT, out_of_use_until TEXT, PRIMARY KEY (setting_id, bed_id));
CREATE TABLE IF NOT EXISTS list_households (
  household_id TEXT PRIMARY KEY, reference TEXT NOT NULL, status TEXT NOT NULL, status_since TEXT NOT NULL,
  status_reason TEXT, terms TEXT NOT NULL, approved_on TEXT NOT NULL, members TEXT NOT NULL DEFAULT '[]',
  position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS list_household_children (
  household_id TEXT NOT NULL, placement_id TEXT NOT NULL, child_id TEXT NOT NULL, placement_type TEXT NOT NULL,
  start_date TEXT NOT NULL, emergency INTEGER NOT NULL, emergency_outside_terms INTEGER NOT NULL,
  PRIMARY KEY (household_id, placement_id));
CREATE TABLE IF NOT EXISTS list_contracts (
  contract_id TEXT PRIMARY KEY, provider TEXT NOT NULL, setting_name TEXT NOT NULL, setting_urn TEXT,
  setting_postcode TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL,
    weekly_price_per_bed INTEGER NOT NULL,
  ended_on TEXT, end_reason TEXT, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS list_contract_beds (
  contract_id TEXT NOT NULL, bed_ref TEXT NOT NULL, ordinal INTEGER NOT NULL, placement_id TEXT, child_id TEXT,
  allocated_on TEXT, PRIMARY KEY (contract_id, bed_ref));
`;

const VACANT = `status = 'vacant', referral_id = NULL, held_until = NULL, placement_id = NULL, child_id = NULL,
  occupied_from = NULL, out_of_use_reason = NULL, out_of_use_from = NULL, out_of_use_until = NULL`;

function bedVacant(d: BedVacated['data'] | BedBackInUse['data'], tx: ReadModelDb, at: bigint): void {
  setBed(tx, d, VACANT, [], at);
}

const fold = foldOf({
  SettingRegistered(d, tx, at) {
    tx.run(
      `INSERT OR REPLACE INTO list_settings (setting_id, name, urn, provider, setting_type, registration, postcode,
         local_authority, registered_on, closed_on, close_reason, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,
           NULL, NULL, ?)`,
      d.settingId,
      d.name,
      d.urn,
      JSON.stringify(d.provider),
      d.type,
      JSON.stringify(d.registration),
      d.postcode,
      d.localAuthority,
      d.registeredOn,
      at,
    );
  },
  SettingRegistrationChanged(d, tx, at) {
    setRow(tx, 'list_settings', d.settingId, 'registration = ?, urn = ?', [JSON.stringify(d.registration), d.urn], at);
  },
  SettingClosed(d, tx, at) {
    setRow(tx, 'list_settings', d.settingId, 'closed_on = ?, close_reason = ?', [d.date, d.reason], at, 'closed_on');
  },
  BedAdded(d, tx, at) {
    tx.run(
      `INSERT OR REPLACE INTO list_beds (setting_id, bed_id, kind, label, status) VALUES (?, ?, ?, ?, 'vacant')`,
      d.settingId,
      d.bedId,
      d.kind,
      d.label,
    );
    touchSetting(tx, d.settingId, at);
  },
  BedHeld(d, tx, at) {
    setBed(tx, d, `${VACANT}, status = 'held', referral_id = ?, held_until = ?`, [d.referralId, d.until], at);
  },
  BedHoldReleased(d, tx, at) {
    // Like the bed's own fold: only that referral's hold is released.
    tx.run(
      `UPDATE list_beds SET ${VACANT} WHERE setting_id = ? AND bed_id = ? AND status = 'held' AND referral_id = ?`,
      d.settingId,
      d.bedId,
      d.referralId,
    );
    touchSetting(tx, d.settingId, at);
  },
  BedOccupied(d, tx, at) {
    setBed(
      tx,
      d,
      `${VACANT}, status = 'occupied', referral_id = ?, placement_id = ?, child_id = ?, occupied_from = ?`,
      [d.referralId, d.placementId, d.childId, d.startDate],
      at,
    );
  },
  BedVacated: bedVacant,
  BedBackInUse: bedVacant,
  BedOutOfUse(d, tx, at) {
    setBed(
      tx,
      d,
      `${VACANT}, status = 'out-of-use', out_of_use_reason = ?, out_of_use_from = ?, out_of_use_until = ?`,
      [d.reason, d.from, d.to],
      at,
    );
  },
  FosterHouseholdApproved(d, tx, at) {
    tx.run('DELETE FROM list_household_children WHERE household_id = ?', d.householdId);
    tx.run(
      `INSERT OR REPLACE INTO list_households (household_id, reference, status, status_since, status_reason,
         terms, approved_on, position)
       VALUES (?, ?, 'approved', ?, NULL, ?, ?, ?)`,
      d.householdId,
      d.reference,
      d.approvedOn,
      JSON.stringify(d.terms),
      d.approvedOn,
      at,
    );
  },
  ApprovalTermsChanged(d, tx, at) {
    setRow(tx, 'list_households', d.householdId, 'terms = ?', [JSON.stringify(d.terms)], at);
  },
  ChildPlacedWithHousehold(d, tx, at) {
    tx.run(
      `INSERT OR REPLACE INTO list_household_children (household_id, placement_id, child_id, placement_type,
         start_date,
         emergency, emergency_outside_terms) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      d.householdId,
      d.placementId,
      d.childId,
      d.placementType,
      d.startDate,
      d.emergency ? 1 : 0,
      d.emergencyOutsideTerms ? 1 : 0,
    );
    setRow(tx, 'list_households', d.householdId, '', [], at);
  },
  ChildLeftHousehold(d, tx, at) {
    tx.run(
      'DELETE FROM list_household_children WHERE household_id = ? AND placement_id = ?',
      d.householdId,
      d.placementId,
    );
    setRow(tx, 'list_households', d.householdId, '', [], at);
  },
  HouseholdSuspended(d, tx, at) {
    setHouseholdStatus(tx, d.householdId, 'suspended', d.date, d.reason, at);
  },
  HouseholdReinstated(d, tx, at) {
    setHouseholdStatus(tx, d.householdId, 'approved', d.date, null, at);
  },
  HouseholdResigned(d, tx, at) {
    setHouseholdStatus(tx, d.householdId, 'resigned', d.date, null, at);
  },
  HouseholdMembersRecorded(d, tx, at) {
    setRow(tx, 'list_households', d.householdId, 'members = ?', [JSON.stringify(d.members)], at);
  },
  BlockBookingContracted(d, tx, at) {
    tx.run(
      `INSERT OR REPLACE INTO list_contracts (contract_id, provider, setting_name, setting_urn, setting_postcode,
         start_date,
         end_date, weekly_price_per_bed, ended_on, end_reason, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL,
           NULL, ?)`,
      d.contractId,
      JSON.stringify(d.provider),
      d.settingName,
      d.settingUrn,
      d.settingPostcode,
      d.startDate,
      d.endDate,
      d.weeklyPricePerBed,
      at,
    );
    tx.run('DELETE FROM list_contract_beds WHERE contract_id = ?', d.contractId);
    d.beds.forEach((bedRef, ordinal) =>
      tx.run(
        'INSERT INTO list_contract_beds (contract_id, bed_ref, ordinal) VALUES (?, ?, ?)',
        d.contractId,
        bedRef,
        ordinal,
      ),
    );
  },
  BlockBedAllocated(d, tx, at) {
    setContractBed(tx, d, 'placement_id = ?, child_id = ?, allocated_on = ?', [d.placementId, d.childId, d.date], at);
  },
  BlockBedReleased(d, tx, at) {
    setContractBed(tx, d, 'placement_id = NULL, child_id = NULL, allocated_on = NULL', [], at, {
      placementId: d.placementId,
    });
  },
  BlockBookingEnded(d, tx, at) {
    setRow(tx, 'list_contracts', d.contractId, 'ended_on = ?, end_reason = ?', [d.date, d.reason], at, 'ended_on');
  },
});

/** A home's row records the position of the last change to it or its beds. */
function touchSetting(tx: ReadModelDb, settingId: string, at: bigint): void {
  setRow(tx, 'list_settings', settingId, '', [], at);
}

/** Sets a bed's columns (`assignments` with their `values`) and records the change on its home's row. */
function setBed(
  tx: ReadModelDb,
  bed: { readonly settingId: string; readonly bedId: string },
  assignments: string,
  values: readonly SqlValue[],
  at: bigint,
): void {
  tx.run(
    `UPDATE list_beds SET ${assignments} WHERE setting_id = ? AND bed_id = ?`,
    ...values,
    bed.settingId,
    bed.bedId,
  );
  touchSetting(tx, bed.settingId, at);
}

/**
 * Sets a block-booked bed's columns (`assignments` with their `values`), only while `allocated` to that
 * placement when it is given, and records the change on its contract's row.
 */
function setContractBed(
  tx: ReadModelDb,
  bed: { readonly contractId: string; readonly bedRef: string },
  assignments: string,
  values: readonly SqlValue[],
  at: bigint,
  allocated?: { readonly placementId: string },
): void {
  tx.run(
    `UPDATE list_contract_beds SET ${assignments} WHERE contract_id = ? AND bed_ref = ?` +
      (allocated === undefined ? '' : ' AND placement_id = ?'),
    ...values,
    bed.contractId,
    bed.bedRef,
    ...(allocated === undefined ? [] : [allocated.placementId]),
  );
  setRow(tx, 'list_contracts', bed.contractId, '', [], at);
}

function setHouseholdStatus(
  tx: ReadModelDb,
  householdId: string,
  status: 'approved' | 'suspended' | 'resigned',
  since: string,
  reason: string | null,
  at: bigint,
): void {
  setRow(
    tx,
    'list_households',
    householdId,
    'status = ?, status_since = ?, status_reason = ?',
    [status, since, reason],
    at,
  );
}

export const estateListProjection: Projection = {
  name: 'estate-list',
  // 2: households keep their members.
  version: 2,
  tables: tablesOf(SCHEMA),
  schema: SCHEMA,
  ...fold,
};
