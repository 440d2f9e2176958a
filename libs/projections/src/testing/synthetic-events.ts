import {
  addDays,
  seededRandom,
  type BusinessDate,
  type DomainEvent,
  type PlaceCode,
  type PlaceProviderCode,
  type PlacementEnded,
  type UnitRef,
  exhaustive,
} from '@placement/domain';
import { someReferralNeeds } from '@placement/domain/testing';

export type { DomainEvent };

export interface StreamEvent {
  readonly streamId: string;
  readonly event: DomainEvent;
}

export interface SyntheticOptions {
  /** Stop after this many events. */
  readonly count: number;
  readonly seed?: number;
  readonly startDate?: BusinessDate;
  /**
   * A log of many authorities, one after another, each with its own estate and children
   * (ids prefixed `a1-`, `a2-`, …) and this many events: a longer log is more of England, not
   * centuries of the same 18 beds. Omitted: one authority for the whole log.
   */
  readonly authorityEvents?: number;
}

interface OpenPlacement {
  readonly childId: string;
  readonly placementId: string;
  readonly unit: UnitRef;
  readonly startDate: BusinessDate;
  readonly bedKind: 'residential' | 'emergency' | null;
}

/** The open placement ends on `date`, for the reasons given and with what follows. */
const ended = (
  p: OpenPlacement,
  date: BusinessDate,
  why: Pick<PlacementEnded['data'], 'reasonForChange' | 'reasonEpisodeCeased' | 'next'>,
): PlacementEnded => ({
  type: 'PlacementEnded',
  data: { childId: p.childId, placementId: p.placementId, unit: p.unit, endDate: date, ...why },
});

const LA = 'E08000018';
const RESIDENTIAL_BEDS = [3, 3, 3, 3, 2, 2];

/**
 * A synthetic authority's history as the domain would record it: the estate (7 in-house
 * homes with 16 residential and 2 emergency beds, an external home, 120 households, two
 * block bookings), then children cycling through referrals, matching, holds, placements,
 * emergency stays, step-downs and endings, a few a day. For rebuild tests and the bench.
 */
export function* syntheticEvents(options: SyntheticOptions): Generator<StreamEvent> {
  let left = options.count;
  if (left <= 0) return;
  const per = options.authorityEvents;
  if (per !== undefined && (!Number.isInteger(per) || per <= 0))
    throw new RangeError('authorityEvents must be a positive whole number');
  for (let authority = 1; ; authority += 1) {
    const prefix = per === undefined ? '' : `a${authority}-`;
    const seed = (options.seed ?? 2026) + authority - 1;
    let written = 0;
    for (const item of history(options, seed, prefix)) {
      yield item;
      left -= 1;
      written += 1;
      if (left === 0) return;
      if (written === per) break;
    }
  }
}

