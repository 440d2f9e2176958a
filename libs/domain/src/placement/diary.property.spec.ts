import fc from 'fast-check';
import { isDomainError } from '../shared/errors';
import { addDays } from '../shared/dates';
import { bedDecider } from '../bed/bed';
import { householdDecider } from '../household/household';
import type { BedCommand, BedState } from '../bed/types';
import type { HouseholdCommand, HouseholdState } from '../household/types';

/*
 * Random sequences of dated commands on one bed and one household, recorded in a random order
 * against their business dates (the recording clock moves forward; the dates they carry jump back
 * and forth, back-dated and future-dated). After every command the decider's diary must agree with
 * a deliberately simple model: bookings as day numbers, checked night by night over a window, with
 * "today" worked out from the UK's summer-time rule by hand rather than from the time-zone database.
 */

const BASE = '2026-03-01';
/** Business dates fall in the first 40 days; the window checked runs past every one of them. */
const DAYS = 40;
const HORIZON = 80;
const DATES = Array.from({ length: HORIZON + DAYS }, (_, i) => addDays(BASE, i));
const date = (day: number): string => DATES[day] ?? addDays(BASE, day);
const nights = (from: number, to: number | null): number[] =>
  Array.from({ length: (to ?? HORIZON) - from }, (_, i) => from + i).filter((d) => d < HORIZON);

interface Span {
  from: number;
  to: number | null;
}
const holds = (s: Span, night: number): boolean => s.from <= night && (s.to === null || night < s.to);
const shareANight = (a: Span, b: Span): boolean => nights(a.from, a.to).some((n) => holds(b, n));

/** Recording instants: one per command, never going back, some late in the evening around the clock change. */
const recordedAt = (count: number) =>
  fc
    .array(fc.record({ day: fc.integer({ min: 0, max: DAYS }), hour: fc.integer({ min: 0, max: 23 }) }), {
      minLength: count,
      maxLength: count,
    })
    .map((xs) =>
      xs
        .map(({ day, hour }) => Date.UTC(2026, 2, 1 + day, hour, 30))
        .sort((a, b) => a - b)
        .map((ms) => new Date(ms).toISOString()),
    );

/** Today in London, by hand: BST (UTC+1) from 01:00 UTC on the last Sunday of March 2026 (the 29th). */
function todayOf(at: string): number {
  const ms = Date.parse(at);
  const local = ms >= Date.UTC(2026, 2, 29, 1) ? ms + 3_600_000 : ms;
  return Math.floor((local - Date.UTC(2026, 2, 1)) / 86_400_000);
}

function attempt<S, C, E>(
  decider: { decide(c: C, s: S): E[]; evolve(s: S, e: E): S },
  state: S,
  command: C,
): { accepted: boolean; state: S } {
  try {
    const events = decider.decide(command, state);
    return { accepted: true, state: events.reduce(decider.evolve, state) };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { accepted: false, state };
  }
}

// ---- one bed ----
type BedStep =
  | { kind: 'occupy'; p: number; from: number; nights: number | null }
  | { kind: 'vacate'; p: number; day: number }
  | { kind: 'revise'; p: number; day: number }
  | { kind: 'withdraw'; p: number }
  | { kind: 'out-of-use'; from: number; nights: number | null }
  | { kind: 'back-in-use'; day: number };

const day = fc.integer({ min: 0, max: DAYS });
const placement = fc.integer({ min: 1, max: 6 });
const length = fc.option(fc.integer({ min: 1, max: 15 }), { nil: null });
const bedStep: fc.Arbitrary<BedStep> = fc.oneof(
  fc.record({ kind: fc.constant('occupy' as const), p: placement, from: day, nights: length }),
  fc.record({ kind: fc.constant('vacate' as const), p: placement, day }),
  fc.record({ kind: fc.constant('revise' as const), p: placement, day }),
  fc.record({ kind: fc.constant('withdraw' as const), p: placement }),
  fc.record({ kind: fc.constant('out-of-use' as const), from: day, nights: length }),
  fc.record({ kind: fc.constant('back-in-use' as const), day }),
);

