import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  childDecider,
  childStreamId,
  currentSchemaVersion,
  referralDecider,
  referralStreamId,
  type UnitRef,
} from '@placement/domain';
import { openSqliteEventStore, type Clock, type SqliteEventStore } from '@placement/event-store';
import { loadStream } from '../commands/command';
import { CapacityProjection } from './capacity-projection';
import { PlacementExclusions } from './placement-exclusions';

class FixedClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return new Date(this.at.getTime());
  }
}

/** Today is Friday 27 November 2026 in London. */
const AT = '2026-11-27T10:00:00.000Z';
const metadata = { correlationId: 'c', causationId: 'c', actor: { id: 'test', role: 'admin' } };
const event = (type: string, data: unknown) => ({
  id: randomUUID(),
  type,
  schemaVersion: currentSchemaVersion(type),
  data,
  metadata: { ...metadata, commandId: randomUUID() },
});

const needs = (risksToOthers: string[] = []) => ({
  sex: 'F',
  ageAtStart: 12,
  siblingGroup: null,
  preferredArea: { postcodeDistrict: 'S60', maxDistanceKm: 30 },
  schoolPostcode: null,
  familyContactPostcode: null,
  communicationNeeds: [],
  adaptations: [],
  canLiveWith: ['with-others'],
  placementTypeSuitability: { foster: 'suitable', 'childrens-home': 'preferred' },
  fosterPlacementType: null,
  risksToSelf: [],
  risksToOthers,
  deprivationOfLiberty: false,
  weeklyBudget: null,
});

/** A child and the referral they were (or will be) placed from. */
const referred = (childId: string, dateOfBirth: string, startDate: string, risksToOthers: string[] = []) => [
  event('ChildRegistered', {
    childId,
    sex: 'F',
    dateOfBirth,
    localAuthority: 'E08000018',
    homePostcode: 'S60 1AA',
    categoryOfNeed: 'N1',
    ethnicity: null,
    upn: null,
  }),
  event('ReferralReceived', {
    referralId: `r-${childId}`,
    childId,
    urgency: 'planned',
    startDate,
    needs: needs(risksToOthers),
    requestedBy: { role: 'social-worker', team: 't' },
    at: AT,
  }),
];
const occupied = (bedId: string, childId: string, startDate: string) =>
  event('BedOccupied', {
    settingId: 'h1',
    bedId,
    bedKind: 'residential',
    placementId: `p-${childId}`,
    childId,
    referralId: `r-${childId}`,
    emergency: false,
    matchingMeetingId: null,
    unmatchedEmergency: false,
    startDate,
    at: AT,
  });
const vacated = (bedId: string, childId: string, date: string) =>
  event('BedVacated', {
    settingId: 'h1',
    bedId,
    placementId: `p-${childId}`,
    childId,
    date,
    reason: 'placement-ended',
  });

describe('the engine’s judgement of a placement, on a back-dated start', () => {
  let dir: string;
  let store: SqliteEventStore;
  let projection: CapacityProjection;
  let exclusions: PlacementExclusions;
  const b2: UnitRef = { kind: 'bed', settingId: 'h1', bedId: 'b2' };

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'placement-exclusions-'));
    const clock = new FixedClock(new Date(AT));
    store = await openSqliteEventStore({ path: join(dir, 'events.db'), clock, pollIntervalMs: 20 });
    await store.append('setting-h1', [
      event('SettingRegistered', {
        settingId: 'h1',
        name: 'Home',
        urn: 'SC100001',
        provider: { kind: 'in-house', name: 'LA', code: 'PR1' },
        type: 'childrens-home',
        registration: { ageRange: { min: 11, max: 17 }, sexes: 'any', maxChildren: 3 },
        postcode: 'S60 1AA',
        localAuthority: 'E08000018',
        registeredOn: '2024-01-01',
      }),
    ]);
    for (const bedId of ['b1', 'b2', 'b3'])
      await store.append(`bed-h1.${bedId}`, [
        event('BedAdded', { settingId: 'h1', bedId, kind: 'residential', label: bedId }),
      ]);
    // A 16-year-old with a flag of sexual harm to younger children lived in b1 until the 22nd;
    // another arrived in b3 on the 24th and left yesterday. Nobody lives there today.
    for (const e of referred('older-1', '2010-03-01', '2026-01-01', ['sexual-harm-to-younger-children']))
      await store.append(e.type === 'ChildRegistered' ? childStreamId('older-1') : referralStreamId('r-older-1'), [e]);
    for (const e of referred('older-2', '2010-04-01', '2026-11-24', ['sexual-harm-to-younger-children']))
      await store.append(e.type === 'ChildRegistered' ? childStreamId('older-2') : referralStreamId('r-older-2'), [e]);
    await store.append('bed-h1.b1', [occupied('b1', 'older-1', '2026-01-01'), vacated('b1', 'older-1', '2026-11-22')]);
    await store.append('bed-h1.b3', [occupied('b3', 'older-2', '2026-11-24'), vacated('b3', 'older-2', '2026-11-26')]);
    // The child to place is 12.
    await store.append(childStreamId('young'), [referred('young', '2014-06-01', '2026-11-20')[0]]);
    await store.append(referralStreamId('r-young'), [referred('young', '2014-06-01', '2026-11-20')[1]]);
    projection = new CapacityProjection(store, clock);
    projection.onModuleInit();
    exclusions = new PlacementExclusions(projection);
  });

  afterEach(async () => {
    projection.onApplicationShutdown();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const judged = async (startDate: string): Promise<string[] | undefined> => {
    const referral = (await loadStream(store, referralDecider, referralStreamId('r-young'))).state;
    const child = (await loadStream(store, childDecider, childStreamId('young'))).state;
    return (await exclusions.of(referral, child, b2, startDate))?.map((e) => e.code);
  };

  it('judges a back-dated start against the residents living there on the start date', async () => {
    expect(await judged('2026-11-20')).toEqual(['RESIDENT_RISK']);
  });

  it('and against anyone who arrived between the start date and today', async () => {
    // On the 23rd older-1 had gone, but older-2 arrived the next day and lived alongside the child.
    expect(await judged('2026-11-23')).toEqual(['RESIDENT_RISK']);
  });

  it('finds nothing once they have all left: from the 26th, and from today', async () => {
    expect(await judged('2026-11-26')).toEqual([]);
    expect(await judged('2026-11-27')).toEqual([]);
  });
});
