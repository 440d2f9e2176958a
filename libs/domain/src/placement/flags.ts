import { ageOn, type BusinessDate } from '../shared/dates';
import { DEFAULT_EMERGENCY_STAY_POLICY, emergencyStayOverdue, type EmergencyStayPolicy } from '../shared/emergency';
import type { AgeRange, UnitRef } from '../shared/types';
import { occupantOn } from '../bed/bed';
import { placementsOn } from '../household/household';
import type { BedState } from '../bed/types';
import type { HouseholdState } from '../household/types';
import type { ReferralState } from '../referral/types';

/**
 * An emergency placed before its matching meeting stays flagged until the referral records
 * a `matched` meeting for the same home or household (and, if given, covering those residents).
 */
export function isUnmatchedEmergency(
  placement: { readonly unmatchedEmergency: boolean; readonly referralId: string | null; readonly unit: UnitRef },
  referral: ReferralState,
  residentChildIds: readonly string[] = [],
): boolean {
  if (!placement.unmatchedEmergency) return false;
  if (referral.status === 'NotReceived' || referral.referral.referralId !== placement.referralId) return true;
  const unit = placement.unit;
  const covers = referral.referral.meetings.some(
    (m) =>
      m.decision === 'matched' &&
      ((unit.kind === 'bed' && m.unitConsidered.kind === 'setting' && m.unitConsidered.settingId === unit.settingId) ||
        (unit.kind === 'household' &&
          m.unitConsidered.kind === 'household' &&
          m.unitConsidered.householdId === unit.householdId) ||
        ((unit.kind === 'block-bed' || unit.kind === 'external') && m.unitConsidered.kind === 'other')) &&
      residentChildIds.every((id) => m.residentChildIdsAssessed.includes(id)),
  );
  return !covers;
}

/** The age from which a young person is an adult: a children's home registered up to 17 is not for them. */
export const ADULT_AGE = 18;

/**
 * A young person aged 18 or over on `asOf` (a London date) living in a home whose registration
 * goes no higher than 17: they have outgrown it (a move, a registration change or an exemption
 * is needed). Checked on the date asked, so it turns true on the 18th birthday without any event.
 */
export function agedEighteenInHomeRegisteredTo17(
  dateOfBirth: BusinessDate,
  registeredAges: AgeRange,
  asOf: BusinessDate,
): boolean {
  return registeredAges.max < ADULT_AGE && ageOn(dateOfBirth, asOf) >= ADULT_AGE;
}

/** An emergency bed occupied on `asOf` past the limit (default 6 working days). */
export function emergencyBedStayOverdue(
  bed: BedState,
  asOf: BusinessDate,
  policy: EmergencyStayPolicy = DEFAULT_EMERGENCY_STAY_POLICY,
): boolean {
  const occupant = occupantOn(bed, asOf);
  return (
    bed.status === 'Added' &&
    bed.bed.kind === 'emergency' &&
    occupant !== undefined &&
    emergencyStayOverdue(occupant.from, asOf, policy)
  );
}

/** Placements with a household outside its terms (emergency) that have run past the limit on `asOf`. */
export function householdEmergenciesOverdue(
  household: HouseholdState,
  asOf: BusinessDate,
  policy: EmergencyStayPolicy = DEFAULT_EMERGENCY_STAY_POLICY,
): string[] {
  return placementsOn(household, asOf)
    .filter((p) => p.emergencyOutsideTerms && emergencyStayOverdue(p.from, asOf, policy))
    .map((p) => p.placementId);
}
