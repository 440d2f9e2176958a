import type {
  CapacitySnapshot,
  CapacityUnit,
  GridLocation,
  PlacementCategory,
  ProviderRoute,
  ReferralNeeds,
  ResidentProfile,
  Setting,
  SettingTerms,
  Sex,
  Suitability,
} from '../model';
import { RISKS_TO_OTHERS, RISKS_TO_SELF } from '../model';
import { seededRandom } from '@placement/domain';

// A deterministic synthetic estate (no real child or setting) for benches, tests and the
// national seed. The caller reads the postcode-district CSV and passes the rows in, so the
// engine's lib stays free of I/O.

export interface PostcodeDistrict {
  district: string;
  laCode: string;
  easting: number;
  northing: number;
}

export type EstateScale = 'rotherham' | 'national';

export interface SyntheticEstateOptions {
  scale: EstateScale;
  seed: number;
  districts: readonly PostcodeDistrict[];
  /** ISO instant of the snapshot; holds run a day beyond it. */
  asAt: string;
  /** The authority the Rotherham-scale estate belongs to. */
  homeAuthorityCode?: string;
}

export interface SyntheticEstate {
  snapshot: CapacitySnapshot;
  authorities: readonly string[];
}

export const ROTHERHAM = 'E08000018';

class Draw {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(xs: readonly (readonly [T, number])[]): T {
    const total = xs.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [x, w] of xs) {
      r -= w;
      if (r < 0) return x;
    }
    return xs[xs.length - 1][0];
  }
}

const HOME_AGE_RANGES: readonly (readonly [readonly [number, number], number])[] = [
  [[8, 17], 3],
  [[10, 17], 3],
  [[12, 17], 4],
  [[11, 17], 2],
  [[6, 13], 1],
];
const HOUSEHOLD_AGE_RANGES: readonly (readonly [readonly [number, number], number])[] = [
  [[0, 17], 4],
  [[0, 4], 2],
  [[0, 10], 3],
  [[5, 17], 3],
  [[8, 17], 2],
  [[11, 17], 2],
];

function pad(n: number, width = 5): string {
  return String(n).padStart(width, '0');
}

function near(d: Draw, district: PostcodeDistrict): GridLocation {
  // Within about 1.5 km of the district's centroid: the district is what the estate records.
  return {
    postcodeDistrict: district.district,
    easting: district.easting + d.int(-1500, 1500),
    northing: district.northing + d.int(-1500, 1500),
  };
}

function resident(d: Draw, id: string, ageMin: number, ageMax: number): ResidentProfile {
  const risksToSelf = RISKS_TO_SELF.filter(() => d.chance(0.08));
  const risksToOthers = RISKS_TO_OTHERS.filter(() => d.chance(0.04));
  return { childId: id, age: d.int(ageMin, ageMax), sex: d.chance(0.55) ? 'M' : 'F', risksToSelf, risksToOthers };
}

function homeTerms(d: Draw, beds: number, placeCode: string): SettingTerms {
  const [ageMin, ageMax] = d.weighted(HOME_AGE_RANGES);
  const sexes: Sex[] = d.weighted<Sex[]>([
    [['M', 'F', 'U'], 8],
    [['M'], 1],
    [['F'], 1],
  ]);
  return {
    ageMin,
    ageMax,
    sexes,
    maxChildren: beds,
    placeCodes: [placeCode],
    siblings: d.chance(0.6) ? { accepted: true, maxGroupSize: Math.min(beds, 3) } : { accepted: false },
    emergencyApproved: d.chance(0.3),
    risksNotAccepted: RISKS_TO_OTHERS.filter(() => d.chance(0.1)),
  };
}

interface Builder {
  d: Draw;
  settings: Setting[];
  units: CapacityUnit[];
  asAtMs: number;
  childSeq: number;
}

function holdOrState(b: Builder, occupied: boolean): CapacityUnit['state'] {
  if (occupied) return { status: 'occupied' };
  if (b.d.chance(0.04))
    return { status: 'out-of-use', reason: b.d.pick(['repairs', 'staffing', 'registration variation']) };
  if (b.d.chance(0.05)) {
    return {
      status: 'held',
      referralId: `R-${pad(b.d.int(1, 99_999))}`,
      until: new Date(b.asAtMs + b.d.int(1, 72) * 3_600_000).toISOString(),
    };
  }
  return { status: 'vacant' };
}

