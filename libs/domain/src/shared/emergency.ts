import { addWorkingDays, isAfter, type BusinessDate } from './dates';

/** Default limit for an emergency stay (emergency bed, or a foster placement outside terms). */
export const EMERGENCY_STAY_WORKING_DAYS = 6;

export interface EmergencyStayPolicy {
  readonly limitWorkingDays: number;
  /** England bank holidays to skip; may be empty (then only weekends are skipped). */
  readonly bankHolidays: readonly BusinessDate[];
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

/** True when a stay still open on `asOf` has run past the limit and should be flagged. */
export function emergencyStayOverdue(
  startDate: BusinessDate,
  asOf: BusinessDate,
  policy: EmergencyStayPolicy = DEFAULT_EMERGENCY_STAY_POLICY,
): boolean {
  return isAfter(asOf, emergencyStayDeadline(startDate, policy));
}