const ids = { settingId: 's1', bedId: 'b1' };
function bedCommand(step: BedStep, at: string): BedCommand {
  switch (step.kind) {
    case 'occupy':
      return {
        type: 'OccupyBed',
        data: {
          ...ids,
          placementId: `p${step.p}`,
          referralId: `r${step.p}`,
          emergency: false,
          startDate: date(step.from),
          endDate: step.nights === null ? null : date(step.from + step.nights),
          at,
          child: { childId: `c${step.p}`, dateOfBirth: '2012-01-01', sex: 'F' },
          setting: { open: true, registration: { ageRange: { min: 0, max: 25 }, sexes: 'any', maxChildren: 4 } },
          neighbours: [],
          matchingMeeting: {
            meetingId: `m${step.p}`,
            referralId: `r${step.p}`,
            decision: 'matched',
            residentChildIdsAssessed: [],
            unitConsidered: { kind: 'setting', settingId: 's1' },
          },
        },
      };
    case 'vacate':
      return {
        type: 'VacateBed',
        data: {
          ...ids,
          placementId: `p${step.p}`,
          childId: `c${step.p}`,
          date: date(step.day),
          reason: 'placement-ended',
        },
      };
    case 'revise':
      return {
        type: 'ReviseBedDeparture',
        data: { ...ids, placementId: `p${step.p}`, childId: `c${step.p}`, date: date(step.day) },
        at,
      };
    case 'withdraw':
      return { type: 'WithdrawBedDeparture', data: { ...ids, placementId: `p${step.p}`, childId: `c${step.p}` }, at };
    case 'out-of-use':
      return {
        type: 'TakeBedOutOfUse',
        data: {
          ...ids,
          reason: 'maintenance',
          from: date(step.from),
          to: step.nights === null ? null : date(step.from + step.nights),
        },
        at,
      };
    case 'back-in-use':
      return { type: 'PutBedBackInUse', data: { ...ids, date: date(step.day) } };
  }
}

/** The simple model of one bed's diary: placements and periods out of use as day numbers. */
class BedModel {
  readonly occupancies = new Map<number, Span>();
  outOfUse: Span[] = [];

  private free(span: Span, except: number | null): boolean {
    return (
      [...this.occupancies].every(([p, o]) => p === except || !shareANight(span, o)) &&
      this.outOfUse.every((o) => !shareANight(span, o))
    );
  }

  /** Applies the step if the rules allow it; returns whether they did. */
  apply(step: BedStep, today: number): boolean {
    switch (step.kind) {
      case 'occupy': {
        const span = { from: step.from, to: step.nights === null ? null : step.from + step.nights };
        if (this.occupancies.has(step.p) || !this.free(span, null)) return false;
        this.occupancies.set(step.p, span);
        return true;
      }
      case 'vacate': {
        const o = this.occupancies.get(step.p);
        if (!o || o.to !== null || step.day < o.from) return false;
        o.to = step.day;
        return true;
      }
      case 'revise': {
        const o = this.occupancies.get(step.p);
        if (!o || o.to === null || o.to <= today || step.day < o.from) return false;
        if (step.day !== o.to && !this.free({ from: o.from, to: step.day }, step.p)) return false;
        o.to = step.day;
        return true;
      }
      case 'withdraw': {
        const o = this.occupancies.get(step.p);
        if (!o || o.to === null || o.to <= today || !this.free({ from: o.from, to: null }, step.p)) return false;
        o.to = null;
        return true;
      }
      case 'out-of-use': {
        const span = { from: step.from, to: step.nights === null ? null : step.from + step.nights };
        if (!this.free(span, null)) return false;
        this.outOfUse.push(span);
        return true;
      }
      case 'back-in-use': {
        const period = this.outOfUse.find((o) => holds(o, step.day));
        if (!period) return false;
        period.to = step.day;
        this.outOfUse = this.outOfUse.filter((o) => o.to === null || o.to > o.from);
        return true;
      }
    }
  }
}