function addHome(
  b: Builder,
  la: string,
  district: PostcodeDistrict,
  route: ProviderRoute,
  beds: number,
  emergencyBeds: number,
  occupancy: number,
  id: string,
): void {
  const { d } = b;
  const terms = homeTerms(d, beds + emergencyBeds, 'K2');
  const residents: ResidentProfile[] = [];
  const settingId = `${id}`;
  const weekly = route === 'in-house' ? d.int(420_000, 520_000) : d.int(300_000, 560_000);
  for (let i = 0; i < beds; i++) {
    const occupied = d.chance(occupancy);
    if (occupied) residents.push(resident(d, `C-${pad(b.childSeq++, 6)}`, terms.ageMin, terms.ageMax));
    b.units.push({
      unitId: `${id}-B${i + 1}`,
      settingId,
      kind: 'residential-bed',
      route,
      state: holdOrState(b, occupied),
      weeklyCostPence: weekly,
    });
  }
  for (let i = 0; i < emergencyBeds; i++) {
    b.units.push({
      unitId: `${id}-E${i + 1}`,
      settingId,
      kind: 'emergency-bed',
      route,
      state: holdOrState(b, d.chance(0.3)),
      weeklyCostPence: weekly + 50_000,
    });
  }
  b.settings.push({
    settingId,
    kind: 'childrens-home',
    terms,
    residents,
    location: near(d, district),
    localAuthorityCode: la,
    adaptations: d.chance(0.08) ? ['wheelchair'] : [],
    urn: `SC${pad(d.int(0, 999_999), 6)}`,
  });
}

function addHousehold(b: Builder, la: string, district: PostcodeDistrict, route: ProviderRoute, id: string): void {
  const { d } = b;
  const [ageMin, ageMax] = d.weighted(HOUSEHOLD_AGE_RANGES);
  const maxChildren = d.weighted([
    [1, 4],
    [2, 4],
    [3, 2],
  ] as const);
  const connected = route === 'in-house' && d.chance(0.15);
  const occupiedPlaces = connected
    ? 1
    : d.weighted([
        [0, 3],
        [1, 4],
        [2, 2],
        [3, 1],
      ] as const);
  const residents: ResidentProfile[] = [];
  for (let i = 0; i < Math.min(occupiedPlaces, maxChildren); i++)
    residents.push(resident(d, `C-${pad(b.childSeq++, 6)}`, ageMin, ageMax));
  const terms: SettingTerms = {
    ageMin,
    ageMax,
    sexes: d.weighted<Sex[]>([
      [['M', 'F', 'U'], 8],
      [['M'], 1],
      [['F'], 1],
    ]),
    maxChildren,
    placeCodes: connected ? ['U1', 'U3'] : ['U4', 'U6'],
    siblings: maxChildren > 1 && d.chance(0.7) ? { accepted: true, maxGroupSize: maxChildren } : { accepted: false },
    emergencyApproved: d.chance(0.2),
    connectedPersonFor: connected ? [`C-${pad(b.childSeq++, 6)}`] : undefined,
    risksNotAccepted: d.chance(0.2) ? ['harm-to-animals'] : [],
  };
  const weekly = route === 'in-house' ? d.int(55_000, 75_000) : d.int(75_000, 95_000);
  b.units.push({
    unitId: `${id}-P`,
    settingId: id,
    kind: 'foster-household',
    route,
    state: holdOrState(b, residents.length >= maxChildren),
    weeklyCostPence: weekly,
  });
  b.settings.push({
    settingId: id,
    kind: 'foster-household',
    terms,
    residents,
    location: near(d, district),
    localAuthorityCode: la,
    adaptations: d.chance(0.03) ? ['wheelchair'] : [],
  });
}

