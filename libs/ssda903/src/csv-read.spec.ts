import { readEpisodesCsv, readHeaderCsv } from './csv-read';
import { writeEpisodesCsv, writeHeaderCsv } from './csv-write';
import type { Episode } from './episodes';

const COLUMNS = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';
const STEP_DOWN = [
  'C001,10/05/2024,S,C2,N1,K2,PR1,01/11/2024,X1,LAREQ,S60 1AA,S65 2BB,SC123456',
  'C001,01/11/2024,P,C2,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
];
const OTHER_CHILD = 'C002,20/04/2024,S,V2,N4,U6,PR4,,,,S61 1AA,S63 5EE,XXXXXXX';
const file = (...lines: string[]) => [COLUMNS, ...lines].join('\n') + '\n';

describe('readEpisodesCsv', () => {
  it('accepts a valid return and types its rows', async () => {
    const result = await readEpisodesCsv(file(...STEP_DOWN, OTHER_CHILD), { collectionYear: 2025 });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.rowsRead).toBe(3);
    expect(result.accepted.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(result.accepted[0].value).toEqual<Episode>({
      child: 'C001',
      decom: '2024-05-10',
      rne: 'S',
      ls: 'C2',
      cin: 'N1',
      place: 'K2',
      placeProvider: 'PR1',
      dec: '2024-11-01',
      rec: 'X1',
      reasonPlaceChange: 'LAREQ',
      homePost: 'S60 1AA',
      plPost: 'S65 2BB',
      urn: 'SC123456',
    });
  });

  it('accepts the columns in any order, and what it writes back is the DfE order', async () => {
    const reordered = [
      'URN,CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST',
      'XXXXXXX,C002,20/04/2024,S,V2,N4,U6,PR4,,,,S61 1AA,S63 5EE',
    ].join('\n');
    const result = await readEpisodesCsv(reordered);
    expect(result.ok).toBe(true);
    expect(writeEpisodesCsv(result.accepted.map((r) => r.value))).toBe(file(OTHER_CHILD));
  });

  it('refuses a file with a missing column, naming it', async () => {
    const result = await readEpisodesCsv(
      [
        'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST',
        'C002,20/04/2024,S,V2,N4,U6,PR4,,,,S61 1AA,S63 5EE',
      ].join('\n'),
    );
    expect(result.ok).toBe(false);
    expect(result.accepted).toEqual([]);
    expect(result.problems).toEqual([{ file: 'episodes', row: 1, column: 'URN', reason: 'column URN is missing' }]);
  });

  it('refuses a file with an extra column, naming it', async () => {
    const result = await readEpisodesCsv([`${COLUMNS},NAME`, `${OTHER_CHILD},Jane`].join('\n'));
    expect(result.ok).toBe(false);
    expect(result.accepted).toEqual([]);
    expect(result.problems).toEqual([
      { file: 'episodes', row: 1, column: 'NAME', reason: 'column "NAME" is not an SSDA903 column' },
    ]);
  });

  it('refuses dates not in dd/mm/yyyy form, and dates that do not exist', async () => {
    const result = await readEpisodesCsv(
      file(
        'C002,2024-04-20,S,V2,N4,U6,PR4,,,,S61 1AA,S63 5EE,XXXXXXX',
        'C003,31/02/2024,S,V2,N4,U6,PR4,,,,S61 1AA,S63 5EE,XXXXXXX',
        'C004,1/4/2024,S,V2,N4,U6,PR4,,,,S61 1AA,S63 5EE,XXXXXXX',
      ),
    );
    expect(result.ok).toBe(false);
    expect(result.accepted).toEqual([]);
    expect(result.problems).toEqual([
      { file: 'episodes', row: 2, column: 'DECOM', reason: 'DECOM "2024-04-20" is not a date in dd/mm/yyyy form' },
      { file: 'episodes', row: 3, column: 'DECOM', reason: 'DECOM "31/02/2024" is not a date in dd/mm/yyyy form' },
      { file: 'episodes', row: 4, column: 'DECOM', reason: 'DECOM "1/4/2024" is not a date in dd/mm/yyyy form' },
    ]);
  });

  it('refuses unknown codes, with row and column', async () => {
    const result = await readEpisodesCsv(
      file(...STEP_DOWN, 'C002,20/04/2024,S,V9,N4,K9,PR4,,,,S61 1AA,S63 5EE,XXXXXXX'),
    );
    expect(result.problems).toEqual([
      { file: 'episodes', row: 4, column: 'LS', reason: '"V9" is not an SSDA903 LS code' },
      { file: 'episodes', row: 4, column: 'PLACE', reason: '"K9" is not an SSDA903 PLACE code' },
    ]);
    // The valid child is still offered for --accept-valid-rows.
    expect(result.accepted.map((r) => r.value.child)).toEqual(['C001', 'C001']);
  });

  it('refuses cells a spreadsheet would run as formulas', async () => {
    const result = await readEpisodesCsv(
      file(
        "=cmd|' /C calc'!A0,20/04/2024,S,V2,N4,U6,PR4,,,,S61 1AA,S63 5EE,XXXXXXX",
        'C003,20/04/2024,S,V2,N4,U6,PR4,,,,@SUM(1),S63 5EE,XXXXXXX',
        'C004,20/04/2024,S,V2,N4,U6,PR4,,,,"\tS61 1AA",S63 5EE,XXXXXXX',
      ),
    );
    expect(result.ok).toBe(false);
    expect(result.accepted).toEqual([]);
    expect(result.problems).toEqual([
      {
        file: 'episodes',
        row: 2,
        column: 'CHILD',
        reason: 'cell starts with "=", which a spreadsheet would run as a formula',
      },
      {
        file: 'episodes',
        row: 3,
        column: 'HOME_POST',
        reason: 'cell starts with "@", which a spreadsheet would run as a formula',
      },
      {
        file: 'episodes',
        row: 4,
        column: 'HOME_POST',
        reason: 'cell starts with "\\t", which a spreadsheet would run as a formula',
      },
    ]);
  });

  it('applies the URN, provider and DEC/REC rules within a row', async () => {
    const result = await readEpisodesCsv(
      file(
        'C002,20/04/2024,S,V2,N4,K2,PR4,,,,S61 1AA,S63 5EE,XXXXXXX',
        'C003,20/04/2024,S,V2,N4,P1,PR1,,,,S61 1AA,S63 5EE,XXXXXXX',
        'C004,20/04/2024,S,V2,N4,U6,PR4,01/05/2024,,,S61 1AA,S63 5EE,XXXXXXX',
        'C005,20/04/2024,S,V2,N4,U6,PR4,,,,S61 1AA,S63 5EE,SC12',
      ),
    );
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'URN'],
      [3, 'PLACE_PROVIDER'],
      [4, 'REC'],
      [5, 'URN'],
    ]);
  });

  it('refuses overlapping and inconsistent episodes, and holds back the whole child', async () => {
    const result = await readEpisodesCsv(
      file(
        // C001: second episode starts before the first ends.
        'C001,10/05/2024,S,C2,N1,K2,PR1,01/11/2024,E4A,,S60 1AA,S65 2BB,SC123456',
        'C001,01/10/2024,S,C2,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
        // C002: open episode followed by another.
        'C002,10/05/2024,S,C2,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
        'C002,01/10/2024,L,C1,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
        // C003: RNE L but the placement moved; and no REASON_PLACE_CHANGE.
        'C003,10/05/2024,S,C2,N1,K2,PR1,01/11/2024,X1,,S60 1AA,S65 2BB,SC123456',
        'C003,01/11/2024,L,C1,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
        // C004: ends X1 with nothing after.
        'C004,10/05/2024,S,C2,N1,U6,PR1,01/11/2024,X1,,S60 1AA,S66 3DD,XXXXXXX',
        'C009,20/04/2024,S,V2,N4,U6,PR4,,,,S61 1AA,S63 5EE,XXXXXXX',
      ),
      { collectionYear: 2025 },
    );
    expect(result.problems.map((p) => [p.row, p.column, p.reason])).toEqual([
      [3, 'DECOM', 'overlaps the episode on line 2, which ends later'],
      [5, 'DECOM', 'overlaps the open episode on line 4'],
      [7, 'RNE', 'the placement changed since line 6, but RNE L says it did not'],
      [8, 'REC', 'episode ends X1 but no episode follows it'],
    ]);
    expect(result.accepted.map((r) => r.value.child)).toEqual(['C009']);
  });

  it('requires REASON_PLACE_CHANGE exactly where the placement changes', async () => {
    const result = await readEpisodesCsv(
      file(
        'C001,10/05/2024,S,C2,N1,K2,PR1,01/11/2024,X1,,S60 1AA,S65 2BB,SC123456',
        'C001,01/11/2024,P,C2,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
        'C002,10/05/2024,S,C1,N1,U6,PR1,01/11/2024,X1,CARPL,S60 1AA,S66 3DD,XXXXXXX',
        'C002,01/11/2024,L,C2,N1,U6,PR1,,,,S60 1AA,S66 3DD,XXXXXXX',
      ),
    );
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'REASON_PLACE_CHANGE'],
      [4, 'REASON_PLACE_CHANGE'],
    ]);
  });

  it('refuses episodes outside the collection year, and a DEC after 31 March', async () => {
    const result = await readEpisodesCsv(
      file(
        'C002,20/04/2025,S,V2,N4,U6,PR4,,,,S61 1AA,S63 5EE,XXXXXXX',
        'C003,20/04/2024,S,V2,N4,U6,PR4,02/04/2025,E4A,,S61 1AA,S63 5EE,XXXXXXX',
      ),
      { collectionYear: 2025 },
    );
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'DECOM'],
      [3, 'DEC'],
    ]);
  });

  it('refuses rows with the wrong number of cells', async () => {
    const result = await readEpisodesCsv(file('C002,20/04/2024,S,V2'));
    expect(result.problems).toEqual([
      { file: 'episodes', row: 2, column: null, reason: 'row has 4 cells, the file has 13 columns' },
    ]);
  });

  it('refuses a file over the size cap before parsing it', async () => {
    const result = await readEpisodesCsv(file(OTHER_CHILD), { maxBytes: 100 });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { file: 'episodes', row: 0, column: null, reason: 'file is larger than the 100 byte limit' },
    ]);
  });

  it('refuses an empty file', async () => {
    const result = await readEpisodesCsv('');
    expect(result.problems).toEqual([
      { file: 'episodes', row: 0, column: null, reason: 'file is empty: no column header' },
    ]);
  });

  /** A lazily generated stream that counts how much of itself was read. */
  function junkStream(totalBytes: number, chunk: (i: number) => Buffer) {
    const stats = { bytesPulled: 0 };
    async function* gen() {
      let i = 0;
      while (stats.bytesPulled < totalBytes) {
        const c = chunk(i++);
        stats.bytesPulled += c.byteLength;
        yield c;
      }
    }
    return { stats, stream: gen() };
  }

  it('refuses 50 MB of random junk after reading only its start', async () => {
    let seed = 42;
    const random = (n: number) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
      return b;
    };
    const { stats, stream } = junkStream(50 * 1024 * 1024, () => random(64 * 1024));
    const result = await readEpisodesCsv(stream);
    expect(result.ok).toBe(false);
    expect(result.accepted).toEqual([]);
    expect(result.problems.length).toBeGreaterThan(0);
    // Refused from its start: the bytes pulled, not a stopwatch, show it never read the rest.
    expect(stats.bytesPulled).toBeLessThan(2 * 1024 * 1024);
  });

  it('refuses 50 MB of junk rows under a valid column header at the size cap, not after reading it all', async () => {
    const row = Buffer.from('=1+1,,,,,,,,,,,,\n'.repeat(6000));
    const { stats, stream } = junkStream(50 * 1024 * 1024, (i) => (i === 0 ? Buffer.from(COLUMNS + '\n') : row));
    const result = await readEpisodesCsv(stream, { maxBytes: 3 * 1024 * 1024, maxProblems: 1_000_000 });
    expect(result.ok).toBe(false);
    expect(result.stoppedEarly).toBe(true);
    expect(result.problems.at(-1)).toEqual({
      file: 'episodes',
      row: 0,
      column: null,
      reason: `file is larger than the ${3 * 1024 * 1024} byte limit`,
    });
    expect(result.problems[0]).toEqual({
      file: 'episodes',
      row: 2,
      column: 'CHILD',
      reason: 'cell starts with "=", which a spreadsheet would run as a formula',
    });
    expect(stats.bytesPulled).toBeLessThan(4 * 1024 * 1024);
  });
});

