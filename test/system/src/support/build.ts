import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root: compiled code must live under it so node finds node_modules. */
export const ROOT = path.resolve(__dirname, '../../../..');
/**
 * A private build (not dist/): other engineers build dist/ while these tests run, and a
 * half-written dist/ would make a crash test fail for the wrong reason. Laid out as the image is
 * (`dist/` and `tools/register-paths.js` side by side), so the API starts with the same
 * register file as `npm start` and the image: an alias it lacks fails here too.
 */
const BUILD_ROOT = path.join(ROOT, 'tmp', 'system-build');
const BUILD_DIR = path.join(BUILD_ROOT, 'dist');
export const REGISTER = path.join(BUILD_ROOT, 'tools', 'register-paths.js');
export const API_MAIN = path.join(BUILD_DIR, 'apps/placement-api/src/main.js');
export const CLI_MAIN = path.join(BUILD_DIR, 'apps/placement-cli/src/main.js');
const STAMP = path.join(BUILD_DIR, '.built-at');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') newest = Math.max(newest, newestSource(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

function sourcesNewestMtime(): number {
  let newest = Math.max(
    statSync(path.join(ROOT, 'tsconfig.build.json')).mtimeMs,
    statSync(path.join(ROOT, 'tools', 'register-paths.js')).mtimeMs,
  );
  for (const group of ['apps', 'libs']) {
    for (const project of readdirSync(path.join(ROOT, group))) {
      const src = path.join(ROOT, group, project, 'src');
      if (existsSync(src)) newest = Math.max(newest, newestSource(src));
    }
  }
  return newest;
}

/**
 * Compiles apps and libs once (what `npm run build` compiles) unless the build is newer
 * than every source file. Type errors elsewhere in the workspace do not stop the emit;
 * they are printed, and a missing entry point fails loudly.
 */
export function ensureBuilt(): void {
  if (existsSync(STAMP) && existsSync(API_MAIN) && statSync(STAMP).mtimeMs > sourcesNewestMtime()) return;
  mkdirSync(BUILD_DIR, { recursive: true });
  const startedAt = Date.now();
  const tsc = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR],
    {
      cwd: ROOT,
      encoding: 'utf8',
      // Hung, not slow: on a busy machine the build takes minutes, and a killed tsc leaves the old files.
      timeout: 900_000,
    },
  );
  // Killed or never started: what is in the build directory is (partly) the previous build, so no stamp.
  if (tsc.error !== undefined || tsc.signal !== null) {
    throw new Error(`system tests: tsc did not finish (${tsc.error?.message ?? tsc.signal}); the build is not stamped`);
  }
  if (tsc.status !== 0)
    process.stderr.write(`system tests: tsc reported errors (emitted anyway):\n${tsc.stdout.slice(0, 4000)}\n`);
  if (!existsSync(API_MAIN) || !existsSync(CLI_MAIN))
    throw new Error(`system tests: the build did not produce ${API_MAIN}`);
  mkdirSync(path.dirname(REGISTER), { recursive: true });
  copyFileSync(path.join(ROOT, 'tools', 'register-paths.js'), REGISTER);

  // Stamped with the start time: a source saved during the build makes the next run rebuild.
  writeFileSync(STAMP, new Date(startedAt).toISOString());
  utimesSync(STAMP, new Date(startedAt), new Date(startedAt));
}