function addSupportedAccommodation(
  b: Builder,
  la: string,
  district: PostcodeDistrict,
  route: ProviderRoute,
  places: number,
  id: string,
): void {
  const { d } = b;
  const residents: ResidentProfile[] = [];
  for (let i = 0; i < places; i++) {
    const occupied = d.chance(0.8);
    if (occupied) residents.push(resident(d, `C-${pad(b.childSeq++, 6)}`, 16, 17));
    b.units.push({
      unitId: `${id}-A${i + 1}`,
      settingId: id,
      kind: 'supported-accommodation',
      route,
      state: holdOrState(b, occupied),
      weeklyCostPence: d.int(90_000, 220_000),
    });
  }
  b.settings.push({
    settingId: id,
    kind: 'supported-accommodation',
    terms: {
      ageMin: 16,
      ageMax: 17,
      sexes: ['M', 'F', 'U'],
      maxChildren: places,
      placeCodes: ['K3'],
      siblings: { accepted: false },
      emergencyApproved: d.chance(0.3),
      risksNotAccepted: [],
    },
    residents,
    location: near(d, district),
    localAuthorityCode: la,
    adaptations: [],
  });
}

function byAuthority(districts: readonly PostcodeDistrict[]): Map<string, PostcodeDistrict[]> {
  const map = new Map<string, PostcodeDistrict[]>();
  for (const row of [...districts].sort((a, b) => (a.district < b.district ? -1 : a.district > b.district ? 1 : 0))) {
    if (!row.laCode) continue;
    const list = map.get(row.laCode) ?? [];
    list.push(row);
    map.set(row.laCode, list);
  }
  return map;
}

/** The estate: Rotherham's own provision and its external routes, or all of England. */
export function syntheticEstate(options: SyntheticEstateOptions): SyntheticEstate {
  const b: Builder = {
    d: new Draw(seededRandom(options.seed)),
    settings: [],
    units: [],
    asAtMs: Date.parse(options.asAt),
    childSeq: 1,
  };
  const authorities = byAuthority(options.districts);
  if (options.scale === 'rotherham') buildRotherham(b, authorities, options.homeAuthorityCode ?? ROTHERHAM);
  else buildNational(b, authorities);
  return {
    snapshot: { asAt: options.asAt, settings: b.settings, units: b.units },
    authorities: [...authorities.keys()],
  };
}

function buildRotherham(b: Builder, authorities: Map<string, PostcodeDistrict[]>, home: string): void {
  const { d } = b;
  const own = authorities.get(home);
  if (!own || own.length === 0) throw new RangeError(`no postcode districts for ${home}`);
  const centre = own[0];
  const neighbours = [...authorities.entries()]
    .flatMap(([la, rows]) => rows.map((r) => [la, r] as const))
    .filter(([la, r]) => la !== home && Math.hypot(r.easting - centre.easting, r.northing - centre.northing) < 60_000);

  // 7 in-house homes: 16 residential beds and 2 emergency beds.
  const beds = [3, 3, 2, 2, 2, 2, 2];
  beds.forEach((n, i) => addHome(b, home, d.pick(own), 'in-house', n, i < 2 ? 1 : 0, 0.9, `RMBC-CH${pad(i + 1, 2)}`));
  for (let i = 1; i <= 106; i++) addHousehold(b, home, d.pick(own), 'in-house', `RMBC-FH${pad(i, 4)}`);
  for (let i = 1; i <= 2; i++) addHome(b, home, d.pick(own), 'block-booked', 3, 0, 0.7, `BLK-CH${pad(i, 2)}`);
  for (let i = 1; i <= 30; i++) {
    const [la, r] = d.pick(neighbours);
    addHousehold(b, la, r, 'framework', `WR-FH${pad(i, 4)}`);
  }
  for (let i = 1; i <= 4; i++) {
    const [la, r] = d.pick(neighbours);
    addSupportedAccommodation(b, la, r, 'framework', 3, `SA-${pad(i, 3)}`);
  }
  for (let i = 1; i <= 6; i++) {
    const [la, r] = d.pick(neighbours);
    addHome(b, la, r, 'spot', d.int(2, 4), 0, 0.8, `SPOT-CH${pad(i, 3)}`);
  }
}

