import { childDecider, type ChildCommand, type ChildEvent, type ChildState, type UnitRef } from '@placement/domain';
import { writeEpisodesCsv } from './csv-write';
import { deriveEpisodes } from './episodes';
import { childHistoryFromEvents, carerKey } from './from-events';

/** The events the domain's child decider writes for these commands, in order. */
function eventsOf(commands: readonly ChildCommand[]): ChildEvent[] {
  let state: ChildState = childDecider.initialState;
  const events: ChildEvent[] = [];
  for (const command of commands) {
    for (const event of childDecider.decide(command, state)) {
      state = childDecider.evolve(state, event);
      events.push(event);
    }
  }
  return events;
}

const CHILD = 'child-1';
const register: ChildCommand = {
  type: 'RegisterChild',
  data: {
    childId: CHILD,
    sex: 'F',
    dateOfBirth: '2010-06-15',
    localAuthority: 'E08000018',
    homePostcode: 'S60 1AA',
    categoryOfNeed: 'N1',
    ethnicity: 'WBRI',
    upn: null,
  },
};
const ownHomeBed: UnitRef = { kind: 'bed', settingId: 'setting-ash', bedId: 'bed-1' };
const emergencyBed: UnitRef = { kind: 'bed', settingId: 'setting-oak', bedId: 'emergency-1' };
const household: UnitRef = { kind: 'household', householdId: 'household-7' };

function startPlacement(
  placementId: string,
  unit: UnitRef,
  place: string,
  startDate: string,
  extra: Partial<Extract<ChildCommand, { type: 'StartPlacement' }>['data']> = {},
): ChildCommand {
  return {
    type: 'StartPlacement',
    data: {
      childId: CHILD,
      placementId,
      unit,
      place,
      placeProvider: 'PR1',
      legalStatus: null,
      startDate,
      emergency: false,
      unmatchedEmergency: false,
      referralId: null,
      placementPostcode: unit.kind === 'household' ? 'S66 3DD' : unit === emergencyBed ? 'S61 4CC' : 'S65 2BB',
      urn: unit.kind === 'household' ? null : unit === emergencyBed ? 'SC654321' : 'SC123456',
      ...extra,
    },
  };
}

const endPlacement = (
  placementId: string,
  endDate: string,
  reasonForChange: string | null,
  reasonEpisodeCeased: string | null,
): ChildCommand => ({
  type: 'EndPlacement',
  data: { childId: CHILD, placementId, endDate, reasonForChange, reasonEpisodeCeased },
});

function rows(events: readonly ChildEvent[], year: number): string[] {
  const { history, problems } = childHistoryFromEvents(events);
  expect(problems).toEqual([]);
  if (history === null) throw new Error('no history');
  return writeEpisodesCsv(deriveEpisodes(history, year)).trimEnd().split('\n').slice(1);
}

