import type {
  ApprovalTerms,
  BedAdded,
  BedHeld,
  BedOccupied,
  BedOutOfUse,
  BlockBedAllocated,
  BlockBookingContracted,
  ChildPlacedWithHousehold,
  ChildRegistered,
  ChildLeftHousehold,
  BlockBedReleased,
  FosterHouseholdApproved,
  ApprovalTermsChanged,
  NeedsUpdated,
  ReferralReceived,
  SettingRegistered,
  SettingRegistrationChanged,
  SexesAccepted,
  SettingRegistration,
  UnitRef,
  BedVacated,
} from '@placement/domain';
import { ageOn } from '@placement/domain';
import { londonDate } from '../http/london-date';
import type {
  CapacitySnapshot,
  CapacityUnit,
  GridLocation,
  ResidentProfile,
  RiskToOthers,
  RiskToSelf,
  Setting,
  SettingTerms,
  Sex,
  UnitKind,
} from '@placement/matching';
import { matchingRisksToOthers, matchingRisksToSelf } from './referral-needs';

/**
 * Weekly costs where the record holds no price, in pence. The first three are the England averages in docs/domain-reference.md
 * England averages. The domain records no price for in-house residential or supported
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

export interface DistrictCentroid {
  district: string;
  laCode: string;
  easting: number;
  northing: number;
}

/** Roughly the middle of England (Meriden), for a postcode district missing from the reference list. */
const ENGLAND_MIDDLE = { easting: 429_000, northing: 282_000 };

/** The event fields this projection reads; `RecordedEvent` satisfies it. */
export interface CapacityEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: { readonly recordedAt: string };
}

type BedCondition =
  | { status: 'vacant' }
  | { status: 'held'; referralId: string; until: string }
  | { status: 'occupied'; childId: string; referralId: string | null }
  | { status: 'out-of-use'; reason: string };

interface BedEntry {
  kind: BedAdded['data']['kind'];
  condition: BedCondition;
}

interface SettingEntry {
  facts: SettingRegistered['data'];
  registration: SettingRegistration;
  urn: string | null;
  closed: boolean;
  beds: Map<string, BedEntry>;
}

interface Occupant {
  childId: string;
  referralId: string | null;
  /** From the placement event, for children placed before (or without) a ChildRegistered. */
  sex?: Sex;
  dateOfBirth?: string;
}

interface HouseholdEntry {
  householdId: string;
  terms: ApprovalTerms;
  status: 'Approved' | 'Suspended' | 'Resigned';
  children: Map<string, Occupant>;
  /** Children ever placed: a connected-person approval is for named children. */
  everPlaced: Set<string>;
}

interface ContractEntry {
  contract: BlockBookingContracted['data'];
  ended: boolean;
  allocations: Map<string, Occupant>;
}

interface ChildEntry {
  sex: Sex;
  dateOfBirth: string;
  latestReferralId: string | null;
}

interface ReferralRisks {
  childId: string;
  risksToSelf: readonly RiskToSelf[];
  risksToOthers: readonly RiskToOthers[];
}

/** What the panel can offer, as the matching engine sees it, and how each unit is named in the domain. */
export interface CapacityView {
  snapshot: CapacitySnapshot;
  unitRefs: ReadonlyMap<string, UnitRef>;
}

export const bedUnitId = (settingId: string, bedId: string): string => `bed:${settingId}.${bedId}`;
export const householdUnitId = (householdId: string): string => `household:${householdId}`;
export const blockBedUnitId = (contractId: string, bedRef: string): string => `block-bed:${contractId}.${bedRef}`;

/**
 * The capacity the matching engine reads, folded from the event log: settings with their
 * registration and beds, foster households with their approval terms and children,
 * block-booking contracts and their allocations, and each resident's profile (age on the
 * snapshot date, sex, and the risk flags of the referral they were placed from). No names.
 *
 * `version` moves only when something the engine reads changed, so a snapshot, and the
 * inputs hash, stay the same while nothing relevant happens (a recorded proposal, a
 * referral for another child).
 */
