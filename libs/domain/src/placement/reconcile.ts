import { compareInstants, type BusinessDate, type Instant } from '../shared/dates';
import { sameUnit, type UnitRef } from '../shared/types';
import * as Bed from '../bed/bed';
import * as Referral from '../referral/referral';
import type { ChildState } from '../child/types';
import type { ReferralState } from '../referral/types';
import { releaseUnit, unitRefOf } from './flow';
import { placementUnder } from './referral-open';
import type { StreamAppend, UnitView } from './types';

/** A placement a unit holds: who, since when, and when it was taken (for the in-flight grace). */
export interface UnitHolding {
  readonly placementId: string;
  readonly childId: string;
  readonly startDate: BusinessDate;
  readonly at: Instant;
}

export function holdingsOf(unit: UnitView): readonly UnitHolding[] {
  switch (unit.kind) {
    case 'bed':
      return unit.state.status === 'Occupied' ? [unit.state.occupant] : [];
    case 'household':
      return unit.state.status === 'NotApproved' ? [] : unit.state.children;
    case 'block-bed': {
      if (unit.state.status !== 'Active') return [];
      const allocation = unit.state.allocations[unit.bedRef];
      return allocation ? [{ ...allocation, startDate: allocation.date }] : [];
    }
    case 'external':
      return [];
    default: {
      const _exhaustive: never = unit;
      return _exhaustive;
    }
  }
}

/** The children whose streams the reconciler must load to check this unit. */
export const childIdsHeldBy = (unit: UnitView): string[] => [...new Set(holdingsOf(unit).map((h) => h.childId))];

/** Something the reconciler will not repair on its own; a person decides. */
export interface ReconcileAttention {
  readonly code: 'CHILD_PLACEMENT_WITHOUT_UNIT';
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

/**
 * Repairs one unit–child pair after a crash between appends. The rules, per crash point:
 * - unit holds P, the child has no P (crash after taking the unit) → free the unit (compensation);
 * - unit holds P, the child has P open in another unit (a take left behind by an attempt whose
 *   placement was recorded elsewhere) → free this unit (compensation): the child's record is the fact;
 * - unit holds P, the child ended P (crash before freeing the unit, e.g. mid step-down) → free the unit
 *   on the end date, as a step-down release when P was stepped down from;
 * - the child has P open in this unit, the unit does not hold it → attention (never guessed).
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

  // A unit holds a child at most once (beds and block beds hold one child; households refuse a duplicate).
  for (const holding of holdingsOf(unit).filter((h) => h.childId === childId)) {
    const placement = child?.placements.find((p) => p.placementId === holding.placementId);
    let release: StreamAppend | null = null;
    if (placement === undefined) {
      if (!olderThanGrace(holding.at, options)) continue;
      release = releaseUnit(
        unit,
        { placementId: holding.placementId, childId, date: holding.startDate },
        'compensation',
      );
    } else if (placement.endDate !== null) {
      const steppedDown =
        child?.stepDowns.some((s) => s.status === 'completed' && s.fromPlacementId === placement.placementId) ?? false;
      release = releaseUnit(
        unit,
        { placementId: holding.placementId, childId, date: placement.endDate },
        steppedDown ? 'step-down' : 'placement-ended',
      );
    } else if (!sameUnit(placement.unit, unitRef)) {
      if (!olderThanGrace(holding.at, options)) continue;
      release = releaseUnit(
        unit,
        { placementId: holding.placementId, childId, date: holding.startDate },
        'compensation',
      );
    }
    if (release !== null) appends.push(release);
  }

  const open = child?.placements.find((p) => p.endDate === null);
  if (
    open !== undefined &&
    sameUnit(open.unit, unitRef) &&
    !holdingsOf(unit).some((h) => h.placementId === open.placementId) &&
    unit.kind !== 'external'
  ) {
    attention.push({ code: 'CHILD_PLACEMENT_WITHOUT_UNIT', childId, placementId: open.placementId, unit: unitRef });
  }
  return { appends, attention };
}

/** A lapsed hold still shows as held; release it so capacity views stay true. */
export function expiredHoldRelease(unit: UnitView, now: Instant): StreamAppend | null {
  if (unit.kind !== 'bed' || unit.state.status !== 'Held' || compareInstants(unit.state.until, now) > 0) return null;
  return {
    kind: 'bed',
    streamId: Bed.streamId(unit.settingId, unit.bedId),
    events: [
      {
        type: 'BedHoldReleased',
        data: {
          settingId: unit.settingId,
          bedId: unit.bedId,
          referralId: unit.state.referralId,
          reason: 'expired',
          at: now,
        },
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
  if (unit.kind !== 'bed' || unit.state.status !== 'Held') return null;
  const { referralId } = unit.state;
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
