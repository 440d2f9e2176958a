import { createHash } from 'node:crypto';
import {
  addDays,
  bedDecider,
  bedStreamId,
  childDecider,
  childStreamId,
  contractDecider,
  contractStreamId,
  householdDecider,
  householdStreamId,
  referralDecider,
  referralStreamId,
  settingDecider,
  settingStreamId,
  currentSchemaVersion,
  decidePlacement,
  STREAM_DECIDERS,
  exhaustive,
} from '@placement/domain';
import type {
  BedHome,
  BedState,
  ChildState,
  ContractState,
  Decider,
  HouseholdState,
  ReferralNeeds,
  ReferralState,
  SettingState,
  SexesAccepted,
  StreamAppend,
  UnitRef,
  UnitView,
} from '@placement/domain';
import { englandPostcodeDistricts } from '@placement/api';
import { someReferralNeeds } from '@placement/domain/testing';
import type { EventStore, ExpectedRevision } from '@placement/event-store';
import { seededRandom, syntheticEstate } from '@placement/matching';
import type { CapacityUnit, EstateScale, PostcodeDistrict, ResidentProfile, Setting, Sex } from '@placement/matching';

/** The business date the national estate is "as at": every placement starts before it. */
export const NATIONAL_AS_AT = '2026-11-01';
/** Children looked after in England, 31 March 2024 (docs/domain-reference.md): 83,630. */
export const ENGLAND_CHILDREN_IN_CARE = 84_000;
/** Stream appends per store transaction (the sqlite adapter group-commits one event-loop turn). */
const APPENDS_PER_GROUP = 2_000;

export interface NationalDistrict extends PostcodeDistrict {
  laName: string;
}

/** England's postcode districts from the reference data, as the national seed reads them. */
export function englandDistricts(): NationalDistrict[] {
  return englandPostcodeDistricts().map((d) => ({
    district: d.district,
    laCode: d.laCode,
    laName: d.laName,
    easting: d.easting,
    northing: d.northing,
  }));
}

export interface NationalSeedReport {
  seeded: 'national';
  seed: number;
  /** Events this run wrote (0 when the same seed was already written). */
  events: number;
  streams: number;
  authorities: number;
  children: number;
  childrenInUnits: number;
  homes: number;
  supportedAccommodation: number;
  beds: number;
  households: number;
  blockContracts: number;
  seconds: { generate: number; append: number; total: number };
}

type Progress = (message: string) => void;

interface Pending {
  state: unknown;
  revision: ExpectedRevision;
  events: { type: string; data: unknown }[];
  phase: string;
}

/**
 * The streams being written: each command goes through its stream's decider on the state
 * so far, so every seeded event passed the same invariants a person's command does. Events
 * wait in memory and are appended phase by phase (estate, then referrals, then units, then
 * placements), the order the real flow writes them, many streams to a transaction.
 */
class StreamBatch {
  private readonly streams = new Map<string, Pending>();
  private dirty: string[] = [];
  /** Time spent appending, in milliseconds. */
  appendMs = 0;

  constructor(
    private readonly store: EventStore,
    private readonly seed: number,
  ) {}

  get streamCount(): number {
    return this.streams.size;
  }

