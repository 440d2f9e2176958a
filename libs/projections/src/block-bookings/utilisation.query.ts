import type { BusinessDate } from '@placement/domain';
import type { ReadModelDb } from '../read-model-db';
import { addDays, maxDate, minDate, monthsCovering, nightsInWindow, type NightSpan } from '../calendar';

export interface UtilisationRow {
  readonly contractId: string;
  readonly provider: { readonly name: string; readonly code: string };
  readonly settingName: string;
  /** `YYYY-MM`. */
  readonly month: string;
  /** The part of the month inside the request and the contract (inclusive dates), or null when none. */
  readonly from: BusinessDate;
  readonly to: BusinessDate;
  readonly contractedBedNights: number;
  readonly occupiedBedNights: number;
  readonly voidBedNights: number;
  /** Pence: void nights × weekly price per bed ÷ 7, rounded once at the end. */
  readonly voidCost: number;
  /** Occupied ÷ contracted × 100 to one decimal; null when nothing was contracted. */
  readonly utilisationPercent: number | null;
}

export interface UtilisationReport {
  readonly position: string;
  readonly from: BusinessDate;
  readonly to: BusinessDate;
  readonly rows: readonly UtilisationRow[];
  readonly totals: Omit<UtilisationRow, 'contractId' | 'provider' | 'settingName' | 'month' | 'from' | 'to'>;
}

interface ContractRow {
  contract_id: string;
  provider_name: string;
  provider_code: string;
  setting_name: string;
  beds: number;
  start_date: string;
  end_date: string;
  ended_on: string | null;
  weekly_price_per_bed: number;
}

interface AllocationRow {
  contract_id: string;
  from_date: string;
  until_date: string | null;
}

/**
 * Per contract and calendar month within [from, to] (inclusive London dates). Contracted
 * nights run from the contract's start date through its end date, or up to (not including)
 * the date it was ended early; an allocation occupies from its date up to its release date.
 */
export function readUtilisation(
  db: ReadModelDb,
  position: bigint,
  from: BusinessDate,
  to: BusinessDate,
): UtilisationReport {
  const contracts = db.all<ContractRow>(
    'SELECT * FROM utilisation_contracts WHERE start_date <= ? AND end_date >= ? ORDER BY provider_name, contract_id',
    to,
    from,
  );
  const allocations = db.all<AllocationRow>(
    'SELECT contract_id, from_date, until_date FROM utilisation_allocations ' +
      'WHERE from_date <= ? AND (until_date IS NULL OR until_date > ?)',
    to,
    from,
  );
  const byContract = new Map<string, NightSpan[]>();
  for (const a of allocations) {
    const spans = byContract.get(a.contract_id) ?? [];
    spans.push({ from: a.from_date, until: a.until_date });
    byContract.set(a.contract_id, spans);
  }
  const months = monthsCovering(from, to);
  const rows: UtilisationRow[] = [];
  let exactVoidCost = 0;
  for (const c of contracts) {
    const contractUntil = c.ended_on === null ? addDays(c.end_date, 1) : minDate(addDays(c.end_date, 1), c.ended_on);
    const contracted: NightSpan = { from: c.start_date, until: contractUntil };
    const spans = byContract.get(c.contract_id) ?? [];
    for (const month of months) {
      const windowFrom = maxDate(maxDate(month.firstDay, from), c.start_date);
      const windowUntil = minDate(minDate(addDays(month.lastDay, 1), addDays(to, 1)), contractUntil);
      if (windowFrom >= windowUntil) continue;
      const window = { from: windowFrom, until: windowUntil };
      const contractedBedNights = c.beds * nightsInWindow(contracted, window);
      // A bed cannot be more than fully used, whatever the allocations say.
      const occupiedBedNights = Math.min(
        contractedBedNights,
        spans.reduce((n, span) => n + nightsInWindow(span, window), 0),
      );
      const voidBedNights = contractedBedNights - occupiedBedNights;
      const exact = (voidBedNights * c.weekly_price_per_bed) / 7;
      exactVoidCost += exact;
      rows.push({
        contractId: c.contract_id,
        provider: { name: c.provider_name, code: c.provider_code },
        settingName: c.setting_name,
        month: month.month,
        from: windowFrom,
        to: addDays(windowUntil, -1),
        contractedBedNights,
        occupiedBedNights,
        voidBedNights,
        voidCost: Math.round(exact),
        utilisationPercent: percent(occupiedBedNights, contractedBedNights),
      });
    }
  }
  const contractedBedNights = rows.reduce((n, r) => n + r.contractedBedNights, 0);
  const occupiedBedNights = rows.reduce((n, r) => n + r.occupiedBedNights, 0);
  return {
    position: position.toString(),
    from,
    to,
    rows,
    totals: {
      contractedBedNights,
      occupiedBedNights,
      voidBedNights: contractedBedNights - occupiedBedNights,
      voidCost: Math.round(exactVoidCost),
      utilisationPercent: percent(occupiedBedNights, contractedBedNights),
    },
  };
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
