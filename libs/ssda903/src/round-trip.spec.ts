import { rotherhamPostcodes } from './testing/reference-postcodes';
import fc from 'fast-check';
import { readEpisodesCsv, readHeaderCsv } from './csv-read';
import { writeEpisodesCsv, writeHeaderCsv } from './csv-write';
import { deriveEpisodesForYear } from './episodes';
import { deriveHeaderForYear } from './header';
import { historyProblems, type ChildHistory } from './history';
import { episodesToHistories, historyToCommands } from './import';
import { generateAuthority } from './generate-authority';

const postcodes = rotherhamPostcodes();

/** Writes a year's two files from `histories`, reads them back and imports them as histories again. */
async function writeAndImport(histories: readonly ChildHistory[], year: number) {
  const episodesCsv = writeEpisodesCsv(deriveEpisodesForYear(histories, year));
  const headerCsv = writeHeaderCsv(deriveHeaderForYear(histories, year));
  const episodes = await readEpisodesCsv(episodesCsv, { collectionYear: year });
  const header = await readHeaderCsv(headerCsv, { collectionYear: year });
  const imported = episodesToHistories(
    episodes.accepted.map((r) => r.value),
    header.accepted.map((r) => r.value),
  );
  return { episodesCsv, headerCsv, episodes, header, imported };
}

const authority = generateAuthority({ seed: 903, children: 600, postcodes, from: '2019-04-01', until: '2026-03-31' });
const YEARS = [2020, 2021, 2022, 2023, 2024, 2025, 2026];

describe('the generated authority', () => {
  it('is valid, large and varied enough to exercise every rule', () => {
    expect(authority.histories.length).toBeGreaterThanOrEqual(500);
    for (const h of authority.histories)
      expect({ child: h.childId, problems: historyProblems(h) }).toEqual({ child: h.childId, problems: [] });
    const rows = YEARS.flatMap((y) => deriveEpisodesForYear(authority.histories, y));
    const rnes = new Set(rows.map((r) => r.rne));
    expect([...rnes].sort()).toEqual(['B', 'L', 'P', 'S', 'T', 'U']);
    expect(rows.some((r) => r.place === 'K2' && /^SC\d{6}$/.test(r.urn))).toBe(true);
    expect(rows.some((r) => r.dec === null)).toBe(true);
    expect(rows.some((r) => r.reasonPlaceChange === 'LAREQ')).toBe(true);
    expect(rows.every((r) => postcodes.includes(r.plPost) && postcodes.includes(r.homePost))).toBe(true);
  });

  it('is deterministic: the same seed gives the same return', () => {
    const again = generateAuthority({ seed: 903, children: 600, postcodes, from: '2019-04-01', until: '2026-03-31' });
    expect(writeEpisodesCsv(deriveEpisodesForYear(again.histories, 2025))).toBe(
      writeEpisodesCsv(deriveEpisodesForYear(authority.histories, 2025)),
    );
  });
});

describe('round trip: histories → return → histories → return, byte for byte', () => {
  it.each(YEARS)('collection year %i', async (year) => {
    const { episodesCsv, headerCsv, episodes, header, imported } = await writeAndImport(authority.histories, year);
    expect(episodes.problems).toEqual([]);
    expect(header.problems).toEqual([]);
    expect(imported.childrenWithoutHeader).toEqual([]);
    expect(imported.headersWithoutEpisodes).toEqual([]);

    expect(writeEpisodesCsv(deriveEpisodesForYear(imported.histories, year))).toBe(episodesCsv);
    expect(writeHeaderCsv(deriveHeaderForYear(imported.histories, year))).toBe(headerCsv);

    // And once more from the imported histories: a second import changes nothing.
    const twice = episodesToHistories(
      deriveEpisodesForYear(imported.histories, year),
      deriveHeaderForYear(imported.histories, year),
    );
    expect(twice.histories).toEqual(imported.histories);
    expect(twice.histories.flatMap(historyToCommands)).toEqual(imported.histories.flatMap(historyToCommands));
  });

  it('a year with several hundred children looked after', () => {
    expect(deriveHeaderForYear(authority.histories, 2025).length).toBeGreaterThan(200);
  });
});

describe('round trip for any seed (property)', () => {
  it('rows → histories → rows is the identity for every year', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom(2021, 2023, 2025, 2026),
        async (seed, year) => {
          const { histories } = generateAuthority({
            seed,
            children: 40,
            postcodes,
            from: '2019-04-01',
            until: '2026-03-31',
          });
          const { episodesCsv, episodes, header, imported } = await writeAndImport(histories, year);
          expect(episodes.problems).toEqual([]);
          expect(header.problems).toEqual([]);
          expect(writeEpisodesCsv(deriveEpisodesForYear(imported.histories, year))).toBe(episodesCsv);
        },
      ),
      { numRuns: 40, seed: 903 },
    );
  });
});
