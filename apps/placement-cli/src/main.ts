import { Command, CommanderError } from 'commander';
import * as copy from './commands/copy';
import * as verify from './commands/verify';
import * as seed from './commands/seed';
import * as exportCommand from './commands/export';
import * as importCommand from './commands/import';
import * as replay from './commands/replay';
import * as exportChild from './commands/export-child';
import * as backup from './commands/backup';
import * as rebuild from './commands/rebuild';

/**
 * The operator tool: `npm run cli -- <command> [options]`.
 *
 * To add a command: write `commands/<name>.ts` exporting `register(program: Command)`
 * (define the subcommand there and set `process.exitCode` in its action), import it
 * below and add it to `commands`. That one import and one list entry is all main.ts needs.
 */
const commands: ReadonlyArray<{ register(program: Command): void }> = [
  verify,
  copy,
  seed,
  replay,
  exportCommand,
  importCommand,
  exportChild,
  backup,
  rebuild,
];

export function buildProgram(): Command {
  const program = new Command()
    .name('placement-cli')
    .description('Operator tool for the placement engine: verify the event log, and more as commands are added.')
    .showHelpAfterError()
    .exitOverride();
  for (const command of commands) command.register(program);
  return program;
}

async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; a usage mistake exits 2 (1 is kept for "the log was altered").
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    // Operators get one line, never a stack trace.
    process.stderr.write(`placement-cli: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

if (require.main === module) void main(process.argv);
