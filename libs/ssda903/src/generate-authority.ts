import type {
  LegalStatusCode,
  PlaceCode,
  PlaceProviderCode,
  ReasonCareEndedCode,
  ReasonPlaceChangeCode,
  SexCode,
  EthnicCode,
  CategoryOfNeedCode,
} from './codes';
import { seededRandom, upnCheckLetter } from '@placement/domain';
import type { IsoDate } from './dates';
import type { ChildHistory, LegalStatusChange, PeriodOfCare, PlacementSpell } from './history';

/**
 * A deterministic synthetic authority for round-trip tests: the same seed always gives the
 * same children, settings and histories. No real child is described; postcodes are real ones
 * passed in by the caller (tests read reference-data/postcodes-rotherham.csv).
 */
export interface AuthorityOptions {
  readonly seed: number;
  readonly children: number;
  /** Real postcodes to give homes, households and children. */
  readonly postcodes: readonly string[];
  /** First day any period may start. */
  readonly from: IsoDate;
  /** Histories are generated up to this day; later events are not known. */
  readonly until: IsoDate;
}

export interface GeneratedUnit {
  readonly carerId: string;
  readonly kind: 'home' | 'secure' | 'supported' | 'semi-independent' | 'foster' | 'connected';
  readonly places: readonly PlaceCode[];
  readonly provider: PlaceProviderCode;
  readonly urn: string | null;
  readonly postcode: string;
}

export interface GeneratedAuthority {
  readonly units: readonly GeneratedUnit[];
  readonly histories: readonly ChildHistory[];
}

/** Draws over the domain's seeded PRNG (mulberry32), with `int` counting both ends. */
function rng(seed: number) {
  const next = seededRandom(seed);
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function addYears(date: IsoDate, years: number): IsoDate {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5) === '02-29' ? '03-01' : date.slice(5);
  return `${y}-${md}`;
}

function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

const SUPPORTED_ACCOMMODATION_REGISTERED: IsoDate = '2024-04-01';

function makeUnits(r: Rng, postcodes: readonly string[]): GeneratedUnit[] {
  const urns = new Set<string>();
  const urn = () => {
    let u: string;
    do u = `SC${String(r.int(0, 999_999)).padStart(6, '0')}`;
    while (urns.has(u));
    urns.add(u);
    return u;
  };
  const units: GeneratedUnit[] = [];
  for (let i = 0; i < 7; i++)
    units.push({
      carerId: `home-own-${i}`,
      kind: 'home',
      places: ['K2'],
      provider: 'PR1',
      urn: urn(),
      postcode: r.pick(postcodes),
    });
  for (let i = 0; i < 25; i++)
    units.push({
      carerId: `home-ext-${i}`,
      kind: 'home',
      places: ['K2'],
      provider: r.chance(0.8) ? 'PR4' : 'PR5',
      urn: urn(),
      postcode: r.pick(postcodes),
    });
  units.push({
    carerId: 'secure-0',
    kind: 'secure',
    places: ['K1'],
    provider: 'PR2',
    urn: urn(),
    postcode: r.pick(postcodes),
  });
  for (let i = 0; i < 6; i++)
    units.push({
      carerId: `supported-${i}`,
      kind: 'supported',
      places: ['K3'],
      provider: 'PR4',
      urn: urn(),
      postcode: r.pick(postcodes),
    });
  for (let i = 0; i < 6; i++)
    units.push({
      carerId: `semi-${i}`,
      kind: 'semi-independent',
      places: ['H5'],
      provider: 'PR4',
      urn: null,
      postcode: r.pick(postcodes),
    });
  for (let i = 0; i < 110; i++)
    units.push({
      carerId: `foster-own-${i}`,
      kind: 'foster',
      places: ['U4', 'U6'],
      provider: 'PR1',
      urn: null,
      postcode: r.pick(postcodes),
    });
  for (let i = 0; i < 70; i++)
    units.push({
      carerId: `foster-ifa-${i}`,
      kind: 'foster',
      places: ['U4', 'U6'],
      provider: r.chance(0.85) ? 'PR4' : 'PR5',
      urn: null,
      postcode: r.pick(postcodes),
    });
  return units;
}