export class CapacityState {
  private readonly settings = new Map<string, SettingEntry>();
  private readonly households = new Map<string, HouseholdEntry>();
  private readonly contracts = new Map<string, ContractEntry>();
  private readonly children = new Map<string, ChildEntry>();
  private readonly referrals = new Map<string, ReferralRisks>();
  /** Children currently living in a setting, a household or a contracted bed. */
  private readonly residentsNow = new Map<string, number>();
  private readonly registrationByUrn = new Map<string, SettingRegistration>();
  private readonly districts: ReadonlyMap<string, DistrictCentroid>;
  private readonly firstDistrictOfAuthority = new Map<string, DistrictCentroid>();
  /** Bumped on every change the engine would see. */
  version = 0;
  /** `recordedAt` of the last change the engine would see. */
  changedAt: string | null = null;

  constructor(districts: readonly DistrictCentroid[]) {
    this.districts = new Map(districts.map((d) => [d.district, d]));
    for (const d of [...districts].sort((a, b) => (a.district < b.district ? -1 : a.district > b.district ? 1 : 0))) {
      if (!this.firstDistrictOfAuthority.has(d.laCode)) this.firstDistrictOfAuthority.set(d.laCode, d);
    }
  }

  /** The centroid of a postcode's district (outward code), if the reference list has it. */
  districtOf(postcodeOrDistrict: string): DistrictCentroid | undefined {
    return this.districts.get(postcodeOrDistrict.trim().toUpperCase().split(/\s+/)[0]);
  }

  apply(event: CapacityEvent): void {
    if (this.applyChange(event)) {
      this.version += 1;
      this.changedAt =
        this.changedAt === null || Date.parse(event.metadata.recordedAt) > Date.parse(this.changedAt)
          ? event.metadata.recordedAt
          : this.changedAt;
    }
  }

