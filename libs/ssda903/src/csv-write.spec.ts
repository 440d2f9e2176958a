import { defuseFormula, writeEpisodesCsv, writeHeaderCsv } from './csv-write';
import type { Episode } from './episodes';

const episode = (child: string, decom: string): Episode => ({
  child,
  decom,
  rne: 'S',
  ls: 'C2',
  cin: 'N1',
  place: 'U6',
  placeProvider: 'PR1',
  dec: null,
  rec: null,
  reasonPlaceChange: null,
  homePost: 'S60 1AA',
  plPost: 'S66 3DD',
  urn: 'XXXXXXX',
});

describe('writeEpisodesCsv', () => {
  it('writes exactly the DfE columns, rows in CHILD then DECOM order', () => {
    const text = writeEpisodesCsv([
      episode('B1', '2024-06-01'),
      episode('A1', '2024-09-01'),
      episode('A1', '2024-05-01'),
    ]);
    expect(text.split('\n')).toEqual([
      'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
      'A1,01/05/2024,S,C2,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
      'A1,01/09/2024,S,C2,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
      'B1,01/06/2024,S,C2,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
      '',
    ]);
  });

  it('defuses a cell a spreadsheet would run as a formula, and quotes CSV specials', () => {
    expect(writeEpisodesCsv([episode('=HYPERLINK("x")', '2024-05-01')]).split('\n')[1]).toBe(
      '"\'=HYPERLINK(""x"")",01/05/2024,S,C2,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
    );
    for (const trigger of ['=', '+', '-', '@', '\t', '\r']) expect(defuseFormula(`${trigger}1`)).toBe(`'${trigger}1`);
    expect(defuseFormula('S60 1AA')).toBe('S60 1AA');
  });
});

describe('writeHeaderCsv', () => {
  it('writes exactly the DfE header columns with blanks for what is not recorded', () => {
    const text = writeHeaderCsv([
      { child: 'A1', sex: 'U', dob: '2012-02-29', ethnic: null, upn: null, mother: null, mcDob: null },
    ]);
    expect(text).toBe('CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA1,U,29/02/2012,,,,\n');
  });
});
