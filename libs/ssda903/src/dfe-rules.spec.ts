import { EPISODES_COLUMNS, HEADER_COLUMNS } from './csv-write';
import { checkReturn, DFE_RULES } from './dfe-rules';

// Each DfE rule on the smallest return that breaks it, beside the same return put right. The
// collection year is 2025/26 (1 April 2025 to 31 March 2026) unless a case says otherwise.

type Ep = Partial<Record<(typeof EPISODES_COLUMNS)[number], string>>;
type Hd = Partial<Record<(typeof HEADER_COLUMNS)[number], string>>;

/** An open foster placement that started in the year: valid on its own. */
const ep = (e: Ep = {}): Ep => ({
  CHILD: 'A1',
  DECOM: '01/06/2025',
  RNE: 'S',
  LS: 'C2',
  CIN: 'N1',
  PLACE: 'U4',
  PLACE_PROVIDER: 'PR1',
  DEC: '',
  REC: '',
  REASON_PLACE_CHANGE: '',
  HOME_POST: 'S60 1AA',
  PL_POST: 'S61 1AA',
  URN: 'XXXXXXX',
  ...e,
});
/** A boy of 13 with a UPN. */
const hd = (h: Hd = {}): Hd => ({
  CHILD: 'A1',
  SEX: 'M',
  DOB: '15/06/2012',
  ETHNIC: 'WBRI',
  UPN: 'W372200125001',
  MOTHER: '',
  MC_DOB: '',
  ...h,
});
const girl = (h: Hd = {}): Hd => hd({ SEX: 'F', MOTHER: '0', ...h });

/** Two episodes back to back: a move of placement and carer on 01/09/2025. */
const moved = (first: Ep = {}, second: Ep = {}): Ep[] => [
  ep({ DEC: '01/09/2025', REC: 'X1', REASON_PLACE_CHANGE: 'CARPL', ...first }),
  ep({ DECOM: '01/09/2025', RNE: 'P', PLACE: 'K2', URN: 'SC123456', PL_POST: 'S62 2BB', ...second }),
];

function csv<T extends Record<string, string | undefined>>(columns: readonly (keyof T & string)[], rows: T[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => r[c] ?? '').join(','))].join('\n') + '\n';
}

interface Case {
  episodes?: Ep[];
  header?: Hd[];
  year?: number;
}

/** The rows one rule flags, as "file:line" (line 1 is the column header). */
function flagged(code: string, { episodes = [ep()], header = [hd()], year = 2026 }: Case): string[] {
  const result = checkReturn(
    { episodesCsv: csv(EPISODES_COLUMNS, episodes), headerCsv: csv(HEADER_COLUMNS, header) },
    year,
  );
  return result.failures.filter((f) => f.rule === code).map((f) => `${f.file}:${f.line}`);
}

type RuleCase = [code: string, what: string, fails: Case, flags: string[], passes: Case];