  /** True when the event changed what the engine reads. */
  private applyChange(event: CapacityEvent): boolean {
    switch (event.type) {
      case 'SettingRegistered': {
        const d = event.data as SettingRegistered['data'];
        if (this.settings.has(d.settingId)) return false;
        this.settings.set(d.settingId, {
          facts: d,
          registration: d.registration,
          urn: d.urn,
          closed: false,
          beds: new Map(),
        });
        if (d.urn) this.registrationByUrn.set(d.urn, d.registration);
        return true;
      }
      case 'SettingRegistrationChanged': {
        const d = event.data as SettingRegistrationChanged['data'];
        const s = this.settings.get(d.settingId);
        if (!s) return false;
        s.registration = d.registration;
        s.urn = d.urn;
        if (d.urn) this.registrationByUrn.set(d.urn, d.registration);
        return true;
      }
      case 'SettingClosed': {
        const s = this.settings.get((event.data as { settingId: string }).settingId);
        if (!s) return false;
        s.closed = true;
        return true;
      }
      case 'BedAdded': {
        const d = event.data as BedAdded['data'];
        const s = this.settings.get(d.settingId);
        if (!s || s.beds.has(d.bedId)) return false;
        s.beds.set(d.bedId, { kind: d.kind, condition: { status: 'vacant' } });
        return true;
      }
      case 'BedHeld': {
        const d = event.data as BedHeld['data'];
        return this.setBed(d.settingId, d.bedId, { status: 'held', referralId: d.referralId, until: d.until });
      }
      case 'BedHoldReleased':
      case 'BedBackInUse': {
        const d = event.data as { settingId: string; bedId: string };
        return this.setBed(d.settingId, d.bedId, { status: 'vacant' });
      }
      case 'BedOccupied': {
        const d = event.data as BedOccupied['data'];
        this.moveIn(d.childId);
        return this.setBed(d.settingId, d.bedId, { status: 'occupied', childId: d.childId, referralId: d.referralId });
      }
      case 'BedVacated': {
        const d = event.data as BedVacated['data'];
        this.moveOut(d.childId);
        return this.setBed(d.settingId, d.bedId, { status: 'vacant' });
      }
      case 'BedOutOfUse': {
        const d = event.data as BedOutOfUse['data'];
        return this.setBed(d.settingId, d.bedId, {
          status: 'out-of-use',
          reason: d.until ? `${d.reason} until ${d.until}` : d.reason,
        });
      }
      case 'FosterHouseholdApproved': {
        const d = event.data as FosterHouseholdApproved['data'];
        if (this.households.has(d.householdId)) return false;
        this.households.set(d.householdId, {
          householdId: d.householdId,
          terms: d.terms,
          status: 'Approved',
          children: new Map(),
          everPlaced: new Set(),
        });
        return true;
      }
      case 'ApprovalTermsChanged': {
        const d = event.data as ApprovalTermsChanged['data'];
        const h = this.households.get(d.householdId);
        if (!h) return false;
        h.terms = d.terms;
        return true;
      }
      case 'ChildPlacedWithHousehold': {
        const d = event.data as ChildPlacedWithHousehold['data'];
        const h = this.households.get(d.householdId);
        if (!h) return false;
        h.children.set(d.placementId, {
          childId: d.childId,
          referralId: d.referralId,
          sex: d.childSex,
          dateOfBirth: d.childDateOfBirth,
        });
        h.everPlaced.add(d.childId);
        this.moveIn(d.childId);
        return true;
      }
      case 'ChildLeftHousehold': {
        const d = event.data as ChildLeftHousehold['data'];
        const h = this.households.get(d.householdId);
        if (!h || !h.children.delete(d.placementId)) return false;
        this.moveOut(d.childId);
        return true;
      }
      case 'HouseholdSuspended':
      case 'HouseholdReinstated':
      case 'HouseholdResigned': {
        const h = this.households.get((event.data as { householdId: string }).householdId);
        if (!h) return false;
        h.status =
          event.type === 'HouseholdSuspended'
            ? 'Suspended'
            : event.type === 'HouseholdResigned'
              ? 'Resigned'
              : 'Approved';
        return true;
      }
      case 'BlockBookingContracted': {
        const d = event.data as BlockBookingContracted['data'];
        if (this.contracts.has(d.contractId)) return false;
        this.contracts.set(d.contractId, { contract: d, ended: false, allocations: new Map() });
        return true;
      }
      case 'BlockBedAllocated': {
        const d = event.data as BlockBedAllocated['data'];
        const c = this.contracts.get(d.contractId);
        if (!c) return false;
        c.allocations.set(d.bedRef, { childId: d.childId, referralId: d.referralId });
        this.moveIn(d.childId);
        return true;
      }
      case 'BlockBedReleased': {
        const d = event.data as BlockBedReleased['data'];
        const c = this.contracts.get(d.contractId);
        if (!c || !c.allocations.delete(d.bedRef)) return false;
        this.moveOut(d.childId);
        return true;
      }
      case 'BlockBookingEnded': {
        const c = this.contracts.get((event.data as { contractId: string }).contractId);
        if (!c) return false;
        c.ended = true;
        return true;
      }
      case 'ChildRegistered': {
        const d = event.data as ChildRegistered['data'];
        const known = this.children.get(d.childId);
        this.children.set(d.childId, {
          sex: d.sex,
          dateOfBirth: d.dateOfBirth,
          latestReferralId: known?.latestReferralId ?? null,
        });
        return this.residentsNow.has(d.childId);
      }
      case 'ReferralReceived': {
        const d = event.data as ReferralReceived['data'];
        this.referrals.set(d.referralId, {
          childId: d.childId,
          risksToSelf: matchingRisksToSelf(d.needs.risksToSelf),
          risksToOthers: matchingRisksToOthers(d.needs.risksToOthers),
        });
        const child = this.children.get(d.childId);
        if (child) child.latestReferralId = d.referralId;
        return this.residentsNow.has(d.childId);
      }
      case 'NeedsUpdated': {
        const d = event.data as NeedsUpdated['data'];
        const known = this.referrals.get(d.referralId);
        if (!known) return false;
        this.referrals.set(d.referralId, {
          childId: known.childId,
          risksToSelf: matchingRisksToSelf(d.needs.risksToSelf),
          risksToOthers: matchingRisksToOthers(d.needs.risksToOthers),
        });
        return this.residentsNow.has(known.childId);
      }
      default:
        return false;
    }
  }