function* history(options: SyntheticOptions, seed: number, id: string): Generator<StreamEvent> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const out = (streamId: string, event: DomainEvent): StreamEvent => ({ streamId, event });
  const start = options.startDate ?? '2024-01-01';
  const at = (date: BusinessDate, hour = 10) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`;

  // ---- the estate ----
  const beds: {
    settingId: string;
    bedId: string;
    kind: 'residential' | 'emergency';
    provider: PlaceProviderCode;
    free: boolean;
  }[] = [];
  const settings = [
    ...RESIDENTIAL_BEDS.map((n, i) => ({
      settingId: `${id}home-${i + 1}`,
      beds: n,
      kind: 'residential' as const,
      external: false,
    })),
    { settingId: `${id}home-7`, beds: 2, kind: 'emergency' as const, external: false },
    { settingId: `${id}ext-home-1`, beds: 2, kind: 'residential' as const, external: true },
  ];
  for (const [i, s] of settings.entries()) {
    yield out(`setting-${s.settingId}`, {
      type: 'SettingRegistered',
      data: {
        settingId: s.settingId,
        name: `Home ${i + 1}`,
        urn: `SC${String(100001 + i)}`,
        provider: s.external
          ? { kind: 'external', name: 'Northern Care Ltd', code: 'PR4' }
          : { kind: 'in-house', name: 'Rotherham MBC', code: 'PR1' },
        type: 'childrens-home',
        registration: {
          ageRange: { min: s.kind === 'emergency' ? 8 : 11, max: 17 },
          sexes: i % 3 === 0 ? 'F' : 'any',
          maxChildren: s.beds,
        },
        postcode: 'S60 1AA',
        localAuthority: LA,
        registeredOn: start,
      },
    });
    for (let b = 1; b <= s.beds; b += 1) {
      const bedId = s.kind === 'emergency' ? `e${b}` : `b${b}`;
      yield out(`bed-${s.settingId}.${bedId}`, {
        type: 'BedAdded',
        data: { settingId: s.settingId, bedId, kind: s.kind, label: `Room ${b}` },
      });
      beds.push({ settingId: s.settingId, bedId, kind: s.kind, provider: s.external ? 'PR4' : 'PR1', free: true });
    }
  }
  const households: {
    householdId: string;
    places: number;
    used: number;
    connected: boolean;
    provider: PlaceProviderCode;
  }[] = [];
  for (let h = 1; h <= 120; h += 1) {
    const ifa = h % 12 === 0;
    const connected = h % 15 === 0;
    const places = 1 + (h % 3);
    households.push({ householdId: `${id}fh-${h}`, places, used: 0, connected, provider: ifa ? 'PR4' : 'PR1' });
    yield out(`household-${id}fh-${h}`, {
      type: 'FosterHouseholdApproved',
      data: {
        householdId: `${id}fh-${h}`,
        reference: `FH-${String(h).padStart(3, '0')}`,
        terms: {
          ageRange: { min: h % 4 === 0 ? 0 : 5, max: 17 },
          maxChildren: places,
          siblingGroup: h % 5 === 0,
          placementTypes: ['short-term', 'long-term', 'emergency'],
          connectedPerson: connected,
          provider: ifa ? 'ifa' : 'in-house',
          agencyName: ifa ? 'White Rose Fostering' : null,
          sexes: 'any',
          postcode: 'S65 1AA',
        },
        approvedOn: start,
      },
    });
  }
  const blockBeds: { contractId: string; bedRef: string; free: boolean }[] = [];
  for (const c of [1, 2]) {
    const contractId = `${id}bb-${c}`;
    const refs = ['A', 'B', 'C'].map((r) => `${contractId}-${r}`);
    yield out(`contract-${contractId}`, {
      type: 'BlockBookingContracted',
      data: {
        contractId,
        provider: { name: `Provider ${c}`, code: 'PR4' },
        settingName: `Block home ${c}`,
        settingUrn: `SC20000${c}`,
        settingPostcode: 'S66 1AA',
        beds: refs,
        startDate: start,
        endDate: addDays(start, 365 * 40),
        weeklyPricePerBed: 383_000 + c * 1_000,
      },
    });
    for (const bedRef of refs) blockBeds.push({ contractId, bedRef, free: true });
  }

  // ---- children cycling through ----
  const open: OpenPlacement[] = [];
  const pendingMeetings: { referralId: string; settingId: string; due: number }[] = [];
  let n = 0;
  for (;;) {
    n += 1;
    const today = addDays(start, 1 + Math.floor(n / 3));
    const childId = `${id}c-${n}`;
    const referralId = `${id}r-${n}`;
    const placementId = `${id}p-${n}`;
    const child = `child-${childId}`;
    const referral = `referral-${referralId}`;
    const sex = random() < 0.5 ? 'M' : 'F';

    // Meetings for emergencies placed a few cycles ago.
    while (pendingMeetings.length > 0 && pendingMeetings[0].due <= n) {
      const m = pendingMeetings.shift();
      if (!m) break;
      yield out(`referral-${m.referralId}`, {
        type: 'MatchingMeetingHeld',
        data: {
          referralId: m.referralId,
          meetingId: `m-${m.referralId}-late`,
          heldOn: today,
          attendees: [{ role: 'registered-manager' }, { role: 'social-worker' }],
          unitConsidered: { kind: 'setting', settingId: m.settingId },
          impactAssessments: [],
          decision: 'matched',
          reasons: [{ code: 'NEEDS_MET', text: 'The home meets the assessed needs.' }],
        },
      });
    }

    yield out(child, {
      type: 'ChildRegistered',
      data: {
        childId,
        sex,
        dateOfBirth: addDays(today, -(11 * 365 + Math.floor(random() * 6 * 365))),
        localAuthority: LA,
        homePostcode: 'S61 1AA',
        categoryOfNeed: 'N1',
        ethnicity: 'WBRI',
        upn: null,
      },
    });
    const roll = random();
    const kind: UnitRef['kind'] = roll < 0.4 ? 'bed' : roll < 0.8 ? 'household' : roll < 0.9 ? 'block-bed' : 'external';
    const emergency = kind === 'bed' && random() < 0.15;
    yield out(referral, {
      type: 'ReferralReceived',
      data: {
        referralId,
        childId,
        urgency: emergency ? 'emergency' : 'planned',
        startDate: today,
        needs: someReferralNeeds({
          sex,
          ageAtStart: 13,
          preferredArea: { postcodeDistrict: 'S60', maxDistanceKm: 30 },
          placementTypeSuitability: { foster: 'preferred', 'childrens-home': 'suitable' },
          risksToSelf: random() < 0.3 ? ['going-missing'] : [],
        }),
        requestedBy: { role: 'social-worker', team: 'children-in-care' },
        at: at(today, 9),
      },
    });
    yield out(referral, {
      type: 'MatchesProposed',
      data: {
        referralId,
        engineVersion: '1.0.0',
        inputsHash: `h${n.toString(16).padStart(8, '0')}`,
        options: Array.from({ length: 5 }, (_, rank) => ({
          rank: rank + 1,
          unit: { kind: 'household' as const, householdId: pick(households).householdId },
          score: 90 - rank * 7,
          reasons: ['within-distance', 'age-in-terms', 'sex-accepted'],
        })),
        excluded: [{ unit: { kind: 'bed', settingId: `${id}home-1`, bedId: 'b1' }, reasons: ['occupied'] }],
        at: at(today, 9),
      },
    });

    // Free a unit of the kind wanted by ending its oldest placement when none is free.
    const freeUnit = (): UnitRef | null => {
      switch (kind) {
        case 'bed': {
          const bed = beds.find((b) => b.free && (emergency ? b.kind === 'emergency' : b.kind === 'residential'));
          return bed ? { kind: 'bed', settingId: bed.settingId, bedId: bed.bedId } : null;
        }
        case 'household': {
          const home = households.find((h) => h.used < h.places);
          return home ? { kind: 'household', householdId: home.householdId } : null;
        }
        case 'block-bed': {
          const bed = blockBeds.find((b) => b.free);
          return bed ? { kind: 'block-bed', contractId: bed.contractId, bedRef: bed.bedRef } : null;
        }
        case 'external':
          return { kind: 'external', urn: null, provider: { name: 'Spot provider', code: 'PR5' } };
        default:
          return exhaustive(kind);
      }
    };
    let unit = freeUnit();
    while (unit === null) {
      const index = open.findIndex(
        (p) => p.unit.kind === kind && (kind !== 'bed' || p.bedKind === (emergency ? 'emergency' : 'residential')),
      );
      if (index < 0) throw new Error(`synthetic: no ${kind} free and none to end`);
      const [leaving] = open.splice(index, 1);
      yield* endPlacement(leaving, today, open.length % 5 === 0 && leaving.bedKind === 'residential');
      unit = freeUnit();
    }
    if (kind === 'external' && open.filter((p) => p.unit.kind === 'external').length > 20) {
      const index = open.findIndex((p) => p.unit.kind === 'external');
      const [leaving] = open.splice(index, 1);
      yield* endPlacement(leaving, today, false);
    }

    if (!emergency) {
      const considered =
        unit.kind === 'bed'
          ? { kind: 'setting' as const, settingId: unit.settingId }
          : unit.kind === 'household'
            ? { kind: 'household' as const, householdId: unit.householdId }
            : { kind: 'other' as const, ref: placementId };
      yield out(referral, {
        type: 'MatchingMeetingHeld',
        data: {
          referralId,
          meetingId: `m-${referralId}`,
          heldOn: today,
          attendees: [{ role: 'social-worker' }, { role: 'placement-officer' }],
          unitConsidered: considered,
          impactAssessments: [],
          decision: 'matched',
          reasons: [{ code: 'NEEDS_MET', text: 'Needs met.' }],
        },
      });
    }

    let place: PlaceCode = 'K2';
    let provider: PlaceProviderCode = 'PR1';
    let bedKind: 'residential' | 'emergency' | null = null;
    switch (unit.kind) {
      case 'bed': {
        const target = unit;
        const bed = beds.find((b) => b.settingId === target.settingId && b.bedId === target.bedId);
        if (!bed) throw new Error('synthetic: bed vanished');
        bed.free = false;
        bedKind = bed.kind;
        provider = bed.provider;
        const bedStream = `bed-${unit.settingId}.${unit.bedId}`;
        if (!emergency) {
          yield out(bedStream, {
            type: 'BedHeld',
            data: {
              settingId: unit.settingId,
              bedId: unit.bedId,
              referralId,
              childId,
              until: at(addDays(today, 2)),
              at: at(today, 11),
            },
          });
        }
        yield out(bedStream, {
          type: 'BedOccupied',
          data: {
            settingId: unit.settingId,
            bedId: unit.bedId,
            bedKind: bed.kind,
            placementId,
            childId,
            referralId,
            emergency,
            matchingMeetingId: emergency ? null : `m-${referralId}`,
            unmatchedEmergency: emergency,
            startDate: today,
            at: at(today, 12),
          },
        });
        if (emergency) pendingMeetings.push({ referralId, settingId: unit.settingId, due: n + 4 });
        break;
      }
      case 'household': {
        const target = unit;
        const home = households.find((h) => h.householdId === target.householdId);
        if (!home) throw new Error('synthetic: household vanished');
        home.used += 1;
        place = home.connected ? 'U3' : 'U6';
        provider = home.provider;
        yield out(`household-${home.householdId}`, {
          type: 'ChildPlacedWithHousehold',
          data: {
            householdId: home.householdId,
            placementId,
            childId,
            childSex: sex,
            childDateOfBirth: '2012-01-01',
            referralId,
            placementType: 'long-term',
            siblingGroupId: null,
            startDate: today,
            emergency: false,
            emergencyOutsideTerms: false,
            stepDownId: null,
            at: at(today, 12),
          },
        });
        break;
      }
      case 'block-bed': {
        const target = unit;
        const bed = blockBeds.find((b) => b.contractId === target.contractId && b.bedRef === target.bedRef);
        if (!bed) throw new Error('synthetic: block bed vanished');
        bed.free = false;
        provider = 'PR4';
        yield out(`contract-${unit.contractId}`, {
          type: 'BlockBedAllocated',
          data: {
            contractId: unit.contractId,
            bedRef: unit.bedRef,
            placementId,
            childId,
            referralId,
            date: today,
            at: at(today, 12),
          },
        });
        break;
      }
      case 'external':
        place = pick(['K2', 'K3', 'H5', 'P1', 'P2', 'R1'] as const);
        provider = 'PR5';
        break;
      default:
        return exhaustive(unit);
    }
    yield out(child, {
      type: 'PlacementStarted',
      data: {
        childId,
        placementId,
        unit,
        place,
        placeProvider: provider,
        legalStatus: 'C2',
        startDate: today,
        emergency,
        unmatchedEmergency: emergency,
        referralId,
        placementPostcode: 'S60 1AA',
        urn: unit.kind === 'bed' ? 'SC100001' : null,
        sameCarerAsPrevious: false,
        startsPeriodOfCare: true,
        stepDownId: null,
      },
    });
    yield out(referral, {
      type: 'ReferralClosed',
      data: { referralId, outcome: 'placed', placementId, at: at(today, 13) },
    });
    open.push({ childId, placementId, unit, startDate: today, bedKind });
    if (n % 40 === 0) {
      const vacant = beds.find((b) => b.free && b.kind === 'residential');
      if (vacant) {
        const bedStream = `bed-${vacant.settingId}.${vacant.bedId}`;
        yield out(bedStream, {
          type: 'BedOutOfUse',
          data: {
            settingId: vacant.settingId,
            bedId: vacant.bedId,
            reason: 'maintenance',
            from: today,
            to: addDays(today, 3),
          },
        });
        yield out(bedStream, {
          type: 'BedBackInUse',
          data: { settingId: vacant.settingId, bedId: vacant.bedId, date: addDays(today, 3) },
        });
      }
    }
  }

  function* endPlacement(p: OpenPlacement, date: BusinessDate, stepDown: boolean): Generator<StreamEvent> {
    const child = `child-${p.childId}`;
    const home = stepDown ? households.find((h) => h.used < h.places) : undefined;
    if (home && p.unit.kind === 'bed') {
      const stepDownId = `sd-${p.placementId}`;
      const newPlacementId = `${p.placementId}-fh`;
      yield out(child, {
        type: 'StepDownPlanned',
        data: {
          childId: p.childId,
          stepDownId,
          fromPlacementId: p.placementId,
          toHouseholdId: home.householdId,
          plannedDate: date,
          safetyPlan: {
            summaryProvided: true,
            reviewDate: addDays(date, 28),
            contingencyAgreed: true,
            leadRole: 'supervising-social-worker',
          },
          milestones: [{ milestoneId: 'ms-1', kind: 'introductions', dueDate: date }],
        },
      });
      yield out(child, {
        type: 'StepDownMilestoneRecorded',
        data: { childId: p.childId, stepDownId, milestoneId: 'ms-1', date, outcome: 'met' },
      });
      home.used += 1;
      yield out(`household-${home.householdId}`, {
        type: 'ChildPlacedWithHousehold',
        data: {
          householdId: home.householdId,
          placementId: newPlacementId,
          childId: p.childId,
          childSex: 'F',
          childDateOfBirth: '2010-01-01',
          referralId: null,
          placementType: 'long-term',
          siblingGroupId: null,
          startDate: date,
          emergency: false,
          emergencyOutsideTerms: false,
          stepDownId,
          at: at(date, 14),
        },
      });
      yield out(child, ended(p, date, { reasonForChange: 'LAREQ', reasonEpisodeCeased: 'X1', next: 'placement' }));
      const unit: UnitRef = { kind: 'household', householdId: home.householdId };
      yield out(child, {
        type: 'PlacementStarted',
        data: {
          childId: p.childId,
          placementId: newPlacementId,
          unit,
          place: 'U4',
          placeProvider: home.provider,
          legalStatus: 'C2',
          startDate: date,
          emergency: false,
          unmatchedEmergency: false,
          referralId: null,
          placementPostcode: 'S65 1AA',
          urn: null,
          sameCarerAsPrevious: false,
          startsPeriodOfCare: false,
          stepDownId,
        },
      });
      yield out(child, {
        type: 'StepDownCompleted',
        data: {
          childId: p.childId,
          stepDownId,
          fromPlacementId: p.placementId,
          newPlacementId,
          toHouseholdId: home.householdId,
          date,
        },
      });
      yield* freeTheUnit(p, date, 'step-down');
      open.push({ childId: p.childId, placementId: newPlacementId, unit, startDate: date, bedKind: null });
      return;
    }
    yield out(child, ended(p, date, { reasonForChange: null, reasonEpisodeCeased: 'E41', next: 'leaves-care' }));
    yield* freeTheUnit(p, date, 'placement-ended');
  }

  function* freeTheUnit(
    p: OpenPlacement,
    date: BusinessDate,
    reason: 'placement-ended' | 'step-down',
  ): Generator<StreamEvent> {
    const unit = p.unit;
    switch (unit.kind) {
      case 'bed': {
        const bed = beds.find((b) => b.settingId === unit.settingId && b.bedId === unit.bedId);
        if (bed) bed.free = true;
        yield out(`bed-${unit.settingId}.${unit.bedId}`, {
          type: 'BedVacated',
          data: {
            settingId: unit.settingId,
            bedId: unit.bedId,
            placementId: p.placementId,
            childId: p.childId,
            date,
            reason,
          },
        });
        return;
      }
      case 'household': {
        const home = households.find((h) => h.householdId === unit.householdId);
        if (home) home.used -= 1;
        yield out(`household-${unit.householdId}`, {
          type: 'ChildLeftHousehold',
          data: {
            householdId: unit.householdId,
            placementId: p.placementId,
            childId: p.childId,
            date,
            reason: 'placement-ended',
          },
        });
        return;
      }
      case 'block-bed': {
        const bed = blockBeds.find((b) => b.contractId === unit.contractId && b.bedRef === unit.bedRef);
        if (bed) bed.free = true;
        yield out(`contract-${unit.contractId}`, {
          type: 'BlockBedReleased',
          data: {
            contractId: unit.contractId,
            bedRef: unit.bedRef,
            placementId: p.placementId,
            childId: p.childId,
            date,
            reason,
          },
        });
        return;
      }
      case 'external':
        return;
      default:
        return exhaustive(unit);
    }
  }
}