describe('readHeaderCsv', () => {
  const HEADER = 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB';

  it('accepts a valid header file and writes it back byte for byte', async () => {
    const text =
      [HEADER, 'C001,F,15/06/2010,WBRI,L12345678901B,1,02/02/2025', 'C002,U,01/01/2015,NOBT,UN1,,'].join('\n') + '\n';
    const result = await readHeaderCsv(text, { collectionYear: 2025 });
    expect(result.problems).toEqual([]);
    expect(writeHeaderCsv(result.accepted.map((r) => r.value))).toBe(text);
  });

  it('refuses SEX U before 2024/25, unknown codes, bad UPNs and duplicate children', async () => {
    const text = [
      HEADER,
      'C002,U,01/01/2015,NOBT,UN1,,',
      'C003,X,01/01/2015,ZZZZ,123,2,',
      'C003,M,01/01/2015,WBRI,,,',
    ].join('\n');
    const result = await readHeaderCsv(text, { collectionYear: 2024 });
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'SEX'],
      [3, 'SEX'],
      [3, 'ETHNIC'],
      [3, 'UPN'],
      [3, 'MOTHER'],
      [4, 'CHILD'],
    ]);
  });
});

describe("readHeaderCsv: UPN, MOTHER and MC_DOB by the child record's rules", () => {
  it('refuses a wrong UPN check letter, UN6, MOTHER for a boy, and a mother without MC_DOB', async () => {
    const text = [
      'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB',
      'C010,F,15/06/2010,WBRI,A12345678901B,0,',
      'C011,F,15/06/2010,WBRI,UN6,0,',
      'C012,M,15/06/2010,WBRI,UN2,0,',
      'C013,F,15/06/2010,WBRI,UN2,1,',
      'C014,F,15/06/2010,WBRI,UN2,1,15/06/2010',
      'C015,F,15/06/2010,WBRI,W372200125001,1,01/03/2026',
    ].join('\n');
    const result = await readHeaderCsv(text, { collectionYear: 2026 });
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'UPN'],
      [3, 'UPN'],
      [4, 'MOTHER'],
      [5, 'MC_DOB'],
      [6, 'MC_DOB'],
    ]);
    expect(result.accepted.map((r) => r.value.child)).toEqual(['C015']);
    expect(result.problems.map((p) => p.reason).join(' ')).not.toContain('12345678901');
  });
});

describe('problem reports', () => {
  it('name the cell but never repeat a date of birth or postcode', async () => {
    const header = await readHeaderCsv(
      ['CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB', 'C001,F,2010-06-15,WBRI,,,'].join('\n'),
    );
    expect(header.problems).toEqual([
      { file: 'header', row: 2, column: 'DOB', reason: 'DOB is not a date in dd/mm/yyyy form' },
    ]);
    const episodes = await readEpisodesCsv(file('C002,20/04/2024,S,V2,N4,U6,PR4,,,,S61 1AA,NOT A CODE,XXXXXXX'));
    expect(episodes.problems).toEqual([
      { file: 'episodes', row: 2, column: 'PL_POST', reason: 'PL_POST is not a full postcode' },
    ]);
  });
});
