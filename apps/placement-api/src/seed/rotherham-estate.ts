import { addDays, ageOn, upnCheckLetter } from '@placement/domain';
import { Prng, someNeeds } from '@placement/test-support';
import type { HouseholdMembersDto } from '../households/record-household-members';
import type { ContractBlockBookingDto } from '../contracts/contract-block-booking';
import type { ApproveHouseholdDto } from '../households/approve-household';
import type { EndPlacementDto } from '../placements/end-placement';
import type { StartPlacementDto } from '../placements/start-placement';
import type { RecordCareLeaverDto } from '../children/record-care-leaver';
import type { ChildFactsDto, ReceiveReferralDto } from '../referrals/receive-referral';
import type { MatchingMeetingDto } from '../referrals/record-matching-meeting';
import type { StatementOfPurposeDto } from '../settings/record-statement-of-purpose';
import type { AddBedDto } from '../beds/add-bed';
import type { RegisterSettingDto } from '../settings/register-setting';
import type { Postcode } from './reference-data';

/** Rotherham's ONS code: the reference authority (docs/domain-reference.md). */
export const ROTHERHAM = 'E08000018';
/**
 * The block contracts are two-year contracts 19 months in: they began 579 days before the
 * estate's date and end 729 days after they began (seeded on 2026-11-01: 2025-04-01 to 2027-03-31).
 */
const CONTRACT_STARTED_DAYS_BEFORE = 579;
const CONTRACT_LAST_DAY_AFTER_START = 729;

export type SeedStep =
  | { kind: 'setting'; body: RegisterSettingDto }
  | { kind: 'bed'; settingId: string; body: AddBedDto }
  | { kind: 'household'; body: ApproveHouseholdDto }
  | { kind: 'contract'; body: ContractBlockBookingDto }
  | { kind: 'referral'; body: ReceiveReferralDto }
  | { kind: 'meeting'; referralId: string; body: MatchingMeetingDto }
  | { kind: 'placement'; body: StartPlacementDto }
  | { kind: 'members'; householdId: string; body: HouseholdMembersDto }
  | { kind: 'statement'; settingId: string; body: StatementOfPurposeDto }
  | { kind: 'end'; placementId: string; body: EndPlacementDto }
  | { kind: 'care-leaver'; childId: string; body: RecordCareLeaverDto };

export interface EstatePlan {
  steps: SeedStep[];
  /** The homes the demo residential manager keeps (not all of them, to show the limit). */
  managerSettingIds: string[];
  summary: {
    settings: number;
    residentialBeds: number;
    emergencyBeds: number;
    households: number;
    children: number;
    openPlacements: number;
    waitingReferrals: number;
  };
}

const HOME_NAMES = [
  'Silverwood House',
  'Beechcroft',
  'Larch Lodge',
  'Kiveton View',
  'Rother Vale House',
  'Maltby Grange',
  'Wath Road Assessment Centre',
];
// Residential beds per home: 16 in all; the seventh home holds the 2 emergency beds.
const RESIDENTIAL_BEDS = [3, 3, 3, 3, 2, 2, 0];
const AGE_RANGES: [number, number][] = [
  [11, 17],
  [11, 17],
  [8, 13],
  [12, 17],
  [13, 17],
  [11, 17],
  [8, 17],
];
const HOUSEHOLD_AGE_RANGES: [number, number][] = [
  [0, 4],
  [0, 10],
  [5, 17],
  [11, 17],
  [0, 17],
  [8, 17],
];
const EMPTY_BEDS = new Set(['rmbc-ch-02.b3', 'rmbc-ch-05.b2']);

/**
 * The seven homes' statements of purpose, in home order: some do not accept a child at risk of sexual
 * exploitation (or another risk they cannot manage); the emergency beds' home takes emergencies there, one
 * home takes none at all, one takes them into any free bed, and the rest only into emergency beds.
 */
