import { rotherhamPostcodes } from './testing/reference-postcodes';
import { childDecider, isDomainError, type ChildEvent, type ChildState } from '@placement/domain';
import { writeEpisodesCsv } from './csv-write';
import { deriveEpisodes } from './episodes';
import { childHistoryFromEvents } from './from-events';
import type { ChildHistory } from './history';
import { historyToCommands } from './import';
import { importCommandToDomain } from './to-domain';
import { generateAuthority } from './generate-authority';

const postcodes = rotherhamPostcodes();
const { histories } = generateAuthority({
  seed: 77,
  children: 500,
  postcodes,
  from: '2019-04-01',
  until: '2026-03-31',
});
const YEARS = [2020, 2021, 2022, 2023, 2024, 2025, 2026];

/** Applies a history's import commands through the domain's child decider, as the import will. */
function throughTheDomain(history: ChildHistory): { events: ChildEvent[] } | { refused: string } {
  let state: ChildState = childDecider.initialState;
  const events: ChildEvent[] = [];
  for (const command of historyToCommands(history)) {
    try {
      for (const event of childDecider.decide(importCommandToDomain(command, { localAuthority: 'E08000018' }), state)) {
        state = childDecider.evolve(state, event);
        events.push(event);
      }
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return { refused: `${error.code}: ${error.message}` };
    }
  }
  return { events };
}

const returnOf = (history: ChildHistory) => YEARS.map((y) => writeEpisodesCsv(deriveEpisodes(history, y))).join('');

describe('import commands → domain child decider → events → episodes', () => {
  const outcomes = histories.map((history) => ({ history, result: throughTheDomain(history) }));

  it('the domain accepts every generated history, E4A/E4B endings and A3/A5 adoptions by foster carers too', () => {
    expect(
      outcomes.filter((o) => 'refused' in o.result).map((o) => ({ child: o.history.childId, result: o.result })),
    ).toEqual([]);
    expect(histories.some((h) => h.periods.some((p) => p.reasonCeased === 'E4A' || p.reasonCeased === 'E4B'))).toBe(
      true,
    );
  });

  it('every history exports as imported, for every year (CIN and HOME_POST per period, imported first RNE)', () => {
    const changed: string[] = [];
    for (const { history, result } of outcomes) {
      if ('refused' in result) continue;
      const { history: back, problems } = childHistoryFromEvents(result.events);
      expect({ child: history.childId, problems }).toEqual({ child: history.childId, problems: [] });
      if (back === null || returnOf(back) !== returnOf(history)) changed.push(history.childId);
    }
    expect(changed).toEqual([]);
    expect(histories.some((h) => new Set(h.periods.map((p) => p.categoryOfNeed)).size > 1)).toBe(true);
  });
});
