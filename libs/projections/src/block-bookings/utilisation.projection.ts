import { foldOf, type Projection, tablesOf } from '../projection';

/**
 * Block-booking utilisation keeps intervals, not nights: each contract's terms and each
 * allocation as [from, until) on London dates. A request counts the nights of any window
 * from them, so the model does not grow by a row per bed per night, needs no clock to
 * "close" a night, and an open allocation is counted up to whatever date is asked.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS utilisation_contracts (
  contract_id TEXT PRIMARY KEY, provider_name TEXT NOT NULL, provider_code TEXT NOT NULL, setting_name TEXT NOT NULL,
  beds INTEGER NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL, ended_on TEXT,
  weekly_price_per_bed INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS utilisation_allocations (
  contract_id TEXT NOT NULL, bed_ref TEXT NOT NULL, placement_id TEXT NOT NULL,
  from_date TEXT NOT NULL, until_date TEXT,
  PRIMARY KEY (contract_id, placement_id, from_date));
`;

const fold = foldOf({
  BlockBookingContracted(d, tx) {
    tx.run(
      `INSERT OR REPLACE INTO utilisation_contracts (contract_id, provider_name, provider_code, setting_name, ` +
        `beds, start_date, end_date, ended_on, weekly_price_per_bed)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
      d.contractId,
      d.provider.name,
      d.provider.code,
      d.settingName,
      d.beds.length,
      d.startDate,
      d.endDate,
      d.weeklyPricePerBed,
    );
  },
  BlockBedAllocated(d, tx) {
    tx.run(
      'INSERT OR REPLACE INTO utilisation_allocations (contract_id, bed_ref, placement_id, from_date, until_date) ' +
        'VALUES (?, ?, ?, ?, NULL)',
      d.contractId,
      d.bedRef,
      d.placementId,
      d.date,
    );
  },
  BlockBedReleased(d, tx) {
    // A compensation releases on the allocation date: an interval of no nights, as it should be.
    tx.run(
      'UPDATE utilisation_allocations SET until_date = ? ' +
        'WHERE contract_id = ? AND placement_id = ? AND bed_ref = ? AND until_date IS NULL',
      d.date,
      d.contractId,
      d.placementId,
      d.bedRef,
    );
  },
  BlockBookingEnded(d, tx) {
    tx.run(
      'UPDATE utilisation_contracts SET ended_on = ? WHERE contract_id = ? AND ended_on IS NULL',
      d.date,
      d.contractId,
    );
  },
});

export const utilisationProjection: Projection = {
  name: 'block-booking-utilisation',
  version: 1,
  tables: tablesOf(SCHEMA),
  schema: SCHEMA,
  ...fold,
};
