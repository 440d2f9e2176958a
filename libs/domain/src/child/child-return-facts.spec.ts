import { aChildRegistered, given } from '../testing';
import { childDecider, evolve, initialState } from './child';
import type { ChildEvent, ChildRegistered, PlacementEnded, PlacementStarted, StartPlacement } from './types';

// The facts an SSDA903 return carries that the live flow does not need: REC E4A/E4B, adoption by
// the current foster carers (A3/A5 on a household), a period's own CIN and HOME_POST, an imported
// first RNE, and MOTHER/MC_DOB. All optional, so events recorded before they existed still fold.

const registered: ChildRegistered = aChildRegistered({ dateOfBirth: '2008-05-10', ethnicity: 'WBRI' });
const household = { kind: 'household' as const, householdId: 'h1' };
const start: StartPlacement['data'] = {
  childId: 'c1',
  placementId: 'p1',
  unit: household,
  place: 'U6',
  placeProvider: 'PR1',
  legalStatus: 'C2',
  startDate: '2024-01-10',
  emergency: false,
  unmatchedEmergency: false,
  referralId: null,
  placementPostcode: 'S66 1AA',
  urn: null,
};
const fostered: PlacementStarted = {
  type: 'PlacementStarted',
  data: {
    ...start,
    place: 'U6',
    placeProvider: 'PR1',
    legalStatus: 'C2',
    sameCarerAsPrevious: false,
    startsPeriodOfCare: true,
    stepDownId: null,
  },
};
const movedOn = (
  rec: PlacementEnded['data']['reasonEpisodeCeased'],
  reasonForChange: PlacementEnded['data']['reasonForChange'] = null,
): PlacementEnded => ({
  type: 'PlacementEnded',
  data: {
    childId: 'c1',
    placementId: 'p1',
    unit: household,
    endDate: '2024-09-01',
    reasonForChange,
    reasonEpisodeCeased: rec,
    next: 'leaves-care',
  },
});
const whenStart = (history: ChildEvent[], data: Partial<StartPlacement['data']>) =>
  given(childDecider, history).when({ type: 'StartPlacement', data: { ...start, ...data } });

describe('child decider: facts an SSDA903 return carries', () => {
  describe('REC follows the DfE list', () => {
    /** The foster placement ends on 1 September 2024 with REC `rec`. */
    const end = (rec: string) =>
      given(childDecider, [registered, fostered]).when({
        type: 'EndPlacement',
        data: {
          childId: 'c1',
          placementId: 'p1',
          endDate: '2024-09-01',
          reasonForChange: null,
          reasonEpisodeCeased: rec,
        },
      });
    it('ends a period of care with E4A (returned home as part of the care plan)', () => {
      end('E4A').then([movedOn('E4A')]);
    });
    it('accepts E4B and refuses E42, which the DfE does not accept', () => {
      expect(end('E4B').events()).toEqual([movedOn('E4B')]);
      end('E42').thenFails('INVALID_CODE');
    });
    it('starts a new period of care after a child returned home', () => {
      const events = whenStart([registered, fostered, movedOn('E4A')], {
        placementId: 'p2',
        startDate: '2024-09-01',
      }).events();
      expect(events[0]).toMatchObject({ data: { startsPeriodOfCare: true } });
    });
  });

  describe('adoption by the current foster carers', () => {
    it('places a child for adoption (A5) with the household that fosters her, the same carer', () => {
      const events = whenStart([registered, fostered, movedOn(null, 'CARPL')], {
        placementId: 'p2',
        place: 'A5',
        legalStatus: 'E1',
        startDate: '2024-09-01',
      }).events();
      expect(events[0]).toMatchObject({
        type: 'PlacementStarted',
        data: { place: 'A5', legalStatus: 'E1', sameCarerAsPrevious: true, startsPeriodOfCare: false },
      });
    });
    it('refuses A3 on a bed and A4 (adopters who are not the foster carers) on a household', () => {
      whenStart([registered], { place: 'A3', unit: { kind: 'bed', settingId: 's1', bedId: 'b1' } }).thenFails(
        'INVALID_CODE',
      );
      whenStart([registered], { place: 'A4' }).thenFails('INVALID_CODE');
    });
  });

  describe("a period of care's own CIN, HOME_POST and imported first RNE", () => {
    it('records them on the placement that starts the period', () => {
      const events = whenStart([registered], {
        periodOfCare: { categoryOfNeed: 'N4', homePostcode: 'S60 2AA', importedReasonNewEpisode: 'P' },
      }).events();
      expect(events).toEqual([
        {
          ...fostered,
          data: { ...fostered.data, categoryOfNeed: 'N4', homePostcode: 'S60 2AA', importedReasonNewEpisode: 'P' },
        },
      ]);
    });
    it('writes none of them when none is given, so the event is as before', () => {
      expect(Object.keys(whenStart([registered], { periodOfCare: null }).events()[0].data)).not.toContain(
        'categoryOfNeed',
      );
    });
    it('refuses them on a placement that continues the period', () => {
      whenStart([registered, fostered, movedOn(null, 'CARPL')], {
        placementId: 'p2',
        startDate: '2024-09-01',
        periodOfCare: { categoryOfNeed: 'N4' },
      }).thenFails('INVALID_INPUT');
    });
    it('refuses an unknown CIN and S as an imported RNE', () => {
      whenStart([registered], { periodOfCare: { categoryOfNeed: 'N9' } }).thenFails('INVALID_CODE');
      whenStart([registered], { periodOfCare: { importedReasonNewEpisode: 'S' } }).thenFails('INVALID_CODE');
    });
  });

  describe('MOTHER and MC_DOB', () => {
    it("registers a child who is a mother with her child's date of birth", () => {
      const mother: ChildRegistered = {
        ...registered,
        data: { ...registered.data, mother: '1', motherChildDateOfBirth: '2024-02-01' },
      };
      given(childDecider, []).when({ type: 'RegisterChild', data: mother.data }).then([mother]);
    });
    it("refuses MC_DOB for a child who is not a mother, and a MOTHER that is not '0' or '1'", () => {
      given(childDecider, [])
        .when({
          type: 'RegisterChild',
          data: { ...registered.data, mother: '0', motherChildDateOfBirth: '2024-02-01' },
        })
        .thenFails('INVALID_INPUT');
      given(childDecider, [])
        .when({ type: 'RegisterChild', data: { ...registered.data, mother: '2' as '1' } })
        .thenFails('INVALID_CODE');
    });
    it('still folds a ChildRegistered recorded without them', () => {
      const state = evolve(initialState, registered);
      expect(state).toMatchObject({ status: 'Registered', child: { childId: 'c1' } });
    });
  });
});
