import { benches } from './benches';
import { runBench, type BenchLine } from './harness';

/*
 * Every bench module, at its smoke size, inside `npm test`: a change that breaks a bench (a
 * refused request, a renamed export, a figure no longer reached) fails here rather than on the
 * next `npm run bench`. Only the shape of the output is checked, never a figure's value.
 */
describe.each(benches.map((bench) => [bench.name, bench] as const))('bench %s (smoke size)', (_name, bench) => {
  it('runs to the end and emits each of its figures once, as a finite number with a unit', async () => {
    const lines: BenchLine[] = [];
    await runBench(bench, 'smoke', (line) => lines.push(line));
    expect(lines.map((line) => line.bench)).toEqual(bench.figures);
    for (const line of lines) {
      expect(`${line.bench} ${Number.isFinite(line.value)} ${typeof line.unit}`).toBe(`${line.bench} true string`);
      if (line.baseline !== undefined) expect(Number.isFinite(line.baseline)).toBe(true);
    }
  }, 120_000);
});