  private setBed(settingId: string, bedId: string, condition: BedCondition): boolean {
    const bed = this.settings.get(settingId)?.beds.get(bedId);
    if (!bed) return false;
    bed.condition = condition;
    return true;
  }

  private moveIn(childId: string): void {
    this.residentsNow.set(childId, (this.residentsNow.get(childId) ?? 0) + 1);
  }

  private moveOut(childId: string): void {
    const n = (this.residentsNow.get(childId) ?? 0) - 1;
    if (n > 0) this.residentsNow.set(childId, n);
    else this.residentsNow.delete(childId);
  }

  /** Live holds' ends: the snapshot's `asAt` passes each one as it lapses. */
  holdEnds(): string[] {
    const ends: string[] = [];
    for (const s of this.settings.values()) {
      for (const bed of s.beds.values()) if (bed.condition.status === 'held') ends.push(bed.condition.until);
    }
    return ends;
  }

  /**
   * The estate as at `asAt` (an ISO instant): closed settings, resigned households and
   * contracts ended or outside their dates leave it; suspended households and beds out of
   * use stay in it, excluded with their reason.
   */
  snapshot(asAt: string): CapacityView {
    const today = londonDate(new Date(asAt));
    const settings: Setting[] = [];
    const units: CapacityUnit[] = [];
    const unitRefs = new Map<string, UnitRef>();

    for (const [settingId, s] of this.settings) {
      if (s.closed) continue;
      const external = s.facts.provider.kind === 'external';
      const supported = s.facts.type === 'supported-accommodation';
      const residents: ResidentProfile[] = [];
      for (const bed of s.beds.values()) {
        if (bed.condition.status === 'occupied') residents.push(this.resident(bed.condition, today));
      }
      settings.push({
        settingId,
        kind: supported ? 'supported-accommodation' : 'childrens-home',
        terms: registrationTerms(s.registration, s.facts.type, s.beds.size),
        residents,
        location: this.locate(s.facts.postcode, s.facts.localAuthority),
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
        const unitId = bedUnitId(settingId, bedId);
        const kind: UnitKind = supported
          ? 'supported-accommodation'
          : bed.kind === 'emergency'
            ? 'emergency-bed'
            : 'residential-bed';
        // The domain records no framework membership for homes, so an external home is a spot purchase.
        units.push({
          unitId,
          settingId,
          kind,
          route: external ? 'spot' : 'in-house',
          state: bedState(bed.condition),
          weeklyCostPence: weekly,
        });
        unitRefs.set(unitId, { kind: 'bed', settingId, bedId });
      }
    }

    for (const h of this.households.values()) {
      if (h.status === 'Resigned') continue;
      const settingId = householdUnitId(h.householdId);
      const residents = [...h.children.values()].map((o) => this.resident(o, today));
      const t = h.terms;
      const district = this.districtOf(t.postcode);
      const terms: SettingTerms = {
        ageMin: t.ageRange.min,
        ageMax: t.ageRange.max,
        sexes: sexesOf(t.sexes),
        maxChildren: t.maxChildren,
        placeCodes: t.connectedPerson ? ['U1', 'U2', 'U3'] : ['U4', 'U5', 'U6'],
        siblings: t.siblingGroup ? { accepted: true, maxGroupSize: t.maxChildren } : { accepted: false },
        emergencyApproved: t.placementTypes.includes('emergency'),
        // A connected person is approved for the named children placed with them, not for others.
        connectedPersonFor: t.connectedPerson ? [...h.everPlaced].sort() : undefined,
        risksNotAccepted: [],
      };
      settings.push({
        settingId,
        kind: 'foster-household',
        terms,
        residents,
        location: this.locate(t.postcode, district?.laCode ?? ''),
        localAuthorityCode: district?.laCode ?? '',
        adaptations: [],
      });
      const ifa = t.provider === 'ifa';
      const state: CapacityUnit['state'] =
        h.status === 'Suspended'
          ? { status: 'out-of-use', reason: 'household suspended' }
          : residents.length >= t.maxChildren
            ? { status: 'occupied' }
            : { status: 'vacant' };
      const unitId = householdUnitId(h.householdId);
      units.push({
        unitId,
        settingId,
        kind: 'foster-household',
        route: ifa ? 'framework' : 'in-house',
        state,
        weeklyCostPence: ifa ? WEEKLY_COST_PENCE.independentFostering : WEEKLY_COST_PENCE.inHouseFoster,
      });
      unitRefs.set(unitId, { kind: 'household', householdId: h.householdId });
    }

    for (const c of this.contracts.values()) {
      const k = c.contract;
      if (c.ended || today < k.startDate || today > k.endDate) continue;
      const settingId = `contract:${k.contractId}`;
      const registration = (k.settingUrn ? this.registrationByUrn.get(k.settingUrn) : undefined) ?? {
        ...ASSUMED_BLOCK_REGISTRATION,
        maxChildren: k.beds.length,
      };
      const district = this.districtOf(k.settingPostcode);
      settings.push({
        settingId,
        kind: 'childrens-home',
        terms: registrationTerms(registration, 'childrens-home', k.beds.length),
        residents: [...c.allocations.values()].map((o) => this.resident(o, today)),
        location: this.locate(k.settingPostcode, district?.laCode ?? ''),
        localAuthorityCode: district?.laCode ?? '',
        adaptations: [],
        urn: k.settingUrn ?? undefined,
      });
      for (const bedRef of k.beds) {
        const unitId = blockBedUnitId(k.contractId, bedRef);
        const state: CapacityUnit['state'] = c.allocations.has(bedRef) ? { status: 'occupied' } : { status: 'vacant' };
        units.push({
          unitId,
          settingId,
          kind: 'residential-bed',
          route: 'block-booked',
          state,
          weeklyCostPence: k.weeklyPricePerBed,
        });
        unitRefs.set(unitId, { kind: 'block-bed', contractId: k.contractId, bedRef });
      }
    }
    return { snapshot: { asAt, settings, units }, unitRefs };
  }

  private resident(o: Occupant, today: string): ResidentProfile {
    const child = this.children.get(o.childId);
    const referralId = o.referralId ?? child?.latestReferralId ?? null;
    const risks = referralId ? this.referrals.get(referralId) : undefined;
    const dateOfBirth = child?.dateOfBirth ?? o.dateOfBirth;
    return {
      childId: o.childId,
      // A child whose date of birth is not on record counts as the oldest a home takes: the cautious reading for younger-child rules.
      age: dateOfBirth ? ageOn(dateOfBirth, today) : 17,
      sex: child?.sex ?? o.sex ?? 'U',
      risksToSelf: risks?.risksToSelf ?? [],
      risksToOthers: risks?.risksToOthers ?? [],
    };
  }

  private locate(postcode: string, laCode: string): GridLocation {
    const district = this.districtOf(postcode);
    if (district)
      return { postcodeDistrict: district.district, easting: district.easting, northing: district.northing };
    const outward = postcode.trim().toUpperCase().split(/\s+/)[0];
    const fallback = this.firstDistrictOfAuthority.get(laCode) ?? ENGLAND_MIDDLE;
    return { postcodeDistrict: outward, easting: fallback.easting, northing: fallback.northing };
  }
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

function bedState(c: BedCondition): CapacityUnit['state'] {
  switch (c.status) {
    case 'vacant':
      return { status: 'vacant' };
    case 'held':
      return { status: 'held', referralId: c.referralId, until: c.until };
    case 'occupied':
      return { status: 'occupied' };
    case 'out-of-use':
      return { status: 'out-of-use', reason: c.reason };
    default: {
      const _exhaustive: never = c;
      return _exhaustive;
    }
  }
}
