import { benches } from './benches';
import { runBench } from './harness';

export { emit } from './harness';

/**
 * `npm run bench`: runs every module in ./benches/index.ts in turn, each printing one
 * JSON line per figure on stdout. `npm run bench -- <name>` runs only the modules whose
 * name contains <name>. Benchmarks are not tests: nothing here fails on a slow figure.
 * (`npm test` runs every module at a tiny size: test/bench/src/smoke.spec.ts.)
 */
async function main(): Promise<void> {
  const filter = process.argv[2];
  for (const bench of benches) {
    if (filter !== undefined && !bench.name.includes(filter)) continue;
    await runBench(bench, 'full');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
