import { deriveEpisodes, deriveEpisodesForYear } from './episodes';
import { writeEpisodesCsv } from './csv-write';
import {
  InvalidChildHistoryError,
  type ChildHistory,
  type LegalStatusChange,
  type PeriodOfCare,
  type PlacementSpell,
} from './history';

// Hand-written histories and the rows the DfE return must show for them.
const HOME = 'S60 1AA';
const header = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';

function child(periods: PeriodOfCare[], childId = 'C001'): ChildHistory {
  return { childId, sex: 'F', dateOfBirth: '2010-06-15', homePostcode: HOME, periods };
}

const ownHome = { place: 'K2', placeProvider: 'PR1', urn: 'SC123456', postcode: 'S65 2BB', carerId: 'home-1' } as const;
const emergencyBed = {
  place: 'K2',
  placeProvider: 'PR1',
  urn: 'SC654321',
  postcode: 'S61 4CC',
  carerId: 'home-2',
} as const;
const fosterFamily = { placeProvider: 'PR1', urn: null, postcode: 'S66 3DD', carerId: 'household-7' } as const;
const ifaFamily = {
  place: 'U6',
  placeProvider: 'PR4',
  urn: null,
  postcode: 'S63 5EE',
  carerId: 'household-ifa-2',
} as const;

function spell(
  unit: Omit<PlacementSpell, 'startDate' | 'endDate' | 'reasonForChange'>,
  startDate: string,
  endDate: string | null,
  reasonForChange: PlacementSpell['reasonForChange'] = null,
): PlacementSpell {
  return { ...unit, startDate, endDate, reasonForChange };
}

/** A period of care in need category N1 and still open unless `rest` says otherwise; legal statuses as [code, from]. */
function periodOfCare(
  startDate: string,
  legal: readonly (readonly [LegalStatusChange['legalStatus'], string])[],
  placements: PlacementSpell[],
  rest: Partial<PeriodOfCare> = {},
): PeriodOfCare {
  const legalStatuses = legal.map(([legalStatus, from]) => ({ legalStatus, from }));
  return { startDate, endDate: null, reasonCeased: null, categoryOfNeed: 'N1', legalStatuses, placements, ...rest };
}

function csvRows(history: ChildHistory, year: number): string[] {
  return writeEpisodesCsv(deriveEpisodes(history, year)).trimEnd().split('\n');
}

