import { given } from '../testing';
import { bedDecider, holdExpired, residentsOf, streamId } from './bed';
import type { BedAdded, BedEvent, BedHeld, BedOccupied, MatchingMeetingFacts, OccupyBed } from './types';

const added: BedAdded = {
  type: 'BedAdded',
  data: { settingId: 's1', bedId: 'b1', kind: 'residential', label: 'Room 1' },
};
const held: BedHeld = {
  type: 'BedHeld',
  data: {
    settingId: 's1',
    bedId: 'b1',
    referralId: 'r1',
    childId: 'c1',
    until: '2025-03-02T12:00:00Z',
    at: '2025-03-01T12:00:00Z',
  },
};
const meeting: MatchingMeetingFacts = {
  meetingId: 'm1',
  referralId: 'r1',
  decision: 'matched',
  residentChildIdsAssessed: ['c8', 'c9'],
  unitConsidered: { kind: 'setting', settingId: 's1' },
};
const occupy: OccupyBed['data'] = {
  settingId: 's1',
  bedId: 'b1',
  placementId: 'p1',
  referralId: 'r1',
  emergency: false,
  startDate: '2025-03-01',
  at: '2025-03-01T13:00:00Z',
  child: { childId: 'c1', dateOfBirth: '2011-05-10', sex: 'M' },
  setting: { open: true, registration: { ageRange: { min: 8, max: 17 }, sexes: 'any', maxChildren: 3 } },
  currentResidentChildIds: ['c8', 'c9'],
  matchingMeeting: meeting,
};
const occupied: BedOccupied = {
  type: 'BedOccupied',
  data: {
    settingId: 's1',
    bedId: 'b1',
    bedKind: 'residential',
    placementId: 'p1',
    childId: 'c1',
    referralId: 'r1',
    emergency: false,
    matchingMeetingId: 'm1',
    unmatchedEmergency: false,
    startDate: '2025-03-01',
    at: '2025-03-01T13:00:00Z',
  },
};
const whenOccupy = (history: BedEvent[], data: Partial<OccupyBed['data']> = {}) =>
  given(bedDecider, history).when({ type: 'OccupyBed', data: { ...occupy, ...data } });