const STATEMENTS_OF_PURPOSE: StatementOfPurposeDto[] = [
  { risksNotAccepted: ['cse'], emergencyAdmissions: 'emergency-beds' },
  { risksNotAccepted: [], emergencyAdmissions: 'emergency-beds' },
  { risksNotAccepted: ['cse', 'sexual-harm'], emergencyAdmissions: 'none' },
  { risksNotAccepted: ['fire-setting'], emergencyAdmissions: 'emergency-beds' },
  { risksNotAccepted: ['cse', 'cce'], emergencyAdmissions: 'emergency-beds' },
  { risksNotAccepted: ['harm-to-animals'], emergencyAdmissions: 'any-bed' },
  { risksNotAccepted: ['sexual-harm-to-younger-children'], emergencyAdmissions: 'emergency-beds' },
];

function dobForAge(prng: Prng, age: number, onDate: string): string {
  // Born between (age+1) years and age years before onDate, so the age on onDate is exactly `age`.
  const year = Number(onDate.slice(0, 4)) - age - 1;
  return addDays(`${year}-${onDate.slice(5, 10)}`, prng.between(1, 360));
}

function needs(
  prng: Prng,
  foster: 'preferred' | 'suitable' | 'unsuitable',
  district: string,
): ReceiveReferralDto['needs'] {
  return someNeeds({
    preferredArea: { postcodeDistrict: district, maxDistanceKm: prng.pick([20, 30, 50]) },
    placementTypeSuitability: { foster, 'childrens-home': 'suitable' },
    risksToSelf: prng.chance(0.3) ? [prng.pick(['going-missing', 'self-harm', 'cse', 'cce'] as const)] : [],
    risksToOthers: prng.chance(0.15) ? ['physical-harm'] : [],
  });
}

/**
 * The synthetic demo estate (docs/domain-reference.md): no real child. Setting and
 * household postcodes are real ones from the ONS list; everything else comes from `seed`.
 * Its dates are relative to `asAt`, the business date it is seeded "as at" (today, when
 * `npm start` seeds an empty store): placements started before it, waiting referrals start
 * after it, and the block contracts run across it, whatever the date.
 */
