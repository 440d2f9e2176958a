import fc from 'fast-check';
import { isDomainError } from '../shared/errors';
import { ageOn } from '../shared/dates';
import { bedDecider } from '../bed/bed';
import { householdDecider, placementsOn } from '../household/household';
import type { BedCommand, BedEvent, BedState } from '../bed/types';
import type { HouseholdCommand, HouseholdEvent, HouseholdState } from '../household/types';

/** Applies commands in order, keeping only those the decider accepts (a refused command writes nothing). */
function play<C, E, S>(
  decider: { decide(c: C, s: S): E[]; evolve(s: S, e: E): S; initialState: S },
  commands: C[],
  check: (state: S, events: E[]) => void,
): void {
  let state = decider.initialState;
  for (const command of commands) {
    let events: E[] = [];
    try {
      events = decider.decide(command, state);
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
    state = events.reduce(decider.evolve, state);
    check(state, events);
  }
}

const childIds = fc.constantFrom('c1', 'c2', 'c3', 'c4');
const referralIds = fc.constantFrom('r1', 'r2', 'r3');
const hour = fc.integer({ min: 0, max: 71 });
const instant = (h: number) => new Date(Date.UTC(2025, 2, 1, h)).toISOString();

const bedCommand: fc.Arbitrary<BedCommand> = fc.oneof(
  fc
    .record({ referralId: referralIds, childId: childIds, h: hour, hours: fc.integer({ min: 1, max: 24 }) })
    .map(({ referralId, childId, h, hours }): BedCommand => ({
      type: 'HoldBed',
      data: { settingId: 's1', bedId: 'b1', referralId, childId, at: instant(h), until: instant(h + hours) },
      from: '2025-03-01',
    })),
  fc.record({ referralId: referralIds, h: hour }).map(({ referralId, h }): BedCommand => ({
    type: 'ReleaseBedHold',
    data: { settingId: 's1', bedId: 'b1', referralId, reason: 'released', at: instant(h) },
  })),
  fc
    .record({
      referralId: referralIds,
      childId: childIds,
      h: hour,
      emergency: fc.boolean(),
      placement: fc.integer({ min: 1, max: 50 }),
    })
    .map(({ referralId, childId, h, emergency, placement }): BedCommand => ({
      type: 'OccupyBed',
      data: {
        settingId: 's1',
        bedId: 'b1',
        placementId: `p${placement}`,
        referralId,
        emergency,
        startDate: '2025-03-01',
        endDate: null,
        at: instant(h),
        child: { childId, dateOfBirth: '2012-01-01', sex: 'F' },
        setting: { open: true, registration: { ageRange: { min: 8, max: 17 }, sexes: 'any', maxChildren: 4 } },
        neighbours: [],
        matchingMeeting: {
          meetingId: 'm',
          referralId,
          decision: 'matched',
          residentChildIdsAssessed: [],
          unitConsidered: { kind: 'setting', settingId: 's1' },
        },
      },
    })),
  fc
    .record({ childId: childIds, placement: fc.integer({ min: 1, max: 50 }) })
    .map(({ childId, placement }): BedCommand => ({
      type: 'VacateBed',
      data: {
        settingId: 's1',
        bedId: 'b1',
        placementId: `p${placement}`,
        childId,
        date: '2025-03-02',
        reason: 'placement-ended',
      },
    })),
);

describe('invariants under any sequence of commands', () => {
  it('a live hold is never overridden: every BedOccupied finds no hold, its own, or a lapsed one', () => {
    fc.assert(
      fc.property(fc.array(bedCommand, { maxLength: 40 }), (commands) => {
        let before: BedState = bedDecider.initialState;
        play<BedCommand, BedEvent, BedState>(
          bedDecider,
          [{ type: 'AddBed', data: { settingId: 's1', bedId: 'b1', kind: 'residential', label: 'Room' } }, ...commands],
          (state, events) => {
            const occupied = events.find((e) => e.type === 'BedOccupied');
            if (occupied?.type === 'BedOccupied' && before.status === 'Added') {
              expect(before.occupancies.filter((o) => o.to === null)).toEqual([]);
              const hold = before.hold;
              if (hold !== null && hold.referralId !== occupied.data.referralId) {
                expect(Date.parse(hold.until)).toBeLessThanOrEqual(Date.parse(occupied.data.at));
              }
            }
            before = state;
          },
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a household never exceeds its approval terms except a flagged emergency', () => {
    const placement = fc.record({
      n: fc.integer({ min: 1, max: 8 }),
      birthYear: fc.integer({ min: 2006, max: 2024 }),
      sex: fc.constantFrom('M' as const, 'F' as const),
      type: fc.constantFrom('emergency' as const, 'short-term' as const, 'long-term' as const, 'respite' as const),
      emergency: fc.boolean(),
      sibling: fc.constantFrom(null, 'g1'),
    });
    const command: fc.Arbitrary<HouseholdCommand> = fc.oneof(
      placement.map(({ n, birthYear, sex, type, emergency, sibling }): HouseholdCommand => ({
        type: 'PlaceChildWithHousehold',
        data: {
          householdId: 'h1',
          placementId: `p${n}`,
          child: { childId: `c${n}`, dateOfBirth: `${birthYear}-06-01`, sex },
          referralId: null,
          placementType: type,
          siblingGroupId: sibling,
          startDate: '2025-03-01',
          endDate: null,
          emergency,
          stepDownId: null,
          at: '2025-03-01T10:00:00Z',
        },
      })),
      fc.integer({ min: 1, max: 8 }).map((n): HouseholdCommand => ({
        type: 'RecordChildLeftHousehold',
        data: {
          householdId: 'h1',
          placementId: `p${n}`,
          childId: `c${n}`,
          date: '2025-03-02',
          reason: 'placement-ended',
        },
      })),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        fc.array(command, { maxLength: 30 }),
        (maxChildren, siblingGroup, commands) => {
          const terms = {
            ageRange: { min: 2, max: 12 },
            maxChildren,
            siblingGroup,
            placementTypes: ['short-term' as const, 'long-term' as const],
            connectedPerson: false,
            provider: 'in-house' as const,
            agencyName: null,
            sexes: 'F' as const,
            postcode: 'S60 1AA',
          };
          play<HouseholdCommand, HouseholdEvent, HouseholdState>(
            householdDecider,
            [
              {
                type: 'ApproveFosterHousehold',
                data: { householdId: 'h1', reference: 'FH-1', approvedOn: '2024-01-01', terms },
              },
              ...commands,
            ],
            (state, events) => {
              if (state.status === 'NotApproved') return;
              const children = placementsOn(state, '2025-03-01');
              expect(children.length).toBeLessThanOrEqual(maxChildren);
              if (!siblingGroup && children.length > 3) {
                expect(new Set(children.map((c) => c.siblingGroupId)).size).toBe(1);
                expect(children[0]?.siblingGroupId).not.toBeNull();
              }
              for (const e of events) {
                if (e.type !== 'ChildPlacedWithHousehold') continue;
                const fits =
                  ageOn(e.data.childDateOfBirth, e.data.startDate) >= 2 &&
                  ageOn(e.data.childDateOfBirth, e.data.startDate) <= 12 &&
                  e.data.childSex === 'F' &&
                  terms.placementTypes.includes(e.data.placementType as 'short-term');
                expect(fits || (e.data.emergency && e.data.emergencyOutsideTerms)).toBe(true);
              }
            },
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
