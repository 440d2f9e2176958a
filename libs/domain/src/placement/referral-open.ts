import { DomainError } from '../shared/errors';
import { exhaustive } from '../shared/exhaustive';
import type { UnitRef } from '../shared/types';
import type { ChildPlacement, ChildState } from '../child/types';
import { sameUnitConsidered } from '../referral/referral';
import type { ReferralFacts, ReferralState, UnitConsidered } from '../referral/types';

/*
 * A referral asks for one placement. Its own stream closes it as placed, but that append comes
 * after the child's (a flow spans streams), so after a crash between the two the referral can
 * still read Open while the child's record already shows the placement made under it. The rules
 * here read both, so nothing is accepted for a referral whose child is placed under it, whether
 * or not the closing append has happened yet (the reconciler makes it happen).
 */

/** The placement made under this referral, as the child's record shows it. */
export function placementUnder(referralId: string, child: ChildState): ChildPlacement | undefined {
  return child.status === 'Registered' ? child.child.placements.find((p) => p.referralId === referralId) : undefined;
}

function notOpen(referralId: string, why: string): DomainError {
  return new DomainError('REFERRAL_NOT_OPEN', `referral ${referralId} ${why}`);
}

/**
 * A hold, a proposal, a list of matches or a placement needs a referral still looking for a
 * placement: open on its own stream, and no placement made under it. A placement command sent
 * again under the placement id it placed with (`retryOf`) is the same placement, not new work.
 * Refused with `REFERRAL_NOT_OPEN`.
 */
export function requireReferralOpen(
  referral: ReferralState,
  child: ChildState,
  options: { readonly retryOf?: string } = {},
): ReferralFacts {
  if (referral.status === 'NotReceived') throw new DomainError('NOT_FOUND', 'no such referral');
  const { referralId } = referral.referral;
  const placed = placementUnder(referralId, child);
  if (placed !== undefined && placed.placementId === options.retryOf) return referral.referral;
  if (placed !== undefined) throw notOpen(referralId, `was placed (placement ${placed.placementId})`);
  if (referral.status !== 'Open') throw notOpen(referralId, `is ${referral.status.toLowerCase()}`);
  return referral.referral;
}

/** What a matching meeting about this unit names as the unit it considered. */
export function unitConsideredFor(unit: UnitRef): UnitConsidered {
  switch (unit.kind) {
    case 'bed':
      return { kind: 'setting', settingId: unit.settingId };
    case 'household':
      return { kind: 'household', householdId: unit.householdId };
    case 'block-bed':
      return { kind: 'other', ref: unit.contractId };
    case 'external':
      return { kind: 'other', ref: unit.urn ?? unit.provider.name };
    default:
      return exhaustive(unit);
  }
}

/**
 * A matching meeting needs an open referral too, with one exception: an emergency placement
 * may go before its meeting, so once a child is placed under the referral in an emergency, the
 * meeting about the unit they went to is still recorded (it clears the unmatched-emergency
 * flag). Any other meeting after the placement, or on a referral closed without one or
 * withdrawn, is refused with `REFERRAL_NOT_OPEN`.
 */
export function requireReferralTakesMeeting(
  referral: ReferralState,
  child: ChildState,
  unitConsidered: UnitConsidered,
): ReferralFacts {
  if (referral.status === 'NotReceived') throw new DomainError('NOT_FOUND', 'no such referral');
  const { referralId } = referral.referral;
  const placed = placementUnder(referralId, child);
  if (placed === undefined) return requireReferralOpen(referral, child);
  if (!placed.emergency)
    throw notOpen(referralId, `was placed (placement ${placed.placementId}); its meeting came before`);
  if (!sameUnitConsidered(unitConsideredFor(placed.unit), unitConsidered))
    throw notOpen(referralId, `was placed (placement ${placed.placementId}); a meeting now is about that placement`);
  return referral.referral;
}
