import { compareInstants, type Instant } from '../shared/dates';
import { exhaustive } from '../shared/exhaustive';
import { sameUnit, unitRefOf, type UnitRef } from '../shared/types';
import { todayAt } from '../shared/past';
import * as Bed from '../bed/bed';
import * as Household from '../household/household';
import * as Contract from '../contract/contract';
import * as Referral from '../referral/referral';
import type { ChildState } from '../child/types';
import type { ReferralState } from '../referral/types';
import { placementUnder } from './referral-open';
import { holdingsOf, releaseUnit, restoreUnitEnd, type UnitHolding } from './flow';
import type { StreamAppend, UnitView } from './types';

export { holdingsOf, type UnitHolding } from './flow';

/** The children whose streams the reconciler must load to check this unit. */
export const childIdsHeldBy = (unit: UnitView): string[] => [...new Set(holdingsOf(unit).map((h) => h.childId))];

/** Something the reconciler will not repair on its own; a person decides. */
export interface ReconcileAttention {
  readonly code: 'CHILD_PLACEMENT_WITHOUT_UNIT' | 'UNIT_END_DISAGREES';
  readonly childId: string;
  readonly placementId: string;
  readonly unit: UnitRef;
}

export interface Reconciliation {
  readonly appends: readonly StreamAppend[];
  readonly attention: readonly ReconcileAttention[];
}

export interface ReconcileOptions {
  readonly now: Instant;
  /**
   * A unit taken less than this long ago may still have its child append in flight, so it is
   * left alone. Default 120 seconds; the start-up reconciler may pass 0.
   */
  readonly graceSeconds?: number;
}

export const DEFAULT_RECONCILE_GRACE_SECONDS = 120;

function olderThanGrace(at: Instant, options: ReconcileOptions): boolean {
  const graceMs = (options.graceSeconds ?? DEFAULT_RECONCILE_GRACE_SECONDS) * 1000;
  return Date.parse(options.now) - Date.parse(at) >= graceMs;
}

/** Whether the unit's diary has room for the booking to run to `to` (null: open-ended). */
function fits(unit: UnitView, holding: UnitHolding, to: string | null): boolean {
  const span = { from: holding.from, to };
  switch (unit.kind) {
    case 'bed':
      return Bed.clashWith(unit.state, span, holding.placementId) === null;
    case 'household':
      return Household.roomFor(unit.state, holding.placementId, span);
    case 'block-bed':
      return Contract.roomFor(unit.state, unit.bedRef, holding.placementId, span);
    case 'external':
      return true;
    default:
      return exhaustive(unit);
  }
}

/**
 * Repairs one unit–child pair after a crash between appends. The child's record is the fact;
 * the rules, per crash point:
 * - unit holds P, the child has no P (crash after taking the unit) → remove the booking (compensation);
 * - unit holds P, the child has P in another unit (a take left behind by an attempt whose placement was
 *   recorded elsewhere) → remove this booking (compensation): the child's record is the fact;
 * - unit holds P open, the child ended P (crash before the unit's end, e.g. mid step-down) → end the
 *   booking on the child's end date, as a step-down release when P was stepped down from;
 * - unit's end for P differs from the child's (a revised or withdrawn planned end cut short) → put the
 *   unit's end back to the child's, if the diary has room, else attention;
 * - the child has P current or ahead in this unit, the unit does not hold it → attention (never guessed).
 * Takes younger than the grace period are left alone (their command may still be running).
 * The result is empty when the pair agrees; running it twice writes nothing new.
 */