export function rotherhamEstate(postcodes: readonly Postcode[], asAt: string, seed = 2023): EstatePlan {
  const yearEnd = collectionYearEnd(asAt);
  const prng = new Prng(seed);
  // The return's identifiers (UPN, MOTHER) and the supported-accommodation URN come from their own
  // stream, so adding them left every other seeded fact as it was.
  const ids: ReturnIds = { prng: new Prng(seed + 903), motherShown: false };
  const steps: SeedStep[] = [];
  const local = postcodes.filter((p) => /^S6[0-6]$/.test(p.district));
  const postcode = () => prng.pick(local).postcode;
  let childNo = 0;
  const nextChild = () => `c${String(++childNo).padStart(4, '0')}`;
  let openPlacements = 0;
  /** A child referred from a local home address (drawn after the caller's draws), as `ref-<childId>`. */
  const refer = (
    childId: string,
    sex: 'M' | 'F',
    dateOfBirth: string,
    start: string,
    urgency: 'planned' | 'emergency' = 'planned',
    mayBe18 = false,
  ): ReceiveReferralDto => {
    const year = { end: yearEnd, mayBe18 };
    const body = referralFor(prng, ids, `ref-${childId}`, childId, sex, dateOfBirth, start, urgency, postcode(), year);
    steps.push({ kind: 'referral', body });
    return body;
  };
  /** The matching meeting for the child's referral. */
  const meet = (childId: string, body: MatchingMeetingDto) =>
    steps.push({ kind: 'meeting', referralId: `ref-${childId}`, body });

  // Seven in-house children's homes, 16 residential + 2 emergency beds.
  const settings: {
    settingId: string;
    beds: { bedId: string; kind: 'residential' | 'emergency' }[];
    postcode: string;
    ages: [number, number];
  }[] = [];
  HOME_NAMES.forEach((name, i) => {
    const settingId = `rmbc-ch-0${i + 1}`;
    const emergency = i === 6;
    const beds = emergency
      ? [
          { bedId: 'e1', kind: 'emergency' as const },
          { bedId: 'e2', kind: 'emergency' as const },
        ]
      : Array.from({ length: RESIDENTIAL_BEDS[i] }, (_, b) => ({ bedId: `b${b + 1}`, kind: 'residential' as const }));
    const pc = postcode();
    const [min, max] = AGE_RANGES[i];
    steps.push({
      kind: 'setting',
      body: {
        settingId,
        name,
        urn: `SC${String(400000 + prng.between(1000, 99999)).padStart(6, '0')}`,
        provider: { kind: 'in-house', name: 'Rotherham Metropolitan Borough Council', code: 'PR1' },
        type: 'childrens-home',
        registration: { ageRange: { min, max }, sexes: i === 4 ? 'F' : 'any', maxChildren: beds.length },
        postcode: pc,
        localAuthority: ROTHERHAM,
        registeredOn: i < 4 ? '2019-04-01' : '2023-09-01',
      },
    });
    for (const bed of beds)
      steps.push({
        kind: 'bed',
        settingId,
        body: {
          ...bed,
          label: bed.kind === 'emergency' ? `Emergency ${bed.bedId.slice(1)}` : `Room ${bed.bedId.slice(1)}`,
        },
      });
    settings.push({ settingId, beds, postcode: pc, ages: [min, max] });
  });

  // Residents: 14 of 16 residential beds, each matched at a meeting covering those already there.
  for (const home of settings.slice(0, 6)) {
    const residents: string[] = [];
    for (const bed of home.beds) {
      if (EMPTY_BEDS.has(`${home.settingId}.${bed.bedId}`)) continue;
      const childId = nextChild();
      const start = addDays(asAt, -prng.between(30, 700));
      const age = prng.between(Math.max(home.ages[0], 11), Math.min(home.ages[1], 16));
      const sex = home.settingId === 'rmbc-ch-05' ? 'F' : prng.pick(['M', 'F'] as const);
      const referral = refer(childId, sex, dobForAge(prng, age, start), start, 'planned', true);
      // 18 by the year's end: staying on in the home under section 20(5), legal status V2.
      const staysOnPast18 = ageOn(referral.child?.dateOfBirth ?? start, yearEnd) >= 18;
      meet(childId, meetingFor(`mtg-${childId}`, addDays(start, -7), home.settingId, residents));
      steps.push({
        kind: 'placement',
        body: placementFor(
          childId,
          { kind: 'bed', settingId: home.settingId, bedId: bed.bedId },
          'K2',
          'PR1',
          start,
          false,
          staysOnPast18 ? 'V2' : undefined,
        ),
      });
      residents.push(childId);
      openPlacements++;
    }
  }

  // One emergency bed in use, placed before its matching meeting (flagged until one is held).
  {
    const childId = nextChild();
    const start = addDays(asAt, -2);
    refer(childId, 'M', dobForAge(prng, 14, start), start, 'emergency');
    steps.push({
      kind: 'placement',
      body: placementFor(childId, { kind: 'bed', settingId: 'rmbc-ch-07', bedId: 'e1' }, 'K2', 'PR1', start, true),
    });
    openPlacements++;
  }

  // 106 in-house fostering households with varied approval terms, and 8 IFA households (White Rose framework).
  const households: {
    householdId: string;
    ages: [number, number];
    max: number;
    types: string[];
    connectedPerson: boolean;
  }[] = [];
  for (let i = 1; i <= 114; i++) {
    const ifa = i > 106;
    const householdId = ifa ? `ifa-fh-${String(i - 106).padStart(3, '0')}` : `rmbc-fh-${String(i).padStart(3, '0')}`;
    const [min, max] = prng.pick(HOUSEHOLD_AGE_RANGES);
    const types = prng.chance(0.2)
      ? ['emergency', 'short-term']
      : prng.chance(0.5)
        ? ['short-term', 'long-term']
        : ['long-term'];
    if (prng.chance(0.15)) types.push('respite');
    const maxChildren = prng.pick([1, 1, 2, 2, 2, 3]);
    // Drawn in the order the estate has always drawn them.
    const siblingGroup = prng.chance(0.15);
    const connectedPerson = !ifa && prng.chance(0.1);
    steps.push({
      kind: 'household',
      body: {
        householdId,
        reference: ifa ? `WR-${String(i - 106).padStart(3, '0')}` : `FH-${String(i).padStart(3, '0')}`,
        terms: {
          ageRange: { min, max },
          maxChildren,
          siblingGroup,
          placementTypes: types as ApproveHouseholdDto['terms']['placementTypes'],
          connectedPerson,
          provider: ifa ? 'ifa' : 'in-house',
          agencyName: ifa ? 'White Rose framework agency' : null,
          sexes: 'any',
          postcode: postcode(),
        },
        approvedOn: addDays('2020-01-01', prng.between(0, 2000)),
      },
    });
    households.push({ householdId, ages: [min, max], max: maxChildren, types, connectedPerson });
  }

  // About 35 children with in-house foster carers and 4 with IFA carers.
  let fostered = 0;
  let ifaPlaced = 0;
  const placedWith = new Set<string>();
  for (const h of households) {
    const isIfa = h.householdId.startsWith('ifa');
    if ((isIfa && ifaPlaced >= 4) || (!isIfa && fostered >= 35)) continue;
    if (!prng.chance(isIfa ? 0.8 : 0.45)) continue;
    const type = h.types.includes('long-term') ? 'long-term' : h.types.includes('short-term') ? 'short-term' : null;
    if (!type) continue;
    const childId = nextChild();
    const start = addDays(asAt, -prng.between(20, 1200));
    const age = prng.between(h.ages[0], Math.min(h.ages[1], 16));
    const referral = refer(childId, prng.pick(['M', 'F'] as const), dobForAge(prng, age, start), start);
    const outsideTerms = outsideApproval(h, referral.child?.dateOfBirth ?? start, start);
    if (outsideTerms.length > 0) meet(childId, fosterMatchFor(`mtg-${childId}`, h.householdId, start, outsideTerms));
    const body = placementFor(
      childId,
      { kind: 'household', householdId: h.householdId },
      prng.pick(['U4', 'U6'] as const),
      isIfa ? 'PR4' : 'PR1',
      start,
      false,
    );
    steps.push({ kind: 'placement', body: { ...body, placementType: type } });
    placedWith.add(h.householdId);
    openPlacements++;
    if (isIfa) ifaPlaced++;
    else fostered++;
  }

  // Two external providers with block-booked beds; a few voids.
  const contracts = [
    {
      contractId: 'blk-hallam-01',
      provider: "Hallam Children's Care Ltd",
      setting: 'Hallam Lodge',
      beds: ['h1', 'h2', 'h3', 'h4'],
      price: 365000,
      used: 3,
    },
    {
      contractId: 'blk-pennine-01',
      provider: 'Pennine Residential Services',
      setting: 'Pennine House',
      beds: ['p1', 'p2', 'p3'],
      price: 392000,
      used: 2,
    },
  ];
  const contractStart = addDays(asAt, -CONTRACT_STARTED_DAYS_BEFORE);
  const contractEnd = addDays(contractStart, CONTRACT_LAST_DAY_AFTER_START);
  for (const c of contracts) {
    steps.push({
      kind: 'contract',
      body: {
        contractId: c.contractId,
        provider: { name: c.provider, code: 'PR4' },
        settingName: c.setting,
        settingUrn: `SC${String(500000 + prng.between(1000, 99999)).padStart(6, '0')}`,
        settingPostcode: postcode(),
        beds: c.beds,
        startDate: contractStart,
        endDate: contractEnd,
        weeklyPricePerBed: c.price,
      },
    });
    for (const bedRef of c.beds.slice(0, c.used)) {
      const childId = nextChild();
      const start = addDays(contractStart, prng.between(0, 500));
      refer(childId, prng.pick(['M', 'F'] as const), dobForAge(prng, prng.between(12, 16), start), start);
      meet(childId, {
        ...meetingFor(`mtg-${childId}`, addDays(start, -5), '', []),
        unitConsidered: { kind: 'other', ref: c.contractId },
      });
      steps.push({
        kind: 'placement',
        body: placementFor(childId, { kind: 'block-bed', contractId: c.contractId, bedRef }, 'K2', 'PR4', start, false),
      });
      openPlacements++;
    }
  }

  // Spot purchases and 16+ supported accommodation.
  for (let i = 0; i < 3; i++) {
    const childId = nextChild();
    const supported = i === 2;
    const start = addDays(asAt, -prng.between(30, 400));
    refer(
      childId,
      prng.pick(['M', 'F'] as const),
      dobForAge(prng, supported ? 16 : prng.between(12, 15), start),
      start,
    );
    meet(childId, {
      ...meetingFor(`mtg-${childId}`, addDays(start, -3), '', []),
      unitConsidered: { kind: 'other', ref: `spot-${i}` },
    });
    const unit = {
      kind: 'external' as const,
      // Supported accommodation has been registered with Ofsted since April 2023: K3 needs its URN too.
      urn: supported
        ? `SC${String(700000 + ids.prng.between(1000, 99999)).padStart(6, '0')}`
        : `SC${String(600000 + prng.between(1000, 99999)).padStart(6, '0')}`,
      provider: { name: supported ? 'Yorkshire Supported Living' : 'Northern Spot Care Ltd', code: 'PR4' as const },
    };
    // A spot provider's home has a real postcode too: the return's PL_POST needs it.
    steps.push({
      kind: 'placement',
      body: {
        ...placementFor(childId, unit, supported ? 'K3' : 'K2', 'PR4', start, false),
        placementPostcode: postcode(),
      },
    });
    openPlacements++;
  }

  // A few referrals waiting for a match.
  const waiting = 4;
  for (let i = 0; i < waiting; i++) {
    const childId = nextChild();
    const start = addDays(asAt, prng.between(1, 30));
    const urgency = i === 0 ? 'emergency' : 'planned';
    refer(childId, prng.pick(['M', 'F'] as const), dobForAge(prng, prng.between(6, 16), start), start, urgency);
  }

  // Issue 14 §6, after every earlier step so a store seeded before keeps its command ids: each home's
  // statement of purpose, and who else lives with some of the carers. No random draws, so nothing above moves.
  settings.forEach(({ settingId }, i) => steps.push({ kind: 'statement', settingId, body: STATEMENTS_OF_PURPOSE[i] }));
  const year = Number(asAt.slice(0, 4));
  const month = asAt.slice(5, 7);
  households.forEach(({ householdId }, i) => {
    if (i % 5 !== 0 || householdId.startsWith('ifa')) return;
    // A carers' child of 3 to 6 in every fifth in-house household, and an adult son or daughter in every tenth.
    const members: HouseholdMembersDto['members'] = [
      { bornIn: `${year - 3 - (i % 4)}-${month}`, relationship: 'carers-child' },
    ];
    if (i % 10 === 0) members.push({ bornIn: `${year - 19 - (i % 3)}-${month}`, relationship: 'carers-child' });
    steps.push({ kind: 'members', householdId, body: { members } });
  });
  // Two care leavers (numbered apart from the children placed today): cl-0001 ceased care at 18 and stays
  // put with her carers (E17); cl-0002 left care at 17 for independent living (E5), in 16+ supported accommodation.
  for (const leaver of [
    {
      childId: 'cl-0001',
      age: 18 * 365 + 40,
      start: -200,
      end: -20,
      rec: 'E17',
      lives: 'staying-put',
      // Long-term fostering with the council's own carers: staying put is with them.
      place: 'U5',
      provider: null,
    },
    {
      childId: 'cl-0002',
      age: 17 * 365 + 100,
      start: -60,
      end: -10,
      rec: 'E5',
      lives: 'supported-16-plus',
      place: 'K3',
      provider: 'Amber Lodge',
    },
  ] as const) {
    const start = addDays(asAt, leaver.start);
    const ended = addDays(asAt, leaver.end);
    const dateOfBirth = addDays(asAt, -leaver.age);
    refer(leaver.childId, 'F', dateOfBirth, start, leaver.place === 'U5' ? 'planned' : 'emergency', true);
    const placementPostcode = postcode();
    // Staying put is with the former foster carers: in-house long-term carers with no other child placed.
    const carers =
      leaver.place === 'U5'
        ? households.find(
            (h) =>
              h.householdId.startsWith('rmbc') &&
              h.types.includes('long-term') &&
              !h.connectedPerson &&
              h.ages[1] >= 17 &&
              !placedWith.has(h.householdId),
          )
        : undefined;
    if (carers) {
      const outsideTerms = outsideApproval(carers, dateOfBirth, start);
      if (outsideTerms.length > 0)
        meet(leaver.childId, fosterMatchFor(`mtg-${leaver.childId}`, carers.householdId, start, outsideTerms));
      const unit = { kind: 'household' as const, householdId: carers.householdId };
      const body = placementFor(leaver.childId, unit, leaver.place, 'PR1', start, false);
      steps.push({ kind: 'placement', body: { ...body, placementType: 'long-term' } });
    } else {
      if (leaver.provider === null) throw new Error(`no long-term carers free for ${leaver.childId} to stay put with`);
      const unit = {
        kind: 'external' as const,
        urn: 'SC400001',
        provider: { name: leaver.provider, code: 'PR4' as const },
      };
      const body = placementFor(leaver.childId, unit, leaver.place, 'PR4', start, true);
      steps.push({ kind: 'placement', body: { ...body, placementPostcode } });
    }
    steps.push({
      kind: 'end',
      placementId: `pl-${leaver.childId}`,
      body: { endDate: ended, reasonEpisodeCeased: leaver.rec, next: 'leaves-care' },
    });
    steps.push({ kind: 'care-leaver', childId: leaver.childId, body: { accommodation: leaver.lives, from: ended } });
  }

  return {
    steps,
    managerSettingIds: ['rmbc-ch-01', 'rmbc-ch-02', 'rmbc-ch-03', 'rmbc-ch-04'],
    summary: {
      settings: settings.length,
      residentialBeds: RESIDENTIAL_BEDS.reduce((a, b) => a + b, 0),
      emergencyBeds: 2,
      households: households.length,
      children: childNo,
      openPlacements,
      waitingReferrals: waiting,
    },
  };
}

