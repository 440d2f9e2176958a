import { fold } from '../shared/decider';
import { isDomainError } from '../shared/errors';
import { aBedHeld, aChildRegistered, aReferralReceived, given, someReferralNeeds } from '../testing';
import { bedDecider } from '../bed/bed';
import { childDecider } from '../child/child';
import { referralDecider } from '../referral/referral';
import type { BedEvent } from '../bed/types';
import type { ChildEvent, ChildRegistered, PlacementStarted } from '../child/types';
import type { ReferralEvent, ReferralNeeds, ReferralReceived } from '../referral/types';
import type { UnitRef } from '../shared/types';
import { reconcile, referralRepair, staleHoldRelease } from './reconcile';
import { requireReferralOpen, requireReferralTakesMeeting } from './referral-open';
import type { UnitView } from './types';

const NOW = '2025-03-01T12:00:00Z';
const LATER = '2025-03-01T12:05:00Z';

const needs: ReferralNeeds = someReferralNeeds({
  preferredArea: { postcodeDistrict: 'S60', maxDistanceKm: 20 },
  placementTypeSuitability: { 'childrens-home': 'suitable' },
});
const received: ReferralReceived = aReferralReceived({ urgency: 'emergency', needs });
const registered: ChildRegistered = aChildRegistered();
const bedB1: UnitRef = { kind: 'bed', settingId: 's1', bedId: 'b1' };

function placed(options: { placementId?: string; referralId?: string | null; emergency?: boolean; unit?: UnitRef }) {
  const started: PlacementStarted = {
    type: 'PlacementStarted',
    data: {
      childId: 'c1',
      placementId: options.placementId ?? 'p1',
      unit: options.unit ?? bedB1,
      place: 'K2',
      placeProvider: 'PR1',
      legalStatus: 'C2',
      startDate: '2025-03-01',
      emergency: options.emergency ?? true,
      unmatchedEmergency: options.emergency ?? true,
      referralId: options.referralId === undefined ? 'r1' : options.referralId,
      placementPostcode: null,
      urn: null,
      sameCarerAsPrevious: false,
      startsPeriodOfCare: true,
      stepDownId: null,
    },
  };
  return started;
}

const referral = (...events: ReferralEvent[]) => fold(referralDecider, [received, ...events]);
const child = (...events: ChildEvent[]) => fold(childDecider, [registered, ...events]);
const closedAsPlaced: ReferralEvent = {
  type: 'ReferralClosed',
  data: { referralId: 'r1', outcome: 'placed', placementId: 'p1', at: NOW },
};

function bed(bedId: string, ...events: BedEvent[]): Extract<UnitView, { kind: 'bed' }> {
  const added: BedEvent = { type: 'BedAdded', data: { settingId: 's1', bedId, kind: 'residential', label: bedId } };
  return { kind: 'bed', settingId: 's1', bedId, state: fold(bedDecider, [added, ...events]) };
}
const heldFor = (referralId: string, bedId = 'b2'): BedEvent =>
  aBedHeld({ bedId, referralId, at: '2025-03-01T08:00:00Z' });

function refusal(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return isDomainError(error) ? error.code : String(error);
  }
}

describe('a referral takes new work only while it is still looking for a placement', () => {
  it('accepts holds, matches and placements for an open referral nobody was placed under', () => {
    expect(requireReferralOpen(referral(), child()).referralId).toBe('r1');
  });

  it("refuses them once the child's record shows a placement under it, even before the referral was closed", () => {
    expect(refusal(() => requireReferralOpen(referral(), child(placed({}))))).toBe('REFERRAL_NOT_OPEN');
    expect(refusal(() => requireReferralOpen(referral(closedAsPlaced), child(placed({}))))).toBe('REFERRAL_NOT_OPEN');
  });

  it('lets the placement that closed it be sent again (a retry), and no other', () => {
    const state = referral(closedAsPlaced);
    expect(requireReferralOpen(state, child(placed({})), { retryOf: 'p1' }).referralId).toBe('r1');
    expect(refusal(() => requireReferralOpen(state, child(placed({})), { retryOf: 'p2' }))).toBe('REFERRAL_NOT_OPEN');
  });

  it('refuses a referral closed without a placement, or withdrawn', () => {
    const noMatch: ReferralEvent = {
      type: 'ReferralClosed',
      data: { referralId: 'r1', outcome: 'no-match', placementId: null, at: NOW },
    };
    const withdrawn: ReferralEvent = {
      type: 'ReferralWithdrawn',
      data: { referralId: 'r1', reason: 'no-longer-needed', at: NOW },
    };
    expect(refusal(() => requireReferralOpen(referral(noMatch), child()))).toBe('REFERRAL_NOT_OPEN');
    expect(refusal(() => requireReferralOpen(referral(withdrawn), child()))).toBe('REFERRAL_NOT_OPEN');
  });

  it('records the meeting that follows an emergency placement, about the home the child went to, and no other', () => {
    const after = child(placed({ emergency: true }));
    const home = { kind: 'setting' as const, settingId: 's1' };
    expect(requireReferralTakesMeeting(referral(closedAsPlaced), after, home).referralId).toBe('r1');
    expect(requireReferralTakesMeeting(referral(), after, home).referralId).toBe('r1');
    expect(refusal(() => requireReferralTakesMeeting(referral(), after, { kind: 'setting', settingId: 's2' }))).toBe(
      'REFERRAL_NOT_OPEN',
    );
    const planned = child(placed({ emergency: false }));
    expect(refusal(() => requireReferralTakesMeeting(referral(closedAsPlaced), planned, home))).toBe(
      'REFERRAL_NOT_OPEN',
    );
    expect(requireReferralTakesMeeting(referral(), child(), home).referralId).toBe('r1');
  });
});

