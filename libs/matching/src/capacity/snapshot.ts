import type {
  BedState,
  BusinessDate,
  HouseholdState,
  Instant,
  SettingRegistered,
  SettingRegistration,
  SexesAccepted,
  StatementOfPurpose,
  UnitRef,
} from '@placement/domain';
import {
  ageOn,
  allocationsOfBed,
  bedDayOf,
  blockBedAllocationOn,
  exhaustive,
  householdMemberAgesOn,
  livesAlongside,
  londonDateOf,
  termsOn,
} from '@placement/domain';
import type {
  CapacitySnapshot,
  CapacityUnit,
  GridLocation,
  ResidentProfile,
  Setting,
  SettingTerms,
  Sex,
  UnitKind,
} from '../model';
import { districtOf, type CapacityState } from './capacity';
import { matchingRisksToOthers, matchingRisksToSelf } from './referral-needs';

/**
 * Weekly costs where the record holds no price, in pence. The first three are the England
 * averages in docs/domain-reference.md. The domain records no price for in-house residential or supported
 * accommodation, so: in-house residential £4,700 (council homes are small, so a place costs
 * more than the private average; replace with the authority's own S251 unit cost), and
 * supported accommodation £1,550 (the middle of the synthetic estate's £900–£2,200 range).
 */
export const WEEKLY_COST_PENCE = {
  inHouseFoster: 64_600,
  independentFostering: 82_000,
  privateResidential: 383_000,
  inHouseResidential: 470_000,
  supportedAccommodation: 155_000,
} as const;

/**
 * A block-booking contract names a setting by URN and postcode only. Its registration is
 * taken from a registered setting with the same URN when there is one, else assumed to
 * be the commonest children's-home registration: 8–17, any sex, as many children as beds.
 */
export const ASSUMED_BLOCK_REGISTRATION = { ageRange: { min: 8, max: 17 }, sexes: 'any' as SexesAccepted };

/** Roughly the middle of England (Meriden), for a postcode district missing from the reference list. */
const ENGLAND_MIDDLE = { easting: 429_000, northing: 282_000 };

/** What the panel can offer, as the matching engine sees it, and how each unit is named in the domain. */
export interface CapacityView {
  snapshot: CapacitySnapshot;
  unitRefs: ReadonlyMap<string, UnitRef>;
}

interface Occupant {
  childId: string;
  referralId: string | null;
  /** From the placement event, for children placed before (or without) a ChildRegistered. */
  sex?: Sex;
  dateOfBirth?: string;
}

export const bedUnitId = (settingId: string, bedId: string): string => `bed:${settingId}.${bedId}`;
export const householdUnitId = (householdId: string): string => `household:${householdId}`;
export const blockBedUnitId = (contractId: string, bedRef: string): string => `block-bed:${contractId}.${bedRef}`;

/**
 * The estate as at `asAt` (an ISO instant), for a placement from the night `on` (the
 * referral's start date; today by default; a past night for a back-dated placement): each unit
 * is read from its diary on that night and after it, and ages are on that date. Residents are
 * the children the new one lives alongside: those living there that night and, for a past
 * night, those who have arrived since, up to today (`livesAlongside`, the set reg 14's impact
 * assessment covers). Closed settings, resigned households and contracts ended or outside their
 * dates leave it; suspended households and beds out of use stay in it, excluded with their reason.
 */