describe('childHistoryFromEvents (domain child stream → episodes)', () => {
  it('a step-down completed through the domain gives X1 + LAREQ, then P with the household', () => {
    const events = eventsOf([
      register,
      startPlacement('p1', ownHomeBed, 'K2', '2024-05-10', { legalStatus: 'C2' }),
      {
        type: 'PlanStepDown',
        data: {
          childId: CHILD,
          stepDownId: 'sd-1',
          fromPlacementId: 'p1',
          toHousehold: {
            householdId: 'household-7',
            status: 'Approved',
            termsHistory: [
              {
                from: '2020-01-01',
                terms: {
                  ageRange: { min: 5, max: 17 },
                  maxChildren: 2,
                  siblingGroup: false,
                  placementTypes: ['long-term', 'short-term'],
                  connectedPerson: false,
                  provider: 'in-house',
                  agencyName: null,
                  sexes: 'any',
                  postcode: 'S66 3DD',
                },
              },
            ],
            bookings: [],
          },
          placementType: 'long-term',
          siblingGroupId: null,
          plannedDate: '2024-11-01',
          safetyPlan: {
            summaryProvided: true,
            reviewDate: '2024-12-01',
            contingencyAgreed: true,
            leadRole: 'social worker',
          },
          milestones: [],
        },
      },
      {
        type: 'CompleteStepDown',
        data: {
          childId: CHILD,
          stepDownId: 'sd-1',
          newPlacementId: 'p2',
          date: '2024-11-01',
          place: 'U4',
          placeProvider: 'PR1',
          placementPostcode: 'S66 3DD',
        },
        at: '2024-11-01T16:00:00Z',
      },
    ]);
    expect(rows(events, 2025)).toEqual([
      'child-1,10/05/2024,S,C2,N1,K2,PR1,01/11/2024,X1,LAREQ,S60 1AA,S65 2BB,SC123456',
      'child-1,01/11/2024,P,C2,N1,U4,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
    ]);
  });

  it('an emergency bed, a legal status change, a planned move with a new status, and the end of care', () => {
    const events = eventsOf([
      register,
      startPlacement('p1', emergencyBed, 'K2', '2025-01-03', {
        legalStatus: 'L1',
        emergency: true,
        unmatchedEmergency: true,
      }),
      { type: 'ChangeLegalStatus', data: { childId: CHILD, legalStatus: 'V2', date: '2025-01-05' } },
      endPlacement('p1', '2025-01-09', 'CARPL', null),
      startPlacement('p2', household, 'U6', '2025-01-09', { legalStatus: 'C1' }),
      endPlacement('p2', '2025-03-28', null, 'E13'),
    ]);
    expect(rows(events, 2025)).toEqual([
      'child-1,03/01/2025,S,L1,N1,K2,PR1,05/01/2025,X1,,S60 1AA,S61 4CC,SC654321',
      'child-1,05/01/2025,L,V2,N1,K2,PR1,09/01/2025,X1,CARPL,S60 1AA,S61 4CC,SC654321',
      'child-1,09/01/2025,B,C1,N1,U6,PR1,28/03/2025,E13,,S60 1AA,S66 3DD,XXXXXXX',
    ]);
  });

  it('a move between two beds of the same home keeps the carer (T); a later period starts with S', () => {
    const events = eventsOf([
      register,
      startPlacement('p1', ownHomeBed, 'K2', '2024-06-01', { legalStatus: 'V2' }),
      endPlacement('p1', '2024-07-01', 'OTHER', null),
      startPlacement('p2', { kind: 'bed', settingId: 'setting-ash', bedId: 'bed-2' }, 'K2', '2024-07-01'),
      endPlacement('p2', '2024-08-01', null, 'E13'),
      startPlacement('p3', household, 'U6', '2024-10-01', { legalStatus: 'C1' }),
    ]);
    expect(rows(events, 2025)).toEqual([
      'child-1,01/06/2024,S,V2,N1,K2,PR1,01/07/2024,X1,OTHER,S60 1AA,S65 2BB,SC123456',
      'child-1,01/07/2024,T,V2,N1,K2,PR1,01/08/2024,E13,,S60 1AA,S65 2BB,SC123456',
      'child-1,01/10/2024,S,C1,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
    ]);
  });

  it('fills a missing placement postcode from the unit, and says so when it cannot', () => {
    const events = eventsOf([
      register,
      startPlacement('p1', household, 'U6', '2024-06-01', { legalStatus: 'V2', placementPostcode: null }),
    ]);
    expect(childHistoryFromEvents(events).problems).toEqual(['placement p1 has no placement postcode (PL_POST)']);
    const { history } = childHistoryFromEvents(events, {
      postcodeOf: (unit) => (unit.kind === 'household' ? 'S66 3DD' : null),
    });
    expect(history?.periods[0].placements[0].postcode).toBe('S66 3DD');
  });

  it('refuses an ending the DfE does not accept (recorded before the domain had its list), a move never made', () => {
    const started = eventsOf([register, startPlacement('p1', household, 'U6', '2024-06-01', { legalStatus: 'V2' })]);
    // The domain now refuses E42; an event written before that still folds and is reported here.
    const oldEnding = {
      type: 'PlacementEnded',
      data: {
        childId: CHILD,
        placementId: 'p1',
        unit: household,
        endDate: '2024-07-01',
        reasonForChange: null,
        reasonEpisodeCeased: 'E42',
      },
    } as unknown as ChildEvent;
    const retired = [...started, oldEnding];
    expect(childHistoryFromEvents(retired).problems).toContain("REC E42 is not in the DfE's current code set");
    const limbo = eventsOf([
      register,
      startPlacement('p1', household, 'U6', '2024-06-01', { legalStatus: 'V2' }),
      endPlacement('p1', '2024-07-01', 'CHILD', null),
    ]);
    expect(childHistoryFromEvents(limbo)).toEqual({
      history: null,
      problems: ['placement p1 ended without a reason care ended (REC) and no placement followed'],
    });
  });

  it('a withdrawn planned end leaves the placement open; a revised one ends it on the new date', () => {
    const started = startPlacement('p1', ownHomeBed, 'K2', '2024-05-10', { legalStatus: 'C2' });
    const ends = (endDate: string) => ({
      type: 'EndPlacement' as const,
      data: { childId: CHILD, placementId: 'p1', endDate, reasonForChange: null, reasonEpisodeCeased: 'E13' },
    });
    const at = '2024-06-01T10:00:00Z';
    const ids = { childId: CHILD, placementId: 'p1' };
    const withdrawn = eventsOf([
      register,
      started,
      ends('2024-07-01'),
      { type: 'WithdrawPlacementEnd', data: ids, at },
    ]);
    expect(rows(withdrawn, 2025)).toEqual(['child-1,10/05/2024,S,C2,N1,K2,PR1,,,,S60 1AA,S65 2BB,SC123456']);
    const revised = eventsOf([
      register,
      started,
      ends('2024-07-01'),
      { type: 'RevisePlacementEnd', data: { ...ends('2024-08-15').data }, at },
    ]);
    expect(rows(revised, 2025)).toEqual(['child-1,10/05/2024,S,C2,N1,K2,PR1,15/08/2024,E13,,S60 1AA,S65 2BB,SC123456']);
  });

  it('gives a child without a ChildRegistered event no history', () => {
    expect(childHistoryFromEvents([])).toEqual({ history: null, problems: ['no ChildRegistered event'] });
  });

  it('writes the UPN, MOTHER and MC_DOB last recorded, whether at registration or by a later update', () => {
    const placed = [register, startPlacement('p1', household, 'U6', '2024-06-01', { legalStatus: 'C2' })];
    const atRegistration = childHistoryFromEvents(
      eventsOf([
        { ...register, data: { ...register.data, upn: 'UN4', mother: '0' } } as ChildCommand,
        ...placed.slice(1),
      ]),
    ).history;
    expect(atRegistration).toMatchObject({ upn: 'UN4', mother: '0' });
    const later = childHistoryFromEvents(
      eventsOf([
        ...placed,
        { type: 'UpdateChildDetails', data: { childId: CHILD, upn: 'UN4', mother: '0' } },
        {
          type: 'UpdateChildDetails',
          data: { childId: CHILD, upn: 'W372200125001', mother: '1', motherChildDateOfBirth: '2025-02-01' },
        },
      ]),
    ).history;
    expect(later).toMatchObject({ upn: 'W372200125001', mother: '1', motherChildDateOfBirth: '2025-02-01' });
    const cleared = childHistoryFromEvents(
      eventsOf([
        ...placed,
        { type: 'UpdateChildDetails', data: { childId: CHILD, upn: 'UN4' } },
        {
          type: 'UpdateChildDetails',
          data: { childId: CHILD, upn: null },
        },
      ]),
    ).history;
    expect(cleared).not.toHaveProperty('upn');
  });

  it('keys carers as the domain does: any bed of a home is the same carer', () => {
    expect(carerKey({ kind: 'bed', settingId: 's', bedId: 'a' })).toBe(
      carerKey({ kind: 'bed', settingId: 's', bedId: 'b' }),
    );
    expect(carerKey(household)).not.toBe(carerKey({ kind: 'household', householdId: 'household-8' }));
  });
});
