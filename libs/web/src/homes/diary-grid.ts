import { addDays, compareDates, isInstant, londonDateOf } from '@placement/domain';

/** The London night a hold lapses on (its `until` is an instant; 23:30 UTC in summer is the next day). */
const holdDay = (until: string): string => (isInstant(until) ? londonDateOf(until) : until);

/** The nights a diary page shows: two weeks. */
export const DIARY_NIGHTS = 14;

/** A booking as the diary route answers it; in a home the viewer does not keep, with no child or placement id. */
export interface DiaryBookingIn {
  readonly placementId?: string;
  readonly childId?: string;
  readonly from: string;
  readonly to: string | null;
  readonly arrival: 'planned' | 'actual';
  readonly departure: 'planned' | 'actual' | null;
}

/** A home's diary as the route answers it (GET /v1/settings/{id}/diary). */
export interface SettingDiaryIn {
  readonly settingId: string;
  readonly from: string;
  readonly to: string;
  readonly today: string;
  readonly beds: readonly {
    readonly bedId: string;
    readonly label: string;
    readonly kind: string;
    readonly bookings: readonly DiaryBookingIn[];
    readonly outOfUse: readonly { readonly reason: string; readonly from: string; readonly to: string | null }[];
    readonly hold: { readonly referralId?: string; readonly until: string } | null;
  }[];
}

/** One bed's night in words: what the cell says, and the GOV.UK tag colour of its main state. */
export interface DiaryCell {
  readonly text: string;
  readonly colour: string;
}

export interface DiaryRow {
  readonly bedId: string;
  readonly label: string;
  readonly kind: string;
  readonly cells: readonly DiaryCell[];
}

/** The `to` of a window of `DIARY_NIGHTS` nights from `from` (both included). */
export function diaryTo(from: string): string {
  return addDays(from, DIARY_NIGHTS - 1);
}

/** The nights of the window, `from` first. */
export function diaryNights(from: string): string[] {
  return Array.from({ length: DIARY_NIGHTS }, (_, i) => addDays(from, i));
}

const covers = (span: { from: string; to: string | null }, night: string) =>
  compareDates(span.from, night) <= 0 && (span.to === null || compareDates(night, span.to) < 0);

/**
 * Each bed a row, each night a cell: out of use, an arrival (planned, or arrived), occupied, a
 * departure that morning (planned, or left), a live hold, or free. Child ids only where the
 * answer carries them and `showChildren` (a home the viewer keeps): elsewhere a booking is a booking.
 */
export function diaryRows(diary: SettingDiaryIn, from: string, showChildren: boolean): DiaryRow[] {
  const nights = diaryNights(from);
  return diary.beds.map((bed) => ({
    bedId: bed.bedId,
    label: bed.label,
    kind: bed.kind,
    cells: nights.map((night) => cellOf(bed, night, diary.today, showChildren)),
  }));
}

function cellOf(bed: SettingDiaryIn['beds'][number], night: string, today: string, showChildren: boolean): DiaryCell {
  const parts: string[] = [];
  let colour = 'green';
  const leaving = bed.bookings.find((b) => b.to === night);
  if (leaving) parts.push(leaving.departure === 'planned' ? 'Planned departure' : 'Left');
  const period = bed.outOfUse.find((p) => covers(p, night));
  const stay = bed.bookings.find((b) => covers(b, night));
  if (period) {
    parts.push('Out of use');
    colour = 'grey';
  } else if (stay) {
    const who = showChildren && stay.childId ? `: child ${stay.childId}` : '';
    if (stay.from === night) parts.push(`${stay.arrival === 'planned' ? 'Planned arrival' : 'Arrived'}${who}`);
    else parts.push(`Occupied${who}`);
    colour = stay.arrival === 'planned' && compareDates(night, today) > 0 ? 'purple' : 'blue';
  } else if (bed.hold && compareDates(today, night) <= 0 && compareDates(night, holdDay(bed.hold.until)) <= 0) {
    parts.push('Held');
    colour = 'yellow';
  } else {
    parts.push('Free');
  }
  return { text: parts.join('. '), colour };
}
