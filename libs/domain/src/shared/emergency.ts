import { addDays, addWorkingDays, isWorkingDay, type BusinessDate } from './dates';
import type { BankHolidays } from './bank-holidays';

/** Default limit for an emergency stay (emergency bed, or a foster placement outside terms). */
export const EMERGENCY_STAY_WORKING_DAYS = 6;

export interface EmergencyStayPolicy {
  readonly limitWorkingDays: number;
  /**
   * England and Wales bank holidays to skip. The app passes the published calendar, which
   * refuses to count in a year it does not cover; an empty list skips weekends only.
   */
  readonly bankHolidays: BankHolidays;
}

export const DEFAULT_EMERGENCY_STAY_POLICY: EmergencyStayPolicy = {
  limitWorkingDays: EMERGENCY_STAY_WORKING_DAYS,
  bankHolidays: [],
};

/** The last date an emergency stay that began on `startDate` may last. */
export function emergencyStayDeadline(
  startDate: BusinessDate,
  policy: EmergencyStayPolicy = DEFAULT_EMERGENCY_STAY_POLICY,
): BusinessDate {
  return addWorkingDays(startDate, policy.limitWorkingDays, policy.bankHolidays);
}

/**
 * True when a stay still open on `asOf` has run past the limit and should be flagged. Counted
 * on the days after the start and before `asOf` only (it is past the deadline exactly when
 * those hold the limit's working days), so it never needs a year beyond `asOf`'s.
 */
export function emergencyStayOverdue(
  startDate: BusinessDate,
  asOf: BusinessDate,
  policy: EmergencyStayPolicy = DEFAULT_EMERGENCY_STAY_POLICY,
): boolean {
  let workingDays = 0;
  for (let day = addDays(startDate, 1); day < asOf; day = addDays(day, 1)) {
    if (isWorkingDay(day, policy.bankHolidays)) workingDays += 1;
    if (workingDays >= policy.limitWorkingDays) return true;
  }
  return false;
}

/** The first day a stay open on `asOf` was overdue (the day after its deadline), or null when it is not. */
export function emergencyStayOverdueSince(
  startDate: BusinessDate,
  asOf: BusinessDate,
  policy: EmergencyStayPolicy = DEFAULT_EMERGENCY_STAY_POLICY,
): BusinessDate | null {
  return emergencyStayOverdue(startDate, asOf, policy) ? addDays(emergencyStayDeadline(startDate, policy), 1) : null;
}
