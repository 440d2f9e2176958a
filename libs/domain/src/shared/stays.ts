import { compareDates, isAfter, isBefore, isBusinessDate, londonDateOf, requireDate, requireInstant } from './dates';
import type { BusinessDate, Instant } from './dates';
import type { DateSpan } from './diary';
import { require_ } from './errors';

/**
 * A placement's stay in a unit, `[from, to)`: a bed's occupancy, a placement with a household, a block-booked
 * bed's allocation. Each unit keeps its stays in start order and ends them by placement; the rules for a
 * departure are the same in each, told in the unit's own words.
 */
export interface Stay extends DateSpan {
  readonly placementId: string;
  readonly childId: string;
}

/** The stays in start order. */
export function inStartOrder<T extends Stay>(stays: readonly T[]): T[] {
  return [...stays].sort((a, b) => compareDates(a.from, b.from));
}

/** The stays with the placement's end set to `to` (null: open-ended again), in start order. */
export function withEndOf<T extends Stay>(stays: readonly T[], placementId: string, to: BusinessDate | null): T[] {
  return inStartOrder(stays.map((s) => (s.placementId === placementId ? { ...s, to } : s)));
}

/** How a unit tells a child's departure in its refusals. */
export interface StayWords {
  /** No stay of the placement for this child. */
  readonly notFound: string;
  /** Before `on {date}`: the stay already has a planned end. */
  readonly alreadyLeaves: string;
  /** Before `on {date}`: the stay's end has happened. */
  readonly left: string;
  /** A departure dated before the stay began. */
  readonly onOrAfter: string;
}

/** A stay's start as a unit takes it: a start date, a planned end after it (null: open-ended), decided at `at`. */
export function checkStayStart(start: {
  readonly startDate: BusinessDate;
  readonly endDate: BusinessDate | null;
  readonly at: Instant;
}): void {
  requireDate(start.startDate, 'startDate');
  require_(
    start.endDate === null || (isBusinessDate(start.endDate) && isAfter(start.endDate, start.startDate)),
    'INVALID_DATES',
    'a planned end is a date after the start',
  );
  requireInstant(start.at, 'at');
}

/**
 * A departure (the child leaves the unit on `date`) checked against the stay it ends: the stay is the
 * child's, the date is a date; unless it undoes a placement (a compensation), the stay is still open-ended
 * (a planned end is revised, not ended again) and the date is on or after the stay began.
 */
export function checkDeparture(stay: Stay | undefined, departure: StayRef & StayEnd, words: StayWords): void {
  require_(stay !== undefined && stay.childId === departure.childId, 'NOT_FOUND', words.notFound);
  requireDate(departure.date, 'date');
  if (departure.reason === 'compensation') return;
  require_(stay.to === null, 'INVALID_STATE', `${words.alreadyLeaves} on ${stay.to ?? ''}: revise that end instead`);
  require_(!isBefore(departure.date, stay.from), 'INVALID_DATES', words.onOrAfter);
}

/** The stay's planned end, which may still change: the stay is the child's and ends after today (London) at `at`. */
export function plannedEndOf<T extends Stay>(
  stay: T | undefined,
  childId: string,
  at: Instant,
  words: StayWords,
): T & { readonly to: BusinessDate } {
  requireInstant(at, 'at');
  require_(stay !== undefined && stay.childId === childId, 'NOT_FOUND', words.notFound);
  require_(stay.to !== null, 'INVALID_STATE', 'the placement has no end date to change');
  require_(
    isAfter(stay.to, londonDateOf(at)),
    'END_HAS_HAPPENED',
    `${words.left} on ${stay.to}: an end that has happened is a fact, not a plan`,
  );
  return { ...stay, to: stay.to };
}

/** A planned end moved to `date`, checked (a date, on or after the stay began); false when it is the same end. */
export function movesEnd(stay: Stay & { readonly to: BusinessDate }, date: BusinessDate, words: StayWords): boolean {
  requireDate(date, 'date');
  require_(!isBefore(date, stay.from), 'INVALID_DATES', words.onOrAfter);
  return date !== stay.to;
}

/** How a departure's events and commands name the stay, beside the unit's own ids. */
export type StayRef = {
  readonly placementId: string;
  readonly childId: string;
};

/** A stay's end as a departure records it: the child leaves on `date`, for `reason`. */
export type StayEnd<R extends string = string> = {
  readonly date: BusinessDate;
  readonly reason: R;
};

/** A planned departure moved to `date`, decided at `at` (today is its London date). */
export interface ReviseDeparture<T extends string, Ids extends StayRef> {
  readonly type: T;
  readonly data: Ids & { readonly date: BusinessDate };
  readonly at: Instant;
}

/** A planned departure taken back, decided at `at`: the stay is open-ended again. */
export interface WithdrawDeparture<T extends string, Ids extends StayRef> {
  readonly type: T;
  readonly data: Ids;
  readonly at: Instant;
}

/**
 * How a unit keeps its stays for a planned departure: where it finds a placement's stay, how it tells of it, the
 * room a longer stay needs, and its two events (the planned end withdrawn; the child leaving).
 */
export interface DepartureRules<S extends Stay, W extends string, L extends string> {
  readonly words: StayWords;
  stayOf(ids: StayRef): S | undefined;
  /** Refuses the stay running to `to` (null: open-ended) when the unit has no room for it. */
  requireRoom(stay: S, to: BusinessDate | null): void;
  readonly withdrawn: W;
  readonly left: L;
}

/** A unit's planned departures, revised or withdrawn before they happen; the same rules in every unit. */
export class Departures<S extends Stay, W extends string, L extends string> {
  constructor(private readonly unit: DepartureRules<S, W, L>) {}

  /** The events that move a planned departure to `date` (none when it is the same end): withdrawn, then left. */
  revise<R extends StayRef & { readonly date: BusinessDate }>(revision: R, at: Instant) {
    const stay = plannedEndOf(this.unit.stayOf(revision), revision.childId, at, this.unit.words);
    if (!movesEnd(stay, revision.date, this.unit.words)) return [];
    this.unit.requireRoom(stay, revision.date);
    const { date, ...ids } = revision;
    return [
      { type: this.unit.withdrawn, data: ids },
      { type: this.unit.left, data: { ...ids, date, reason: 'placement-ended' as const } },
    ];
  }

  /** The event of the child leaving the stay on `date` (or a compensation removing it), once the unit holds it. */
  leave<R extends StayRef & StayEnd>(departure: R): { type: L; data: R }[] {
    checkDeparture(this.unit.stayOf(departure), departure, this.unit.words);
    return [{ type: this.unit.left, data: departure }];
  }

  /** The event that takes a planned departure back, once the unit has room for the stay open-ended. */
  withdraw<R extends StayRef>(withdrawal: R, at: Instant): { type: W; data: R }[] {
    const stay = plannedEndOf(this.unit.stayOf(withdrawal), withdrawal.childId, at, this.unit.words);
    this.unit.requireRoom(stay, null);
    return [{ type: this.unit.withdrawn, data: withdrawal }];
  }
}