function referralFor(
  prng: Prng,
  ids: ReturnIds,
  referralId: string,
  childId: string,
  sex: 'M' | 'F',
  dateOfBirth: string,
  startDate: string,
  urgency: 'planned' | 'emergency',
  homePostcode: string,
  /** The collection year's end, and whether the child may be 18 by then (a resident of our own homes). */
  year: { readonly end: string; readonly mayBe18: boolean },
): ReceiveReferralDto {
  const district = homePostcode.split(' ')[0];
  const dob = year.mayBe18 ? dateOfBirth : underEighteenAtYearEnd(dateOfBirth, childId, year.end);
  return {
    referralId,
    childId,
    child: {
      sex,
      dateOfBirth: dob,
      localAuthority: ROTHERHAM,
      homePostcode,
      categoryOfNeed: prng.pick(['N1', 'N1', 'N2', 'N4', 'N5'] as const),
      ...returnDetails(ids, childId, sex, dob, startDate),
    },
    urgency,
    startDate,
    needs: needs(prng, prng.pick(['preferred', 'suitable'] as const), district),
    requestedBy: {
      role: 'social-worker',
      team: prng.pick(['children-in-care-north', 'children-in-care-south', 'front-door']),
    },
  };
}

/** The last day of the SSDA903 collection year `asAt` falls in (2026/27: 31 March 2027). */
function collectionYearEnd(asAt: string): string {
  return `${Number(asAt.slice(0, 4)) + (asAt.slice(5) >= '04-01' ? 1 : 0)}-03-31`;
}

