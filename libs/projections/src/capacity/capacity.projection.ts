import { bedDecider, contractDecider, householdDecider, upcast, exhaustive } from '@placement/domain';
import type {
  ApprovalTerms,
  BedEvent,
  BedState,
  ChildRegistered,
  ContractEvent,
  ContractState,
  DomainEvent,
  HouseholdEvent,
  HouseholdState,
  MatchingMeetingHeld,
  SettingClosed,
  SettingRegistered,
  SettingRegistrationChanged,
} from '@placement/domain';
import type { RecordedEvent } from '@placement/event-store';
import { tablesOf, type Projection } from '../projection';
import type { ReadModelDb } from '../read-model-db';

/**
 * Live capacity, on any date: every unit's diary (the domain's own fold of its stream: bed
 * occupancies and periods out of use, household placements, block-bed allocations, each
 * `[from, to)` on London dates), from which the query answers for any night. Each row carries
 * the position of the event that last changed it, so a batch's delta is "rows with position in
 * (after, through]"; what changes by date alone (midnight) the API pushes on its rollover.
 * Capacity is about places, and it is pushed to every role: no child's id or date of birth ever
 * leaves it. Two tables exist only to compute a bed's flags on read: each child's date of birth
 * (aged 18 in a home registered to 17, on the date asked) and the referrals with a matched
 * meeting for a home (which clears an unmatched emergency there). A third finds, by child, the
 * beds whose diary has ever named that child: a child registered later moves only those.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS capacity_settings (
  setting_id TEXT PRIMARY KEY, name TEXT NOT NULL, urn TEXT, provision TEXT NOT NULL, provider_name TEXT NOT NULL,
  provider_code TEXT NOT NULL, setting_type TEXT NOT NULL, age_min INTEGER NOT NULL, age_max INTEGER NOT NULL,
  sexes TEXT NOT NULL, max_children INTEGER NOT NULL, closed_on TEXT, local_authority TEXT NOT NULL,
  position INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS capacity_settings_authority ON capacity_settings (local_authority, setting_id);
CREATE INDEX IF NOT EXISTS capacity_settings_position ON capacity_settings (position);
CREATE TABLE IF NOT EXISTS capacity_beds (
  setting_id TEXT NOT NULL, bed_id TEXT NOT NULL, bed_kind TEXT NOT NULL, label TEXT NOT NULL, diary TEXT NOT NULL,
  position INTEGER NOT NULL, PRIMARY KEY (setting_id, bed_id));
CREATE INDEX IF NOT EXISTS capacity_beds_position ON capacity_beds (position);
CREATE INDEX IF NOT EXISTS capacity_beds_kind ON capacity_beds (bed_kind, setting_id, bed_id);
CREATE TABLE IF NOT EXISTS capacity_households (
  household_id TEXT PRIMARY KEY, reference TEXT NOT NULL, diary TEXT NOT NULL, position INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS capacity_households_position ON capacity_households (position);
CREATE TABLE IF NOT EXISTS capacity_contracts (
  contract_id TEXT PRIMARY KEY, diary TEXT NOT NULL, position INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS capacity_contracts_position ON capacity_contracts (position);
CREATE TABLE IF NOT EXISTS capacity_block_beds (
  contract_id TEXT NOT NULL, bed_ref TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (contract_id, bed_ref));
CREATE INDEX IF NOT EXISTS capacity_block_beds_position ON capacity_block_beds (position);
CREATE TABLE IF NOT EXISTS capacity_children (child_id TEXT PRIMARY KEY, date_of_birth TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS capacity_matched_meetings (
  referral_id TEXT NOT NULL, setting_id TEXT NOT NULL, PRIMARY KEY (referral_id, setting_id));
CREATE TABLE IF NOT EXISTS capacity_bed_children (
  child_id TEXT NOT NULL, setting_id TEXT NOT NULL, bed_id TEXT NOT NULL, PRIMARY KEY (child_id, setting_id, bed_id));
`;

type SettingEvent = SettingRegistered | SettingRegistrationChanged | SettingClosed;
type FlagEvent = ChildRegistered | MatchingMeetingHeld;
const FLAG_TYPES = new Set<FlagEvent['type']>(['ChildRegistered', 'MatchingMeetingHeld']);

const SETTING_TYPES = new Set<SettingEvent['type']>([
  'SettingRegistered',
  'SettingRegistrationChanged',
  'SettingClosed',
]);
const BED_TYPES = new Set<BedEvent['type']>([
  'BedAdded',
  'BedHeld',
  'BedHoldReleased',
  'BedOccupied',
  'BedVacated',
  'BedDepartureWithdrawn',
  'BedOutOfUse',
  'BedBackInUse',
]);
const HOUSEHOLD_TYPES = new Set<HouseholdEvent['type']>([
  'FosterHouseholdApproved',
  'ApprovalTermsChanged',
  'ChildPlacedWithHousehold',
  'ChildLeftHousehold',
  'HouseholdDepartureWithdrawn',
  'HouseholdSuspended',
  'HouseholdReinstated',
  'HouseholdResigned',
]);
const CONTRACT_TYPES = new Set<ContractEvent['type']>([
  'BlockBookingContracted',
  'BlockBedAllocated',
  'BlockBedReleased',
  'BlockBedDepartureWithdrawn',
  'BlockBookingEnded',
]);
const EVENT_TYPES: ReadonlySet<string> = new Set<string>([
  ...SETTING_TYPES,
  ...BED_TYPES,
  ...HOUSEHOLD_TYPES,
  ...CONTRACT_TYPES,
  ...FLAG_TYPES,
]);

/** A household's diary keeps places, not children: who is booked is a placement id (no date of birth, no sex). */
function householdWithoutChildren(state: HouseholdState): HouseholdState {
  if (state.status === 'NotApproved') return state;
  return {
    ...state,
    placements: state.placements.map((p) => ({ ...p, childId: '', childDateOfBirth: '', childSex: 'U' })),
  };
}
function contractWithoutChildren(state: ContractState): ContractState {
  if (state.status === 'NotContracted') return state;
  return { ...state, allocations: state.allocations.map((a) => ({ ...a, childId: '' })) };
}