const CASES: RuleCase[] = [
  // header
  ['101', 'SEX is M, F or U', { header: [hd({ SEX: 'X' })] }, ['header:2'], { header: [hd({ SEX: 'F' })] }],
  ['102', 'DOB is a real date', { header: [hd({ DOB: '31/02/2012' })] }, ['header:2'], { header: [hd()] }],
  ['103', 'ETHNIC is a DfE code', { header: [hd({ ETHNIC: '' })] }, ['header:2'], { header: [hd({ ETHNIC: 'NOBT' })] }],
  [
    '168',
    'a UPN is a letter (not I, O, S) and 12 digits, or 11 and a letter, or UN1–UN5',
    { header: [hd({ UPN: 'I372200125001' }), hd({ CHILD: 'A2', UPN: 'UN6' })] },
    ['header:2', 'header:3'],
    { header: [hd({ UPN: 'G37220012500A' }), hd({ CHILD: 'A2', UPN: 'UN5' })] },
  ],
  [
    '171',
    'MC_DOB is a real date in dd/mm/yyyy',
    { header: [girl({ MOTHER: '1', MC_DOB: '2024-01-01' })] },
    ['header:2'],
    { header: [girl({ MOTHER: '1', MC_DOB: '01/01/2024' })] },
  ],
  [
    '174',
    'a boy has no MC_DOB',
    { header: [hd({ MC_DOB: '01/01/2024' })] },
    ['header:2'],
    { header: [girl({ MOTHER: '1', MC_DOB: '01/01/2024' })] },
  ],
  [
    '209',
    'a child of school age is not UN1',
    { header: [hd({ UPN: 'UN1' })] },
    ['header:2'],
    { header: [hd({ UPN: 'UN1', DOB: '01/09/2020' })] },
  ],
  ['232', 'SEX U is queried', { header: [hd({ SEX: 'U' })] }, ['header:2'], { header: [hd()] }],
  [
    '301',
    'DOB is not after the year ends',
    { header: [hd({ DOB: '01/04/2026' })] },
    ['header:2'],
    { header: [hd({ DOB: '31/03/2026' })] },
  ],
  [
    '351',
    'not over 25 at the start of the year',
    { header: [hd({ DOB: '01/03/2000' })] },
    ['header:2'],
    { header: [hd({ DOB: '02/04/2000' })] },
  ],
  [
    '444',
    'no two children share a UPN (UN codes may repeat)',
    { episodes: [ep(), ep({ CHILD: 'A2' })], header: [hd(), hd({ CHILD: 'A2' })] },
    ['header:2', 'header:3'],
    { episodes: [ep(), ep({ CHILD: 'A2' })], header: [hd({ UPN: 'UN2' }), hd({ CHILD: 'A2', UPN: 'UN2' })] },
  ],
  [
    '611',
    'a mother has MC_DOB',
    { header: [girl({ MOTHER: '1' })] },
    ['header:2'],
    { header: [girl({ MOTHER: '1', MC_DOB: '01/01/2025' })] },
  ],
  [
    '612',
    'a girl who is not a mother has no MC_DOB',
    { header: [girl({ MC_DOB: '01/01/2025' })] },
    ['header:2'],
    { header: [girl({ MOTHER: '1', MC_DOB: '01/01/2025' })] },
  ],
  [
    '620',
    'a mother was at least 11 at the start of the year',
    { header: [girl({ MOTHER: '1', MC_DOB: '01/01/2026', DOB: '01/06/2015' })] },
    ['header:2'],
    { header: [girl({ MOTHER: '1', MC_DOB: '01/01/2026', DOB: '01/04/2014' })] },
  ],
  [
    '621',
    'a mother is older than her child',
    { header: [girl({ MOTHER: '1', MC_DOB: '15/06/2012' })] },
    ['header:2'],
    { header: [girl({ MOTHER: '1', MC_DOB: '16/06/2025' })] },
  ],
  ['INT32', 'a child has one header row', { header: [hd(), hd()] }, ['header:2', 'header:3'], { header: [hd()] }],

  // episodes: codes and dates
  ['141', 'DECOM is a real date', { episodes: [ep({ DECOM: '2025-06-01' })] }, ['episodes:2'], {}],
  ['143', 'RNE is a DfE code', { episodes: [ep({ RNE: 'X' })] }, ['episodes:2'], {}],
  ['144', 'LS is a DfE code', { episodes: [ep({ LS: 'C3' })] }, ['episodes:2'], { episodes: [ep({ LS: 'C1' })] }],
  ['145', 'CIN is N1–N8', { episodes: [ep({ CIN: 'N9' })] }, ['episodes:2'], { episodes: [ep({ CIN: 'N8' })] }],
  [
    '146',
    'PLACE is a 2025/26 code: Z1 is split into Z11–Z14, H5 and P2 are gone',
    { episodes: [ep({ PLACE: 'Z1', PLACE_PROVIDER: '' }), ep({ CHILD: 'A1', DECOM: '02/06/2025', PLACE: 'H5' })] },
    ['episodes:2', 'episodes:3'],
    { episodes: [ep({ PLACE: 'Z11', PLACE_PROVIDER: '' })] },
  ],
  [
    '147',
    'DEC is a real date',
    { episodes: [ep({ DEC: '31/13/2025', REC: 'E13' })] },
    ['episodes:2'],
    { episodes: [ep({ DEC: '31/12/2025', REC: 'E13' })] },
  ],
  [
    '148',
    'DEC and REC go together',
    { episodes: [ep({ DEC: '31/12/2025' })] },
    ['episodes:2'],
    { episodes: [ep({ DEC: '31/12/2025', REC: 'E13' })] },
  ],
  [
    '149',
    'REC is a current DfE code',
    { episodes: [ep({ DEC: '31/12/2025', REC: 'E42' })] },
    ['episodes:2'],
    { episodes: [ep({ DEC: '31/12/2025', REC: 'E4A' })] },
  ],
  [
    '178',
    'PLACE_PROVIDER is a DfE code, and none for T0–T3 or Z11–Z14',
    {
      episodes: [ep({ PLACE_PROVIDER: 'PR9' }), ep({ CHILD: 'A2', PLACE: 'T0' })],
      header: [hd(), hd({ CHILD: 'A2', UPN: 'UN2' })],
    },
    ['episodes:2', 'episodes:3'],
    {
      episodes: [ep(), ep({ CHILD: 'A2', PLACE: 'T0', PLACE_PROVIDER: '' })],
      header: [hd(), hd({ CHILD: 'A2', UPN: 'UN2' })],
    },
  ],
  [
    '1009',
    'REASON_PLACE_CHANGE is a DfE code',
    { episodes: moved({ REASON_PLACE_CHANGE: 'MOVED' }) },
    ['episodes:2'],
    { episodes: moved() },
  ],
  [
    '353',
    'no episode before 14 October 1991',
    { episodes: [ep({ DECOM: '13/10/1991' })], year: 2026 },
    ['episodes:2'],
    {},
  ],
  [
    '354',
    'no episode starts after the year',
    { episodes: [ep({ DECOM: '01/04/2026' })] },
    ['episodes:2'],
    { episodes: [ep({ DECOM: '31/03/2026' })] },
  ],
  [
    '385',
    'no episode ends after the year',
    { episodes: [ep({ DEC: '01/04/2026', REC: 'E13' })] },
    ['episodes:2'],
    { episodes: [ep({ DEC: '31/03/2026', REC: 'E13' })] },
  ],
  [
    '355',
    'an episode lasts a day at least',
    { episodes: [ep({ DEC: '01/06/2025', REC: 'E13' })] },
    ['episodes:2'],
    { episodes: [ep({ DEC: '02/06/2025', REC: 'E13' })] },
  ],
  [
    '356',
    'an episode does not end before it starts',
    { episodes: [ep({ DEC: '31/05/2025', REC: 'E13' })] },
    ['episodes:2'],
    {},
  ],
  [
    '446',
    'no E1 before December 2005',
    { episodes: [ep({ LS: 'E1', DECOM: '30/11/2005' })] },
    ['episodes:2'],
    { episodes: [ep({ LS: 'E1', DECOM: '01/12/2005' })] },
  ],

  // episodes: placement type, provider and URN
  [
    '213',
    'no provider for a temporary placement',
    { episodes: [ep({ PLACE: 'T1', RNE: 'P' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'T1', RNE: 'P', PLACE_PROVIDER: '' })] },
  ],
  ['526', 'a provider for every other placement', { episodes: [ep({ PLACE_PROVIDER: '' })] }, ['episodes:2'], {}],
  [
    '527',
    'no PR1 with P1, R2 or R5',
    { episodes: [ep({ PLACE: 'R2' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'R2', PLACE_PROVIDER: 'PR3' })] },
  ],
  [
    '528',
    'no PR2 with P1, R2 or R5',
    { episodes: [ep({ PLACE: 'R5', PLACE_PROVIDER: 'PR2' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'R5', PLACE_PROVIDER: 'PR3' })] },
  ],
  [
    '529',
    'no PR3 with foster, adoption, K1, K2 or P1',
    { episodes: [ep({ PLACE_PROVIDER: 'PR3' })] },
    ['episodes:2'],
    {},
  ],
  [
    '530',
    'no PR4 with P1',
    { episodes: [ep({ PLACE: 'P1', LS: 'C2', PLACE_PROVIDER: 'PR4' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'P1', PLACE_PROVIDER: 'PR0' })] },
  ],
  [
    '531',
    'no PR5 with P1',
    { episodes: [ep({ PLACE: 'P1', PLACE_PROVIDER: 'PR5' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'P1', PLACE_PROVIDER: 'PR0' })] },
  ],
  [
    '550',
    'PR0 only with P1',
    { episodes: [ep({ PLACE_PROVIDER: 'PR0' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'P1', PLACE_PROVIDER: 'PR0' })] },
  ],
  [
    '218',
    'a URN (or XXXXXXX) for a placement in a registered setting; none for P1 or short breaks',
    { episodes: [ep({ PLACE: 'K2', URN: '' })] },
    ['episodes:2'],
    {
      episodes: [
        ep({ PLACE: 'K2', URN: 'SC123456' }),
        ep({ CHILD: 'A2', PLACE: 'P1', PLACE_PROVIDER: 'PR0', URN: '' }),
        ep({ CHILD: 'A3', LS: 'V4', PLACE: 'U6', URN: '', HOME_POST: '', PL_POST: '' }),
      ],
    },
  ],
  [
    '222',
    'no URN for P1, P3, R1, R2, R5, T0–T4, Z11–Z14',
    { episodes: [ep({ PLACE: 'R1', URN: 'SC123456' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'R1' })] },
  ],
  [
    '214',
    'no placement postcode or URN for short breaks',
    { episodes: [ep({ LS: 'V3', PLACE: 'U6' })] },
    ['episodes:2'],
    { episodes: [ep({ LS: 'V3', PLACE: 'U6', PL_POST: '', URN: '', HOME_POST: '' })] },
  ],
  [
    '398',
    'no postcodes for short breaks',
    { episodes: [ep({ LS: 'V4', PLACE: 'U6', PL_POST: '', URN: '' })] },
    ['episodes:2'],
    { episodes: [ep({ LS: 'V4', PLACE: 'U6', HOME_POST: '', PL_POST: '', URN: '' })] },
  ],
  ['392b', 'both postcodes for a child looked after', { episodes: [ep({ PL_POST: '' })] }, ['episodes:2'], {}],
  [
    '392d',
    'home and placement postcodes differ unless P1',
    { episodes: [ep({ PL_POST: 'S60 1AA' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'P1', PLACE_PROVIDER: 'PR0', PL_POST: 'S60 1AA' })] },
  ],
  [
    '217',
    'A3 or A5 (adoption by the foster carers) starts with RNE S, T or U',
    { episodes: moved({}, { PLACE: 'A5', LS: 'E1', RNE: 'B', URN: 'XXXXXXX', PL_POST: 'S61 1AA' }) },
    ['episodes:3'],
    { episodes: moved({}, { PLACE: 'A5', LS: 'E1', RNE: 'U', URN: 'XXXXXXX', PL_POST: 'S61 1AA' }) },
  ],
  [
    '336',
    'a foster placement comes before A3 or A4',
    { episodes: moved({ PLACE: 'K2', URN: 'SC123456' }, { PLACE: 'A4', URN: 'XXXXXXX' }) },
    ['episodes:3'],
    { episodes: moved({}, { PLACE: 'A4', URN: 'XXXXXXX' }) },
  ],
  [
    '378',
    'no P1 under V2',
    { episodes: [ep({ PLACE: 'P1', LS: 'V2', PLACE_PROVIDER: 'PR0' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'P1', LS: 'C2', PLACE_PROVIDER: 'PR0' })] },
  ],
  [
    '384',
    'no U1 or U4 for short breaks',
    { episodes: [ep({ LS: 'V3' })] },
    ['episodes:2'],
    { episodes: [ep({ LS: 'V3', PLACE: 'U6' })] },
  ],
  [
    '390',
    'adopted (E11, E12) from an adoption placement',
    { episodes: [ep({ DEC: '01/12/2025', REC: 'E11' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'A4', DEC: '01/12/2025', REC: 'E11' })] },
  ],
  [
    '408',
    'A5 and A6 under a placement order (E1)',
    { episodes: [ep({ PLACE: 'A6' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'A6', LS: 'E1' })] },
  ],
  [
    '516',
    'E45/E46 from a foster placement',
    { episodes: [ep({ PLACE: 'K2', URN: 'SC123456', DEC: '01/12/2025', REC: 'E45' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'U3', DEC: '01/12/2025', REC: 'E45' })] },
  ],

  // episodes: temporary placements and short breaks
  [
    '375',
    'T1 (hospital) up to six weeks',
    { episodes: [ep({ PLACE: 'T1', RNE: 'P', PLACE_PROVIDER: '', DEC: '14/07/2025', REC: 'X1' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'T1', RNE: 'P', PLACE_PROVIDER: '', DEC: '13/07/2025', REC: 'X1' })] },
  ],
  [
    '376',
    'T3 (carer on holiday) up to three weeks',
    { episodes: [ep({ PLACE: 'T3', RNE: 'P', PLACE_PROVIDER: '', DEC: '23/06/2025', REC: 'X1' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'T3', RNE: 'P', PLACE_PROVIDER: '', DEC: '22/06/2025', REC: 'X1' })] },
  ],
  [
    '379',
    'T4 up to seven days',
    { episodes: [ep({ PLACE: 'T4', RNE: 'P', PLACE_PROVIDER: '', DEC: '09/06/2025', REC: 'X1' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'T4', RNE: 'P', PLACE_PROVIDER: '', DEC: '08/06/2025', REC: 'X1' })] },
  ],
  [
    '377',
    'no more than two T3 in the year',
    { episodes: ['01/05/2025', '01/07/2025', '01/09/2025'].map((d) => ep({ PLACE: 'T3', RNE: 'P', DECOM: d })) },
    ['episodes:2', 'episodes:3', 'episodes:4'],
    { episodes: ['01/05/2025', '01/07/2025'].map((d) => ep({ PLACE: 'T3', RNE: 'P', DECOM: d })) },
  ],
  [
    '380',
    'a period of care does not start with a temporary placement',
    { episodes: [ep({ PLACE: 'T4', PLACE_PROVIDER: '' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'T4', RNE: 'B', PLACE_PROVIDER: '' })] },
  ],
  [
    '381',
    'a period of care does not end with a temporary placement',
    { episodes: [ep({ PLACE: 'T1', RNE: 'P', DEC: '05/06/2025', REC: 'E13' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'T1', RNE: 'P', DEC: '05/06/2025', REC: 'X1' })] },
  ],
  [
    '382',
    'no temporary placement for short breaks',
    { episodes: [ep({ LS: 'V4', PLACE: 'T2' })] },
    ['episodes:2'],
    { episodes: [ep({ LS: 'V4', PLACE: 'U6' })] },
  ],
  [
    '383',
    'after a temporary placement the child returns to the normal one (RNE P, same PLACE and PL_POST)',
    {
      episodes: [
        ep({ DEC: '01/08/2025', REC: 'X1' }),
        ep({ DECOM: '01/08/2025', RNE: 'P', PLACE: 'T3', PLACE_PROVIDER: '', DEC: '15/08/2025', REC: 'X1' }),
        ep({ DECOM: '15/08/2025', RNE: 'P', PLACE: 'U6' }),
      ],
    },
    ['episodes:4'],
    {
      episodes: [
        ep({ DEC: '01/08/2025', REC: 'X1' }),
        ep({ DECOM: '01/08/2025', RNE: 'P', PLACE: 'T3', PLACE_PROVIDER: '', DEC: '15/08/2025', REC: 'X1' }),
        ep({ DECOM: '15/08/2025', RNE: 'P' }),
      ],
    },
  ],
  [
    '226',
    'no reason for a placement change into or out of a temporary placement',
    {
      episodes: [
        ep({ DEC: '01/08/2025', REC: 'X1', REASON_PLACE_CHANGE: 'CARPL' }),
        ep({ DECOM: '01/08/2025', RNE: 'P', PLACE: 'T3', PLACE_PROVIDER: '' }),
      ],
    },
    ['episodes:3'],
    {
      episodes: [
        ep({ DEC: '01/08/2025', REC: 'X1' }),
        ep({ DECOM: '01/08/2025', RNE: 'P', PLACE: 'T3', PLACE_PROVIDER: '' }),
      ],
    },
  ],
  [
    '365',
    'one short break up to 17 days',
    { episodes: [ep({ LS: 'V3', PLACE: 'U6', DEC: '19/06/2025', REC: 'E8' })] },
    ['episodes:2'],
    { episodes: [ep({ LS: 'V3', PLACE: 'U6', DEC: '18/06/2025', REC: 'E8' })] },
  ],
  [
    '366',
    'a short break starts a period (RNE S)',
    { episodes: [ep({ LS: 'V3', PLACE: 'U6', RNE: 'P' })] },
    ['episodes:2'],
    {},
  ],
  [
    '367',
    'no more than 75 days of short breaks in the year',
    {
      episodes: [1, 2, 3, 4, 5].map((m) =>
        ep({ LS: 'V3', PLACE: 'U6', DECOM: `01/0${m + 4}/2025`, DEC: `17/0${m + 4}/2025`, REC: 'E8' }),
      ),
    },
    ['episodes:2', 'episodes:3', 'episodes:4', 'episodes:5', 'episodes:6'],
    {
      episodes: [1, 2, 3, 4].map((m) =>
        ep({ LS: 'V3', PLACE: 'U6', DECOM: `01/0${m + 4}/2025`, DEC: `17/0${m + 4}/2025`, REC: 'E8' }),
      ),
    },
  ],
  [
    '426',
    'not both V3 and V4 in the year',
    {
      episodes: [
        ep({ LS: 'V3', PLACE: 'U6', DEC: '05/06/2025', REC: 'E8' }),
        ep({ LS: 'V4', PLACE: 'U6', DECOM: '01/09/2025' }),
      ],
    },
    ['episodes:2', 'episodes:3'],
    {
      episodes: [
        ep({ LS: 'V4', PLACE: 'U6', DEC: '05/06/2025', REC: 'E8' }),
        ep({ LS: 'V4', PLACE: 'U6', DECOM: '01/09/2025' }),
      ],
    },
  ],

  // episodes: legal statuses with a time limit
  [
    '361',
    'police protection (L1) up to 72 hours',
    { episodes: [ep({ LS: 'L1', DEC: '05/06/2025', REC: 'E8' })] },
    ['episodes:2'],
    { episodes: [ep({ LS: 'L1', DEC: '04/06/2025', REC: 'E8' })] },
  ],
  [
    '362',
    'an EPO (L2) up to 21 days',
    { episodes: [ep({ LS: 'L2', DEC: '23/06/2025', REC: 'E8' })] },
    ['episodes:2'],
    { episodes: [ep({ LS: 'L2', DEC: '22/06/2025', REC: 'E8' })] },
  ],
  [
    '363',
    'a child assessment order (L3) up to 7 days, across episodes',
    {
      episodes: [
        ep({ LS: 'L3', DEC: '05/06/2025', REC: 'X1' }),
        ep({ LS: 'L3', DECOM: '05/06/2025', RNE: 'P', PLACE: 'U6', DEC: '09/06/2025', REC: 'E8' }),
      ],
    },
    ['episodes:2', 'episodes:3'],
    {
      episodes: [
        ep({ LS: 'L3', DEC: '05/06/2025', REC: 'X1' }),
        ep({ LS: 'L3', DECOM: '05/06/2025', RNE: 'P', PLACE: 'U6', DEC: '08/06/2025', REC: 'E8' }),
      ],
    },
  ],
  [
    '364',
    'PACE accommodation (J2) up to 21 days',
    { episodes: [ep({ LS: 'J2' })] },
    ['episodes:2'],
    { episodes: [ep({ LS: 'J2', DEC: '22/06/2025', REC: 'E8' })] },
  ],

  // episodes: the chain of episodes
  [
    '142',
    'an episode followed by another has ended',
    { episodes: moved({ DEC: '', REC: '' }) },
    ['episodes:2'],
    { episodes: moved() },
  ],
  [
    '357',
    "a child's first episode starts with S (one that began before the year may be a continuation)",
    { episodes: [ep({ RNE: 'P' })] },
    ['episodes:2'],
    { episodes: [ep({ RNE: 'P', DECOM: '01/03/2025' })] },
  ],
  [
    '501',
    'an episode does not start before the previous one ended',
    { episodes: moved({ DEC: '02/09/2025' }) },
    ['episodes:3'],
    { episodes: moved() },
  ],
  [
    '431',
    'a new period of care (S) does not start the day the last one ended',
    { episodes: [ep({ DEC: '01/09/2025', REC: 'E13' }), ep({ DECOM: '01/09/2025' })] },
    ['episodes:3'],
    { episodes: [ep({ DEC: '01/09/2025', REC: 'E13' }), ep({ DECOM: '02/09/2025' })] },
  ],
  [
    '432',
    'after care ceased the next episode starts with S',
    { episodes: [ep({ DEC: '01/09/2025', REC: 'E13' }), ep({ DECOM: '02/09/2025', RNE: 'P' })] },
    ['episodes:3'],
    { episodes: [ep({ DEC: '01/09/2025', REC: 'E13' }), ep({ DECOM: '02/09/2025' })] },
  ],
  [
    '433',
    'a continuation starts the day the previous episode ended',
    { episodes: moved({}, { DECOM: '02/09/2025' }) },
    ['episodes:3'],
    { episodes: moved() },
  ],
  [
    '434',
    'RNE L: the legal status changed and the placement did not',
    {
      episodes: moved(
        { REASON_PLACE_CHANGE: '' },
        { RNE: 'L', LS: 'C2', PLACE: 'U4', URN: 'XXXXXXX', PL_POST: 'S61 1AA' },
      ),
    },
    ['episodes:3'],
    {
      episodes: moved(
        { REASON_PLACE_CHANGE: '' },
        { RNE: 'L', LS: 'E1', PLACE: 'U4', URN: 'XXXXXXX', PL_POST: 'S61 1AA' },
      ),
    },
  ],
  [
    '435',
    'RNE P or T: the placement changed and the legal status did not',
    { episodes: moved({}, { LS: 'E1' }) },
    ['episodes:3'],
    { episodes: moved() },
  ],
  [
    '436',
    'RNE B or U: both the legal status and the placement changed',
    { episodes: moved({}, { RNE: 'B' }) },
    ['episodes:3'],
    { episodes: moved({}, { RNE: 'B', LS: 'E1' }) },
  ],
  [
    '504',
    'CIN stays the same through a period of care',
    { episodes: moved({}, { CIN: 'N2' }) },
    ['episodes:3'],
    { episodes: moved() },
  ],
  [
    '225',
    'a placement change has its reason',
    { episodes: moved({ REASON_PLACE_CHANGE: '' }) },
    ['episodes:2'],
    { episodes: moved() },
  ],
  [
    '233',
    'no reason for a placement change on an open episode',
    { episodes: [ep({ REASON_PLACE_CHANGE: 'CHILD' })] },
    ['episodes:2'],
    {},
  ],
  [
    '388',
    'X1 only when a new episode begins the same day, and not X1 when one does',
    {
      episodes: [
        ep({ DEC: '01/09/2025', REC: 'X1' }),
        ep({ CHILD: 'A2', DEC: '01/09/2025', REC: 'E13' }),
        ep({ CHILD: 'A2', DECOM: '01/09/2025', RNE: 'P', PLACE: 'U6' }),
      ],
      header: [hd(), hd({ CHILD: 'A2', UPN: 'UN2' })],
    },
    ['episodes:2', 'episodes:3'],
    { episodes: moved() },
  ],
  [
    '437',
    'no episode after REC E2 (died) or E15 (aged 18)',
    { episodes: [ep({ DEC: '01/09/2025', REC: 'E15' }), ep({ DECOM: '05/09/2025' })] },
    ['episodes:2'],
    { episodes: [ep({ DEC: '01/09/2025', REC: 'E13' }), ep({ DECOM: '05/09/2025' })] },
  ],

  // episodes and header
  ['INT03', 'every child in episodes has a header row', { header: [hd({ CHILD: 'A2' })] }, ['episodes:2'], {}],
  [
    '442',
    'a child looked after has a UPN or a UN code',
    { header: [hd({ UPN: '' })] },
    ['header:2'],
    { episodes: [ep({ LS: 'V3', PLACE: 'U6', HOME_POST: '', PL_POST: '', URN: '' })], header: [hd({ UPN: '' })] },
  ],
  ['393', 'a girl looked after has MOTHER', { header: [girl({ MOTHER: '' })] }, ['header:2'], { header: [girl()] }],
  [
    '607',
    'a girl who ceased to be looked after in the year has MOTHER',
    { episodes: [ep({ DEC: '01/12/2025', REC: 'E13' })], header: [girl({ MOTHER: '' })] },
    ['episodes:2', 'header:2'],
    { episodes: [ep({ DEC: '01/12/2025', REC: 'E13' })], header: [girl()] },
  ],
  [
    '625',
    'MC_DOB is not after the year or after the child left care',
    { episodes: [ep({ DEC: '01/12/2025', REC: 'E13' })], header: [girl({ MOTHER: '1', MC_DOB: '02/12/2025' })] },
    ['episodes:2', 'header:2'],
    { episodes: [ep({ DEC: '01/12/2025', REC: 'E13' })], header: [girl({ MOTHER: '1', MC_DOB: '01/12/2025' })] },
  ],
  [
    '210',
    'UN4 is not kept for an episode from 24 March',
    { episodes: [ep({ DECOM: '24/03/2026' })], header: [hd({ UPN: 'UN4' })] },
    ['episodes:2', 'header:2'],
    { episodes: [ep({ DECOM: '23/03/2026' })], header: [hd({ UPN: 'UN4' })] },
  ],
  [
    '234',
    'no move into custody under 10',
    { episodes: moved({ REASON_PLACE_CHANGE: 'CUSTOD' }), header: [hd({ DOB: '01/09/2015' })] },
    ['episodes:2'],
    { episodes: moved({ REASON_PLACE_CHANGE: 'CUSTOD' }), header: [hd({ DOB: '01/05/2015' })] },
  ],
  [
    '302',
    'the first episode is not before the child was born',
    { header: [hd({ DOB: '02/06/2025' })] },
    ['episodes:2'],
    { header: [hd({ DOB: '01/06/2025' })] },
  ],
  [
    '352',
    'nobody starts to be looked after at 18',
    { header: [hd({ DOB: '01/06/2007' })] },
    ['episodes:2'],
    { header: [hd({ DOB: '02/06/2007' })] },
  ],
  [
    '358',
    'J1–J3 from age 10',
    { episodes: [ep({ LS: 'J1' })], header: [hd({ DOB: '01/06/2015' })] },
    ['episodes:2'],
    { episodes: [ep({ LS: 'J1' })], header: [hd({ DOB: '31/05/2015' })] },
  ],
  [
    '359',
    'looked after past 18 only under V2 in a children’s home',
    { header: [hd({ DOB: '01/03/2008' })] },
    ['episodes:2'],
    { episodes: [ep({ LS: 'V2', PLACE: 'K2', URN: 'SC123456' })], header: [hd({ DOB: '01/03/2008' })] },
  ],
  [
    '371',
    'K3 (supported accommodation) from 16',
    { episodes: [ep({ PLACE: 'K3', URN: 'SC123456' })], header: [hd({ DOB: '02/06/2009' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'K3', URN: 'SC123456' })], header: [hd({ DOB: '01/06/2009' })] },
  ],
  [
    '372',
    'R5 (youth custody) from 10',
    { episodes: [ep({ PLACE: 'R5', PLACE_PROVIDER: 'PR3' })], header: [hd({ DOB: '02/06/2015' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'R5', PLACE_PROVIDER: 'PR3' })], header: [hd({ DOB: '01/06/2015' })] },
  ],
  [
    '373',
    'S1 (school) from 4',
    { episodes: [ep({ PLACE: 'S1' })], header: [hd({ DOB: '02/06/2021' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'S1' })], header: [hd({ DOB: '01/06/2021' })] },
  ],
  [
    '374',
    'P3 (residential employment) from 14',
    { episodes: [ep({ PLACE: 'P3' })], header: [hd({ DOB: '02/06/2011' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'P3' })], header: [hd({ DOB: '01/06/2011' })] },
  ],
  [
    '386',
    'not adopted (E11, E12) at 18 or over',
    { episodes: [ep({ PLACE: 'A4', DEC: '01/12/2025', REC: 'E11' })], header: [hd({ DOB: '01/12/2007' })] },
    ['episodes:2'],
    { episodes: [ep({ PLACE: 'A4', DEC: '01/12/2025', REC: 'E11' })], header: [hd({ DOB: '02/12/2007' })] },
  ],
  [
    '387',
    'independent living (E5, E6) from 14',
    { episodes: [ep({ DEC: '01/12/2025', REC: 'E5' })], header: [hd({ DOB: '02/12/2011' })] },
    ['episodes:2'],
    { episodes: [ep({ DEC: '01/12/2025', REC: 'E5' })], header: [hd({ DOB: '01/12/2011' })] },
  ],
  [
    '389',
    'adult social care (E7) from 16',
    { episodes: [ep({ DEC: '01/12/2025', REC: 'E7' })], header: [hd({ DOB: '02/12/2009' })] },
    ['episodes:2'],
    { episodes: [ep({ DEC: '01/12/2025', REC: 'E7' })], header: [hd({ DOB: '01/12/2009' })] },
  ],
  [
    '407',
    'E45–E48 before 18',
    { episodes: [ep({ DEC: '02/12/2025', REC: 'E45' })], header: [hd({ DOB: '01/12/2007' })] },
    ['episodes:2'],
    { episodes: [ep({ DEC: '01/12/2025', REC: 'E45' })], header: [hd({ DOB: '01/12/2007' })] },
  ],
  [
    '460',
    'staying put (E17) from 18',
    { episodes: [ep({ DEC: '01/12/2025', REC: 'E17' })], header: [hd({ DOB: '02/12/2007' })] },
    ['episodes:2'],
    { episodes: [ep({ DEC: '01/12/2025', REC: 'E17' })], header: [hd({ DOB: '01/12/2007' })] },
  ],
];

