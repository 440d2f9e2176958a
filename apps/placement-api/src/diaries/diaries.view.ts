import { addDays, isAfter, spansOverlap, type BusinessDate, type DateSpan } from '@placement/domain';

/**
 * A booking in a diary view: whose, when, and whether each end is a plan or has happened. Whose
 * (the placement and child ids) is left out for a residential manager in a home they do not keep.
 */
export interface DiaryBooking {
  readonly placementId?: string;
  readonly childId?: string;
  readonly from: BusinessDate;
  /** The leaving day (free that night), or null while open-ended. */
  readonly to: BusinessDate | null;
  /** `planned` for an arrival after today, `actual` once it has happened. */
  readonly arrival: 'planned' | 'actual';
  /** `planned` for a departure after today, `actual` once it has happened, null with no end date. */
  readonly departure: 'planned' | 'actual' | null;
}
export interface DiaryPeriod {
  readonly reason: string;
  readonly from: BusinessDate;
  readonly to: BusinessDate | null;
  readonly start: 'planned' | 'actual';
  readonly end: 'planned' | 'actual' | null;
}

const when = (date: BusinessDate, today: BusinessDate): 'planned' | 'actual' =>
  isAfter(date, today) ? 'planned' : 'actual';

/** The bookings that share a night with the window `[from, to]` (both dates included), oldest first. */
export function inWindow<T extends DateSpan>(bookings: readonly T[], from: BusinessDate, to: BusinessDate): T[] {
  const window: DateSpan = { from, to: addDays(to, 1) };
  return bookings.filter((b) => spansOverlap(b, window));
}

export function diaryBooking(
  b: DateSpan & { readonly placementId: string; readonly childId: string },
  today: BusinessDate,
): DiaryBooking {
  return {
    placementId: b.placementId,
    childId: b.childId,
    from: b.from,
    to: b.to,
    arrival: when(b.from, today),
    departure: b.to === null ? null : when(b.to, today),
  };
}

export function diaryPeriod(p: DateSpan & { readonly reason: string }, today: BusinessDate): DiaryPeriod {
  return {
    reason: p.reason,
    from: p.from,
    to: p.to,
    start: when(p.from, today),
    end: p.to === null ? null : when(p.to, today),
  };
}
