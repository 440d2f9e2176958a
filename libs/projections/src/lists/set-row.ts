import type { ReadModelDb, SqlValue } from '../read-model-db';

/** The list tables whose rows record the position of their last change, each with the column that keys a row. */
const KEY_OF = {
  list_settings: 'setting_id',
  list_households: 'household_id',
  list_contracts: 'contract_id',
  list_children: 'child_id',
  list_step_downs: 'step_down_id',
  list_referrals: 'referral_id',
} as const;

export type ListTable = keyof typeof KEY_OF;

/**
 * Sets a row's columns (`assignments` with their `values`; none only records a change to the row or
 * what hangs off it) and the position of the change. `unless`, a column, keeps a row on which it is
 * already set as it is: the first close or end stands.
 */
export function setRow(
  tx: ReadModelDb,
  table: ListTable,
  id: string,
  assignments: string,
  values: readonly SqlValue[],
  at: bigint,
  unless?: string,
): void {
  const set = assignments === '' ? 'position = ?' : `${assignments}, position = ?`;
  const only = unless === undefined ? '' : ` AND ${unless} IS NULL`;
  tx.run(`UPDATE ${table} SET ${set} WHERE ${KEY_OF[table]} = ?${only}`, ...values, at, id);
}
