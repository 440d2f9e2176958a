import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { AccessLog, accessLogPathOf } from '@placement/api';

export interface AccessLogOptions {
  readonly accessLog?: string;
  readonly operator?: string;
}

const OPERATOR = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/** Adds `--access-log` and `--operator` to a command that reads children's records. */
export function withAccessLogOptions(command: Command): Command {
  return command
    .option(
      '--access-log <file>',
      'the access log this read is recorded in (default ACCESS_LOG_PATH, else access-log.db beside --db)',
    )
    .option('--operator <id>', 'who runs this read, as the access log records it (default: the OS user name)');
}

function operatorOf(options: AccessLogOptions): string {
  if (options.operator !== undefined) return options.operator;
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Records that the operator read these children's records, before anything is shown or written.
 * The CLI reads the same access log as the API (role `operator`, route `cli <command>`). Returns
 * an error message for the operator when the read could not be recorded: then nothing is output.
 */
export function recordCliRead(
  db: string,
  options: AccessLogOptions,
  command: string,
  childIds: readonly string[],
  now: Date,
): string | null {
  const operator = operatorOf(options);
  if (!OPERATOR.test(operator)) return 'the operator id must be 1–128 letters, digits, ., _, @ or -';
  const file = accessLogPathOf({
    ACCESS_LOG_PATH: options.accessLog ?? (process.env['ACCESS_LOG_PATH'] || undefined),
    SQLITE_PATH: db,
  });
  try {
    const log = AccessLog.open({ path: file });
    try {
      log.append(
        childIds.map((childId) => ({
          actorId: operator,
          role: 'operator',
          route: `cli ${command}`,
          childId,
          outcome: 'read',
        })),
        now,
      );
    } finally {
      log.close();
    }
    return null;
  } catch (error) {
    return (
      `this read could not be recorded in the access log, so nothing was output ` +
      `(${error instanceof Error ? error.message : String(error)})`
    );
  }
}