describe('deriveEpisodes (collection year 2025 = 1 April 2024 to 31 March 2025)', () => {
  it('a step-down from a children’s home to a foster family: X1 with LAREQ, then P (new placement and carer)', () => {
    const history = child([
      periodOfCare(
        '2024-05-10',
        [['C2', '2024-05-10']],
        [
          spell(ownHome, '2024-05-10', '2024-11-01', 'LAREQ'),
          spell({ ...fosterFamily, place: 'U6' }, '2024-11-01', null),
        ],
      ),
    ]);
    expect(csvRows(history, 2025)).toEqual([
      header,
      'C001,10/05/2024,S,C2,N1,K2,PR1,01/11/2024,X1,LAREQ,S60 1AA,S65 2BB,SC123456',
      'C001,01/11/2024,P,C2,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
    ]);
  });

  it('same foster carers, placement becomes long term: RNE T and REASON_PLACE_CHANGE PLACE', () => {
    const history = child([
      periodOfCare(
        '2024-05-10',
        [['C2', '2024-05-10']],
        [
          spell({ ...fosterFamily, place: 'U6' }, '2024-05-10', '2024-09-02', 'PLACE'),
          spell({ ...fosterFamily, place: 'U4' }, '2024-09-02', null),
        ],
      ),
    ]);
    expect(csvRows(history, 2025).slice(1)).toEqual([
      'C001,10/05/2024,S,C2,N1,U6,PR1,02/09/2024,X1,PLACE,S60 1AA,S66 3DD,XXXXXXX',
      'C001,02/09/2024,T,C2,N1,U4,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
    ]);
  });

  it('a legal status change without a move: RNE L and no REASON_PLACE_CHANGE', () => {
    const history = child([
      periodOfCare(
        '2024-04-20',
        [
          ['C1', '2024-04-20'],
          ['C2', '2024-12-03'],
        ],
        [spell({ ...fosterFamily, place: 'U6' }, '2024-04-20', null)],
        { categoryOfNeed: 'N4' },
      ),
    ]);
    expect(csvRows(history, 2025).slice(1)).toEqual([
      'C001,20/04/2024,S,C1,N4,U6,PR1,03/12/2024,X1,,S60 1AA,S66 3DD,XXXXXXX',
      'C001,03/12/2024,L,C2,N4,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
    ]);
  });

  it('a legal status recorded again unchanged starts no episode', () => {
    const history = child([
      periodOfCare(
        '2024-04-20',
        [
          ['C2', '2024-04-20'],
          ['C2', '2024-12-03'],
        ],
        [spell({ ...fosterFamily, place: 'U6' }, '2024-04-20', null)],
        { categoryOfNeed: 'N4' },
      ),
    ]);
    expect(csvRows(history, 2025).slice(1)).toEqual(['C001,20/04/2024,S,C2,N4,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX']);
  });

  it('legal status and placement change together: B with a new carer, U with the same carer', () => {
    const history = child([
      periodOfCare(
        '2024-04-02',
        [
          ['V2', '2024-04-02'],
          ['C2', '2024-06-01'],
          ['E1', '2025-01-15'],
        ],
        [
          spell(ifaFamily, '2024-04-02', '2024-06-01', 'CARPL'),
          spell({ ...fosterFamily, place: 'U6' }, '2024-06-01', '2025-01-15', 'CARPL'),
          spell({ ...fosterFamily, place: 'A5' }, '2025-01-15', null),
        ],
      ),
    ]);
    expect(csvRows(history, 2025).slice(1)).toEqual([
      'C001,02/04/2024,S,V2,N1,U6,PR4,01/06/2024,X1,CARPL,S60 1AA,S63 5EE,XXXXXXX',
      'C001,01/06/2024,B,C2,N1,U6,PR1,15/01/2025,X1,CARPL,S60 1AA,S66 3DD,XXXXXXX',
      'C001,15/01/2025,U,E1,N1,A5,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
    ]);
  });

  it('a placement that spans 31 March has blank DEC and REC in that year, and its end in the next', () => {
    const history = child([
      periodOfCare(
        '2025-02-10',
        [['V2', '2025-02-10']],
        [spell({ ...fosterFamily, place: 'U6' }, '2025-02-10', '2025-06-15')],
        { endDate: '2025-06-15', reasonCeased: 'E4A', categoryOfNeed: 'N5' },
      ),
    ]);
    expect(csvRows(history, 2025).slice(1)).toEqual(['C001,10/02/2025,S,V2,N5,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX']);
    expect(csvRows(history, 2026).slice(1)).toEqual([
      'C001,10/02/2025,S,V2,N5,U6,PR1,15/06/2025,E4A,,S60 1AA,S66 3DD,XXXXXXX',
    ]);
    expect(deriveEpisodes(history, 2024)).toEqual([]);
    expect(deriveEpisodes(history, 2027)).toEqual([]);
  });

  it('a move after 31 March leaves the year’s last episode open, with no REASON_PLACE_CHANGE yet', () => {
    const history = child([
      periodOfCare(
        '2024-10-01',
        [['C2', '2024-10-01']],
        [
          spell(ownHome, '2024-10-01', '2025-04-20', 'LAREQ'),
          spell({ ...fosterFamily, place: 'U4' }, '2025-04-20', null),
        ],
      ),
    ]);
    expect(csvRows(history, 2025).slice(1)).toEqual(['C001,01/10/2024,S,C2,N1,K2,PR1,,,,S60 1AA,S65 2BB,SC123456']);
    expect(csvRows(history, 2026).slice(1)).toEqual([
      'C001,01/10/2024,S,C2,N1,K2,PR1,20/04/2025,X1,LAREQ,S60 1AA,S65 2BB,SC123456',
      'C001,20/04/2025,P,C2,N1,U4,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
    ]);
  });

  it('an emergency placement followed by a planned one, then a care order', () => {
    const history = child([
      periodOfCare(
        '2025-01-03',
        [
          ['L1', '2025-01-03'],
          ['V2', '2025-01-05'],
          ['C1', '2025-02-20'],
        ],
        [spell(emergencyBed, '2025-01-03', '2025-01-09', 'CARPL'), spell(ifaFamily, '2025-01-09', '2025-03-28')],
        { endDate: '2025-03-28', reasonCeased: 'E13' },
      ),
    ]);
    expect(csvRows(history, 2025).slice(1)).toEqual([
      'C001,03/01/2025,S,L1,N1,K2,PR1,05/01/2025,X1,,S60 1AA,S61 4CC,SC654321',
      'C001,05/01/2025,L,V2,N1,K2,PR1,09/01/2025,X1,CARPL,S60 1AA,S61 4CC,SC654321',
      'C001,09/01/2025,P,V2,N1,U6,PR4,20/02/2025,X1,,S60 1AA,S63 5EE,XXXXXXX',
      'C001,20/02/2025,L,C1,N1,U6,PR4,28/03/2025,E13,,S60 1AA,S63 5EE,XXXXXXX',
    ]);
  });

  it('keeps episodes that overlap the year and drops those wholly outside it', () => {
    const history = child([
      periodOfCare(
        '2023-01-10',
        [['V2', '2023-01-10']],
        [
          spell(ifaFamily, '2023-01-10', '2023-06-01', 'CHILD'),
          spell({ ...fosterFamily, place: 'U6' }, '2023-06-01', '2024-04-01'),
        ],
        { endDate: '2024-04-01', reasonCeased: 'E4A' },
      ),
      periodOfCare('2025-03-31', [['V2', '2025-03-31']], [spell(ifaFamily, '2025-03-31', '2025-04-02')], {
        endDate: '2025-04-02',
        reasonCeased: 'E4B',
      }),
    ]);
    expect(csvRows(history, 2025).slice(1)).toEqual([
      'C001,01/06/2023,P,V2,N1,U6,PR1,01/04/2024,E4A,,S60 1AA,S66 3DD,XXXXXXX',
      'C001,31/03/2025,S,V2,N1,U6,PR4,,,,S60 1AA,S63 5EE,XXXXXXX',
    ]);
  });

  it('a period imported mid-way keeps the RNE of its first known episode', () => {
    const history = child([
      periodOfCare(
        '2023-09-01',
        [['C2', '2023-09-01']],
        [spell({ ...fosterFamily, place: 'U4' }, '2023-09-01', null)],
        { firstEpisodeReason: 'T' },
      ),
    ]);
    expect(csvRows(history, 2025).slice(1)).toEqual(['C001,01/09/2023,T,C2,N1,U4,PR1,,,,S60 1AA,S66 3DD,XXXXXXX']);
  });

  it('orders many children by CHILD then DECOM', () => {
    const period = (start: string): PeriodOfCare => ({
      startDate: start,
      endDate: null,
      reasonCeased: null,
      categoryOfNeed: 'N1',
      legalStatuses: [{ legalStatus: 'C2', from: start }],
      placements: [spell(ifaFamily, start, null)],
    });
    const rows = deriveEpisodesForYear(
      [child([period('2024-07-01')], 'B2'), child([period('2024-05-01')], 'A9')],
      2025,
    );
    expect(rows.map((r) => `${r.child} ${r.decom}`)).toEqual(['A9 2024-05-01', 'B2 2024-07-01']);
  });
});