describe('bed decider', () => {
  it('names its stream bed-{settingId}.{bedId}', () => {
    expect(streamId('s1', 'b1')).toBe('bed-s1.b1');
  });

  describe('AddBed', () => {
    it('adds a bed, vacant', () => {
      given(bedDecider, []).when({ type: 'AddBed', data: added.data }).then([added]);
      expect(given(bedDecider, [added]).state.status).toBe('Vacant');
    });
    it('adds an emergency bed', () => {
      const data = { ...added.data, kind: 'emergency' as const };
      given(bedDecider, [])
        .when({ type: 'AddBed', data })
        .then([{ type: 'BedAdded', data }]);
    });
    it('refuses to add the same bed twice', () => {
      given(bedDecider, [added]).when({ type: 'AddBed', data: added.data }).thenFails('ALREADY_EXISTS');
    });
  });

  describe('HoldBed', () => {
    it('holds a vacant bed for a referral', () => {
      given(bedDecider, [added]).when({ type: 'HoldBed', data: held.data }).then([held]);
    });
    it('refuses a hold on a bed held for another referral', () => {
      given(bedDecider, [added, held])
        .when({ type: 'HoldBed', data: { ...held.data, referralId: 'r2', childId: 'c2' } })
        .thenFails('BED_NOT_VACANT');
    });
    it('takes over a lapsed hold, releasing it as expired', () => {
      const at = '2025-03-03T09:00:00Z';
      const next = { ...held.data, referralId: 'r2', childId: 'c2', at, until: '2025-03-04T09:00:00Z' };
      given(bedDecider, [added, held])
        .when({ type: 'HoldBed', data: next })
        .then([
          { type: 'BedHoldReleased', data: { settingId: 's1', bedId: 'b1', referralId: 'r1', reason: 'expired', at } },
          { type: 'BedHeld', data: next },
        ]);
    });
    it('lapses exactly at its until: another referral may hold it from that instant, not a millisecond before', () => {
      const next = (at: string) => ({
        ...held.data,
        referralId: 'r2',
        childId: 'c2',
        at,
        until: '2025-03-04T09:00:00Z',
      });
      const atUntil = held.data.until;
      given(bedDecider, [added, held])
        .when({ type: 'HoldBed', data: next(atUntil) })
        .then([
          {
            type: 'BedHoldReleased',
            data: { settingId: 's1', bedId: 'b1', referralId: 'r1', reason: 'expired', at: atUntil },
          },
          { type: 'BedHeld', data: next(atUntil) },
        ]);
      given(bedDecider, [added, held])
        .when({ type: 'HoldBed', data: next('2025-03-02T11:59:59.999Z') })
        .thenFails('BED_NOT_VACANT');
      // The same instant written in another offset is the same instant.
      expect(holdExpired(given(bedDecider, [added, held]).state, '2025-03-02T13:00:00+01:00')).toBe(true);
      expect(holdExpired(given(bedDecider, [added, held]).state, '2025-03-02T12:59:59.999+01:00')).toBe(false);
    });
    it('refuses a hold on an occupied bed', () => {
      given(bedDecider, [added, occupied])
        .when({ type: 'HoldBed', data: { ...held.data, referralId: 'r2' } })
        .thenFails('BED_NOT_VACANT');
    });
    it('refuses a hold that ends before it starts', () => {
      given(bedDecider, [added])
        .when({ type: 'HoldBed', data: { ...held.data, until: '2025-03-01T11:00:00Z' } })
        .thenFails('INVALID_DATES');
    });
    it('refuses a hold on an unknown bed', () => {
      given(bedDecider, []).when({ type: 'HoldBed', data: held.data }).thenFails('NOT_FOUND');
    });
  });

  describe('ReleaseBedHold', () => {
    const release = {
      settingId: 's1',
      bedId: 'b1',
      referralId: 'r1',
      reason: 'released' as const,
      at: '2025-03-01T15:00:00Z',
    };
    it('releases the hold, leaving the bed vacant', () => {
      given(bedDecider, [added, held])
        .when({ type: 'ReleaseBedHold', data: release })
        .then([{ type: 'BedHoldReleased', data: release }]);
      expect(given(bedDecider, [added, held, { type: 'BedHoldReleased', data: release }]).state.status).toBe('Vacant');
    });
    it("refuses to release another referral's hold", () => {
      given(bedDecider, [added, held])
        .when({ type: 'ReleaseBedHold', data: { ...release, referralId: 'r2' } })
        .thenFails('HOLD_NOT_FOUND');
    });
  });

  describe('OccupyBed', () => {
    it('places a matched child in a vacant bed', () => {
      whenOccupy([added]).then([occupied]);
    });
    it('places the child the bed is held for', () => {
      whenOccupy([added, held]).then([occupied]);
    });
    it('never gives an occupied bed to a second child', () => {
      whenOccupy([added, occupied], {
        placementId: 'p2',
        referralId: 'r2',
        child: { childId: 'c2', dateOfBirth: '2011-01-01', sex: 'F' },
      }).thenFails('BED_NOT_VACANT');
    });
    it('refuses a bed held for another referral while the hold lasts', () => {
      whenOccupy([added, held], { referralId: 'r2', matchingMeeting: { ...meeting, referralId: 'r2' } }).thenFails(
        'BED_NOT_VACANT',
      );
    });
    it('takes a bed whose hold for another referral has lapsed', () => {
      const at = '2025-03-05T10:00:00Z';
      const events = whenOccupy([added, held], {
        referralId: 'r2',
        at,
        matchingMeeting: { ...meeting, referralId: 'r2' },
      }).events();
      expect(events.map((e) => e.type)).toEqual(['BedHoldReleased', 'BedOccupied']);
      expect(holdExpired(given(bedDecider, [added, held]).state, at)).toBe(true);
    });
    it('gives a bed held for another referral from the instant the hold lapses, not a millisecond before', () => {
      const other = { referralId: 'r2', matchingMeeting: { ...meeting, referralId: 'r2' } };
      expect(
        whenOccupy([added, held], { ...other, at: held.data.until })
          .events()
          .map((e) => e.type),
      ).toEqual(['BedHoldReleased', 'BedOccupied']);
      whenOccupy([added, held], { ...other, at: '2025-03-02T11:59:59.999Z' }).thenFails('BED_NOT_VACANT');
    });
    it('refuses a bed out of use', () => {
      whenOccupy([
        added,
        {
          type: 'BedOutOfUse',
          data: { settingId: 's1', bedId: 'b1', reason: 'maintenance', from: '2025-02-01', until: null },
        },
      ]).thenFails('BED_NOT_VACANT');
    });
    it('refuses a child younger than the registered age range on the start date', () => {
      whenOccupy([added], { child: { ...occupy.child, dateOfBirth: '2017-03-02' } }).thenFails('OUTSIDE_REGISTRATION');
    });
    it('accepts a child who turns the minimum age on the start date', () => {
      whenOccupy([added], { child: { ...occupy.child, dateOfBirth: '2017-03-01' } }).then([occupied]);
    });
    it('refuses a child older than the registered age range', () => {
      whenOccupy([added], { child: { ...occupy.child, dateOfBirth: '2007-02-28' } }).thenFails('OUTSIDE_REGISTRATION');
    });
    it('refuses a sex the registration does not take', () => {
      whenOccupy([added], {
        setting: { open: true, registration: { ...occupy.setting.registration, sexes: 'F' } },
      }).thenFails('OUTSIDE_REGISTRATION');
    });
    it('refuses when the home is at its registered maximum', () => {
      whenOccupy([added], {
        currentResidentChildIds: ['c7', 'c8', 'c9'],
        matchingMeeting: { ...meeting, residentChildIdsAssessed: ['c7', 'c8', 'c9'] },
      }).thenFails('OUTSIDE_REGISTRATION');
    });
    it('refuses a closed setting', () => {
      whenOccupy([added], { setting: { ...occupy.setting, open: false } }).thenFails('SETTING_CLOSED');
    });
    it('refuses a planned placement without a matching meeting', () => {
      whenOccupy([added], { matchingMeeting: null }).thenFails('MATCHING_REQUIRED');
    });
    it('refuses a planned placement whose meeting did not match', () => {
      whenOccupy([added], { matchingMeeting: { ...meeting, decision: 'deferred' } }).thenFails('MATCHING_REQUIRED');
    });
    it('refuses a planned placement whose meeting missed a current resident', () => {
      whenOccupy([added], { matchingMeeting: { ...meeting, residentChildIdsAssessed: ['c8'] } }).thenFails(
        'MATCHING_REQUIRED',
      );
    });
    it('refuses a planned placement matched to another home', () => {
      whenOccupy([added], {
        matchingMeeting: { ...meeting, unitConsidered: { kind: 'setting', settingId: 's2' } },
      }).thenFails('MATCHING_REQUIRED');
    });
    it("refuses a planned placement on another referral's meeting", () => {
      whenOccupy([added], { matchingMeeting: { ...meeting, referralId: 'r9' } }).thenFails('MATCHING_REQUIRED');
    });
    it('lets an emergency go first, flagged as unmatched', () => {
      const events = whenOccupy([added], { emergency: true, matchingMeeting: null }).events();
      expect(events).toEqual([
        { ...occupied, data: { ...occupied.data, emergency: true, matchingMeetingId: null, unmatchedEmergency: true } },
      ]);
    });
    it('does not flag an emergency that already has a matched meeting', () => {
      const events = whenOccupy([added], { emergency: true }).events();
      expect(events).toEqual([{ ...occupied, data: { ...occupied.data, emergency: true } }]);
    });
    it('keeps its registration checks for an emergency', () => {
      whenOccupy([added], {
        emergency: true,
        matchingMeeting: null,
        child: { ...occupy.child, sex: 'F' },
        setting: { open: true, registration: { ...occupy.setting.registration, sexes: 'M' } },
      }).thenFails('OUTSIDE_REGISTRATION');
    });
  });

  describe('VacateBed', () => {
    const vacate = {
      settingId: 's1',
      bedId: 'b1',
      placementId: 'p1',
      childId: 'c1',
      date: '2025-09-01',
      reason: 'placement-ended' as const,
    };
    it('vacates the bed, which is vacant again', () => {
      given(bedDecider, [added, occupied])
        .when({ type: 'VacateBed', data: vacate })
        .then([{ type: 'BedVacated', data: vacate }]);
      expect(given(bedDecider, [added, occupied, { type: 'BedVacated', data: vacate }]).state.status).toBe('Vacant');
    });
    it('refuses a placement that is not in the bed', () => {
      given(bedDecider, [added, occupied])
        .when({ type: 'VacateBed', data: { ...vacate, placementId: 'p9' } })
        .thenFails('NOT_FOUND');
    });
    it('refuses a vacant bed', () => {
      given(bedDecider, [added]).when({ type: 'VacateBed', data: vacate }).thenFails('NOT_FOUND');
    });
    it('refuses a date before the placement started', () => {
      given(bedDecider, [added, occupied])
        .when({ type: 'VacateBed', data: { ...vacate, date: '2025-02-28' } })
        .thenFails('INVALID_DATES');
    });
  });

  describe('TakeBedOutOfUse / PutBedBackInUse', () => {
    const outOfUse = {
      settingId: 's1',
      bedId: 'b1',
      reason: 'maintenance' as const,
      from: '2025-04-01',
      until: '2025-04-14',
    };
    const backInUse = { settingId: 's1', bedId: 'b1', date: '2025-04-14' };
    it('takes a vacant bed out of use and back', () => {
      given(bedDecider, [added])
        .when({ type: 'TakeBedOutOfUse', data: outOfUse })
        .then([{ type: 'BedOutOfUse', data: outOfUse }]);
      given(bedDecider, [added, { type: 'BedOutOfUse', data: outOfUse }])
        .when({ type: 'PutBedBackInUse', data: backInUse })
        .then([{ type: 'BedBackInUse', data: backInUse }]);
      expect(
        given(bedDecider, [added, { type: 'BedOutOfUse', data: outOfUse }, { type: 'BedBackInUse', data: backInUse }])
          .state.status,
      ).toBe('Vacant');
    });
    it('refuses to take an occupied bed out of use', () => {
      given(bedDecider, [added, occupied]).when({ type: 'TakeBedOutOfUse', data: outOfUse }).thenFails('BED_OCCUPIED');
    });
    it('refuses to take a held bed out of use', () => {
      given(bedDecider, [added, held]).when({ type: 'TakeBedOutOfUse', data: outOfUse }).thenFails('BED_NOT_VACANT');
    });
    it('refuses an until before from', () => {
      given(bedDecider, [added])
        .when({ type: 'TakeBedOutOfUse', data: { ...outOfUse, until: '2025-03-01' } })
        .thenFails('INVALID_DATES');
    });
    it('refuses to put a bed in use back in use', () => {
      given(bedDecider, [added]).when({ type: 'PutBedBackInUse', data: backInUse }).thenFails('BED_IN_USE');
    });
  });
});

describe('residentsOf', () => {
  it('lists the occupants of the beds given', () => {
    const vacant = given(bedDecider, [added]).state;
    const taken = given(bedDecider, [added, occupied]).state;
    expect(residentsOf([vacant, taken])).toEqual(['c1']);
  });
});