export function householdProvision(terms: ApprovalTerms): 'in-house' | 'external' {
  return terms.provider === 'in-house' ? 'in-house' : 'external';
}

function applySetting(event: SettingEvent, at: bigint, tx: ReadModelDb): void {
  switch (event.type) {
    case 'SettingRegistered': {
      const d = event.data;
      tx.run(
        `INSERT OR REPLACE INTO capacity_settings (setting_id, name, urn, provision, provider_name, provider_code,
           setting_type,
           age_min, age_max, sexes, max_children, closed_on, local_authority, position)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
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
        d.localAuthority,
        at,
      );
      return;
    }
    case 'SettingRegistrationChanged': {
      const d = event.data;
      tx.run(
        `UPDATE capacity_settings SET urn = ?, age_min = ?, age_max = ?, sexes = ?, max_children = ?, position = ?
           WHERE setting_id = ? AND closed_on IS NULL`,
        d.urn,
        d.registration.ageRange.min,
        d.registration.ageRange.max,
        d.registration.sexes,
        d.registration.maxChildren,
        at,
        d.settingId,
      );
      // Its beds' flags read the registration (aged 18 in a home registered to 17): they changed too.
      tx.run('UPDATE capacity_beds SET position = ? WHERE setting_id = ?', at, d.settingId);
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
    default:
      return exhaustive(event);
  }
}

const CHILD_ID_KEY = '"childId":';
const CHILD_IDS = /"childId":("(?:[^"\\]|\\.)*")/g;

/** Every child id a bed's diary (its JSON) names, as `"childId":"…"` finds it. */
function childrenNamedIn(diary: string): Set<string> {
  return new Set(Array.from(diary.matchAll(CHILD_IDS), (m) => JSON.parse(m[1]) as string));
}

function applyBed(event: BedEvent, at: bigint, tx: ReadModelDb): void {
  const { settingId, bedId } = event.data;
  const row = tx.get<{ diary: string }>(
    'SELECT diary FROM capacity_beds WHERE setting_id = ? AND bed_id = ?',
    settingId,
    bedId,
  );
  const before = row ? (JSON.parse(row.diary) as BedState) : bedDecider.initialState;
  // The occupant's child id stays: a bed's flags read that child's date of birth (never shown).
  const after = JSON.stringify(bedDecider.evolve(before, event));
  for (const childId of childrenNamedIn(after))
    if (row === undefined || !row.diary.includes(`${CHILD_ID_KEY}${JSON.stringify(childId)}`))
      tx.run(
        'INSERT OR IGNORE INTO capacity_bed_children (child_id, setting_id, bed_id) VALUES (?, ?, ?)',
        childId,
        settingId,
        bedId,
      );
  if (event.type === 'BedAdded') {
    tx.run(
      `INSERT OR REPLACE INTO capacity_beds (setting_id, bed_id, bed_kind, label, diary, position)
         VALUES (?, ?, ?, ?, ?, ?)`,
      settingId,
      bedId,
      event.data.kind,
      event.data.label,
      after,
      at,
    );
    return;
  }
  tx.run(
    'UPDATE capacity_beds SET diary = ?, position = ? WHERE setting_id = ? AND bed_id = ?',
    after,
    at,
    settingId,
    bedId,
  );
}

function applyHousehold(event: HouseholdEvent, at: bigint, tx: ReadModelDb): void {
  const { householdId } = event.data;
  const row = tx.get<{ diary: string }>('SELECT diary FROM capacity_households WHERE household_id = ?', householdId);
  const before = row ? (JSON.parse(row.diary) as HouseholdState) : householdDecider.initialState;
  const after = JSON.stringify(householdWithoutChildren(householdDecider.evolve(before, event)));
  if (event.type === 'FosterHouseholdApproved') {
    tx.run(
      'INSERT OR REPLACE INTO capacity_households (household_id, reference, diary, position) VALUES (?, ?, ?, ?)',
      householdId,
      event.data.reference,
      after,
      at,
    );
    return;
  }
  tx.run('UPDATE capacity_households SET diary = ?, position = ? WHERE household_id = ?', after, at, householdId);
}

function applyContract(event: ContractEvent, at: bigint, tx: ReadModelDb): void {
  const { contractId } = event.data;
  const row = tx.get<{ diary: string }>('SELECT diary FROM capacity_contracts WHERE contract_id = ?', contractId);
  const before = row ? (JSON.parse(row.diary) as ContractState) : contractDecider.initialState;
  const after = JSON.stringify(contractWithoutChildren(contractDecider.evolve(before, event)));
  tx.run(
    'INSERT OR REPLACE INTO capacity_contracts (contract_id, diary, position) VALUES (?, ?, ?)',
    contractId,
    after,
    at,
  );
  switch (event.type) {
    case 'BlockBookingContracted':
      tx.run('DELETE FROM capacity_block_beds WHERE contract_id = ?', contractId);
      for (const bedRef of event.data.beds)
        tx.run(
          'INSERT INTO capacity_block_beds (contract_id, bed_ref, position) VALUES (?, ?, ?)',
          contractId,
          bedRef,
          at,
        );
      return;
    case 'BlockBookingEnded':
      tx.run('UPDATE capacity_block_beds SET position = ? WHERE contract_id = ?', at, contractId);
      return;
    case 'BlockBedAllocated':
    case 'BlockBedReleased':
    case 'BlockBedDepartureWithdrawn':
      tx.run(
        'UPDATE capacity_block_beds SET position = ? WHERE contract_id = ? AND bed_ref = ?',
        at,
        contractId,
        event.data.bedRef,
      );
      return;
    default:
      return exhaustive(event);
  }
}

function applyFlag(event: FlagEvent, at: bigint, tx: ReadModelDb): void {
  switch (event.type) {
    case 'ChildRegistered': {
      const d = event.data;
      tx.run(
        'INSERT OR REPLACE INTO capacity_children (child_id, date_of_birth) VALUES (?, ?)',
        d.childId,
        d.dateOfBirth,
      );
      // The beds whose diary names the child read its date of birth for their flags: they changed too.
      // Only the beds that ever named the child are looked at, not every bed in England.
      tx.run(
        `UPDATE capacity_beds SET position = ?
           WHERE (setting_id, bed_id) IN (SELECT setting_id, bed_id FROM capacity_bed_children WHERE child_id = ?)
             AND instr(diary, ?) > 0`,
        at,
        d.childId,
        `${CHILD_ID_KEY}${JSON.stringify(d.childId)}`,
      );
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
      // Only the beds whose diary names the referral changed (their occupant's flag); the home's others did not.
      if (added > 0)
        tx.run(
          'UPDATE capacity_beds SET position = ? WHERE setting_id = ? AND instr(diary, ?) > 0',
          at,
          d.unitConsidered.settingId,
          `"referralId":${JSON.stringify(d.referralId)}`,
        );
      return;
    }
    default:
      return exhaustive(event);
  }
}

/** Whether the event is one of the types in the set: narrows the domain's union to those members. */
function isOneOf<T extends DomainEvent['type']>(
  types: ReadonlySet<T>,
  event: DomainEvent,
): event is Extract<DomainEvent, { type: T }> {
  const read: ReadonlySet<string> = types;
  return read.has(event.type);
}

function apply(recorded: RecordedEvent, tx: ReadModelDb): void {
  // The runner hands every event over in its current shape; the type sets say which union it belongs to.
  const event = upcast<DomainEvent>(recorded);
  const at = recorded.position;
  if (isOneOf(SETTING_TYPES, event)) applySetting(event, at, tx);
  else if (isOneOf(BED_TYPES, event)) applyBed(event, at, tx);
  else if (isOneOf(HOUSEHOLD_TYPES, event)) applyHousehold(event, at, tx);
  else if (isOneOf(CONTRACT_TYPES, event)) applyContract(event, at, tx);
  else if (isOneOf(FLAG_TYPES, event)) applyFlag(event, at, tx);
}

export const capacityProjection: Projection = {
  name: 'capacity',
  // 3: units keep their diaries in business time, with their occupants' flags; rebuilt from zero on open.
  // 4: settings keep their local authority, and the filters and the summary's catch-up read by index.
  // 5: the beds that named each child, so a child's registration does not scan every bed.
  version: 5,
  eventTypes: EVENT_TYPES,
  tables: tablesOf(SCHEMA),
  schema: SCHEMA,
  apply,
};