  decide<C, E extends { type: string; data: unknown }, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
    phase: string,
  ): E[] {
    const events = decider.decide(command, (this.streams.get(streamId)?.state ?? decider.initialState) as S);
    this.queue(decider, streamId, events, phase);
    return events;
  }

  /** The steps a domain flow decided on the states so far (`state`), waiting as `decide`'s events do. */
  record(step: StreamAppend, phase: string): void {
    const decider = STREAM_DECIDERS[step.kind] as Decider<unknown, StreamAppend['events'][number], unknown>;
    this.queue(decider, step.streamId, step.events, phase);
  }

  /** The state of a stream this seed has written to. */
  state<S>(streamId: string): S {
    const pending = this.streams.get(streamId);
    if (!pending) throw new Error(`the seed reads ${streamId}, which it has not written`);
    return pending.state as S;
  }

  private queue<C, E extends { type: string; data: unknown }, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    events: readonly E[],
    phase: string,
  ): void {
    let pending = this.streams.get(streamId);
    if (!pending) {
      pending = { state: decider.initialState, revision: 'no_stream', events: [], phase };
      this.streams.set(streamId, pending);
    }
    pending.state = events.reduce((s, e) => decider.evolve(s, e), pending.state as S);
    if (pending.events.length === 0) {
      this.dirty.push(streamId);
      pending.phase = phase;
    }
    pending.events.push(...events);
  }

  /** Appends every stream's waiting events, each stream with its exact expected revision. */
  async flush(): Promise<void> {
    const ids = this.dirty;
    this.dirty = [];
    const started = performance.now();
    for (let i = 0; i < ids.length; i += APPENDS_PER_GROUP) {
      await Promise.all(ids.slice(i, i + APPENDS_PER_GROUP).map((id) => this.appendOne(id)));
    }
    this.appendMs += performance.now() - started;
  }

  private async appendOne(streamId: string): Promise<void> {
    const pending = this.streams.get(streamId);
    if (!pending || pending.events.length === 0) return;
    const commandId = `seed-national:${this.seed}:${pending.phase}:${streamId}`;
    const metadata = {
      commandId,
      correlationId: `seed-national:${this.seed}`,
      causationId: commandId,
      actor: { id: 'seed-national', role: 'admin' },
    };
    const events = pending.events.map((e, i) => ({
      id: eventId(commandId, streamId, i),
      type: e.type,
      schemaVersion: currentSchemaVersion(e.type),
      data: e.data,
      metadata,
    }));
    const result = await this.store.append(streamId, events, { expectedRevision: pending.revision });
    pending.revision = result.nextExpectedRevision;
    pending.events = [];
  }
}

/** The unit as the placement flow takes it, with its stream's state so far. */
function unitView(batch: StreamBatch, unit: UnitRef): UnitView {
  switch (unit.kind) {
    case 'bed':
      return { ...unit, state: batch.state<BedState>(bedStreamId(unit.settingId, unit.bedId)) };
    case 'household':
      return { ...unit, state: batch.state<HouseholdState>(householdStreamId(unit.householdId)) };
    case 'block-bed':
      return { ...unit, state: batch.state<ContractState>(contractStreamId(unit.contractId)) };
    case 'external':
      return unit;
    default:
      return exhaustive(unit);
  }
}

/** A bed's home so far: its setting and the diaries of the setting's other beds (each of its units is a bed). */
function homeOf(batch: StreamBatch, settingId: string, bedId: string, units: readonly CapacityUnit[]): BedHome {
  return {
    setting: batch.state<SettingState>(settingStreamId(settingId)),
    otherBeds: units
      .map((u) => u.unitId.slice(settingId.length + 1))
      .filter((other) => other !== bedId)
      .map((other) => batch.state<BedState>(bedStreamId(settingId, other))),
  };
}