/**
 * A young person still looked after at 18 is accommodated under section 20(5) in a community
 * home (the DfE's rule 359): the demo shows that only in its own children's homes, where such a
 * resident is placed under V2. Elsewhere an older draw is moved to a spring birthday (so still 14
 * or more at any seeded start) that keeps the child under 18 at the year end, keyed by the child,
 * not the random stream.
 */
function underEighteenAtYearEnd(dateOfBirth: string, childId: string, yearEnd: string): string {
  const bornFrom = `${Number(yearEnd.slice(0, 4)) - 18}-04-01`;
  return dateOfBirth >= bornFrom ? dateOfBirth : addDays(bornFrom, Number(childId.slice(1)) % 60);
}

/** Rotherham's DfE local authority number, the first three digits of the UPNs its schools allocate. */
const ROTHERHAM_LA_NUMBER = '372';

/** The random stream for the return's identifiers, and whether the estate has shown a young mother yet. */
interface ReturnIds {
  readonly prng: Prng;
  motherShown: boolean;
}

/**
 * UPN (or, for a few children, the DfE's code for why it is not known) and, for a girl, MOTHER:
 * what the SSDA903 header needs (the DfE's rules 442 and 393). A UPN is Rotherham's LA number, a
 * school's establishment number, the year it was allocated and a serial (the child's number, so no
 * two children share one), behind its check letter. The first girl placed at 15 or older is a
 * mother, so the demo shows MOTHER 1 with MC_DOB.
 */