describe('reconcile: the referral of a placement is closed, its holds released', () => {
  it('closes, as placed, a referral left open after the placement was recorded on the child', () => {
    const repair = referralRepair(referral(), child(placed({})), NOW);
    expect(repair).toEqual({ kind: 'referral', streamId: 'referral-r1', events: [closedAsPlaced] });
    // Given the repair, the referral is closed and there is nothing left to do.
    const closed = given(referralDecider, [received, ...(repair?.events ?? [])]).state;
    expect(closed.status).toBe('Closed');
    expect(referralRepair(closed, child(placed({})), LATER)).toBeNull();
  });

  it('leaves an open referral nobody was placed under, and a placement made under another referral', () => {
    expect(referralRepair(referral(), child(), NOW)).toBeNull();
    expect(referralRepair(referral(), child(placed({ referralId: 'r9' })), NOW)).toBeNull();
    expect(referralRepair(referral(), child(placed({ referralId: null })), NOW)).toBeNull();
  });

  it('releases a hold for a referral whose child was placed elsewhere, closed or not yet', () => {
    const held = bed('b2', heldFor('r1'));
    const release = {
      kind: 'bed',
      streamId: 'bed-s1.b2',
      events: [
        {
          type: 'BedHoldReleased',
          data: { settingId: 's1', bedId: 'b2', referralId: 'r1', reason: 'referral-closed', at: NOW },
        },
      ],
    };
    expect(staleHoldRelease(held, referral(), child(placed({})), NOW)).toEqual(release);
    expect(staleHoldRelease(held, referral(closedAsPlaced), child(placed({})), NOW)).toEqual(release);
    const withdrawn: ReferralEvent = {
      type: 'ReferralWithdrawn',
      data: { referralId: 'r1', reason: 'other', at: NOW },
    };
    expect(staleHoldRelease(held, referral(withdrawn), child(), NOW)).toEqual(release);
  });

  it('keeps a hold whose referral is still looking, and leaves beds that are not held', () => {
    expect(staleHoldRelease(bed('b2', heldFor('r1')), referral(), child(), NOW)).toBeNull();
    expect(staleHoldRelease(bed('b2'), referral(closedAsPlaced), child(placed({})), NOW)).toBeNull();
  });
});

describe('reconcile: a unit held for a placement the child has in another unit', () => {
  const occupied = (bedId: string, at: string): BedEvent => ({
    type: 'BedOccupied',
    data: {
      settingId: 's1',
      bedId,
      bedKind: 'residential',
      placementId: 'p1',
      childId: 'c1',
      referralId: 'r1',
      emergency: true,
      matchingMeetingId: null,
      unmatchedEmergency: true,
      startDate: '2025-03-01',
      at,
    },
  });

  it('is given back after the grace period: the child’s record is the fact, the other take a leftover', () => {
    const stray = bed('b2', occupied('b2', NOW));
    const state = child(placed({ unit: bedB1 }));
    expect(reconcile(stray, 'c1', state, { now: '2025-03-01T12:00:30Z' })).toEqual({ appends: [], attention: [] });
    expect(reconcile(stray, 'c1', state, { now: LATER })).toEqual({
      appends: [
        {
          kind: 'bed',
          streamId: 'bed-s1.b2',
          events: [
            {
              type: 'BedVacated',
              data: {
                settingId: 's1',
                bedId: 'b2',
                placementId: 'p1',
                childId: 'c1',
                date: '2025-03-01',
                reason: 'compensation',
              },
            },
          ],
        },
      ],
      attention: [],
    });
  });

  it('leaves the unit the child’s placement is in', () => {
    expect(reconcile(bed('b1', occupied('b1', NOW)), 'c1', child(placed({ unit: bedB1 })), { now: LATER })).toEqual({
      appends: [],
      attention: [],
    });
  });
});