/** Event ids derive from the command and stream, so a second run with the same seed writes nothing. */
function eventId(commandId: string, streamId: string, index: number): string {
  const h = createHash('sha256').update(`${commandId}\u0000${streamId}\u0000${index}`).digest('hex');
  // A version-5 UUID: the version nibble 5, the variant bits 10.
  const variant = ((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

function sexesAccepted(sexes: readonly Sex[]): SexesAccepted {
  if (sexes.includes('M') && sexes.includes('F')) return 'any';
  return sexes.includes('F') ? 'F' : 'M';
}

/** A resident's sex as the registration takes it (the synthetic profile draws it independently). */
function fittingSex(resident: ResidentProfile, accepted: SexesAccepted): 'M' | 'F' {
  if (accepted === 'any') return resident.sex === 'F' ? 'F' : 'M';
  return accepted;
}

const RISK_TO_SELF_IN_DOMAIN: Record<string, ReferralNeeds['risksToSelf'][number]> = {
  'self-harm': 'self-harm',
  cse: 'cse',
  cce: 'cce',
  'drugs-alcohol': 'drugs-alcohol',
  'eating-disorder': 'eating-disorder',
  missing: 'going-missing',
};

interface Placed {
  childId: string;
  sex: 'M' | 'F';
  age: number;
  risks: ResidentProfile;
  localAuthority: string;
  district: string;
  unit: UnitRef;
  place: string;
  placeProvider: string;
  postcode: string;
  urn: string | null;
  /** A home's bed: a matching meeting covering the residents already there comes first. */
  settingId: string | null;
}

/**
 * `seed national`: a deterministic synthetic England-sized estate (no real child) from
 * `syntheticEstate({ scale: 'national' })`, written as domain events straight to the store.
 * Homes on the block-booked route become block-booking contracts (with the home registered
 * for its registration); other homes and supported accommodation are registered settings
 * with beds; households are approved with their terms; every resident is a registered child
 * with a referral (carrying the profile's risk flags), a matching meeting for a home, the
 * unit taken, and a placement. The rest of England's ~84,000 children in care are placed
 * outside the estate (with parents, for adoption, independent living, other). Holds are
 * not seeded: they are minutes-to-days long, and any would have lapsed by the time it is read.
 */
export async function seedNational(
  store: EventStore,
  options: {
    seed: number;
    districts: readonly NationalDistrict[];
    progress?: Progress;
    /** Tests use the Rotherham-scale synthetic estate: the same translation, a hundredth of the size. */
    scale?: EstateScale;
    childrenInCare?: number;
  },
): Promise<NationalSeedReport> {
  const started = performance.now();
  const progress = options.progress ?? (() => undefined);
  const headBefore = await store.headPosition();
  const asAtInstant = `${NATIONAL_AS_AT}T00:00:00.000Z`;
  const { snapshot, authorities } = syntheticEstate({
    scale: options.scale ?? 'national',
    seed: options.seed,
    districts: options.districts,
    asAt: asAtInstant,
  });
  const laNames = new Map(options.districts.map((d) => [d.laCode, d.laName]));
  const byLa = new Map<string, NationalDistrict[]>();
  for (const d of options.districts) byLa.set(d.laCode, [...(byLa.get(d.laCode) ?? []), d]);
  const random = seededRandom(options.seed ^ 0x5eed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const postcodeIn = (district: string): string =>
    `${district} ${int(0, 9)}${INWARD_LETTERS[int(0, 19)]}${INWARD_LETTERS[int(0, 19)]}`;

  const batch = new StreamBatch(store, options.seed);
  const unitsBySetting = new Map<string, CapacityUnit[]>();
  for (const u of snapshot.units) unitsBySetting.set(u.settingId, [...(unitsBySetting.get(u.settingId) ?? []), u]);

  const placed: Placed[] = [];
  let homes = 0;
  let supported = 0;
  let beds = 0;
  let households = 0;
  let contracts = 0;
  let urnSeq = 200_000;
  let homeSeq = 0;
  const suspend: string[] = [];

  // Phase 1: the estate.
  for (const setting of snapshot.settings) {
    const units = unitsBySetting.get(setting.settingId) ?? [];
    const district = setting.location.postcodeDistrict;
    const postcode = postcodeIn(district);
    if (setting.kind === 'foster-household') {
      households++;
      const unit = units[0];
      const ifa = unit.route !== 'in-house';
      const terms = setting.terms;
      const accepted = sexesAccepted(terms.sexes);
      const connected = terms.placeCodes.includes('U1');
      batch.decide(
        householdDecider,
        householdStreamId(setting.settingId),
        {
          type: 'ApproveFosterHousehold',
          data: {
            householdId: setting.settingId,
            reference: `FH-${households}`,
            terms: {
              ageRange: { min: terms.ageMin, max: terms.ageMax },
              maxChildren: terms.maxChildren,
              siblingGroup: terms.siblings.accepted,
              placementTypes: terms.emergencyApproved
                ? ['emergency', 'short-term', 'long-term']
                : ['short-term', 'long-term'],
              connectedPerson: connected,
              provider: ifa ? 'ifa' : 'in-house',
              agencyName: ifa ? `Independent fostering agency ${(households % 400) + 1}` : null,
              sexes: accepted,
              postcode,
            },
            approvedOn: addDays('2018-01-01', int(0, 2500)),
          },
        },
        'estate',
      );
      for (const r of setting.residents) {
        placed.push(
          resident(
            r,
            setting,
            { kind: 'household', householdId: setting.settingId },
            connected ? 'U1' : 'U4',
            ifa ? 'PR4' : 'PR1',
            postcode,
            null,
            null,
            accepted,
          ),
        );
      }
      if (unit.state.status === 'out-of-use') suspend.push(setting.settingId);
      continue;
    }

    const blockBooked = units.length > 0 && units.every((u) => u.route === 'block-booked');
    const type = setting.kind === 'supported-accommodation' ? 'supported-accommodation' : 'childrens-home';
    const inHouse = units.some((u) => u.route === 'in-house');
    const urn = `SC${urnSeq++}`;
    const registration = {
      ageRange: { min: setting.terms.ageMin, max: setting.terms.ageMax },
      sexes: sexesAccepted(setting.terms.sexes),
      maxChildren: setting.terms.maxChildren,
    };
    if (type === 'supported-accommodation') supported++;
    else homes++;
    batch.decide(
      settingDecider,
      settingStreamId(setting.settingId),
      {
        type: 'RegisterSetting',
        data: {
          settingId: setting.settingId,
          name:
            type === 'supported-accommodation'
              ? `Supported accommodation ${supported}`
              : `Children's home ${++homeSeq}`,
          urn,
          provider: inHouse
            ? {
                kind: 'in-house',
                name: laNames.get(setting.localAuthorityCode) ?? setting.localAuthorityCode,
                code: 'PR1',
              }
            : { kind: 'external', name: `Provider ${(homeSeq % 700) + 1}`, code: 'PR4' },
          type,
          registration,
          postcode,
          localAuthority: setting.localAuthorityCode,
          registeredOn: addDays('2015-04-01', int(0, 3000)),
        },
      },
      'estate',
    );
    const occupiedBeds = units.filter((u) => u.kind === 'residential-bed' || u.kind === 'supported-accommodation');
    if (blockBooked) {
      // The home is registered (its registration is the contract's terms); its beds are the contract's.
      contracts++;
      const contractId = `BLK-${setting.settingId}`;
      const bedRefs = units.map((u) => u.unitId.slice(setting.settingId.length + 1));
      batch.decide(
        contractDecider,
        contractStreamId(contractId),
        {
          type: 'ContractBlockBooking',
          data: {
            contractId,
            provider: { name: `Provider ${(homeSeq % 700) + 1}`, code: 'PR4' },
            settingName: `Children's home ${homeSeq}`,
            settingUrn: urn,
            settingPostcode: postcode,
            beds: bedRefs,
            startDate: '2025-04-01',
            endDate: '2027-03-31',
            weeklyPricePerBed: units[0].weeklyCostPence,
          },
        },
        'estate',
      );
      beds += units.length;
      let next = 0;
      for (const u of occupiedBeds) {
        if (u.state.status !== 'occupied') continue;
        const r = setting.residents[next++];
        if (!r) break;
        const bedRef = u.unitId.slice(setting.settingId.length + 1);
        placed.push(
          resident(
            r,
            setting,
            { kind: 'block-bed', contractId, bedRef },
            'K2',
            'PR4',
            postcode,
            urn,
            null,
            registration.sexes,
          ),
        );
      }
      continue;
    }
    let next = 0;
    for (const u of units) {
      beds++;
      const bedId = u.unitId.slice(setting.settingId.length + 1);
      const streamId = bedStreamId(setting.settingId, bedId);
      batch.decide(
        bedDecider,
        streamId,
        {
          type: 'AddBed',
          data: {
            settingId: setting.settingId,
            bedId,
            kind: u.kind === 'emergency-bed' ? 'emergency' : 'residential',
            label: `Room ${bedId}`,
          },
        },
        'estate',
      );
      if (u.state.status === 'out-of-use') {
        const reason =
          u.state.reason === 'repairs' ? 'maintenance' : u.state.reason === 'staffing' ? 'staffing' : 'registration';
        batch.decide(
          bedDecider,
          streamId,
          {
            type: 'TakeBedOutOfUse',
            data: {
              settingId: setting.settingId,
              bedId,
              reason,
              from: addDays(NATIONAL_AS_AT, -int(1, 30)),
              to: null,
            },
            at: `${NATIONAL_AS_AT}T09:00:00.000Z`,
          },
          'estate',
        );
      }
      // The synthetic estate gives residents to occupied residential beds only; occupied emergency beds stay vacant
      // here.
      if (u.state.status === 'occupied' && u.kind !== 'emergency-bed') {
        const r = setting.residents[next++];
        if (!r) continue;
        const place = type === 'supported-accommodation' ? 'K3' : 'K2';
        placed.push(
          resident(
            r,
            setting,
            { kind: 'bed', settingId: setting.settingId, bedId },
            place,
            inHouse ? 'PR1' : 'PR4',
            postcode,
            urn,
            setting.settingId,
            registration.sexes,
          ),
        );
      }
    }
  }
  progress(
    `estate decided: ${homes} homes, ${supported} supported accommodation, ${beds} beds, ${households} households, ` +
      `${contracts} block contracts`,
  );
  await batch.flush();

  // The children outside the estate: with parents, placed for adoption, living independently, other.
  const inUnits = placed.length;
  const elsewhere = Math.max(0, (options.childrenInCare ?? ENGLAND_CHILDREN_IN_CARE) - inUnits);
  const outside: Placed[] = [];
  for (let i = 1; i <= elsewhere; i++) {
    const la = authorities[int(0, authorities.length - 1)];
    const rows = byLa.get(la) ?? [];
    const district = rows.length > 0 ? rows[int(0, rows.length - 1)].district : 'S60';
    const roll = random();
    const [place, provider, providerName, ages] =
      roll < 0.5
        ? (['P1', 'PR0', 'Parent(s)', [0, 17]] as const)
        : roll < 0.7
          ? (['A4', 'PR1', 'Adoptive placement', [0, 6]] as const)
          : roll < 0.85
            ? (['P2', 'PR4', 'Independent living', [16, 17]] as const)
            : (['Z1', 'PR4', 'Other placement', [5, 17]] as const);
    const age = int(ages[0], ages[1]);
    outside.push({
      childId: `C-X${String(i).padStart(6, '0')}`,
      sex: random() < 0.55 ? 'M' : 'F',
      age,
      risks: { age, sex: 'M', risksToSelf: [], risksToOthers: [] },
      localAuthority: la,
      district,
      unit: { kind: 'external', urn: null, provider: { name: providerName, code: provider } },
      place,
      placeProvider: provider,
      postcode: postcodeIn(district),
      urn: null,
      settingId: null,
    });
  }

  // Phase 2: children registered; residents referred (and matched at a meeting, for a home).
  const residentsSoFar = new Map<string, string[]>();
  const startOf = new Map<string, string>();
  for (const c of [...placed, ...outside]) {
    // Born 200 days after the birthday before the as-at date, starting within 180 days of it: the same age throughout.
    const dateOfBirth = addDays(`${Number(NATIONAL_AS_AT.slice(0, 4)) - c.age}${NATIONAL_AS_AT.slice(4)}`, -200);
    const startDate = addDays(NATIONAL_AS_AT, -int(1, 180));
    startOf.set(c.childId, startDate);
    batch.decide(
      childDecider,
      childStreamId(c.childId),
      {
        type: 'RegisterChild',
        data: {
          childId: c.childId,
          sex: c.sex,
          dateOfBirth,
          localAuthority: c.localAuthority,
          homePostcode: postcodeIn(c.district),
          categoryOfNeed: 'N1',
          ethnicity: null,
          upn: null,
        },
      },
      'children',
    );
    if (c.unit.kind === 'external') continue;
    const referralId = `R-${c.childId}`;
    batch.decide(
      referralDecider,
      referralStreamId(referralId),
      {
        type: 'ReceiveReferral',
        data: {
          referralId,
          childId: c.childId,
          urgency: 'planned',
          startDate,
          needs: someReferralNeeds({
            sex: c.sex,
            ageAtStart: c.age,
            preferredArea: { postcodeDistrict: c.district, maxDistanceKm: null },
            risksToSelf: c.risks.risksToSelf.map((r) => RISK_TO_SELF_IN_DOMAIN[r]),
            risksToOthers: [...c.risks.risksToOthers],
          }),
          requestedBy: { role: 'social-worker', team: 'children-in-care' },
          at: `${addDays(startDate, -14)}T09:00:00.000Z`,
        },
      },
      'referrals',
    );
    if (c.settingId) {
      const already = residentsSoFar.get(c.settingId) ?? [];
      const meetingId = `M-${c.childId}`;
      batch.decide(
        referralDecider,
        referralStreamId(referralId),
        {
          type: 'RecordMatchingMeeting',
          data: {
            referralId,
            meetingId,
            heldOn: addDays(startDate, -3),
            attendees: [{ role: 'registered-manager' }, { role: 'social-worker' }, { role: 'placement-officer' }],
            unitConsidered: { kind: 'setting', settingId: c.settingId },
            impactAssessments: already.map((residentChildId) => ({
              residentChildId,
              outcome: 'no-concerns' as const,
              risksConsidered: ['physical-harm'],
            })),
            decision: 'matched',
            reasons: [{ code: 'NEEDS_MET', text: 'Assessed needs can be met; impact on current residents assessed.' }],
          },
          at: `${addDays(startDate, -3)}T17:00:00.000Z`,
        },
        'referrals',
      );
      residentsSoFar.set(c.settingId, [...already, c.childId]);
    }
  }
  progress(`children and referrals decided: ${placed.length + outside.length} children`);
  await batch.flush();

  // Phase 3: the units taken by the domain's placement flow, the contended stream first, as the app's flow runner
  // appends it; the children's side of each flow waits for phase 4.
  const childSides: { step: StreamAppend; placementId: string; referralId: string | null; startDate: string }[] = [];
  for (const c of [...placed, ...outside]) {
    const startDate = startOf.get(c.childId) ?? NATIONAL_AS_AT;
    const placementId = `P-${c.childId}`;
    const referralId = c.unit.kind === 'external' ? null : `R-${c.childId}`;
    const flow = decidePlacement(
      {
        placementId,
        childId: c.childId,
        referralId,
        emergency: false,
        startDate,
        at: `${startDate}T09:00:00.000Z`,
        place: c.place,
        placeProvider: c.placeProvider,
        legalStatus: 'C2',
        placementPostcode: c.postcode,
        placementType: 'long-term',
        siblingGroupId: null,
      },
      {
        unit: unitView(batch, c.unit),
        child: batch.state<ChildState>(childStreamId(c.childId)),
        referral: referralId === null ? null : batch.state<ReferralState>(referralStreamId(referralId)),
        home:
          c.unit.kind === 'bed'
            ? homeOf(batch, c.unit.settingId, c.unit.bedId, unitsBySetting.get(c.unit.settingId) ?? [])
            : null,
        // The synthetic estate placed each child where they fit: the seed has no engine's view to add.
        exclusions: null,
      },
    );
    for (const step of flow.steps) {
      if (step.kind === 'child') childSides.push({ step, placementId, referralId, startDate });
      else batch.record(step, 'units');
    }
  }
  for (const householdId of suspend) {
    batch.decide(
      householdDecider,
      householdStreamId(householdId),
      { type: 'SuspendHousehold', data: { householdId, date: addDays(NATIONAL_AS_AT, -int(1, 30)), reason: 'other' } },
      'units',
    );
  }
  progress(`units decided: ${placed.length} children in the estate's units`);
  await batch.flush();

  // Phase 4: placements on the children's streams, and their referrals closed as placed.
  for (const { step, placementId, referralId, startDate } of childSides) {
    batch.record(step, 'placements');
    if (referralId)
      batch.decide(
        referralDecider,
        referralStreamId(referralId),
        {
          type: 'CloseReferral',
          data: { referralId, outcome: 'placed', placementId, at: `${startDate}T09:00:01.000Z` },
        },
        'placements',
      );
  }
  await batch.flush();
  const headAfter = await store.headPosition();
  const finished = performance.now();
  const appendMs = batch.appendMs;
  return {
    seeded: 'national',
    seed: options.seed,
    events: Number(headAfter - headBefore),
    streams: batch.streamCount,
    authorities: authorities.length,
    children: placed.length + outside.length,
    childrenInUnits: inUnits,
    homes,
    supportedAccommodation: supported,
    beds,
    households,
    blockContracts: contracts,
    seconds: {
      generate: round((finished - started - appendMs) / 1000),
      append: round(appendMs / 1000),
      total: round((finished - started) / 1000),
    },
  };

  function resident(
    r: ResidentProfile,
    setting: Setting,
    unit: UnitRef,
    place: string,
    placeProvider: string,
    postcode: string,
    urn: string | null,
    settingId: string | null,
    accepted: SexesAccepted,
  ): Placed {
    return {
      childId: r.childId ?? `C-S${setting.settingId}`,
      sex: fittingSex(r, accepted),
      age: Math.min(Math.max(r.age, setting.terms.ageMin), setting.terms.ageMax),
      risks: r,
      localAuthority: setting.localAuthorityCode,
      district: setting.location.postcodeDistrict,
      unit,
      place,
      placeProvider,
      postcode,
      urn,
      settingId,
    };
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
