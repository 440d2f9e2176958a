import { exportReturn } from './return';
import { planImport } from './return';
import type { ChildHistory } from './history';
import { aChildInCare } from './testing/histories';

const child: ChildHistory = aChildInCare(
  { childId: 'C001', sex: 'F', dateOfBirth: '2010-05-10' },
  { place: 'U6', placeProvider: 'PR1', urn: null, postcode: 'S66 3DD', carerId: 'h1' },
);

describe('what the CLI and API rely on', () => {
  it('writes ETHNIC NOBT (not yet obtained) for a child recorded without one, so the file imports again', async () => {
    const file = exportReturn([child], 2025);
    expect(file.headerCsv.split(/\r?\n/)[1]).toBe('C001,F,10/05/2010,NOBT,,,');
    const plan = await planImport({ episodes: file.episodesCsv, header: file.headerCsv }, { collectionYear: 2025 });
    expect(plan.report.problems).toEqual([]);
  });

  it('tells an unreadable file from refused rows, not reporting the other file’s children as unmatched', async () => {
    const file = exportReturn([child], 2025);
    const plan = await planImport(
      { episodes: 'CHILD,DECOM\nC001,01/06/2024\n', header: file.headerCsv },
      { collectionYear: 2025 },
    );
    expect(plan.report.unreadableFiles).toEqual(['episodes']);
    expect(plan.report.nothingToWrite).toBe(true);
    expect(plan.report.problems.every((p) => p.file === 'episodes' && p.row === 1)).toBe(true);

    const badRow = await planImport(
      { episodes: file.episodesCsv.replace('01/06/2024', '2024-06-01'), header: file.headerCsv },
      { collectionYear: 2025 },
    );
    expect(badRow.report.unreadableFiles).toEqual([]);
    expect(badRow.report.problems.map((p) => [p.row, p.column])).toContainEqual([2, 'DECOM']);
  });
});
