import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openSqliteEventStore } from '@placement/event-store';
import { exportReturn, generateAuthority, planImport } from '@placement/ssda903';
import { applyImportPlan, exportSsda903 } from '@placement/api';
import { timeIt, type Bench, type BenchContext } from '../harness';

/**
 * The SSDA903 return at the national seed's scale (England: 83,630 children looked after, March 2024).
 * `ssda903.import`: one year's return planned (read, validated, turned into commands) and written
 * through the child decider into a fresh SQLite store, in episode rows per second.
 * `ssda903.export`: the same year's return derived from that store (read every event, rebuild each
 * child's history, apply the episode rules, write the CSV), in episodes per second.
 * BENCH_SSDA903_CHILDREN sets the number of children (default 84,000).
 */
const YEAR = 2025;

function rotherhamPostcodes(
  dir = process.env['REFERENCE_DATA_DIR'] ?? join(process.cwd(), 'reference-data'),
): string[] {
  return readFileSync(join(dir, 'postcodes-rotherham.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0])
    .filter((p) => p !== '');
}

async function run({ emit, tmpDir, size }: BenchContext): Promise<void> {
  const children = size === 'smoke' ? 200 : Number(process.env['BENCH_SSDA903_CHILDREN'] ?? 84_000);
  if (!Number.isInteger(children) || children < 1)
    throw new Error('BENCH_SSDA903_CHILDREN must be a positive whole number');
  const { histories } = generateAuthority({
    seed: 84,
    children,
    postcodes: rotherhamPostcodes(),
    from: '2019-04-01',
    until: '2026-03-31',
  });
  const file = exportReturn(histories, YEAR);
  const rows = file.episodes;
  emit({ bench: 'ssda903.children', value: file.children, unit: 'children' });
  emit({ bench: 'ssda903.episodes', value: rows, unit: 'rows' });
  emit({ bench: 'ssda903.file', value: (file.episodesCsv.length + file.headerCsv.length) / 1024 / 1024, unit: 'MiB' });

  const store = await openSqliteEventStore({ path: join(tmpDir, 'ssda903.db') });
  try {
    // Files as an operator passes them: read as streams, never whole, under a cap that fits a national return.
    const options = { collectionYear: YEAR, maxBytes: 200 * 1024 * 1024 };
    let planSeconds = 0;
    const importSeconds = await timeIt(async () => {
      const start = process.hrtime.bigint();
      const plan = await planImport({ episodes: chunks(file.episodesCsv), header: chunks(file.headerCsv) }, options);
      planSeconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (!plan.report.ok) throw new Error(`the generated return was refused: ${plan.report.problems.length} problems`);
      const written = await applyImportPlan(store, plan, {
        localAuthority: 'E08000018',
        actor: { id: 'bench', role: 'admin' },
        correlationId: randomUUID(),
      });
      if (written.childrenRefused.length > 0)
        throw new Error(`${written.childrenRefused.length} children refused by the domain`);
    });
    emit({ bench: 'ssda903.import.plan', value: rows / planSeconds, unit: 'rows/s' });
    emit({ bench: 'ssda903.import', value: rows / importSeconds, unit: 'rows/s' });
    emit({ bench: 'ssda903.import.seconds', value: importSeconds, unit: 's' });

    let exported = 0;
    const exportSeconds = await timeIt(async () => {
      const back = await exportSsda903(store, YEAR);
      if (back.episodesCsv !== file.episodesCsv)
        throw new Error('the export from the store differs from the imported return');
      exported = back.episodes;
    });
    emit({ bench: 'ssda903.export', value: exported / exportSeconds, unit: 'episodes/s' });
    emit({ bench: 'ssda903.export.seconds', value: exportSeconds, unit: 's' });
  } finally {
    await store.close();
  }
}

/** The text as a stream of 64 KiB chunks, as a file read would deliver it. */
async function* chunks(text: string): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += 65_536) yield text.slice(i, i + 65_536);
}

export const ssda903Bench: Bench = {
  name: 'ssda903',
  figures: [
    'ssda903.children',
    'ssda903.episodes',
    'ssda903.file',
    'ssda903.import.plan',
    'ssda903.import',
    'ssda903.import.seconds',
    'ssda903.export',
    'ssda903.export.seconds',
  ],
  run,
};
