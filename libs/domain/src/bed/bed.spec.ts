import { aBedHeld, given } from '../testing';
import { bedDecider, dayOf, holdExpired, residentsOn, residentsToAssess, streamId } from './bed';
import type {
  BedAdded,
  BedEvent,
  BedHeld,
  BedOccupied,
  BedOutOfUse,
  BedVacated,
  MatchingMeetingFacts,
  NeighbourBooking,
  OccupyBed,
} from './types';

// Today is Saturday 1 March 2025 (GMT) unless a test says otherwise.
const NOW = '2025-03-01T13:00:00Z';
const added: BedAdded = {
  type: 'BedAdded',
  data: { settingId: 's1', bedId: 'b1', kind: 'residential', label: 'Room 1' },
};
const held = aBedHeld();
const meeting: MatchingMeetingFacts = {
  meetingId: 'm1',
  referralId: 'r1',
  decision: 'matched',
  residentChildIdsAssessed: ['c8', 'c9'],
  unitConsidered: { kind: 'setting', settingId: 's1' },
};
/** c8 and c9 live in the home's other beds, open-ended, since last year. */
const neighbours: NeighbourBooking[] = [
  { bedId: 'b2', placementId: 'p8', childId: 'c8', from: '2024-06-01', to: null },
  { bedId: 'b3', placementId: 'p9', childId: 'c9', from: '2024-09-01', to: null },
];
const occupy: OccupyBed['data'] = {
  settingId: 's1',
  bedId: 'b1',
  placementId: 'p1',
  referralId: 'r1',
  emergency: false,
  startDate: '2025-03-01',
  endDate: null,
  at: NOW,
  child: { childId: 'c1', dateOfBirth: '2011-05-10', sex: 'M' },
  setting: { open: true, registration: { ageRange: { min: 8, max: 17 }, sexes: 'any', maxChildren: 3 } },
  neighbours,
  matchingMeeting: meeting,
};
const occupiedBy = (placementId: string, childId: string, startDate: string, referralId = 'r1'): BedOccupied => ({
  type: 'BedOccupied',
  data: {
    settingId: 's1',
    bedId: 'b1',
    bedKind: 'residential',
    placementId,
    childId,
    referralId,
    emergency: false,
    matchingMeetingId: 'm1',
    unmatchedEmergency: false,
    startDate,
    at: NOW,
  },
});
const vacated = (
  placementId: string,
  childId: string,
  date: string,
  reason: BedVacated['data']['reason'] = 'placement-ended',
): BedVacated => ({
  type: 'BedVacated',
  data: { settingId: 's1', bedId: 'b1', placementId, childId, date, reason },
});
const outOfUse = (from: string, to: string | null): BedOutOfUse => ({
  type: 'BedOutOfUse',
  data: { settingId: 's1', bedId: 'b1', reason: 'maintenance', from, to },
});
const occupied = occupiedBy('p1', 'c1', '2025-03-01');
/** Another child (c2) placed in the same bed on the history's dates. */
const second = (data: Partial<OccupyBed['data']> = {}): Partial<OccupyBed['data']> => ({
  placementId: 'p2',
  referralId: 'r2',
  child: { childId: 'c2', dateOfBirth: '2011-01-01', sex: 'F' },
  matchingMeeting: { ...meeting, referralId: 'r2' },
  ...data,
});
const whenOccupy = (history: BedEvent[], data: Partial<OccupyBed['data']> = {}) =>
  given(bedDecider, history).when({ type: 'OccupyBed', data: { ...occupy, ...data } });
const day = (history: BedEvent[], date: string, now: string | null = null) =>
  dayOf(given(bedDecider, history).state, date, now);

