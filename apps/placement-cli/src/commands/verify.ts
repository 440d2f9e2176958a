import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { openSqliteEventStore, type VerifyOptions, type VerifyResult } from '@placement/event-store';

/** Exit codes: 0 intact, 1 the log was altered, deleted, reordered or cut, 2 the file could not be checked. */
export const VERIFY_INTACT = 0;
export const VERIFY_BROKEN = 1;
export const VERIFY_UNREADABLE = 2;

type ExpectedHead = NonNullable<VerifyOptions['expectedHead']>;

export function register(program: Command): void {
  program
    .command('verify')
    .description('Recompute every hash chain of the event log and name the first broken link.')
    .requiredOption('--db <file>', 'the sqlite event store file')
    .option('--head <position:hash>', 'a head printed by an earlier verify; fails if it is gone or changed', parseHead)
    .action(async (options: { db: string; head?: ExpectedHead }) => {
      process.exitCode = await verify(options.db, options.head);
    });
}

export function parseHead(value: string): ExpectedHead {
  const match = /^(\d+):([0-9a-f]{64})$/i.exec(value.trim());
  if (match === null) throw new InvalidArgumentError('expected <position>:<sha-256 hex>, as printed by verify');
  return { position: BigInt(match[1]), hash: match[2].toLowerCase() };
}

async function verify(path: string, expectedHead: ExpectedHead | undefined): Promise<number> {
  if (!existsSync(path)) {
    process.stderr.write(`verify: no event store at ${path} (the file does not exist)\n`);
    return VERIFY_UNREADABLE;
  }
  let result: VerifyResult;
  try {
    // Read-only: verify never creates a missing file and never changes the one it checks.
    const store = await openSqliteEventStore({ path, readonly: true });
    try {
      result = await store.verify(expectedHead === undefined ? {} : { expectedHead });
    } finally {
      await store.close();
    }
  } catch (error) {
    process.stderr.write(`verify: ${error instanceof Error ? error.message : String(error)}\n`);
    return VERIFY_UNREADABLE;
  }
  process.stdout.write(`${summary(result)}\n`);
  return result.ok ? VERIFY_INTACT : VERIFY_BROKEN;
}

export function summary(result: VerifyResult): string {
  if (result.ok) {
    const head = result.head === null ? 'none (empty log)' : `${result.head.position}:${result.head.hash}`;
    return `intact: ${events(result.events)} verified; head ${head} (record it, then check later with --head)`;
  }
  const link = result.brokenLink;
  const where = link.streamId === undefined ? '' : ` (stream ${link.streamId}, revision ${String(link.revision)})`;
  return `BROKEN at position ${link.position}${where}, ${link.chain} chain: ${link.reason}; ${events(result.events)} verified before it`;
}

function events(count: number): string {
  return count === 1 ? '1 event' : `${count} events`;
}
