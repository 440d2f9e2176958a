import { rotherhamPostcodes } from './testing/reference-postcodes';
import { writeEpisodesCsv } from './csv-write';
import { deriveEpisodesForYear } from './episodes';
import type { ChildHistory } from './history';
import { exportReturn, planImport } from './return';
import { generateAuthority } from './generate-authority';
import { aChildInCare } from './testing/histories';

const postcodes = rotherhamPostcodes();
const { histories } = generateAuthority({
  seed: 2025,
  children: 520,
  postcodes,
  from: '2020-04-01',
  until: '2026-03-31',
});

const broken: ChildHistory = aChildInCare(
  { childId: 'BROKEN1', sex: 'M', dateOfBirth: '2012-01-01' },
  { place: 'K2', placeProvider: 'PR4', urn: null, postcode: 'S60 2AA', carerId: 'x' },
);

describe('exportReturn', () => {
  it('writes the year’s two files and leaves out, and lists, a child whose history breaks the rules', () => {
    const exported = exportReturn([...histories, broken], 2025);
    expect(exported.label).toBe('2024/25');
    expect(exported.episodesCsv).toBe(writeEpisodesCsv(deriveEpisodesForYear(histories, 2025)));
    expect(exported.excluded).toEqual([
      {
        childId: 'BROKEN1',
        problems: [
          'period 1 (from 2024-06-01), placement 1 (from 2024-06-01): K2 is a registered setting and needs its URN',
        ],
      },
    ]);
    expect(exported.children).toBeGreaterThan(150);
    expect(exported.headerCsv.split('\n')).toHaveLength(exported.children + 2);
    expect(exported.episodesCsv.split('\n')).toHaveLength(exported.episodes + 2);
  });
});

describe('planImport', () => {
  const year = 2025;
  const exported = exportReturn(histories, year);

  it('export(import(file)) gives back the file, byte for byte', async () => {
    const plan = await planImport(
      { episodes: exported.episodesCsv, header: exported.headerCsv },
      { collectionYear: year },
    );
    expect(plan.report.problems).toEqual([]);
    expect(plan.report.ok).toBe(true);
    expect(plan.report.nothingToWrite).toBe(false);
    expect(plan.report.childrenToImport).toBe(exported.children);
    const again = exportReturn(plan.histories, year);
    expect(again.episodesCsv).toBe(exported.episodesCsv);
    expect(again.headerCsv).toBe(exported.headerCsv);
    expect(plan.report.settingsReferenced.every((s) => /^SC\d{6}$/.test(s.urn))).toBe(true);
    expect(plan.report.settingsReferenced.length).toBeGreaterThan(5);
  });

  it('plans the same commands, ids included, when the same files are imported twice', async () => {
    const first = await planImport(
      { episodes: exported.episodesCsv, header: exported.headerCsv },
      { collectionYear: year },
    );
    const second = await planImport(
      { episodes: exported.episodesCsv, header: exported.headerCsv },
      { collectionYear: year },
    );
    expect(second.commands).toEqual(first.commands);
    expect(new Set(first.commands.map((c) => c.commandId)).size).toBe(first.commands.length);
  });

  it('writes nothing for a file with a bad row, unless valid rows are accepted', async () => {
    const lines = exported.episodesCsv.split('\n');
    const badChild = lines[1].split(',')[0];
    lines[1] = lines[1].replace(/,(\d\d\/\d\d\/\d{4}),/, ',2024-13-01,');
    const episodes = lines.join('\n');

    const strict = await planImport({ episodes, header: exported.headerCsv }, { collectionYear: year });
    expect(strict.report.ok).toBe(false);
    expect(strict.report.nothingToWrite).toBe(true);
    expect(strict.commands).toEqual([]);
    expect(strict.report.problems[0]).toEqual({
      file: 'episodes',
      row: 2,
      column: 'DECOM',
      reason: 'DECOM "2024-13-01" is not a date in dd/mm/yyyy form',
    });

    const lenient = await planImport(
      { episodes, header: exported.headerCsv },
      { collectionYear: year, acceptValidRows: true },
    );
    expect(lenient.report.nothingToWrite).toBe(false);
    expect(lenient.histories.map((h) => h.childId)).not.toContain(badChild);
    expect(lenient.report.childrenToImport).toBe(exported.children - 1);
  });

  it('names each child found in one file but not in the other, on the child’s first row there', async () => {
    const childOf = (line: string) => line.split(',')[0];
    const episodeLines = exported.episodesCsv.split('\n');
    const headerLines = exported.headerCsv.split('\n');
    // The first episode's child loses its header row; the last header row's child loses its episodes.
    const noHeader = childOf(episodeLines[1]);
    const noEpisodes = childOf(headerLines[headerLines.length - 2]);
    const episodes = episodeLines.filter((line) => childOf(line) !== noEpisodes);
    const header = headerLines.filter((line) => childOf(line) !== noHeader);

    const plan = await planImport({ episodes: episodes.join('\n'), header: header.join('\n') });
    expect(noHeader).not.toBe(noEpisodes);
    expect(plan.report.problems.filter((p) => p.column === 'CHILD')).toEqual([
      {
        file: 'episodes',
        row: episodes.findIndex((line) => childOf(line) === noHeader) + 1,
        column: 'CHILD',
        reason: 'child has episodes but no row in header.csv',
      },
      {
        file: 'header',
        row: header.findIndex((line) => childOf(line) === noEpisodes) + 1,
        column: 'CHILD',
        reason: 'child has a header row but no episode',
      },
    ]);
    expect(plan.histories.map((h) => h.childId)).not.toContain(noHeader);
  });

  it('writes nothing for a refused file even when valid rows are accepted', async () => {
    const plan = await planImport(
      { episodes: 'this,is,not\na,return,file\n', header: exported.headerCsv },
      { collectionYear: year, acceptValidRows: true },
    );
    expect(plan.report.nothingToWrite).toBe(true);
    expect(plan.commands).toEqual([]);
    expect(plan.report.problems.some((p) => p.file === 'episodes' && p.row === 1 && p.column === 'URN')).toBe(true);
  });
});
