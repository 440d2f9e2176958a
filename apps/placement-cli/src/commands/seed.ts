import type { Command } from 'commander';
import { createOperatorContext, Seeder } from '@placement/api';

/** `seed rotherham [--db <file>] [--seed <n>]`: the demo estate, through the API's own command handlers. */
export function register(program: Command): void {
  program
    .command('seed')
    .description('Seed a synthetic estate (no real child): rotherham = the demo authority')
    .argument('<estate>', 'rotherham')
    .option('--db <file>', 'SQLite event store file', process.env['SQLITE_PATH'] ?? './data/events.db')
    .option('--seed <n>', 'seed number: the same number gives the same estate', '2023')
    .action(async (estate: string, options: { db: string; seed: string }) => {
      if (estate !== 'rotherham') {
        process.stderr.write(`placement-cli seed: unknown estate "${estate}" (known: rotherham)\n`);
        process.exitCode = 2;
        return;
      }
      const seed = Number(options.seed);
      if (!Number.isInteger(seed)) {
        process.stderr.write('placement-cli seed: --seed must be a whole number\n');
        process.exitCode = 2;
        return;
      }
      const { context } = await createOperatorContext({ EVENT_STORE: 'sqlite', SQLITE_PATH: options.db });
      try {
        const summary = await context.get(Seeder).seedRotherham(seed);
        process.stdout.write(`${JSON.stringify({ seeded: estate, seed, ...summary })}\n`);
      } finally {
        await context.close();
      }
    });
}