export function snapshotAt(state: CapacityState, asAt: Instant, on: BusinessDate = londonDateOf(asAt)): CapacityView {
  const today = londonDateOf(asAt);
  const alongside = (span: { from: string; to: string | null }): boolean => livesAlongside(span, on, today);
  const settings: Setting[] = [];
  const units: CapacityUnit[] = [];
  const unitRefs = new Map<string, UnitRef>();

  for (const [settingId, s] of state.settings) {
    if (s.closed) continue;
    const external = s.facts.provider.kind === 'external';
    const supported = s.facts.type === 'supported-accommodation';
    const residents: ResidentProfile[] = [];
    for (const bed of s.beds.values()) {
      if (bed.status !== 'Added') continue;
      for (const o of bed.occupancies) if (alongside(o)) residents.push(resident(state, o, on));
    }
    settings.push({
      settingId,
      kind: supported ? 'supported-accommodation' : 'childrens-home',
      terms: withStatement(registrationTerms(s.registration, s.facts.type, s.beds.size), s.statement),
      residents,
      location: locate(state, s.facts.postcode, s.facts.localAuthority),
      localAuthorityCode: s.facts.localAuthority,
      adaptations: [],
      urn: s.urn ?? undefined,
    });
    const weekly = supported
      ? WEEKLY_COST_PENCE.supportedAccommodation
      : external
        ? WEEKLY_COST_PENCE.privateResidential
        : WEEKLY_COST_PENCE.inHouseResidential;
    for (const [bedId, bed] of s.beds) {
      if (bed.status !== 'Added') continue;
      const unitId = bedUnitId(settingId, bedId);
      const kind: UnitKind = supported
        ? 'supported-accommodation'
        : bed.bed.kind === 'emergency'
          ? 'emergency-bed'
          : 'residential-bed';
      // The domain records no framework membership for homes, so an external home is a spot purchase.
      units.push({
        unitId,
        settingId,
        kind,
        route: external ? 'spot' : 'in-house',
        state: bedState(bed, on, asAt),
        weeklyCostPence: weekly,
      });
      unitRefs.set(unitId, { kind: 'bed', settingId, bedId });
    }
  }

  for (const h of state.households.values()) {
    if (h.status === 'NotApproved' || h.status === 'Resigned') continue;
    const settingId = householdUnitId(h.householdId);
    const residents = h.placements
      .filter(alongside)
      .map((o) => resident(state, { ...o, sex: o.childSex, dateOfBirth: o.childDateOfBirth }, on));
    const t = termsOn(h.termsHistory, on);
    const district = districtOf(state, t.postcode);
    const terms: SettingTerms = {
      ageMin: t.ageRange.min,
      ageMax: t.ageRange.max,
      sexes: sexesOf(t.sexes),
      maxChildren: t.maxChildren,
      placeCodes: t.connectedPerson ? ['U1', 'U2', 'U3'] : ['U4', 'U5', 'U6'],
      siblings: t.siblingGroup ? { accepted: true, maxGroupSize: t.maxChildren } : { accepted: false },
      emergencyApproved: t.placementTypes.includes('emergency'),
      // A connected person is approved for the named children placed with them, not for others.
      connectedPersonFor: t.connectedPerson ? [...new Set(h.placements.map((p) => p.childId))].sort() : undefined,
      risksNotAccepted: [],
    };
    settings.push({
      settingId,
      kind: 'foster-household',
      terms,
      residents,
      householdMembers: householdMemberAgesOn(h.members, on).map((age) => ({ age })),
      location: locate(state, t.postcode, district?.laCode ?? ''),
      localAuthorityCode: district?.laCode ?? '',
      adaptations: [],
    });
    const ifa = t.provider === 'ifa';
    const unitState: CapacityUnit['state'] =
      h.status === 'Suspended' ? { status: 'out-of-use', reason: 'household suspended' } : householdState(h, on);
    const unitId = householdUnitId(h.householdId);
    units.push({
      unitId,
      settingId,
      kind: 'foster-household',
      route: ifa ? 'framework' : 'in-house',
      state: unitState,
      weeklyCostPence: ifa ? WEEKLY_COST_PENCE.independentFostering : WEEKLY_COST_PENCE.inHouseFoster,
    });
    unitRefs.set(unitId, { kind: 'household', householdId: h.householdId });
  }

  for (const c of state.contracts.values()) {
    if (c.status !== 'Active') continue;
    const k = c.contract;
    if (on < k.startDate || on > k.endDate) continue;
    const settingId = `contract:${k.contractId}`;
    const registration = (k.settingUrn ? state.registrationByUrn.get(k.settingUrn) : undefined) ?? {
      ...ASSUMED_BLOCK_REGISTRATION,
      maxChildren: k.beds.length,
    };
    const district = districtOf(state, k.settingPostcode);
    settings.push({
      settingId,
      kind: 'childrens-home',
      terms: registrationTerms(registration, 'childrens-home', k.beds.length),
      residents: k.beds.flatMap((bedRef) =>
        allocationsOfBed(c, bedRef)
          .filter(alongside)
          .map((allocation) => resident(state, allocation, on)),
      ),
      location: locate(state, k.settingPostcode, district?.laCode ?? ''),
      localAuthorityCode: district?.laCode ?? '',
      adaptations: [],
      urn: k.settingUrn ?? undefined,
    });
    for (const bedRef of k.beds) {
      const unitId = blockBedUnitId(k.contractId, bedRef);
      // Taken if an allocation holds that night; else free, until the next allocation if one is booked.
      const bookings = allocationsOfBed(c, bedRef);
      const later = bookings
        .map((a) => a.from)
        .filter((from) => from > on)
        .sort()[0];
      const unitState: CapacityUnit['state'] = blockBedAllocationOn(c, bedRef, on)
        ? { status: 'occupied' }
        : later === undefined
          ? { status: 'vacant' }
          : { status: 'vacant', freeUntil: later };
      units.push({
        unitId,
        settingId,
        kind: 'residential-bed',
        route: 'block-booked',
        state: unitState,
        weeklyCostPence: k.weeklyPricePerBed,
      });
      unitRefs.set(unitId, { kind: 'block-bed', contractId: k.contractId, bedRef });
    }
  }
  return { snapshot: { asAt, settings, units }, unitRefs };
}

