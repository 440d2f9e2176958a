/**
 * mulberry32: a tiny seeded PRNG, the same sequence on every machine for a seed, so a demo
 * estate or a synthetic log is the same everywhere and a failing randomised run is reproduced
 * from its printed seed. Pure (no clock, no I/O): the one copy the seeds, the synthetic estates
 * and the tests all draw from.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws over `seededRandom`: whole numbers, picks and chances. */
export class Prng {
  readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = seededRandom(seed);
  }

  int(minInclusive: number, maxExclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxExclusive - minInclusive));
  }

  /** A whole number from `min` to `max`, both included. */
  between(min: number, max: number): number {
    return this.int(min, max + 1);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}