function returnDetails(
  ids: ReturnIds,
  childId: string,
  sex: 'M' | 'F',
  dateOfBirth: string,
  startDate: string,
): Pick<ChildFactsDto, 'upn' | 'mother' | 'motherChildDateOfBirth'> {
  const { prng } = ids;
  const school = String(prng.pick([2, 3, 4]) * 1000 + prng.between(1, 199)).padStart(4, '0');
  const allocated = String((Number(dateOfBirth.slice(0, 4)) + 5) % 100).padStart(2, '0');
  const digits = `${ROTHERHAM_LA_NUMBER}${school}${allocated}${childId.slice(-3)}`;
  const upn = prng.chance(0.08) ? prng.pick(['UN2', 'UN3', 'UN5'] as const) : `${upnCheckLetter(digits)}${digits}`;
  if (sex === 'M') return { upn };
  if (ids.motherShown || ageOn(dateOfBirth, startDate) < 15) return { upn, mother: '0' };
  ids.motherShown = true;
  return { upn, mother: '1', motherChildDateOfBirth: addDays(startDate, -prng.between(60, 300)) };
}

function meetingFor(meetingId: string, heldOn: string, settingId: string, residents: string[]): MatchingMeetingDto {
  return {
    meetingId,
    heldOn,
    attendees: [{ role: 'registered-manager' }, { role: 'social-worker' }, { role: 'placement-officer' }],
    unitConsidered: { kind: 'setting', settingId },
    impactAssessments: residents.map((residentChildId) => ({
      residentChildId,
      outcome: 'no-concerns',
      risksConsidered: ['physical-harm', 'going-missing'],
    })),
    decision: 'matched',
    reasons: [{ code: 'NEEDS_MET', text: 'Assessed needs can be met; impact on current residents assessed.' }],
  };
}

