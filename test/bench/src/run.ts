import { benches } from './benches';
import { emit, makeTmpDir } from './harness';

export { emit } from './harness';

/**
 * `npm run bench`: runs every module in ./benches/index.ts in turn, each printing one
 * JSON line per figure on stdout. `npm run bench -- <name>` runs only the modules whose
 * name contains <name>. Benchmarks are not tests: nothing here fails on a slow figure.
 */
async function main(): Promise<void> {
  const filter = process.argv[2];
  for (const bench of benches) {
    if (filter !== undefined && !bench.name.includes(filter)) continue;
    const tmp = makeTmpDir(`bench-${bench.name}`);
    try {
      await bench.run({ emit, tmpDir: tmp.dir });
    } finally {
      tmp.remove();
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
