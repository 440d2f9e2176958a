import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One figure, printed as one JSON line. */
export interface BenchLine {
  /** Dotted name, e.g. `append.single`. */
  readonly bench: string;
  readonly value: number;
  /** e.g. `events/s`. */
  readonly unit: string;
  /** The raw figure measured in the same run to compare against, when there is one. */
  readonly baseline?: number;
  /** value / baseline, when there is a baseline. */
  readonly ratio?: number;
}

export function emit(line: BenchLine): void {
  const rounded: BenchLine = {
    ...line,
    value: round(line.value),
    ...(line.baseline === undefined
      ? {}
      : { baseline: round(line.baseline), ratio: round(line.value / line.baseline, 3) }),
  };
  process.stdout.write(`${JSON.stringify(rounded)}\n`);
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A bench module: other parts add theirs to ./benches/index.ts. */
export interface Bench {
  readonly name: string;
  /** Every figure the module emits, in order: a run that stops early, or skips one, is a broken bench. */
  readonly figures: readonly string[];
  run(context: BenchContext): Promise<void>;
}

/**
 * `full` measures (`npm run bench`); `smoke` runs every step at a tiny size, in seconds, so that
 * `npm test` fails when a change breaks a bench. Smoke figures mean nothing and are never judged.
 */
export type BenchSize = 'full' | 'smoke';

export interface BenchContext {
  readonly emit: (line: BenchLine) => void;
  /** A fresh directory under os.tmpdir(), removed after the module ran. */
  readonly tmpDir: string;
  readonly size: BenchSize;
}

/** Runs one module in a fresh temporary directory, removed afterwards. */
export async function runBench(
  bench: Bench,
  size: BenchSize,
  emitLine: (line: BenchLine) => void = emit,
): Promise<void> {
  const tmp = makeTmpDir(`bench-${bench.name}`);
  try {
    await bench.run({ emit: emitLine, tmpDir: tmp.dir, size });
  } finally {
    tmp.remove();
  }
}

export function makeTmpDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `body` repeatedly for about `ms` and returns operations per second (`body` returns how many it did). */
export async function ratePerSecond(ms: number, body: () => Promise<number> | number): Promise<number> {
  let done = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    done += await body();
    elapsed = process.hrtime.bigint() - start;
  }
  return done / (Number(elapsed) / 1e9);
}

/** Seconds taken by `body`. */
export async function timeIt(body: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await body();
  return Number(process.hrtime.bigint() - start) / 1e9;
}