/**
 * Why the matching engine would exclude a household for the child, in the fostering service's own
 * words: a connected-person carer is approved for the children placed with them (the engine cannot
 * know this child is the one they were assessed for), and a child older or younger than the approval
 * needs the terms varied. Each is a reason the matching meeting records its override for.
 */
function outsideApproval(
  h: { readonly ages: readonly [number, number]; readonly connectedPerson: boolean },
  dateOfBirth: string,
  startDate: string,
): string[] {
  const age = ageOn(dateOfBirth, startDate);
  return [
    ...(h.connectedPerson ? ['The carers were assessed and approved as connected persons for this child.'] : []),
    ...(age < h.ages[0] || age > h.ages[1]
      ? [`The carers' approval was varied to take a child of ${age}; the fostering panel agreed it.`]
      : []),
  ];
}

/**
 * A fostering match, recorded before the child moved in: it sets aside the engine's APPROVAL_TERMS
 * exclusion, with the reasons and the team manager who authorised it.
 */
function fosterMatchFor(
  meetingId: string,
  householdId: string,
  startDate: string,
  reasons: string[],
): MatchingMeetingDto {
  return {
    meetingId,
    heldOn: addDays(startDate, -3),
    attendees: [{ role: 'supervising-social-worker' }, { role: 'social-worker' }, { role: 'team-manager' }],
    unitConsidered: { kind: 'household', householdId },
    impactAssessments: [],
    decision: 'matched',
    reasons: [{ code: 'NEEDS_MET', text: 'The carers can meet the assessed needs.' }],
    overrides: [{ code: 'APPROVAL_TERMS', reason: reasons.join(' '), authorisedBy: { role: 'team-manager' } }],
  };
}

/** The child's placement `pl-<childId>`, under their referral `ref-<childId>`. */
function placementFor(
  childId: string,
  unit: StartPlacementDto['unit'],
  place: StartPlacementDto['place'],
  placeProvider: StartPlacementDto['placeProvider'],
  startDate: string,
  emergency: boolean,
  legalStatus: StartPlacementDto['legalStatus'] = emergency ? 'V2' : 'C2',
): StartPlacementDto {
  return {
    placementId: `pl-${childId}`,
    childId,
    referralId: `ref-${childId}`,
    unit,
    place,
    placeProvider,
    legalStatus,
    startDate,
    emergency,
  };
}
