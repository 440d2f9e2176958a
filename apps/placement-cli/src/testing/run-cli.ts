import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real CLI run in its own process from the repository's root, as an operator runs it. The timeout
 * is generous: under load (the whole suite on two cores) a spawned CLI's transpile alone can take a minute.
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  const result = spawnSync(
    process.execPath,
    ['-r', join(__dirname, 'transpile-hook.js'), join(__dirname, '../main.ts'), ...args],
    { cwd: resolve(__dirname, '../../../..'), encoding: 'utf8', timeout: 180_000, env },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