const asDates = (spans: Span[]) =>
  spans
    .map((s) => ({ from: date(s.from), to: s.to === null ? null : date(s.to) }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));

describe('diaries under random dated commands, recorded in any order', () => {
  it('a bed: the decider agrees with the interval model, and occupancies never overlap', () => {
    fc.assert(
      fc.property(
        fc
          .array(bedStep, { minLength: 1, maxLength: 30 })
          .chain((steps) =>
            recordedAt(steps.length).map((ats) => steps.map((step, i) => ({ step, at: ats[i] ?? '' }))),
          ),
        (script) => {
          const model = new BedModel();
          let state: BedState = bedDecider.evolve(bedDecider.initialState, {
            type: 'BedAdded',
            data: { ...ids, kind: 'residential', label: 'Room 1' },
          });
          for (const { step, at } of script) {
            const result = attempt(bedDecider, state, bedCommand(step, at));
            expect({ step, at, accepted: result.accepted }).toEqual({
              step,
              at,
              accepted: model.apply(step, todayOf(at)),
            });
            state = result.state;
            if (state.status !== 'Added') throw new Error('the bed was added');
            expect(state.occupancies.map(({ placementId, from, to }) => ({ placementId, from, to }))).toEqual(
              [...model.occupancies]
                .map(([p, o]) => ({ placementId: `p${p}`, ...asDates([o])[0] }))
                .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)),
            );
            expect(state.outOfUse.map(({ from, to }) => ({ from, to }))).toEqual(asDates(model.outOfUse));
            // Independently of the model: no two bookings of the bed share a night.
            const booked = [...state.occupancies, ...state.outOfUse]
              .filter((b) => b.to === null || b.from < b.to)
              .sort((a, b) => (a.from < b.from ? -1 : 1));
            booked
              .slice(1)
              .forEach((b, i) => expect(booked[i]?.to !== null && b.from >= (booked[i]?.to ?? '')).toBe(true));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  // ---- one household, approved for two children ----
  type HouseholdStep =
    | { kind: 'place'; p: number; child: number; from: number; nights: number | null }
    | { kind: 'leave'; p: number; day: number }
    | { kind: 'revise'; p: number; day: number }
    | { kind: 'withdraw'; p: number };
  const householdStep: fc.Arbitrary<HouseholdStep> = fc.oneof(
    fc.record({
      kind: fc.constant('place' as const),
      p: placement,
      child: fc.integer({ min: 1, max: 4 }),
      from: day,
      nights: length,
    }),
    fc.record({ kind: fc.constant('leave' as const), p: placement, day }),
    fc.record({ kind: fc.constant('revise' as const), p: placement, day }),
    fc.record({ kind: fc.constant('withdraw' as const), p: placement }),
  );
  const PLACES = 2;

  it('a household: the decider agrees with the model, and it never has more children than places on any night', () => {
    const childOf = new Map<number, number>();
    function command(step: HouseholdStep, at: string): HouseholdCommand {
      const child = step.kind === 'place' ? step.child : (childOf.get(step.p) ?? 0);
      const base = { householdId: 'h1', placementId: `p${step.p}`, childId: `c${child}` };
      switch (step.kind) {
        case 'place':
          return {
            type: 'PlaceChildWithHousehold',
            data: {
              householdId: 'h1',
              placementId: `p${step.p}`,
              child: { childId: `c${step.child}`, dateOfBirth: '2015-01-01', sex: 'M' },
              referralId: null,
              placementType: 'short-term',
              siblingGroupId: null,
              startDate: date(step.from),
              endDate: step.nights === null ? null : date(step.from + step.nights),
              emergency: false,
              stepDownId: null,
              at,
            },
          };
        case 'leave':
          return {
            type: 'RecordChildLeftHousehold',
            data: { ...base, date: date(step.day), reason: 'placement-ended' },
          };
        case 'revise':
          return { type: 'ReviseHouseholdDeparture', data: { ...base, date: date(step.day) }, at };
        case 'withdraw':
          return { type: 'WithdrawHouseholdDeparture', data: base, at };
      }
    }

    fc.assert(
      fc.property(
        fc
          .array(householdStep, { minLength: 1, maxLength: 30 })
          .chain((steps) =>
            recordedAt(steps.length).map((ats) => steps.map((step, i) => ({ step, at: ats[i] ?? '' }))),
          ),
        (script) => {
          childOf.clear();
          const placed = new Map<number, Span & { child: number }>();
          const fits = (span: Span, child: number, except: number | null) =>
            nights(span.from, span.to).every((n) => {
              const there = [...placed].filter(([p, b]) => p !== except && holds(b, n));
              return there.length + 1 <= PLACES && there.every(([, b]) => b.child !== child);
            });
          const model = (step: HouseholdStep, today: number): boolean => {
            switch (step.kind) {
              case 'place': {
                const span = { from: step.from, to: step.nights === null ? null : step.from + step.nights };
                if (placed.has(step.p) || !fits(span, step.child, null)) return false;
                placed.set(step.p, { ...span, child: step.child });
                childOf.set(step.p, step.child);
                return true;
              }
              case 'leave': {
                const b = placed.get(step.p);
                if (!b || b.to !== null || step.day < b.from) return false;
                b.to = step.day;
                return true;
              }
              case 'revise': {
                const b = placed.get(step.p);
                if (!b || b.to === null || b.to <= today || step.day < b.from) return false;
                if (step.day > b.to && !fits({ from: b.to, to: step.day }, b.child, step.p)) return false;
                b.to = step.day;
                return true;
              }
              case 'withdraw': {
                const b = placed.get(step.p);
                if (!b || b.to === null || b.to <= today || !fits({ from: b.to, to: null }, b.child, step.p))
                  return false;
                b.to = null;
                return true;
              }
            }
          };

          let state: HouseholdState = householdDecider.evolve(householdDecider.initialState, {
            type: 'FosterHouseholdApproved',
            data: {
              householdId: 'h1',
              reference: 'FH-1',
              approvedOn: '2020-01-01',
              terms: {
                ageRange: { min: 0, max: 17 },
                maxChildren: PLACES,
                siblingGroup: false,
                placementTypes: ['short-term'],
                connectedPerson: false,
                provider: 'in-house',
                agencyName: null,
                sexes: 'any',
                postcode: 'S60 1AA',
              },
            },
          });
          for (const { step, at } of script) {
            const cmd = command(step, at);
            const result = attempt(householdDecider, state, cmd);
            expect({ step, at, accepted: result.accepted }).toEqual({ step, at, accepted: model(step, todayOf(at)) });
            state = result.state;
            if (state.status === 'NotApproved') throw new Error('the household was approved');
            expect(
              [...state.placements]
                .map(({ placementId, from, to }) => ({ placementId, from, to }))
                .sort((a, b) => a.placementId.localeCompare(b.placementId)),
            ).toEqual(
              [...placed]
                .map(([p, b]) => ({ placementId: `p${p}`, from: date(b.from), to: b.to === null ? null : date(b.to) }))
                .sort((a, b) => a.placementId.localeCompare(b.placementId)),
            );
            // Independently of the model: on each night a booking starts, no more children than places, none twice.
            for (const { from: on } of state.placements) {
              const there = state.placements.filter((b) => b.from <= on && (b.to === null || on < b.to));
              expect(there.length).toBeLessThanOrEqual(PLACES);
              expect(new Set(there.map((b) => b.childId)).size).toBe(there.length);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