describe('the DfE SSDA903 validation rules on episodes.csv and header.csv', () => {
  it.each(CASES)('%s: %s', (code, _what, fails, flags, passes) => {
    expect(DFE_RULES.map((r) => r.code)).toContain(code);
    expect(flagged(code, fails)).toEqual(flags);
    expect(flagged(code, passes)).toEqual([]);
  });

  it('has a case above for every rule it runs', () => {
    expect([...new Set(CASES.map(([code]) => code))].sort()).toEqual(DFE_RULES.map((r) => r.code).sort());
  });

  it('passes a return with moves, a change of legal status, a period that ended, a mother and a short break', () => {
    const episodes: Ep[] = [
      ...moved(),
      ep({ CHILD: 'B2', DECOM: '10/01/2025', DEC: '01/07/2025', REC: 'X1', REASON_PLACE_CHANGE: '' }),
      ep({
        CHILD: 'B2',
        DECOM: '01/07/2025',
        RNE: 'L',
        LS: 'E1',
        DEC: '01/12/2025',
        REC: 'X1',
        REASON_PLACE_CHANGE: 'CARPL',
      }),
      ep({ CHILD: 'B2', DECOM: '01/12/2025', RNE: 'U', LS: 'C2', PLACE: 'U6', DEC: '15/02/2026', REC: 'E4A' }),
      ep({ CHILD: 'C3', DECOM: '01/02/2024', PLACE: 'K2', PLACE_PROVIDER: 'PR4', URN: 'SC654321', PL_POST: 'S65 3CC' }),
      ep({
        CHILD: 'D4',
        LS: 'V3',
        PLACE: 'U6',
        DECOM: '01/05/2025',
        DEC: '08/05/2025',
        REC: 'E8',
        HOME_POST: '',
        PL_POST: '',
        URN: '',
      }),
    ];
    const header: Hd[] = [
      hd(),
      girl({ CHILD: 'B2', DOB: '03/03/2014', UPN: 'B801200005001' }),
      girl({ CHILD: 'C3', DOB: '20/10/2009', UPN: 'UN2', MOTHER: '1', MC_DOB: '01/11/2025' }),
      hd({ CHILD: 'D4', UPN: '', DOB: '01/01/2016' }),
    ];
    const result = checkReturn(
      { episodesCsv: csv(EPISODES_COLUMNS, episodes), headerCsv: csv(HEADER_COLUMNS, header) },
      2026,
    );
    expect(result.failures).toEqual([]);
    expect(result.label).toBe('2025/26');
  });

  it('names rule, file, line and child only', () => {
    const result = checkReturn(
      { episodesCsv: csv(EPISODES_COLUMNS, [ep()]), headerCsv: csv(HEADER_COLUMNS, [girl({ MOTHER: '', UPN: '' })]) },
      2026,
    );
    expect(result.failures).toEqual([
      { rule: '393', file: 'header', line: 2, child: 'A1' },
      { rule: '442', file: 'header', line: 2, child: 'A1' },
    ]);
  });
});