function buildNational(b: Builder, authorities: Map<string, PostcodeDistrict[]>): void {
  const { d } = b;
  const all = [...authorities.entries()];
  const anywhere = (): readonly [string, PostcodeDistrict] => {
    const [la, rows] = d.pick(all);
    return [la, d.pick(rows)];
  };
  // ~3,500 homes with ~14,000 beds: mostly private, bought by framework or spot; some block-booked.
  for (let i = 1; i <= 3_500; i++) {
    const [la, r] = anywhere();
    const route = d.weighted<ProviderRoute>([
      ['in-house', 15],
      ['block-booked', 10],
      ['framework', 25],
      ['spot', 50],
    ]);
    addHome(b, la, r, route, d.int(2, 6), d.chance(0.05) ? 1 : 0, 0.85, `CH-${la}-${pad(i)}`);
  }
  // ~45,000 households: in-house carers and independent agencies.
  for (let i = 1; i <= 45_000; i++) {
    const [la, r] = anywhere();
    addHousehold(
      b,
      la,
      r,
      d.weighted<ProviderRoute>([
        ['in-house', 55],
        ['framework', 35],
        ['spot', 10],
      ]),
      `FH-${la}-${pad(i)}`,
    );
  }
  for (let i = 1; i <= 600; i++) {
    const [la, r] = anywhere();
    addSupportedAccommodation(b, la, r, d.chance(0.6) ? 'framework' : 'spot', d.int(2, 6), `SA-${la}-${pad(i)}`);
  }
}

/** Referrals a placement officer might bring, spread over the estate's authorities. */
export function syntheticReferrals(options: {
  seed: number;
  count: number;
  startDate: string;
  districts: readonly PostcodeDistrict[];
  authorities?: readonly string[];
}): ReferralNeeds[] {
  const d = new Draw(seededRandom(options.seed));
  const byLa = byAuthority(options.districts);
  const las = options.authorities ?? [...byLa.keys()];
  const [year] = options.startDate.split('-').map(Number);
  const referrals: ReferralNeeds[] = [];
  for (let i = 1; i <= options.count; i++) {
    const la = d.pick(las);
    const area = d.pick(byLa.get(la) ?? []);
    const age = d.weighted([
      [d.int(0, 4), 2],
      [d.int(5, 10), 3],
      [d.int(11, 15), 5],
      [d.int(16, 17), 2],
    ] as const);
    const siblings = d.chance(0.2) ? d.int(2, 3) : 1;
    const placementTypes: Partial<Record<PlacementCategory, Suitability>> = {};
    if (age < 11) placementTypes.residential = 'unsuitable';
    if (age >= 16) placementTypes['supported-accommodation'] = d.pick(['preferred', 'suitable'] as const);
    if (age >= 12 && d.chance(0.3)) placementTypes.foster = 'unsuitable';
    referrals.push({
      referralId: `R-${pad(i, 6)}`,
      childId: `C-R${pad(i, 6)}`,
      sex: d.chance(0.55) ? 'M' : 'F',
      dateOfBirth: `${year - age - 1}-${pad(d.int(1, 12), 2)}-${pad(d.int(1, 28), 2)}`,
      startDate: options.startDate,
      urgency: d.chance(0.15) ? 'emergency' : 'planned',
      siblingGroupSize: siblings,
      siblingChildIds: Array.from({ length: siblings - 1 }, (_, k) => `C-R${pad(i, 6)}-${k + 1}`),
      placingAuthorityCode: la,
      preferredArea: area
        ? { postcodeDistrict: area.district, easting: area.easting, northing: area.northing }
        : undefined,
      maxDistanceKm: d.pick([20, 40, 80, undefined]),
      placementTypes,
      risksToSelf: RISKS_TO_SELF.filter(() => d.chance(0.1)),
      risksToOthers: RISKS_TO_OTHERS.filter(() => d.chance(0.05)),
      canLiveWith: d.chance(0.05)
        ? { others: false, older: false, younger: false }
        : { others: true, older: d.chance(0.9), younger: d.chance(0.85) },
      adaptationsNeeded: d.chance(0.03) ? ['wheelchair'] : [],
      budgetWeeklyPence: d.chance(0.5) ? d.int(80_000, 500_000) : undefined,
      outOfAreaApproved: d.chance(0.3),
    });
  }
  return referrals;
}
