import { Logger } from '@nestjs/common';
import {
  childDecider,
  childStreamId,
  referralDecider,
  referralStreamId,
  type RiskToOthers,
  type UnitRef,
} from '@placement/domain';
import { aChildRegistered } from '@placement/domain/testing';
import { aSetting, someNeeds } from '@placement/test-support';
import { loadStream } from '../commands/command';
import { PlacementExclusions } from './placement-exclusions';
import { anEvent as event, openCapacityStore, type CapacityStore } from './testing/capacity-store';

/** Today is Friday 27 November 2026 in London. */
const AT = '2026-11-27T10:00:00.000Z';

/** A girl of 12's needs, as the referral records them. */
const needs = (risksToOthers: RiskToOthers[] = []) => ({
  sex: 'F',
  ageAtStart: 12,
  schoolPostcode: null,
  familyContactPostcode: null,
  ...someNeeds({ risksToOthers }),
});

/** A child and the referral they were (or will be) placed from. */
const referred = (childId: string, dateOfBirth: string, startDate: string, risksToOthers: RiskToOthers[] = []) => [
  event('ChildRegistered', aChildRegistered({ childId, dateOfBirth, homePostcode: 'S60 1AA' }).data),
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
  let home: CapacityStore;
  let store: CapacityStore['store'];
  let exclusions: PlacementExclusions;
  const b2: UnitRef = { kind: 'bed', settingId: 'h1', bedId: 'b2' };

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    home = await openCapacityStore({
      at: AT,
      setting: aSetting({ settingId: 'h1', maxChildren: 3 }),
      bedIds: ['b1', 'b2', 'b3'],
    });
    store = home.store;
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
    exclusions = new PlacementExclusions(home.projection);
  });

  afterEach(() => home.close());

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