const REASONS_FOR_MOVE: readonly ReasonPlaceChangeCode[] = [
  'CARPL',
  'CARPL',
  'LAREQ',
  'CREQB',
  'CREQO',
  'CHILD',
  'ALLEG',
  'STAND',
  'CLOSE',
  'OTHER',
];
const ENDINGS_UNDER_16: readonly ReasonCareEndedCode[] = ['E4A', 'E4A', 'E4B', 'E13', 'E41', 'E45', 'E46', 'E3', 'E8'];
const ETHNICITIES: readonly EthnicCode[] = [
  'WBRI',
  'WBRI',
  'WBRI',
  'WBRI',
  'WBRI',
  'APKN',
  'MWBC',
  'WROM',
  'BAFR',
  'WOTH',
  'AOTH',
  'NOBT',
];
const NEEDS: readonly CategoryOfNeedCode[] = ['N1', 'N1', 'N1', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N8'];

interface Cursor {
  date: IsoDate;
  legalStatus: LegalStatusCode;
  unit: GeneratedUnit;
  place: PlaceCode;
}

/** One period of care for a child, starting on `start`; stops at `until`, at 18 or when care ends. */
function makePeriod(
  r: Rng,
  units: readonly GeneratedUnit[],
  child: { dob: IsoDate; home: string },
  start: IsoDate,
  until: IsoDate,
): PeriodOfCare {
  const age = (d: IsoDate) => Math.floor(daysBetween(child.dob, d) / 365.25);
  const eighteen = addYears(child.dob, 18);
  const ofKind = (kind: GeneratedUnit['kind']) => units.filter((u) => u.kind === kind);
  const homeFor = (d: IsoDate): { unit: GeneratedUnit; place: PlaceCode } => {
    const a = age(d);
    if (a >= 16 && r.chance(0.5)) {
      const unit =
        d >= SUPPORTED_ACCOMMODATION_REGISTERED ? r.pick(ofKind('supported')) : r.pick(ofKind('semi-independent'));
      return { unit, place: unit.places[0] };
    }
    if (a >= 10 && r.chance(0.4)) {
      const unit = r.chance(0.03) ? r.pick(ofKind('secure')) : r.pick(ofKind('home'));
      return { unit, place: unit.places[0] };
    }
    if (r.chance(0.12)) {
      const unit: GeneratedUnit = {
        carerId: `connected-${start}-${r.int(0, 1e9)}`,
        kind: 'connected',
        places: ['U1', 'U3'],
        provider: 'PR1',
        urn: null,
        postcode: r.pick(units).postcode,
      };
      return { unit, place: r.chance(0.5) ? 'U3' : 'U1' };
    }
    const unit = r.pick(ofKind('foster'));
    return { unit, place: r.chance(0.6) ? 'U6' : 'U4' };
  };

  const legalStatuses: LegalStatusChange[] = [];
  const placements: PlacementSpell[] = [];
  const open = (cur: Cursor) =>
    placements.push({
      place: cur.place,
      placeProvider: cur.unit.provider,
      urn: cur.unit.urn,
      postcode: cur.unit.postcode,
      carerId: cur.unit.carerId,
      startDate: cur.date,
      endDate: null,
      reasonForChange: null,
    });
  const closeLast = (date: IsoDate | null, reason: ReasonPlaceChangeCode | null) => {
    const last = placements[placements.length - 1];
    placements[placements.length - 1] = { ...last, endDate: date, reasonForChange: reason };
  };

  const initialStatus: LegalStatusCode =
    age(start) >= 12 && r.chance(0.08) ? 'J1' : r.pick(['C1', 'C1', 'V2', 'V2', 'L1', 'C2'] as const);
  const first = r.chance(0.2)
    ? (() => {
        // An emergency bed in one of the authority's own homes, then a planned placement within days.
        const unit = r.pick(units.filter((u) => u.carerId.startsWith('home-own-')));
        return { unit, place: 'K2' as PlaceCode };
      })()
    : homeFor(start);
  const cur: Cursor = { date: start, legalStatus: initialStatus, unit: first.unit, place: first.place };
  legalStatuses.push({ legalStatus: cur.legalStatus, from: start });
  open(cur);
  const emergency = first.unit.carerId.startsWith('home-own-') && r.chance(0.5);

  let endDate: IsoDate | null = null;
  let reasonCeased: ReasonCareEndedCode | null = null;
  for (let step = 0; step < 40; step++) {
    const gap = step === 0 && emergency ? r.int(1, 8) : r.int(15, 420);
    const next = addDays(cur.date, gap);
    if (next > until) break;
    if (next >= eighteen) {
      if (eighteen <= until && eighteen > cur.date) {
        endDate = eighteen;
        reasonCeased = cur.place.startsWith('U') ? r.pick(['E17', 'E5'] as const) : r.pick(['E5', 'E6', 'E5'] as const);
      }
      break;
    }
    const roll = r.next();
    if (step === 0 && emergency) {
      const planned = homeFor(next);
      if (planned.unit.carerId === cur.unit.carerId) continue;
      closeLast(next, 'CARPL');
      cur.date = next;
      Object.assign(cur, { unit: planned.unit, place: planned.place });
      open(cur);
      continue;
    }
    if (roll < 0.12 && age(next) < 16) {
      endDate = next;
      reasonCeased = r.pick(ENDINGS_UNDER_16);
      break;
    }
    cur.date = next;
    if (roll < 0.35) {
      // A change of legal status, sometimes with a move on the same day (B or U).
      const options: LegalStatusCode[] = (
        { C1: ['C2'], V2: ['C1', 'C2'], L1: ['V2', 'C1'], L2: ['C1'], J1: ['V2'], C2: ['E1'], E1: ['C2'] } as Partial<
          Record<LegalStatusCode, LegalStatusCode[]>
        >
      )[cur.legalStatus] ?? ['C2'];
      const status = r.pick(options);
      legalStatuses.push({ legalStatus: status, from: next });
      cur.legalStatus = status;
      if (status === 'E1' && cur.place.startsWith('U') && cur.unit.kind === 'foster' && r.chance(0.6)) {
        // Placed for adoption with the current foster carers: same carer, new placement (U).
        closeLast(next, 'CARPL');
        cur.place = 'A5';
        open(cur);
      } else if (r.chance(0.25)) {
        const move = homeFor(next);
        if (move.unit.carerId !== cur.unit.carerId) {
          closeLast(next, r.pick(REASONS_FOR_MOVE));
          Object.assign(cur, move);
          open(cur);
        }
      }
      continue;
    }
    if (roll < 0.45 && cur.unit.kind === 'foster' && cur.place === 'U6') {
      // Same carers, placement becomes long term (T, REASON_PLACE_CHANGE PLACE).
      closeLast(next, 'PLACE');
      cur.place = 'U4';
      open(cur);
      continue;
    }
    if (cur.place === 'A5' || cur.legalStatus === 'E1') {
      continue;
    }
    if (roll < 0.55 && (cur.unit.kind === 'home' || cur.unit.kind === 'secure')) {
      // Step-down from residential care to a foster family.
      const family = r.pick(units.filter((u) => u.kind === 'foster'));
      closeLast(next, 'LAREQ');
      Object.assign(cur, { unit: family, place: r.chance(0.5) ? 'U4' : 'U6' });
      open(cur);
      continue;
    }
    const move = homeFor(next);
    if (move.unit.carerId === cur.unit.carerId) continue;
    closeLast(next, r.pick(REASONS_FOR_MOVE));
    Object.assign(cur, move);
    open(cur);
  }
  if (endDate !== null) {
    // Legal status changes must precede the end; placements too (the loop guarantees both).
    closeLast(endDate, null);
  }
  return { startDate: start, endDate, reasonCeased, categoryOfNeed: r.pick(NEEDS), legalStatuses, placements };
}

export function generateAuthority(options: AuthorityOptions): GeneratedAuthority {
  const r = rng(options.seed);
  const units = makeUnits(r, options.postcodes);
  const histories: ChildHistory[] = [];
  const span = daysBetween(options.from, options.until);
  for (let i = 0; i < options.children; i++) {
    const start = addDays(options.from, r.int(0, span - 30));
    const dob = addDays(start, -r.int(30, 17 * 365));
    const home = r.pick(options.postcodes);
    const periods: PeriodOfCare[] = [makePeriod(r, units, { dob, home }, start, options.until)];
    const firstEnd = periods[0].endDate;
    if (firstEnd !== null && periods[0].reasonCeased?.startsWith('E4') && r.chance(0.4)) {
      const again = addDays(firstEnd, r.int(30, 500));
      if (again < options.until && again < addYears(dob, 18))
        periods.push(makePeriod(r, units, { dob, home }, again, options.until));
    }
    // SEX U only for children first looked after in 2024/25 or later, when the return accepts it.
    const sex: SexCode = start >= '2024-04-01' && r.chance(0.02) ? 'U' : r.chance(0.55) ? 'M' : 'F';
    histories.push({
      childId: `RMBC${String(i + 1).padStart(5, '0')}`,
      sex,
      dateOfBirth: dob,
      ethnicity: r.pick(ETHNICITIES),
      upn: age13(dob, start)
        ? temporaryUpn(`${String(r.int(0, 99_999_999_999)).padStart(11, '0')}${'ABCDEFGHJK'[r.int(0, 9)]}`)
        : 'UN1',
      homePostcode: home,
      periods,
    });
  }
  return { units, histories };
}

/** A temporary UPN (11 digits and a letter) with the check letter the DfE's formula gives it. */
function temporaryUpn(last12: string): string {
  return `${upnCheckLetter(last12)}${last12}`;
}

function age13(dob: IsoDate, at: IsoDate): boolean {
  return daysBetween(dob, at) > 5 * 365;
}