describe('URN and PLACE_PROVIDER rules', () => {
  const period = (placement: PlacementSpell): PeriodOfCare => ({
    startDate: '2024-05-01',
    endDate: null,
    reasonCeased: null,
    categoryOfNeed: 'N1',
    legalStatuses: [{ legalStatus: 'C2', from: '2024-05-01' }],
    placements: [placement],
  });

  it('a registered setting (K1, K2, K3) carries its URN; a foster placement carries XXXXXXX', () => {
    const k3 = spell(
      { place: 'K3', placeProvider: 'PR4', urn: 'SC000123', postcode: 'S60 2ZZ', carerId: 'sa-1' },
      '2024-05-01',
      null,
    );
    expect(deriveEpisodes(child([period(k3)]), 2025)[0].urn).toBe('SC000123');
    expect(deriveEpisodes(child([period(spell(ifaFamily, '2024-05-01', null))]), 2025)[0].urn).toBe('XXXXXXX');
  });

  it.each(['K1', 'K2', 'K3'] as const)('refuses %s without a URN', (place) => {
    const history = child([
      period(spell({ place, placeProvider: 'PR4', urn: null, postcode: 'S60 2ZZ', carerId: 'x' }, '2024-05-01', null)),
    ]);
    expect(() => deriveEpisodes(history, 2025)).toThrow(InvalidChildHistoryError);
    expect(() => deriveEpisodes(history, 2025)).toThrow(/registered setting and needs its URN/);
  });

  it('refuses a URN that is not SC and six digits', () => {
    const history = child([period(spell({ ...ownHome, urn: 'SC12345' }, '2024-05-01', null))]);
    expect(() => deriveEpisodes(history, 2025)).toThrow(/SC followed by six digits/);
  });

  it('placed with parents is PR0, and PR0 is only for P1', () => {
    const parents = spell(
      { place: 'P1', placeProvider: 'PR0', urn: null, postcode: HOME, carerId: 'parents' },
      '2024-05-01',
      null,
    );
    expect(deriveEpisodes(child([period(parents)]), 2025)[0].placeProvider).toBe('PR0');
    expect(() => deriveEpisodes(child([period({ ...parents, placeProvider: 'PR1' })]), 2025)).toThrow(
      /P1\) has provider PR0/,
    );
    expect(() =>
      deriveEpisodes(
        child([
          period({ ...ifaFamily, startDate: '2024-05-01', endDate: null, reasonForChange: null, placeProvider: 'PR0' }),
        ]),
        2025,
      ),
    ).toThrow(/only for placement with parents/);
  });

  it('temporary placements have a blank PLACE_PROVIDER', () => {
    const hospital = spell(
      { place: 'T1', placeProvider: null, urn: null, postcode: 'S60 2UD', carerId: 'hospital' },
      '2024-05-01',
      null,
    );
    expect(csvRows(child([period(hospital)]), 2025)[1]).toBe('C001,01/05/2024,S,C2,N1,T1,,,,,S60 1AA,S60 2UD,XXXXXXX');
    expect(() => deriveEpisodes(child([period({ ...hospital, placeProvider: 'PR3' })]), 2025)).toThrow(
      /recorded with no PLACE_PROVIDER/,
    );
  });

  it('refuses a move without a reason for the placement change', () => {
    const history = child([
      {
        ...period(spell(ownHome, '2024-05-01', '2024-08-01')),
        placements: [spell(ownHome, '2024-05-01', '2024-08-01'), spell(ifaFamily, '2024-08-01', null)],
      },
    ]);
    expect(() => deriveEpisodes(history, 2025)).toThrow(/needs a reason for the change/);
  });

  it('refuses placements with a gap or an overlap', () => {
    const history = child([
      {
        ...period(spell(ownHome, '2024-05-01', '2024-08-01')),
        placements: [spell(ownHome, '2024-05-01', '2024-07-01', 'CARPL'), spell(ifaFamily, '2024-08-01', null)],
      },
    ]);
    expect(() => deriveEpisodes(history, 2025)).toThrow(/does not end the day the next placement starts/);
  });
});
