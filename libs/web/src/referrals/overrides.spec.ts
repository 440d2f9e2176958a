import type { MatchesPage } from '../board.port';
import { errorList } from '../pages/page';
import { bindingExclusionsAt, exclusionsInWords } from './overrides';

const excluded = (settingId: string, bedId: string, codes: string[]): MatchesPage['excluded'][number] => ({
  unitId: `bed:${settingId}:${bedId}`,
  unit: { kind: 'bed', settingId, bedId },
  settingId,
  kind: 'residential-bed',
  reasons: codes.map((code) => ({ code, message: `engine says ${code}` })),
});

const MATCHES = {
  excluded: [
    excluded('h1', 'b1', ['OCCUPIED', 'CANNOT_LIVE_WITH']),
    excluded('h1', 'b2', ['CANNOT_LIVE_WITH', 'RISK_NOT_ACCEPTED', 'OUT_OF_DISTANCE']),
    excluded('h1', 'b3', ['SUPPORTED_ACCOMMODATION_UNDER_16']),
    excluded('h2', 'b1', ['ADAPTATIONS_MISSING']),
  ],
} as unknown as MatchesPage;

describe('the overrides a matching meeting may record', () => {
  it("lists each binding exclusion of the home's beds once, with its beds; not the ones that do not bind", () => {
    expect(bindingExclusionsAt(MATCHES, 'h1')).toEqual([
      {
        code: 'CANNOT_LIVE_WITH',
        name: 'the child cannot live with those living there',
        message: 'engine says CANNOT_LIVE_WITH',
        beds: ['b1', 'b2'],
        overridable: true,
      },
      expect.objectContaining({ code: 'RISK_NOT_ACCEPTED', beds: ['b2'], overridable: true }),
      expect.objectContaining({ code: 'SUPPORTED_ACCOMMODATION_UNDER_16', beds: ['b3'], overridable: false }),
    ]);
    expect(bindingExclusionsAt(MATCHES, 'h3')).toEqual([]);
  });

  it('says a 422 EXCLUDED_BY_MATCHING in plain English, naming each code', () => {
    expect(exclusionsInWords(['CANNOT_LIVE_WITH', 'SOMETHING_NEW'])).toBe(
      'the child cannot live with those living there (CANNOT_LIVE_WITH); SOMETHING_NEW',
    );
    const [summary] = errorList({
      status: 422,
      title: 'Unprocessable Entity',
      code: 'EXCLUDED_BY_MATCHING',
      detail: 'the matching engine excludes this unit on the start date: ADAPTATIONS_MISSING',
      exclusions: ['ADAPTATIONS_MISSING'],
    });
    expect(summary.text).toBe(
      'The matching engine excludes this unit for a reason that binds, and no matched meeting about it overrode it: ' +
        'the home lacks an adaptation the child needs (ADAPTATIONS_MISSING) (EXCLUDED_BY_MATCHING).',
    );
  });
});
