import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { AccessLog, type AccessVerifyResult } from '@placement/api';
import { openSqliteEventStore, type VerifyOptions, type VerifyResult } from '@placement/event-store';

/** Exit codes: 0 intact, 1 a log was altered, deleted, reordered or cut, 2 a file could not be checked. */
export const VERIFY_INTACT = 0;
export const VERIFY_BROKEN = 1;
export const VERIFY_UNREADABLE = 2;

type ExpectedHead = NonNullable<VerifyOptions['expectedHead']>;
type AccessHead = { seq: number; hash: string };

interface VerifyCommandOptions {
  db?: string;
  head?: ExpectedHead;
  accessLog?: string;
  accessHead?: AccessHead;
}

export function register(program: Command): void {
  program
    .command('verify')
    .description(
      'Recompute every hash chain of the event log (--db) and of the access log (--access-log); name the first ' +
        'broken link.',
    )
    .option('--db <file>', 'the sqlite event store file')
    .option('--head <position:hash>', 'a head printed by an earlier verify; fails if it is gone or changed', parseHead)
    .option('--access-log <file>', "the access log (who read which child's record)")
    .option(
      '--access-head <seq:hash>',
      "the access log's head printed by an earlier verify; fails if it is gone or changed",
      parseAccessHead,
    )
    .action(async (options: VerifyCommandOptions) => {
      process.exitCode = await verifyAll(options);
    });
}

export function parseAccessHead(value: string): AccessHead {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/i.exec(value.trim());
  if (match === null) throw new InvalidArgumentError('expected <seq>:<sha-256 hex>, as printed by verify');
  return { seq: Number(match[1]), hash: match[2].toLowerCase() };
}

async function verifyAll(options: VerifyCommandOptions): Promise<number> {
  if (options.db === undefined && options.accessLog === undefined) {
    process.stderr.write('verify: name the event log (--db <file>), the access log (--access-log <file>), or both\n');
    return VERIFY_UNREADABLE;
  }
  const codes: number[] = [];
  if (options.db !== undefined) codes.push(await verify(options.db, options.head));
  if (options.accessLog !== undefined) codes.push(verifyAccessLog(options.accessLog, options.accessHead));
  return Math.max(...codes);
}

function verifyAccessLog(path: string, expectedHead: AccessHead | undefined): number {
  if (!existsSync(path)) {
    process.stderr.write(`verify: no access log at ${path} (the file does not exist)\n`);
    return VERIFY_UNREADABLE;
  }
  let result: AccessVerifyResult;
  try {
    // Read-only, like the event log's check.
    const log = AccessLog.open({ path, readonly: true });
    try {
      result = log.verify({ expectedHead });
    } finally {
      log.close();
    }
  } catch (error) {
    process.stderr.write(`verify: ${error instanceof Error ? error.message : String(error)}\n`);
    return VERIFY_UNREADABLE;
  }
  process.stdout.write(`${accessSummary(result)}\n`);
  return result.ok ? VERIFY_INTACT : VERIFY_BROKEN;
}

export function accessSummary(result: AccessVerifyResult): string {
  const entries = (n: number) => (n === 1 ? '1 entry' : `${n} entries`);
  if (result.ok) {
    const head = result.head === null ? 'none (empty log)' : `${result.head.seq}:${result.head.hash}`;
    return (
      `access log intact: ${entries(result.entries)} verified; head ${head} (record it, then check later with ` +
      `--access-head)`
    );
  }
  return (
    `access log BROKEN at entry ${result.brokenLink.seq}: ${result.brokenLink.reason}; ` +
    `${entries(result.entries)} verified before it`
  );
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
  return (
    `BROKEN at position ${link.position}${where}, ${link.chain} chain: ${link.reason}; ` +
    `${events(result.events)} verified before it`
  );
}

function events(count: number): string {
  return count === 1 ? '1 event' : `${count} events`;
}