function resident(state: CapacityState, o: Occupant, on: BusinessDate): ResidentProfile {
  const child = state.children.get(o.childId);
  const referralId = o.referralId ?? child?.latestReferralId ?? null;
  const risks = referralId ? state.referrals.get(referralId) : undefined;
  const dateOfBirth = child?.dateOfBirth ?? o.dateOfBirth;
  return {
    childId: o.childId,
    // A child whose date of birth is not on record counts as the oldest a home takes:
    // the cautious reading for younger-child rules.
    age: dateOfBirth ? ageOn(dateOfBirth, on) : 17,
    sex: child?.sex ?? o.sex ?? 'U',
    risksToSelf: risks?.risksToSelf ?? [],
    risksToOthers: risks?.risksToOthers ?? [],
  };
}

function locate(state: CapacityState, postcode: string, laCode: string): GridLocation {
  const district = districtOf(state, postcode);
  if (district) return { postcodeDistrict: district.district, easting: district.easting, northing: district.northing };
  const outward = postcode.trim().toUpperCase().split(/\s+/)[0];
  const fallback = state.firstDistrictOfAuthority.get(laCode) ?? ENGLAND_MIDDLE;
  return { postcodeDistrict: outward, easting: fallback.easting, northing: fallback.northing };
}

function sexesOf(accepted: SexesAccepted): Sex[] {
  return accepted === 'any' ? ['M', 'F', 'U'] : [accepted];
}

function registrationTerms(
  r: SettingRegistration,
  type: SettingRegistered['data']['type'],
  beds: number,
): SettingTerms {
  const placeCode = type === 'supported-accommodation' ? 'K3' : type === 'secure' ? 'K1' : 'K2';
  return {
    ageMin: r.ageRange.min,
    ageMax: r.ageRange.max,
    sexes: sexesOf(r.sexes),
    maxChildren: r.maxChildren,
    placeCodes: [placeCode],
    // A home's registration has no sibling term: siblings may live together while it has room.
    siblings:
      type === 'supported-accommodation'
        ? { accepted: false }
        : { accepted: true, maxGroupSize: Math.max(1, Math.min(r.maxChildren, beds)) },
    // Emergencies go to emergency beds; the domain records no emergency-admission term for other beds.
    emergencyApproved: false,
    risksNotAccepted: [],
  };
}

/** A home's statement of purpose: the risks it does not accept, and which of its beds take an emergency. */
function withStatement(terms: SettingTerms, statement: StatementOfPurpose | null): SettingTerms {
  if (statement === null) return terms;
  return {
    ...terms,
    emergencyApproved: statement.emergencyAdmissions === 'any-bed',
    noEmergencyAdmissions: statement.emergencyAdmissions === 'none',
    risksNotAccepted: [
      ...matchingRisksToSelf(statement.risksNotAccepted),
      ...matchingRisksToOthers(statement.risksNotAccepted),
    ],
  };
}

/**
 * A bed as the engine offers it for a placement from `on`: taken if its diary holds that night;
 * free from then, and `freeUntil` the first later booking (an arrival, a period out of use), so a
 * bed free only until a planned arrival is offered only for a placement that ends by then.
 */
function bedState(bed: BedState, on: string, asAt: string): CapacityUnit['state'] {
  const day = bedDayOf(bed, on, asAt);
  if (day === null || bed.status !== 'Added') return { status: 'out-of-use', reason: 'bed not added' };
  switch (day.status) {
    case 'Occupied':
      return { status: 'occupied' };
    case 'OutOfUse':
      return { status: 'out-of-use', reason: outOfUseReason(day.period.reason, day.period.from, day.period.to) };
    case 'Held':
      return { status: 'held', referralId: day.hold.referralId, until: day.hold.until };
    case 'Reserved':
    case 'Vacant': {
      const later = [...bed.occupancies, ...bed.outOfUse]
        .map((b) => b.from)
        .filter((from) => from > on)
        .sort()[0];
      return later === undefined ? { status: 'vacant' } : { status: 'vacant', freeUntil: later };
    }
    default:
      return exhaustive(day);
  }
}

const outOfUseReason = (reason: string, from: string, to: string | null): string =>
  `${reason} from ${from}${to === null ? '' : ` until ${to}`}`;

/**
 * A household as the engine offers it for a placement from `on`: full if no place is free that
 * night; else free, until the first later night a planned arrival (or a change of terms) fills it.
 */
function householdState(h: Extract<HouseholdState, { placements: unknown }>, on: string): CapacityUnit['state'] {
  const ahead = h.placements.filter((p) => p.to === null || p.to > on);
  const dates = [
    ...new Set([on, ...ahead.map((p) => p.from), ...h.termsHistory.map((t) => t.from)].filter((d) => d >= on)),
  ].sort();
  for (const date of dates) {
    const living = ahead.filter((p) => p.from <= date && (p.to === null || date < p.to)).length;
    if (living >= termsOn(h.termsHistory, date).maxChildren) {
      return date === on ? { status: 'occupied' } : { status: 'vacant', freeUntil: date };
    }
  }
  return { status: 'vacant' };
}
