import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createOperatorContext, Seeder } from '@placement/api';
import { openSqliteEventStore } from '@placement/event-store';
import { englandDistricts, seedNational } from './seed-national';

const ESTATES = ['rotherham', 'national'] as const;

/**
 * `seed rotherham|national [--db <file>] [--seed <n>]`. Rotherham is the demo authority,
 * written through the API's own command handlers; national is an England-sized synthetic
 * estate, decided by the same deciders but appended straight to the store in large
 * batches (through the HTTP handlers it would take hours).
 */
export function register(program: Command): void {
  program
    .command('seed')
    .description(
      'Seed a synthetic estate (no real child): rotherham = the demo authority; national = an England-sized estate ' +
        '(~84,000 children)',
    )
    .argument('<estate>', ESTATES.join(' | '))
    .option('--db <file>', 'SQLite event store file', process.env['SQLITE_PATH'] ?? './data/events.db')
    .option('--seed <n>', 'seed number: the same number gives the same estate', '2023')
    .action(async (estate: string, options: { db: string; seed: string }) => {
      if (!(ESTATES as readonly string[]).includes(estate)) {
        process.stderr.write(`placement-cli seed: unknown estate "${estate}" (known: ${ESTATES.join(', ')})\n`);
        process.exitCode = 2;
        return;
      }
      const seed = Number(options.seed);
      if (!Number.isInteger(seed)) {
        process.stderr.write('placement-cli seed: --seed must be a whole number\n');
        process.exitCode = 2;
        return;
      }
      if (estate === 'national') {
        mkdirSync(path.dirname(path.resolve(options.db)), { recursive: true });
        const store = await openSqliteEventStore({ path: options.db });
        try {
          const report = await seedNational(store, {
            seed,
            districts: englandDistricts(),
            progress: (message) => process.stderr.write(`seed national: ${message}\n`),
          });
          process.stdout.write(`${JSON.stringify(report)}\n`);
        } finally {
          await store.close();
        }
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