export function reconcile(
  unit: UnitView,
  childId: string,
  childState: ChildState,
  options: ReconcileOptions,
): Reconciliation {
  const unitRef = unitRefOf(unit);
  const appends: StreamAppend[] = [];
  const attention: ReconcileAttention[] = [];
  const child = childState.status === 'Registered' ? childState.child : null;
  const holdings = holdingsOf(unit).filter((h) => h.childId === childId);

  for (const holding of holdings) {
    const placement = child?.placements.find((p) => p.placementId === holding.placementId);
    let repair: StreamAppend | null = null;
    if (placement === undefined) {
      if (!olderThanGrace(holding.at, options)) continue;
      repair = releaseUnit(unit, { placementId: holding.placementId, childId, date: holding.from }, 'compensation');
    } else if (!sameUnit(placement.unit, unitRef)) {
      if (!olderThanGrace(holding.at, options)) continue;
      repair = releaseUnit(unit, { placementId: holding.placementId, childId, date: holding.from }, 'compensation');
    } else if (placement.endDate !== holding.to) {
      if (placement.endDate !== null && holding.to === null) {
        const steppedDown =
          child?.stepDowns.some((s) => s.status === 'completed' && s.fromPlacementId === placement.placementId) ??
          false;
        repair = releaseUnit(
          unit,
          { placementId: holding.placementId, childId, date: placement.endDate },
          steppedDown ? 'step-down' : 'placement-ended',
        );
      } else if (fits(unit, holding, placement.endDate)) {
        repair = restoreUnitEnd(unit, holding, holding.to, placement.endDate);
      } else {
        attention.push({ code: 'UNIT_END_DISAGREES', childId, placementId: holding.placementId, unit: unitRef });
      }
    }
    if (repair !== null && repair.events.length > 0) appends.push(repair);
  }

  const today = todayAt(options.now);
  for (const placement of child?.placements ?? []) {
    const current = placement.endDate === null || placement.endDate > today;
    if (
      current &&
      unit.kind !== 'external' &&
      sameUnit(placement.unit, unitRef) &&
      !holdings.some((h) => h.placementId === placement.placementId)
    ) {
      attention.push({
        code: 'CHILD_PLACEMENT_WITHOUT_UNIT',
        childId,
        placementId: placement.placementId,
        unit: unitRef,
      });
    }
  }
  return { appends, attention };
}

/** A lapsed hold still shows in the diary; release it so capacity views stay true. */
export function expiredHoldRelease(unit: UnitView, now: Instant): StreamAppend | null {
  if (unit.kind !== 'bed' || unit.state.status !== 'Added') return null;
  const hold = unit.state.hold;
  if (hold === null || compareInstants(hold.until, now) > 0) return null;
  return {
    kind: 'bed',
    streamId: Bed.streamId(unit.settingId, unit.bedId),
    events: [
      {
        type: 'BedHoldReleased',
        data: { settingId: unit.settingId, bedId: unit.bedId, referralId: hold.referralId, reason: 'expired', at: now },
      },
    ],
  };
}

/**
 * The last step of a placement closes its referral as placed. A crash before that append leaves
 * the referral open while the child's record shows the placement made under it: close it now,
 * naming that placement. Nothing to do for a referral that is not open (closed, withdrawn) or
 * that no placement was made under.
 */
export function referralRepair(referral: ReferralState, child: ChildState, at: Instant): StreamAppend | null {
  if (referral.status !== 'Open') return null;
  const { referralId } = referral.referral;
  const placed = placementUnder(referralId, child);
  if (placed === undefined) return null;
  const events = Referral.decide(
    { type: 'CloseReferral', data: { referralId, outcome: 'placed', placementId: placed.placementId, at } },
    referral,
  );
  return { kind: 'referral', streamId: Referral.streamId(referralId), events };
}

/**
 * A bed held for a referral that no longer looks for a placement — closed, withdrawn, or with
 * its child placed under it (in this bed the hold would have become the occupancy) — is not
 * held for anyone: release the hold (`referral-closed`) so the bed is offered again.
 */
export function staleHoldRelease(
  unit: UnitView,
  referral: ReferralState,
  child: ChildState,
  at: Instant,
): StreamAppend | null {
  if (unit.kind !== 'bed' || unit.state.status !== 'Added' || unit.state.hold === null) return null;
  const { referralId } = unit.state.hold;
  const stillLooking =
    referral.status === 'Open' &&
    referral.referral.referralId === referralId &&
    placementUnder(referralId, child) === undefined;
  if (stillLooking) return null;
  const events = Bed.decide(
    {
      type: 'ReleaseBedHold',
      data: { settingId: unit.settingId, bedId: unit.bedId, referralId, reason: 'referral-closed', at },
    },
    unit.state,
  );
  return { kind: 'bed', streamId: Bed.streamId(unit.settingId, unit.bedId), events };
}
