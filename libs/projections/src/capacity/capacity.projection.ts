import type {
  BedAdded,
  BedBackInUse,
  BedHeld,
  BedHoldReleased,
  BedOccupied,
  BedOutOfUse,
  BedVacated,
  BlockBedAllocated,
  BlockBedReleased,
  BlockBookingContracted,
  BlockBookingEnded,
  ApprovalTermsChanged,
  ChildRegistered,
  ChildLeftHousehold,
  ChildPlacedWithHousehold,
  FosterHouseholdApproved,
  HouseholdReinstated,
  HouseholdResigned,
  HouseholdSuspended,
  MatchingMeetingHeld,
  SettingClosed,
  SettingRegistered,
  SettingRegistrationChanged,
  ApprovalTerms,
} from '@placement/domain';
import type { RecordedEvent } from '@placement/event-store';
import type { Projection } from '../projection';
import type { ReadModelDb } from '../read-model-db';

/**
 * Live capacity: the state of every unit now. Each row carries the position of the event
 * that last changed it, so a batch's delta is "rows with position in (after, through]".
 * Capacity is about places, and it is pushed to every role: no child's id or date of birth
 * ever leaves it. Two tables exist only to compute a bed's flags on read: each child's date of
 * birth (aged 18 in a home registered to 17, on the date asked) and the referrals with a
 * matched meeting for a home (which clears an unmatched emergency there).
 */