describe('bed decider', () => {
  it('names its stream bed-{settingId}.{bedId}', () => {
    expect(streamId('s1', 'b1')).toBe('bed-s1.b1');
  });

  describe('AddBed', () => {
    it('adds a bed with an empty diary', () => {
      given(bedDecider, []).when({ type: 'AddBed', data: added.data }).then([added]);
      expect(given(bedDecider, [added]).state).toEqual({
        status: 'Added',
        bed: added.data,
        occupancies: [],
        outOfUse: [],
        hold: null,
      });
    });
    it('refuses to add the same bed twice', () => {
      given(bedDecider, [added]).when({ type: 'AddBed', data: added.data }).thenFails('ALREADY_EXISTS');
    });
  });

  describe('HoldBed', () => {
    const hold = (data: Partial<BedHeld['data']> = {}, from = '2025-03-01') =>
      given(bedDecider, [added]).when({ type: 'HoldBed', data: { ...held.data, ...data }, from });
    it('holds a vacant bed for a referral', () => {
      hold().then([held]);
    });
    it('refuses a hold while another referral holds the bed', () => {
      given(bedDecider, [added, held])
        .when({ type: 'HoldBed', data: { ...held.data, referralId: 'r2', childId: 'c2' }, from: '2025-03-01' })
        .thenFails('BED_NOT_VACANT', 'held for another referral until 2025-03-02T12:00:00Z');
    });
    it('takes over a lapsed hold, releasing it as expired', () => {
      const at = '2025-03-03T09:00:00Z';
      const next = { ...held.data, referralId: 'r2', childId: 'c2', at, until: '2025-03-04T09:00:00Z' };
      given(bedDecider, [added, held])
        .when({ type: 'HoldBed', data: next, from: '2025-03-03' })
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
        .when({ type: 'HoldBed', data: next(atUntil), from: '2025-03-02' })
        .then([
          {
            type: 'BedHoldReleased',
            data: { settingId: 's1', bedId: 'b1', referralId: 'r1', reason: 'expired', at: atUntil },
          },
          { type: 'BedHeld', data: next(atUntil) },
        ]);
      given(bedDecider, [added, held])
        .when({ type: 'HoldBed', data: next('2025-03-02T11:59:59.999Z'), from: '2025-03-02' })
        .thenFails('BED_NOT_VACANT');
      // The same instant written in another offset is the same instant.
      expect(holdExpired(given(bedDecider, [added, held]).state, '2025-03-02T13:00:00+01:00')).toBe(true);
      expect(holdExpired(given(bedDecider, [added, held]).state, '2025-03-02T12:59:59.999+01:00')).toBe(false);
    });
    it('refuses a hold for a night the bed is occupied, naming the occupancy', () => {
      given(bedDecider, [added, occupiedBy('p9', 'c9', '2025-02-01')])
        .when({ type: 'HoldBed', data: { ...held.data, referralId: 'r2' }, from: '2025-03-10' })
        .thenFails('BED_NOT_VACANT', 'occupied by another placement from 2025-02-01 with no end date');
    });
    it('holds a bed for the referral that starts the day a planned departure frees it', () => {
      given(bedDecider, [added, occupiedBy('p9', 'c9', '2025-02-01'), vacated('p9', 'c9', '2025-03-15')])
        .when({ type: 'HoldBed', data: { ...held.data, referralId: 'r2' }, from: '2025-03-15' })
        .then([{ type: 'BedHeld', data: { ...held.data, referralId: 'r2' } }]);
    });
    it('checks the night of the hold itself when the referral’s start date has passed', () => {
      given(bedDecider, [added, outOfUse('2025-03-01', '2025-03-05')])
        .when({ type: 'HoldBed', data: held.data, from: '2025-02-20' })
        .thenFails('BED_NOT_VACANT', 'out of use from 2025-03-01 until 2025-03-05');
    });
    it('refuses a hold that ends before it starts', () => {
      hold({ until: '2025-03-01T11:00:00Z' }).thenFails('INVALID_DATES');
    });
    it('refuses a hold on an unknown bed', () => {
      given(bedDecider, []).when({ type: 'HoldBed', data: held.data, from: '2025-03-01' }).thenFails('NOT_FOUND');
    });
  });

  describe('ReleaseBedHold', () => {
    const release = { settingId: 's1', bedId: 'b1', referralId: 'r1', reason: 'released' as const, at: NOW };
    it('releases the hold', () => {
      given(bedDecider, [added, held])
        .when({ type: 'ReleaseBedHold', data: release })
        .then([{ type: 'BedHoldReleased', data: release }]);
      expect(day([added, held, { type: 'BedHoldReleased', data: release }], '2025-03-01', NOW)?.status).toBe('Vacant');
    });
    it("refuses to release another referral's hold", () => {
      given(bedDecider, [added, held])
        .when({ type: 'ReleaseBedHold', data: { ...release, referralId: 'r2' } })
        .thenFails('HOLD_NOT_FOUND');
    });
    it('releases the hold a person names by its end, written in any ISO form', () => {
      const until = new Date(Date.parse(held.data.until)).toISOString();
      given(bedDecider, [added, held])
        .when({ type: 'ReleaseBedHold', data: release, heldUntil: until })
        .then([{ type: 'BedHoldReleased', data: release }]);
    });
    it('refuses a release naming another end: a request about an earlier hold does not release a later one', () => {
      given(bedDecider, [added, held])
        .when({ type: 'ReleaseBedHold', data: release, heldUntil: '2099-01-01T00:00:00Z' })
        .thenFails('HOLD_NOT_FOUND', `held for this referral until ${held.data.until}`);
    });
    it('refuses to release a hold already released', () => {
      given(bedDecider, [added, held, { type: 'BedHoldReleased', data: release }])
        .when({ type: 'ReleaseBedHold', data: release, heldUntil: held.data.until })
        .thenFails('HOLD_NOT_FOUND');
    });
  });

  describe('OccupyBed: two occupancies of one bed never overlap', () => {
    it('places a matched child in a vacant bed', () => {
      whenOccupy([added]).then([occupied]);
    });
    it('places the child the bed is held for, and the hold gives way to the occupancy', () => {
      whenOccupy([added, held]).then([occupied]);
      expect(given(bedDecider, [added, held, occupied]).state).toMatchObject({ hold: null });
    });
    it('never gives an occupied bed to a second child, and names the occupancy’s dates', () => {
      whenOccupy([added, occupied], second({ startDate: '2025-03-10' })).thenFails(
        'BED_NOT_VACANT',
        'occupied by another placement from 2025-03-01 with no end date',
      );
    });
    it('refuses a back-dated placement into a bed whose previous occupant left yesterday', () => {
      const history = [added, occupiedBy('p9', 'c9', '2025-01-10'), vacated('p9', 'c9', '2025-02-28')];
      whenOccupy(history, second({ startDate: '2025-02-24' })).thenFails(
        'BED_NOT_VACANT',
        'occupied by another placement from 2025-01-10 until 2025-02-28',
      );
    });
    it('accepts a back-dated placement from the day the previous occupant left', () => {
      const history = [added, occupiedBy('p9', 'c9', '2025-01-10'), vacated('p9', 'c9', '2025-02-24')];
      expect(
        whenOccupy(history, second({ startDate: '2025-02-24' }))
          .events()
          .map((e) => e.type),
      ).toEqual(['BedOccupied']);
    });
    it('keeps a bed with a planned departure occupied until it, and free from it', () => {
      const history = [added, occupiedBy('p9', 'c9', '2025-01-10'), vacated('p9', 'c9', '2025-03-15')];
      whenOccupy(history, second({ startDate: '2025-03-02' })).thenFails(
        'BED_NOT_VACANT',
        'from 2025-01-10 until 2025-03-15',
      );
      expect(whenOccupy(history, second({ startDate: '2025-03-15' })).events()).toHaveLength(1);
    });
    it('books a planned arrival; no open-ended placement may then take the bed before it', () => {
      const arrival = occupiedBy('p5', 'c5', '2025-03-20', 'r5');
      whenOccupy([added], { startDate: '2025-03-20', placementId: 'p5' }).events();
      whenOccupy([added, arrival], second({ startDate: '2025-03-02' })).thenFails(
        'BED_NOT_VACANT',
        'occupied by another placement from 2025-03-20 with no end date',
      );
    });
    it('takes a short break that ends before a planned arrival, recording its planned end', () => {
      const arrival = occupiedBy('p5', 'c5', '2025-03-20', 'r5');
      whenOccupy([added, arrival], second({ startDate: '2025-03-02', endDate: '2025-03-20' })).then([
        { ...occupiedBy('p2', 'c2', '2025-03-02', 'r2') },
        vacated('p2', 'c2', '2025-03-20'),
      ]);
    });
    it('refuses a short break that runs into the planned arrival', () => {
      const arrival = occupiedBy('p5', 'c5', '2025-03-20', 'r5');
      whenOccupy([added, arrival], second({ startDate: '2025-03-02', endDate: '2025-03-21' })).thenFails(
        'BED_NOT_VACANT',
        'from 2025-03-20',
      );
    });
    it('refuses a planned end on or before the start', () => {
      whenOccupy([added], { endDate: '2025-03-01' }).thenFails('INVALID_DATES');
    });
    it('refuses a placement over a period out of use, naming it', () => {
      whenOccupy([added, outOfUse('2025-03-10', '2025-03-17')]).thenFails(
        'BED_NOT_VACANT',
        'out of use from 2025-03-10 until 2025-03-17',
      );
    });
    it('places a child before a future period out of use when the placement ends first', () => {
      expect(whenOccupy([added, outOfUse('2025-03-10', null)], { endDate: '2025-03-10' }).events()).toHaveLength(2);
    });
    it('refuses a bed held for another referral while the hold lasts', () => {
      whenOccupy([added, held], { referralId: 'r2', matchingMeeting: { ...meeting, referralId: 'r2' } }).thenFails(
        'BED_NOT_VACANT',
        'held for another referral',
      );
    });
    it('takes a bed whose hold for another referral has lapsed', () => {
      const at = '2025-03-05T10:00:00Z';
      const events = whenOccupy([added, held], {
        referralId: 'r2',
        at,
        startDate: '2025-03-05',
        matchingMeeting: { ...meeting, referralId: 'r2' },
      }).events();
      expect(events.map((e) => e.type)).toEqual(['BedHoldReleased', 'BedOccupied']);
      expect(holdExpired(given(bedDecider, [added, held]).state, at)).toBe(true);
    });
    it('gives a bed held for another referral from the instant the hold lapses, not a millisecond before', () => {
      const other = { referralId: 'r2', startDate: '2025-03-02', matchingMeeting: { ...meeting, referralId: 'r2' } };
      expect(
        whenOccupy([added, held], { ...other, at: held.data.until })
          .events()
          .map((e) => e.type),
      ).toEqual(['BedHoldReleased', 'BedOccupied']);
      whenOccupy([added, held], { ...other, at: '2025-03-02T11:59:59.999Z' }).thenFails('BED_NOT_VACANT');
    });
    it('refuses the same placement twice', () => {
      whenOccupy([added, occupied], { startDate: '2025-06-01' }).thenFails('ALREADY_EXISTS');
    });
  });

  describe('OccupyBed: registration', () => {
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
    it('refuses a closed setting', () => {
      whenOccupy([added], { setting: { ...occupy.setting, open: false } }).thenFails('SETTING_CLOSED');
    });
    it('keeps the registered maximum on the start date', () => {
      whenOccupy([added], {
        setting: { open: true, registration: { ...occupy.setting.registration, maxChildren: 2 } },
      }).thenFails('OUTSIDE_REGISTRATION', 'would have 3 children on 2025-03-01, over its registered maximum of 2');
    });
    it('keeps the registered maximum on every later date of the booking, planned arrivals included', () => {
      const full = [
        ...neighbours.slice(0, 1),
        { bedId: 'b3', placementId: 'p7', childId: 'c7', from: '2025-04-01', to: null },
      ];
      whenOccupy([added], {
        neighbours: full,
        setting: { open: true, registration: { ...occupy.setting.registration, maxChildren: 2 } },
        matchingMeeting: { ...meeting, residentChildIdsAssessed: ['c8'] },
      }).thenFails('OUTSIDE_REGISTRATION', 'on 2025-04-01');
      // Ending before the arrival keeps within it.
      expect(
        whenOccupy([added], {
          neighbours: full,
          endDate: '2025-04-01',
          setting: { open: true, registration: { ...occupy.setting.registration, maxChildren: 2 } },
          matchingMeeting: { ...meeting, residentChildIdsAssessed: ['c8'] },
        }).events(),
      ).toHaveLength(2);
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

  describe('OccupyBed: reg 14 covers everyone living there on the start date', () => {
    it('refuses a planned placement without a matching meeting', () => {
      whenOccupy([added], { matchingMeeting: null }).thenFails('MATCHING_REQUIRED', 'not assessed: c8, c9');
    });
    it('refuses a planned placement whose meeting did not match', () => {
      whenOccupy([added], { matchingMeeting: { ...meeting, decision: 'deferred' } }).thenFails('MATCHING_REQUIRED');
    });
    it('refuses a planned placement whose meeting missed a resident', () => {
      whenOccupy([added], { matchingMeeting: { ...meeting, residentChildIdsAssessed: ['c8'] } }).thenFails(
        'MATCHING_REQUIRED',
        'not assessed: c9',
      );
    });
    it('refuses a planned placement matched to another home, or on another referral’s meeting', () => {
      whenOccupy([added], {
        matchingMeeting: { ...meeting, unitConsidered: { kind: 'setting', settingId: 's2' } },
      }).thenFails('MATCHING_REQUIRED');
      whenOccupy([added], { matchingMeeting: { ...meeting, referralId: 'r9' } }).thenFails('MATCHING_REQUIRED');
    });
    it('checks a planned arrival against those living there on its start date, not today', () => {
      const leaving = [
        { bedId: 'b2', placementId: 'p8', childId: 'c8', from: '2024-06-01', to: '2025-03-20' },
        { bedId: 'b3', placementId: 'p6', childId: 'c6', from: '2025-03-15', to: null },
      ];
      // c8 leaves before the start and c6 arrives before it: only c6 lives there on 2025-04-01.
      expect(
        whenOccupy([added], {
          startDate: '2025-04-01',
          neighbours: leaving,
          matchingMeeting: { ...meeting, residentChildIdsAssessed: ['c6'] },
        }).events(),
      ).toHaveLength(1);
      whenOccupy([added], {
        startDate: '2025-04-01',
        neighbours: leaving,
        matchingMeeting: { ...meeting, residentChildIdsAssessed: ['c8'] },
      }).thenFails('MATCHING_REQUIRED', 'not assessed: c6');
    });
    it('checks a back-dated placement against those there on the start date and everyone who arrived since', () => {
      const since = [
        { bedId: 'b2', placementId: 'p8', childId: 'c8', from: '2024-06-01', to: '2025-02-26' },
        { bedId: 'b3', placementId: 'p6', childId: 'c6', from: '2025-02-27', to: null },
      ];
      // Placed from 24 February, recorded on 1 March: c8 lived there then; c6 arrived since.
      whenOccupy([added], {
        startDate: '2025-02-24',
        neighbours: since,
        matchingMeeting: { ...meeting, residentChildIdsAssessed: ['c8'] },
      }).thenFails('MATCHING_REQUIRED', 'not assessed: c6');
      expect(
        whenOccupy([added], {
          startDate: '2025-02-24',
          neighbours: since,
          matchingMeeting: { ...meeting, residentChildIdsAssessed: ['c6', 'c8'] },
        }).events(),
      ).toHaveLength(1);
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
  });

  describe('reg 14 across the clock changes: "today" is the London date of the command', () => {
    const arrivedOn25th = [{ bedId: 'b2', placementId: 'p8', childId: 'c8', from: '2026-10-25', to: null }];
    it('at 23:30 UTC on 24 October 2026 it is already 25 October in London (BST)', () => {
      expect(residentsToAssess(arrivedOn25th, 'c1', '2026-10-20', '2026-10-25')).toEqual(['c8']);
      whenOccupy([added], {
        startDate: '2026-10-20',
        at: '2026-10-24T23:30:00Z',
        neighbours: arrivedOn25th,
        matchingMeeting: { ...meeting, residentChildIdsAssessed: [] },
      }).thenFails('MATCHING_REQUIRED', 'not assessed: c8');
    });
    it('at 22:59 UTC it is still 24 October in London, before the arrival', () => {
      expect(
        whenOccupy([added], {
          startDate: '2026-10-20',
          at: '2026-10-24T22:59:00Z',
          neighbours: arrivedOn25th,
          matchingMeeting: { ...meeting, residentChildIdsAssessed: [] },
        }).events(),
      ).toHaveLength(1);
    });
    it('at 23:30 UTC on 28 March 2026 it is still 28 March in London (GMT)', () => {
      const arrivedOn29th = [{ bedId: 'b2', placementId: 'p8', childId: 'c8', from: '2026-03-29', to: null }];
      expect(
        whenOccupy([added], {
          startDate: '2026-03-27',
          at: '2026-03-28T23:30:00Z',
          neighbours: arrivedOn29th,
          matchingMeeting: { ...meeting, residentChildIdsAssessed: [] },
        }).events(),
      ).toHaveLength(1);
    });
  });

  describe('VacateBed: an end after today is a planned departure', () => {
    const vacate = vacated('p1', 'c1', '2025-03-15').data;
    it('keeps the bed occupied until the planned departure, then free', () => {
      given(bedDecider, [added, occupied])
        .when({ type: 'VacateBed', data: vacate })
        .then([{ type: 'BedVacated', data: vacate }]);
      const history = [added, occupied, { type: 'BedVacated' as const, data: vacate }];
      expect(day(history, '2025-03-01')).toEqual({
        status: 'Occupied',
        occupant: expect.objectContaining({ placementId: 'p1', from: '2025-03-01', to: '2025-03-15' }),
        next: { date: '2025-03-15', change: 'departure', placementId: 'p1' },
      });
      expect(day(history, '2025-03-14')?.status).toBe('Occupied');
      expect(day(history, '2025-03-15')).toEqual({ status: 'Vacant', next: null });
    });
    it('refuses a second end: a planned end is revised or withdrawn instead', () => {
      given(bedDecider, [added, occupied, { type: 'BedVacated', data: vacate }])
        .when({ type: 'VacateBed', data: { ...vacate, date: '2025-03-20' } })
        .thenFails('INVALID_STATE', 'already leaves the bed on 2025-03-15');
    });
    it('refuses a placement that is not in the bed, or a date before the start', () => {
      given(bedDecider, [added, occupied])
        .when({ type: 'VacateBed', data: { ...vacate, placementId: 'p9' } })
        .thenFails('NOT_FOUND');
      given(bedDecider, [added, occupied])
        .when({ type: 'VacateBed', data: { ...vacate, date: '2025-02-28' } })
        .thenFails('INVALID_DATES');
    });
    it('removes the occupancy altogether on a compensation', () => {
      const compensation = vacated('p1', 'c1', '2025-03-01', 'compensation');
      expect(given(bedDecider, [added, occupied, compensation]).state).toMatchObject({ occupancies: [] });
    });
  });

  describe('ReviseBedDeparture / WithdrawBedDeparture: only before it happens', () => {
    const ends15th = [added, occupied, vacated('p1', 'c1', '2025-03-15')];
    const ids = { settingId: 's1', bedId: 'b1', placementId: 'p1', childId: 'c1' };
    it('moves a planned departure later', () => {
      given(bedDecider, ends15th)
        .when({ type: 'ReviseBedDeparture', data: { ...ids, date: '2025-03-22' }, at: NOW })
        .then([{ type: 'BedDepartureWithdrawn', data: ids }, vacated('p1', 'c1', '2025-03-22')]);
    });
    it('refuses a later departure that runs into the next planned arrival, naming it', () => {
      const next = [...ends15th, occupiedBy('p5', 'c5', '2025-03-15', 'r5')];
      given(bedDecider, next)
        .when({ type: 'ReviseBedDeparture', data: { ...ids, date: '2025-03-22' }, at: NOW })
        .thenFails('BED_NOT_VACANT', 'occupied by another placement from 2025-03-15 with no end date');
      given(bedDecider, next)
        .when({ type: 'WithdrawBedDeparture', data: ids, at: NOW })
        .thenFails('BED_NOT_VACANT', 'from 2025-03-15');
    });
    it('withdraws a planned departure: the occupancy is open-ended again', () => {
      given(bedDecider, ends15th)
        .when({ type: 'WithdrawBedDeparture', data: ids, at: NOW })
        .then([{ type: 'BedDepartureWithdrawn', data: ids }]);
      expect(given(bedDecider, [...ends15th, { type: 'BedDepartureWithdrawn', data: ids }]).state).toMatchObject({
        occupancies: [{ placementId: 'p1', to: null }],
      });
    });
    it('refuses to change a departure that has happened', () => {
      given(bedDecider, ends15th)
        .when({ type: 'WithdrawBedDeparture', data: ids, at: '2025-03-15T09:00:00Z' })
        .thenFails('END_HAS_HAPPENED', 'left the bed on 2025-03-15');
    });
    it('decides "before it happens" on the London date: 23:30 UTC on 24 October 2026 is already the 25th', () => {
      const ends25Oct = [added, occupiedBy('p1', 'c1', '2026-10-01'), vacated('p1', 'c1', '2026-10-25')];
      given(bedDecider, ends25Oct)
        .when({ type: 'WithdrawBedDeparture', data: ids, at: '2026-10-24T23:30:00Z' })
        .thenFails('END_HAS_HAPPENED');
      given(bedDecider, ends25Oct)
        .when({ type: 'WithdrawBedDeparture', data: ids, at: '2026-10-24T22:59:00Z' })
        .then([{ type: 'BedDepartureWithdrawn', data: ids }]);
    });
    it('refuses an open-ended placement: there is no planned end to change', () => {
      given(bedDecider, [added, occupied])
        .when({ type: 'WithdrawBedDeparture', data: ids, at: NOW })
        .thenFails('INVALID_STATE');
    });
  });

  describe('TakeBedOutOfUse / PutBedBackInUse: they take effect on their dates', () => {
    const take = (from: string, to: string | null) => ({
      type: 'TakeBedOutOfUse' as const,
      data: outOfUse(from, to).data,
      at: NOW,
    });
    it('takes a bed out of use from a future date: tonight it is still vacant', () => {
      given(bedDecider, [added])
        .when(take('2025-03-10', '2025-03-17'))
        .then([outOfUse('2025-03-10', '2025-03-17')]);
      const history = [added, outOfUse('2025-03-10', '2025-03-17')];
      expect(day(history, '2025-03-01')).toEqual({
        status: 'Vacant',
        next: { date: '2025-03-10', change: 'out-of-use', placementId: null },
      });
      expect(day(history, '2025-03-10')?.status).toBe('OutOfUse');
      expect(day(history, '2025-03-17')?.status).toBe('Vacant');
    });
    it('refuses a period that overlaps an occupancy, naming it', () => {
      given(bedDecider, [added, occupied])
        .when(take('2025-04-01', null))
        .thenFails('BED_OCCUPIED', 'occupied by a placement from 2025-03-01 with no end date');
    });
    it('takes the bed out of use from the day a planned departure frees it', () => {
      expect(
        given(bedDecider, [added, occupied, vacated('p1', 'c1', '2025-03-15')])
          .when(take('2025-03-15', '2025-03-20'))
          .events(),
      ).toHaveLength(1);
    });
    it('refuses a second period over the first', () => {
      given(bedDecider, [added, outOfUse('2025-03-10', '2025-03-17')])
        .when(take('2025-03-16', null))
        .thenFails('INVALID_STATE', 'already out of use from 2025-03-10 until 2025-03-17');
    });
    it('refuses back in use on or before out of use', () => {
      given(bedDecider, [added]).when(take('2025-03-10', '2025-03-10')).thenFails('INVALID_DATES');
    });
    it('refuses a bed held for a referral', () => {
      given(bedDecider, [added, held]).when(take('2025-03-10', null)).thenFails('BED_NOT_VACANT');
    });
    it('puts a bed back in use on a future date: it stays out of use until then', () => {
      const history = [added, outOfUse('2025-02-20', null)];
      const back = { settingId: 's1', bedId: 'b1', date: '2025-03-05' };
      given(bedDecider, history)
        .when({ type: 'PutBedBackInUse', data: back })
        .then([{ type: 'BedBackInUse', data: back }]);
      const after = [...history, { type: 'BedBackInUse' as const, data: back }];
      expect(day(after, '2025-03-01')).toEqual({
        status: 'OutOfUse',
        period: { reason: 'maintenance', from: '2025-02-20', to: '2025-03-05' },
        next: { date: '2025-03-05', change: 'back-in-use', placementId: null },
      });
      expect(day(after, '2025-03-05')?.status).toBe('Vacant');
    });
    it('refuses back in use before the out-of-use date (422)', () => {
      given(bedDecider, [added, outOfUse('2025-03-10', null)])
        .when({ type: 'PutBedBackInUse', data: { settingId: 's1', bedId: 'b1', date: '2025-03-05' } })
        .thenFails('INVALID_DATES', 'back in use on 2025-03-05 is before the bed goes out of use on 2025-03-10');
    });
    it('cancels a period put back in use on its first day', () => {
      const history = [added, outOfUse('2025-03-10', null)];
      const back = { type: 'BedBackInUse' as const, data: { settingId: 's1', bedId: 'b1', date: '2025-03-10' } };
      expect(given(bedDecider, [...history, back]).state).toMatchObject({ outOfUse: [] });
    });
    it('refuses to put a bed in use back in use', () => {
      given(bedDecider, [added])
        .when({ type: 'PutBedBackInUse', data: { settingId: 's1', bedId: 'b1', date: '2025-03-05' } })
        .thenFails('BED_IN_USE');
    });
  });

  describe('dayOf: what the bed is on a night', () => {
    it('is reserved tonight when an arrival is booked later', () => {
      expect(day([added, occupiedBy('p5', 'c5', '2025-03-20')], '2025-03-01')).toEqual({
        status: 'Reserved',
        next: { date: '2025-03-20', change: 'arrival', placementId: 'p5' },
      });
    });
    it('is held while a hold is live at the instant asked, and vacant once it lapses', () => {
      expect(day([added, held], '2025-03-01', NOW)?.status).toBe('Held');
      expect(day([added, held], '2025-03-02', '2025-03-02T12:00:00Z')?.status).toBe('Vacant');
    });
    it('names the departure before the next arrival on the same date', () => {
      const history = [added, occupied, vacated('p1', 'c1', '2025-03-15'), occupiedBy('p5', 'c5', '2025-03-15', 'r5')];
      expect(day(history, '2025-03-01')?.next).toEqual({ date: '2025-03-15', change: 'departure', placementId: 'p1' });
      expect(day(history, '2025-03-15')).toMatchObject({ status: 'Occupied', occupant: { placementId: 'p5' } });
    });
  });
});

describe('residentsOn', () => {
  it('lists the occupants of the beds given on the night asked', () => {
    const vacant = given(bedDecider, [added]).state;
    const taken = given(bedDecider, [added, occupied, vacated('p1', 'c1', '2025-03-15')]).state;
    expect(residentsOn([vacant, taken], '2025-03-14')).toEqual(['c1']);
    expect(residentsOn([vacant, taken], '2025-03-15')).toEqual([]);
  });
});
