import { Command } from 'commander';
import {
  CopyClock,
  copyStore,
  DEFAULT_STREAM_PREFIX,
  openEventStoreDbEventStore,
  openSqliteEventStore,
  type Clock,
  type CopyReport,
  type EventStore,
} from '@placement/event-store';

/**
 * `copy --from sqlite:<file> --to esdb:<connection string>|sqlite:<file>`: moves a
 * council's log to EventStoreDB (or takes a sqlite copy), resumable, verified at the end.
 * Output is counts and positions only: never event data (children's records).
 */

export type StoreSpec =
  { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'esdb'; readonly connectionString: string };

export function parseStoreSpec(text: string): StoreSpec {
  const colon = text.indexOf(':');
  const scheme = colon < 0 ? '' : text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (scheme === 'sqlite' && rest !== '') return { kind: 'sqlite', path: rest };
  if (scheme === 'esdb' && rest !== '') return { kind: 'esdb', connectionString: rest };
  throw new Error(
    `"${describeSpec(text)}" is not a store: use sqlite:<file> or esdb:<connection string> (e.g. ` +
      `esdb:esdb://host:2113?tls=false)`,
  );
}

/** For messages: a connection string's password is never printed. */
export function describeSpec(text: string): string {
  return text.replace(/(\/\/[^:@/]+):([^@/]*)@/, '$1:***@');
}

async function openSpec(spec: StoreSpec, role: 'source' | 'target', clock?: Clock): Promise<EventStore> {
  switch (spec.kind) {
    case 'sqlite':
      // A mistyped source path must not silently create an empty log and "copy" nothing.
      return openSqliteEventStore({ path: spec.path, clock, mustExist: role === 'source' });
    case 'esdb':
      // The API's stream prefix (ESDB_STREAM_PREFIX): a copy the API cannot see is no copy.
      return openEventStoreDbEventStore({
        connectionString: spec.connectionString,
        namespace: process.env['ESDB_STREAM_PREFIX'] || DEFAULT_STREAM_PREFIX,
        clock,
      });
    default: {
      const _exhaustive: never = spec;
      throw new Error(`unknown store ${String(_exhaustive)}`);
    }
  }
}

export interface CopyCommandIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** Runs one copy; returns the process exit code (0: copied and verified). */
export async function runCopy(from: string, to: string, io: CopyCommandIo): Promise<number> {
  const source = await openSpec(parseStoreSpec(from), 'source');
  const clock = new CopyClock();
  let target: EventStore;
  try {
    target = await openSpec(parseStoreSpec(to), 'target', clock);
  } catch (error) {
    await source.close();
    throw error;
  }
  try {
    let lastReport = 0;
    const report = await copyStore(source, target, {
      clock,
      signal: io.signal,
      onProgress: (p) => {
        const now = Date.now();
        if (now - lastReport < 1_000 && p.position !== p.sourceHead) return;
        lastReport = now;
        io.err(
          `copy: ${p.events} events (${p.written} written, ${p.alreadyPresent} already there), position ` +
            `${p.position} of ${p.sourceHead}`,
        );
      },
    });
    return summarise(report, io);
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}

function summarise(report: CopyReport, io: CopyCommandIo): number {
  const counts =
    `${report.events} events in ${report.streams} streams: ${report.written} written, ` +
    `${report.alreadyPresent} already there`;
  if (report.aborted) {
    io.err(`copy interrupted after ${counts}; run the same command again to resume`);
    return 130;
  }
  const verify = report.targetVerify;
  if (verify !== undefined && !verify.ok) {
    const link = verify.brokenLink;
    io.err(
      `copy FAILED verification: target ${link.chain} chain broken at position ` +
        `${link.position}${link.streamId ? ` (${link.streamId})` : ''}: ${link.reason}`,
    );
    return 1;
  }
  if (report.mismatch) {
    io.err(`copy FAILED comparison with the source: ${report.mismatch}`);
    return 1;
  }
  io.out(`copied ${counts}; target chains verified and every event matches the source`);
  if (verify?.ok && verify.head !== null)
    io.out(`target head ${verify.head.position}:${verify.head.hash} (record it: verify --head)`);
  return 0;
}

export function register(program: Command): void {
  program
    .command('copy')
    .description(
      'copy every event to another store (e.g. sqlite → EventStoreDB, into streams prefixed with ' +
        'ESDB_STREAM_PREFIX, default placement-); resumable, verified afterwards',
    )
    .requiredOption('--from <store>', 'source: sqlite:<file> or esdb:<connection string>')
    .requiredOption('--to <store>', 'target: esdb:<connection string> or sqlite:<file>')
    .action(async (options: { from: string; to: string }) => {
      const interrupt = new AbortController();
      const onSigint = () => interrupt.abort();
      process.once('SIGINT', onSigint);
      try {
        process.exitCode = await runCopy(options.from, options.to, {
          out: (line) => process.stdout.write(`${line}\n`),
          err: (line) => process.stderr.write(`${line}\n`),
          signal: interrupt.signal,
        });
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
