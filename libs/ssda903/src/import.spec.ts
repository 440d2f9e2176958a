import { readEpisodesCsv, readHeaderCsv } from './csv-read';
import { writeEpisodesCsv } from './csv-write';
import { deriveEpisodesForYear } from './episodes';
import { importId, uuidV5 } from './ids';
import {
  episodesToHistories,
  historyToCommands,
  importedCarerId,
  importedPlacementId,
  referencedSettings,
} from './import';

const EPISODES = [
  'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
  // Emergency bed, legal status change, planned foster placement, care order.
  'C001,03/01/2025,S,L1,N1,K2,PR1,05/01/2025,X1,,S60 1AA,S61 4CC,SC654321',
  'C001,05/01/2025,L,V2,N1,K2,PR1,09/01/2025,X1,CARPL,S60 1AA,S61 4CC,SC654321',
  'C001,09/01/2025,P,V2,N1,U6,PR4,20/02/2025,X1,,S60 1AA,S63 5EE,XXXXXXX',
  'C001,20/02/2025,L,C1,N1,U6,PR4,,,,S60 1AA,S63 5EE,XXXXXXX',
  // Began before the year: the first known episode is a T.
  'C002,01/09/2023,T,C2,N1,U4,PR1,02/09/2024,X1,PLACE,S60 2BB,S66 3DD,XXXXXXX',
  'C002,02/09/2024,U,E1,N1,A5,PR1,10/03/2025,E11,,S60 2BB,S66 3DD,XXXXXXX',
].join('\n');
const HEADER = [
  'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB',
  'C001,F,15/06/2010,WBRI,UN4,,',
  'C002,M,01/02/2019,MWBC,UN1,,',
].join('\n');

async function importReturn() {
  const episodes = await readEpisodesCsv(EPISODES, { collectionYear: 2025 });
  const header = await readHeaderCsv(HEADER, { collectionYear: 2025 });
  expect(episodes.problems).toEqual([]);
  expect(header.problems).toEqual([]);
  return episodesToHistories(
    episodes.accepted.map((r) => r.value),
    header.accepted.map((r) => r.value),
  );
}

describe('uuidV5', () => {
  it('matches the RFC 9562 example (DNS namespace, www.example.com)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('gives distinct ids for distinct part lists', () => {
    expect(importId('a', 'bc')).not.toBe(importId('ab', 'c'));
  });
});

describe('episodesToHistories', () => {
  it('rebuilds periods, legal statuses and placements; T and U keep the carer', async () => {
    const { histories } = await importReturn();
    const [c1, c2] = histories;
    expect(c1.periods).toHaveLength(1);
    expect(c1.periods[0].legalStatuses).toEqual([
      { legalStatus: 'L1', from: '2025-01-03' },
      { legalStatus: 'V2', from: '2025-01-05' },
      { legalStatus: 'C1', from: '2025-02-20' },
    ]);
    expect(c1.periods[0].placements.map((p) => [p.place, p.urn, p.startDate, p.endDate, p.reasonForChange])).toEqual([
      ['K2', 'SC654321', '2025-01-03', '2025-01-09', 'CARPL'],
      ['U6', null, '2025-01-09', null, null],
    ]);
    expect(c2.periods[0].firstEpisodeReason).toBe('T');
    expect(c2.periods[0].reasonCeased).toBe('E11');
    const [long, adoption] = c2.periods[0].placements;
    expect(adoption.carerId).toBe(long.carerId);
    expect(long.carerId).toBe(importedCarerId('C002', '2023-09-01'));
  });

  it('reproduces the file it came from', async () => {
    const { histories } = await importReturn();
    expect(writeEpisodesCsv(deriveEpisodesForYear(histories, 2025))).toBe(EPISODES + '\n');
  });

  it('lists children missing from either file', async () => {
    const episodes = await readEpisodesCsv(EPISODES);
    const header = await readHeaderCsv(
      ['CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB', 'C001,F,15/06/2010,WBRI,UN4,,', 'C009,M,01/02/2019,MWBC,UN1,,'].join(
        '\n',
      ),
    );
    const result = episodesToHistories(
      episodes.accepted.map((r) => r.value),
      header.accepted.map((r) => r.value),
    );
    expect(result.histories.map((h) => h.childId)).toEqual(['C001']);
    expect(result.childrenWithoutHeader).toEqual(['C002']);
    expect(result.headersWithoutEpisodes).toEqual(['C009']);
  });
});

describe('historyToCommands', () => {
  it('writes the child, then each day’s ends, status changes and starts, with deterministic ids', async () => {
    const { histories } = await importReturn();
    const commands = historyToCommands(histories[0]);
    expect(
      commands.map((c) => [
        c.kind,
        'startDate' in c ? c.startDate : 'endDate' in c ? c.endDate : 'effectiveDate' in c ? c.effectiveDate : null,
      ]),
    ).toEqual([
      ['RegisterChild', null],
      ['StartPlacement', '2025-01-03'],
      ['ChangeLegalStatus', '2025-01-05'],
      ['EndPlacement', '2025-01-09'],
      ['StartPlacement', '2025-01-09'],
      ['ChangeLegalStatus', '2025-02-20'],
    ]);
    expect(commands[1]).toMatchObject({
      kind: 'StartPlacement',
      legalStatus: 'L1',
      place: 'K2',
      urn: 'SC654321',
      startsPeriodOfCare: true,
      firstEpisodeReason: null,
    });
    expect(commands[3]).toMatchObject({
      kind: 'EndPlacement',
      placementId: importedPlacementId('C001', '2025-01-03'),
      reasonForChange: 'CARPL',
      reasonCareEnded: null,
    });
    expect(commands[4]).toMatchObject({
      kind: 'StartPlacement',
      legalStatus: 'V2',
      place: 'U6',
      placeProvider: 'PR4',
      urn: null,
    });
    expect(new Set(commands.map((c) => c.commandId)).size).toBe(commands.length);
  });

  it('a placement that starts with a new legal status carries it, with no separate change', async () => {
    const { histories } = await importReturn();
    const commands = historyToCommands(histories[1]);
    expect(commands.map((c) => c.kind)).toEqual([
      'RegisterChild',
      'StartPlacement',
      'EndPlacement',
      'StartPlacement',
      'EndPlacement',
    ]);
    expect(commands[1]).toMatchObject({ startsPeriodOfCare: false, firstEpisodeReason: 'T', legalStatus: 'C2' });
    expect(commands[3]).toMatchObject({ place: 'A5', legalStatus: 'E1' });
    expect(commands[4]).toMatchObject({ reasonForChange: null, reasonCareEnded: 'E11', endDate: '2025-03-10' });
  });

  it('importing the same file twice gives the same ids, so the store writes nothing the second time', async () => {
    const first = (await importReturn()).histories.flatMap(historyToCommands);
    const second = (await importReturn()).histories.flatMap(historyToCommands);
    expect(second).toEqual(first);
  });

  it('lists the registered settings the return refers to by URN', async () => {
    const { histories } = await importReturn();
    expect(referencedSettings(histories)).toEqual([
      { urn: 'SC654321', places: ['K2'], placeProviders: ['PR1'], postcodes: ['S61 4CC'] },
    ]);
  });
});