export const CAPACITY_TABLES = [
  'capacity_settings',
  'capacity_beds',
  'capacity_households',
  'capacity_household_placements',
  'capacity_contracts',
  'capacity_block_beds',
  'capacity_children',
  'capacity_matched_meetings',
] as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS capacity_settings (
  setting_id TEXT PRIMARY KEY, name TEXT NOT NULL, urn TEXT, provision TEXT NOT NULL, provider_name TEXT NOT NULL,
  provider_code TEXT NOT NULL, setting_type TEXT NOT NULL, age_min INTEGER NOT NULL, age_max INTEGER NOT NULL,
  sexes TEXT NOT NULL, max_children INTEGER NOT NULL, closed_on TEXT, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS capacity_beds (
  setting_id TEXT NOT NULL, bed_id TEXT NOT NULL, bed_kind TEXT NOT NULL, label TEXT NOT NULL, status TEXT NOT NULL,
  held_for_referral TEXT, held_until TEXT, placement_id TEXT, occupied_since TEXT, emergency_placement INTEGER,
  out_of_use_reason TEXT, out_of_use_from TEXT, out_of_use_until TEXT, position INTEGER NOT NULL,
  occupant_child_id TEXT, occupant_referral_id TEXT, unmatched_emergency INTEGER,
  PRIMARY KEY (setting_id, bed_id));
CREATE INDEX IF NOT EXISTS capacity_beds_position ON capacity_beds (position);
CREATE INDEX IF NOT EXISTS capacity_beds_occupant ON capacity_beds (occupant_child_id);
CREATE INDEX IF NOT EXISTS capacity_beds_referral ON capacity_beds (occupant_referral_id);
CREATE TABLE IF NOT EXISTS capacity_children (child_id TEXT PRIMARY KEY, date_of_birth TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS capacity_matched_meetings (
  referral_id TEXT NOT NULL, setting_id TEXT NOT NULL, PRIMARY KEY (referral_id, setting_id));
CREATE TABLE IF NOT EXISTS capacity_households (
  household_id TEXT PRIMARY KEY, reference TEXT NOT NULL, provision TEXT NOT NULL, agency_name TEXT, status TEXT NOT NULL,
  approved_places INTEGER NOT NULL, used_places INTEGER NOT NULL, age_min INTEGER NOT NULL, age_max INTEGER NOT NULL,
  sexes TEXT NOT NULL, connected_person INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS capacity_households_position ON capacity_households (position);
CREATE TABLE IF NOT EXISTS capacity_household_placements (
  household_id TEXT NOT NULL, placement_id TEXT NOT NULL, start_date TEXT NOT NULL, PRIMARY KEY (household_id, placement_id));
CREATE TABLE IF NOT EXISTS capacity_contracts (
  contract_id TEXT PRIMARY KEY, provider_name TEXT NOT NULL, provider_code TEXT NOT NULL, setting_name TEXT NOT NULL,
  setting_urn TEXT, start_date TEXT NOT NULL, end_date TEXT NOT NULL, ended_on TEXT, weekly_price_per_bed INTEGER NOT NULL,
  position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS capacity_block_beds (
  contract_id TEXT NOT NULL, bed_ref TEXT NOT NULL, placement_id TEXT, allocated_on TEXT, position INTEGER NOT NULL,
  PRIMARY KEY (contract_id, bed_ref));
CREATE INDEX IF NOT EXISTS capacity_block_beds_position ON capacity_block_beds (position);
`;

type CapacityEvent =
  | SettingRegistered
  | SettingRegistrationChanged
  | SettingClosed
  | BedAdded
  | BedHeld
  | BedHoldReleased
  | BedOccupied
  | BedVacated
  | BedOutOfUse
  | BedBackInUse
  | FosterHouseholdApproved
  | ApprovalTermsChanged
  | ChildPlacedWithHousehold
  | ChildLeftHousehold
  | HouseholdSuspended
  | HouseholdReinstated
  | HouseholdResigned
  | BlockBookingContracted
  | BlockBedAllocated
  | BlockBedReleased
  | BlockBookingEnded
  | ChildRegistered
  | MatchingMeetingHeld;

const EVENT_TYPES: ReadonlySet<CapacityEvent['type']> = new Set<CapacityEvent['type']>([
  'SettingRegistered',
  'SettingRegistrationChanged',
  'SettingClosed',
  'BedAdded',
  'BedHeld',
  'BedHoldReleased',
  'BedOccupied',
  'BedVacated',
  'BedOutOfUse',
  'BedBackInUse',
  'FosterHouseholdApproved',
  'ApprovalTermsChanged',
  'ChildPlacedWithHousehold',
  'ChildLeftHousehold',
  'HouseholdSuspended',
  'HouseholdReinstated',
  'HouseholdResigned',
  'BlockBookingContracted',
  'BlockBedAllocated',
  'BlockBedReleased',
  'BlockBookingEnded',
  'ChildRegistered',
  'MatchingMeetingHeld',
]);

const VACANT_BED = `status = 'vacant', held_for_referral = NULL, held_until = NULL, placement_id = NULL, occupied_since = NULL,
  emergency_placement = NULL, out_of_use_reason = NULL, out_of_use_from = NULL, out_of_use_until = NULL,
  occupant_child_id = NULL, occupant_referral_id = NULL, unmatched_emergency = NULL`;

function householdProvision(terms: ApprovalTerms): 'in-house' | 'external' {
  return terms.provider === 'in-house' ? 'in-house' : 'external';
}

function apply(recorded: RecordedEvent, tx: ReadModelDb): void {
  const event = { type: recorded.type, data: recorded.data } as CapacityEvent;
  const at = recorded.position;
  switch (event.type) {
    case 'SettingRegistered': {
      const d = event.data;
      tx.run(
        `INSERT OR REPLACE INTO capacity_settings (setting_id, name, urn, provision, provider_name, provider_code, setting_type,
           age_min, age_max, sexes, max_children, closed_on, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
        d.settingId,
        d.name,
        d.urn,
        d.provider.kind,
        d.provider.name,
        d.provider.code,
        d.type,
        d.registration.ageRange.min,
        d.registration.ageRange.max,
        d.registration.sexes,
        d.registration.maxChildren,
        at,
      );
      return;
    }
    case 'SettingRegistrationChanged': {
      const d = event.data;
      tx.run(
        `UPDATE capacity_settings SET urn = ?, age_min = ?, age_max = ?, sexes = ?, max_children = ?, position = ? WHERE setting_id = ? AND closed_on IS NULL`,
        d.urn,
        d.registration.ageRange.min,
        d.registration.ageRange.max,
        d.registration.sexes,
        d.registration.maxChildren,
        at,
        d.settingId,
      );
      // Its beds' flags read the registration (aged 18 in a home registered to 17): they changed too.
      tx.run('UPDATE capacity_beds SET position = ? WHERE setting_id = ? AND status = ?', at, d.settingId, 'occupied');
      return;
    }
    case 'SettingClosed':
      tx.run(
        'UPDATE capacity_settings SET closed_on = ?, position = ? WHERE setting_id = ? AND closed_on IS NULL',
        event.data.date,
        at,
        event.data.settingId,
      );
      return;
    case 'BedAdded': {
      const d = event.data;
      tx.run(
        `INSERT OR REPLACE INTO capacity_beds (setting_id, bed_id, bed_kind, label, status, position) VALUES (?, ?, ?, ?, 'vacant', ?)`,
        d.settingId,
        d.bedId,
        d.kind,
        d.label,
        at,
      );
      return;
    }
    case 'BedHeld': {
      const d = event.data;
      tx.run(
        `UPDATE capacity_beds SET ${VACANT_BED}, status = 'held', held_for_referral = ?, held_until = ?, position = ? WHERE setting_id = ? AND bed_id = ?`,
        d.referralId,
        d.until,
        at,
        d.settingId,
        d.bedId,
      );
      return;
    }
    case 'BedHoldReleased': {
      const d = event.data;
      // Like the bed's evolve: only the hold of that referral is released.
      tx.run(
        `UPDATE capacity_beds SET ${VACANT_BED}, position = ? WHERE setting_id = ? AND bed_id = ? AND status = 'held' AND held_for_referral = ?`,
        at,
        d.settingId,
        d.bedId,
        d.referralId,
      );
      return;
    }
    case 'BedOccupied': {
      const d = event.data;
      tx.run(
        `UPDATE capacity_beds SET ${VACANT_BED}, status = 'occupied', placement_id = ?, occupied_since = ?,
           emergency_placement = ?, occupant_child_id = ?, occupant_referral_id = ?, unmatched_emergency = ?,
           position = ?
         WHERE setting_id = ? AND bed_id = ?`,
        d.placementId,
        d.startDate,
        d.emergency ? 1 : 0,
        d.childId,
        d.referralId,
        d.unmatchedEmergency ? 1 : 0,
        at,
        d.settingId,
        d.bedId,
      );
      return;
    }
    case 'BedVacated':
    case 'BedBackInUse':
      tx.run(
        `UPDATE capacity_beds SET ${VACANT_BED}, position = ? WHERE setting_id = ? AND bed_id = ?`,
        at,
        event.data.settingId,
        event.data.bedId,
      );
      return;
    case 'BedOutOfUse': {
      const d = event.data;
      tx.run(
        `UPDATE capacity_beds SET ${VACANT_BED}, status = 'out-of-use', out_of_use_reason = ?, out_of_use_from = ?, out_of_use_until = ?, position = ? WHERE setting_id = ? AND bed_id = ?`,
        d.reason,
        d.from,
        d.until,
        at,
        d.settingId,
        d.bedId,
      );
      return;
    }
    case 'FosterHouseholdApproved': {
      const d = event.data;
      tx.run('DELETE FROM capacity_household_placements WHERE household_id = ?', d.householdId);
      tx.run(
        `INSERT OR REPLACE INTO capacity_households (household_id, reference, provision, agency_name, status, approved_places, used_places,
           age_min, age_max, sexes, connected_person, position) VALUES (?, ?, ?, ?, 'approved', ?, 0, ?, ?, ?, ?, ?)`,
        d.householdId,
        d.reference,
        householdProvision(d.terms),
        d.terms.agencyName,
        d.terms.maxChildren,
        d.terms.ageRange.min,
        d.terms.ageRange.max,
        d.terms.sexes,
        d.terms.connectedPerson ? 1 : 0,
        at,
      );
      return;
    }
    case 'ApprovalTermsChanged': {
      const { householdId, terms } = event.data;
      tx.run(
        `UPDATE capacity_households SET provision = ?, agency_name = ?, approved_places = ?, age_min = ?, age_max = ?, sexes = ?, connected_person = ?, position = ? WHERE household_id = ?`,
        householdProvision(terms),
        terms.agencyName,
        terms.maxChildren,
        terms.ageRange.min,
        terms.ageRange.max,
        terms.sexes,
        terms.connectedPerson ? 1 : 0,
        at,
        householdId,
      );
      return;
    }
    case 'ChildPlacedWithHousehold': {
      const d = event.data;
      const added = tx.run(
        'INSERT OR IGNORE INTO capacity_household_placements (household_id, placement_id, start_date) VALUES (?, ?, ?)',
        d.householdId,
        d.placementId,
        d.startDate,
      );
      if (added > 0)
        tx.run(
          'UPDATE capacity_households SET used_places = used_places + 1, position = ? WHERE household_id = ?',
          at,
          d.householdId,
        );
      return;
    }
    case 'ChildLeftHousehold': {
      const d = event.data;
      const removed = tx.run(
        'DELETE FROM capacity_household_placements WHERE household_id = ? AND placement_id = ?',
        d.householdId,
        d.placementId,
      );
      if (removed > 0)
        tx.run(
          'UPDATE capacity_households SET used_places = used_places - 1, position = ? WHERE household_id = ?',
          at,
          d.householdId,
        );
      return;
    }
    case 'HouseholdSuspended':
      tx.run(
        `UPDATE capacity_households SET status = 'suspended', position = ? WHERE household_id = ?`,
        at,
        event.data.householdId,
      );
      return;
    case 'HouseholdReinstated':
      tx.run(
        `UPDATE capacity_households SET status = 'approved', position = ? WHERE household_id = ?`,
        at,
        event.data.householdId,
      );
      return;
    case 'HouseholdResigned':
      tx.run(
        `UPDATE capacity_households SET status = 'resigned', position = ? WHERE household_id = ?`,
        at,
        event.data.householdId,
      );
      return;
    case 'BlockBookingContracted': {
      const d = event.data;
      tx.run(
        `INSERT OR REPLACE INTO capacity_contracts (contract_id, provider_name, provider_code, setting_name, setting_urn, start_date, end_date, ended_on, weekly_price_per_bed, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
        d.contractId,
        d.provider.name,
        d.provider.code,
        d.settingName,
        d.settingUrn,
        d.startDate,
        d.endDate,
        d.weeklyPricePerBed,
        at,
      );
      tx.run('DELETE FROM capacity_block_beds WHERE contract_id = ?', d.contractId);
      for (const bedRef of d.beds)
        tx.run(
          'INSERT INTO capacity_block_beds (contract_id, bed_ref, placement_id, allocated_on, position) VALUES (?, ?, NULL, NULL, ?)',
          d.contractId,
          bedRef,
          at,
        );
      return;
    }
    case 'BlockBedAllocated': {
      const d = event.data;
      tx.run(
        'UPDATE capacity_block_beds SET placement_id = ?, allocated_on = ?, position = ? WHERE contract_id = ? AND bed_ref = ?',
        d.placementId,
        d.date,
        at,
        d.contractId,
        d.bedRef,
      );
      return;
    }
    case 'BlockBedReleased': {
      const d = event.data;
      tx.run(
        'UPDATE capacity_block_beds SET placement_id = NULL, allocated_on = NULL, position = ? WHERE contract_id = ? AND bed_ref = ? AND placement_id = ?',
        at,
        d.contractId,
        d.bedRef,
        d.placementId,
      );
      return;
    }
    case 'BlockBookingEnded':
      tx.run(
        'UPDATE capacity_contracts SET ended_on = ?, position = ? WHERE contract_id = ? AND ended_on IS NULL',
        event.data.date,
        at,
        event.data.contractId,
      );
      tx.run('UPDATE capacity_block_beds SET position = ? WHERE contract_id = ?', at, event.data.contractId);
      return;
    case 'ChildRegistered': {
      const d = event.data;
      tx.run(
        'INSERT OR REPLACE INTO capacity_children (child_id, date_of_birth) VALUES (?, ?)',
        d.childId,
        d.dateOfBirth,
      );
      tx.run('UPDATE capacity_beds SET position = ? WHERE occupant_child_id = ?', at, d.childId);
      return;
    }
    case 'MatchingMeetingHeld': {
      // Like the domain's flag: a matched meeting of the referral for that home clears its unmatched emergency.
      const d = event.data;
      if (d.decision !== 'matched' || d.unitConsidered.kind !== 'setting') return;
      const added = tx.run(
        'INSERT OR IGNORE INTO capacity_matched_meetings (referral_id, setting_id) VALUES (?, ?)',
        d.referralId,
        d.unitConsidered.settingId,
      );
      if (added > 0)
        tx.run(
          `UPDATE capacity_beds SET position = ?
            WHERE setting_id = ? AND occupant_referral_id = ? AND unmatched_emergency = 1`,
          at,
          d.unitConsidered.settingId,
          d.referralId,
        );
      return;
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const capacityProjection: Projection = {
  name: 'capacity',
  // 2: beds keep their occupant's flags (unmatched emergency, aged 18 in a home registered to 17).
  version: 2,
  eventTypes: EVENT_TYPES,
  tables: CAPACITY_TABLES,
  schema: SCHEMA,
  apply,
};
