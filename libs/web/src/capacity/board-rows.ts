import type { CapacityView, NextChange } from '@placement/projections';

export type UnitKindFilter = 'residential' | 'emergency' | 'foster' | 'block-booked';

export interface BoardFilters {
  readonly kind?: UnitKindFilter;
  readonly provision?: 'in-house' | 'external';
  /** An age band of the sufficiency statement: 0-4, 5-10, 11-15, 16-17. */
  readonly ageBand?: string;
  readonly sex?: 'M' | 'F';
}

/** One line of the board: a bed, a foster household or a block-booked bed, in words. */
export interface BoardRow {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly kind: UnitKindFilter;
  readonly provision: 'in-house' | 'external';
  /** GOV.UK tag: the state, and its colour. */
  readonly state: { readonly text: string; readonly colour: string };
  readonly takes: string;
  /** What holds it that night, and since or until when (an occupant since, a hold until, a booked arrival). */
  readonly detail: string;
  /** The next change in its diary after that night, with its date (a planned arrival or departure), or ''. */
  readonly next: string;
  readonly free: boolean;
}

const BANDS: Record<string, { min: number; max: number }> = {
  '0-4': { min: 0, max: 4 },
  '5-10': { min: 5, max: 10 },
  '11-15': { min: 11, max: 15 },
  '16-17': { min: 16, max: 17 },
};

function takes(range: { min: number; max: number } | null, sexes: string | null): string {
  const who = sexes === 'M' ? 'boys' : sexes === 'F' ? 'girls' : 'girls and boys';
  return range ? `${who} ${range.min} to ${range.max}` : 'as contracted';
}

const CHANGES: Record<NextChange['change'], string> = {
  arrival: 'Planned arrival',
  departure: 'Planned departure',
  'out-of-use': 'Out of use from',
  'back-in-use': 'Back in use',
};

/** A unit's next change in words: "Planned arrival 3 December 2026". */
export function nextChange(next: NextChange | null, formatDate: (d: string) => string): string {
  return next === null ? '' : `${CHANGES[next.change]} ${formatDate(next.date)}`;
}

/** Every unit on the board, in the order a placement officer reads it: our beds, then foster, then block-booked. */
export function boardRows(
  view: CapacityView,
  formatInstant: (iso: string) => string,
  formatDate: (d: string) => string,
): BoardRow[] {
  const rows: (BoardRow & { range: { min: number; max: number } | null; sexes: string | null })[] = [];
  for (const bed of view.units.beds) {
    const held = bed.hold && !bed.hold.lapsed ? bed.hold : null;
    const state = !bed.settingOpen
      ? { text: 'Home closed', colour: 'grey' }
      : bed.status === 'occupied'
        ? { text: bed.occupied?.emergency ? 'Occupied (emergency)' : 'Occupied', colour: 'blue' }
        : bed.status === 'out-of-use'
          ? { text: 'Out of use', colour: 'grey' }
          : held
            ? { text: 'Held', colour: 'yellow' }
            : bed.status === 'reserved'
              ? { text: 'Reserved', colour: 'purple' }
              : { text: 'Vacant', colour: 'green' };
    const detail =
      bed.status === 'occupied' && bed.occupied
        ? `Occupied since ${formatDate(bed.occupied.since)}`
        : bed.status === 'out-of-use' && bed.outOfUse
          ? bed.outOfUse.until
            ? `Out of use since ${formatDate(bed.outOfUse.from)}`
            : `Out of use since ${formatDate(bed.outOfUse.from)}, until further notice`
          : held
            ? `Held for referral ${held.referralId} until ${formatInstant(held.until)}`
            : bed.status === 'reserved'
              ? 'Free that night, booked from a later date'
              : bed.hold?.lapsed
                ? `A hold lapsed ${formatInstant(bed.hold.until)}`
                : '';
    rows.push({
      id: `bed-${bed.settingId}-${bed.bedId}`,
      name: bed.settingName,
      unit: `Bed ${bed.label}`,
      kind: bed.kind,
      provision: bed.provision,
      state,
      takes: takes(bed.ageRange, bed.sexes),
      detail,
      next: nextChange(bed.next, formatDate),
      free:
        bed.settingOpen &&
        (bed.status === 'vacant' || bed.status === 'reserved' || (bed.status === 'held' && held === null)),
      range: bed.ageRange,
      sexes: bed.sexes,
    });
  }
  for (const h of view.units.households) {
    const state =
      h.status !== 'approved'
        ? { text: h.status === 'suspended' ? 'Suspended' : 'Resigned', colour: 'grey' }
        : h.freePlaces > 0
          ? { text: `${h.freePlaces} of ${h.approvedPlaces} free`, colour: 'green' }
          : { text: 'Full', colour: 'blue' };
    rows.push({
      id: `household-${h.householdId}`,
      name: h.agencyName ? `${h.reference} (${h.agencyName})` : h.reference,
      unit: h.connectedPerson ? 'Connected person' : 'Foster household',
      kind: 'foster',
      provision: h.provision,
      state,
      takes: takes(h.ageRange, h.sexes),
      detail: `${h.usedPlaces} of ${h.approvedPlaces} places used`,
      next: nextChange(h.next, formatDate),
      free: h.status === 'approved' && h.freePlaces > 0,
      range: h.ageRange,
      sexes: h.sexes,
    });
  }
  for (const b of view.units.blockBeds) {
    const state = !b.contractActive
      ? { text: 'Contract not active', colour: 'grey' }
      : b.status === 'allocated'
        ? { text: 'Allocated', colour: 'blue' }
        : b.status === 'reserved'
          ? { text: 'Reserved (void, booked later)', colour: 'purple' }
          : { text: 'Void (paid for, empty)', colour: 'orange' };
    rows.push({
      id: `block-${b.contractId}-${b.bedRef}`,
      name: `${b.settingName} (${b.providerName})`,
      unit: `Block-booked bed ${b.bedRef}`,
      kind: 'block-booked',
      provision: 'external',
      state,
      takes: takes(null, null),
      detail: b.allocated ? `Allocated since ${formatDate(b.allocated.since)}` : '',
      next: nextChange(b.next, formatDate),
      free: b.contractActive && b.status !== 'allocated',
      range: null,
      sexes: null,
    });
  }
  return rows.map(({ range: _range, sexes: _sexes, ...row }) => row);
}

/** The rows the filters keep: a unit whose terms take a child of that age band and sex. */
export function filterRows(view: CapacityView, rows: readonly BoardRow[], filters: BoardFilters): BoardRow[] {
  const terms = new Map<string, { range: { min: number; max: number } | null; sexes: string | null }>();
  for (const bed of view.units.beds)
    terms.set(`bed-${bed.settingId}-${bed.bedId}`, { range: bed.ageRange, sexes: bed.sexes });
  for (const h of view.units.households) terms.set(`household-${h.householdId}`, { range: h.ageRange, sexes: h.sexes });
  const band = filters.ageBand ? BANDS[filters.ageBand] : undefined;
  return rows.filter((row) => {
    if (filters.kind && row.kind !== filters.kind) return false;
    if (filters.provision && row.provision !== filters.provision) return false;
    const t = terms.get(row.id);
    // A block booking records no age or sex terms: it answers neither filter.
    if ((band || filters.sex) && (!t || !t.range)) return false;
    if (band && t?.range && (t.range.max < band.min || t.range.min > band.max)) return false;
    if (filters.sex && t && t.sexes !== 'any' && t.sexes !== filters.sex) return false;
    return true;
  });
}

export const AGE_BANDS = Object.keys(BANDS);
