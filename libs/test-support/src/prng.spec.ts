import { Prng } from './prng';

describe('Prng', () => {
  it('gives the same sequence for the same seed, and another for another seed', () => {
    const draws = (seed: number) =>
      Array.from(
        { length: 5 },
        (
          (p) => () =>
            p.next()
        )(new Prng(seed)),
      );
    expect(draws(2023)).toEqual(draws(2023));
    expect(draws(2023)).not.toEqual(draws(2024));
  });

  it('draws int from min up to but not including max, and between from min to max inclusive', () => {
    const prng = new Prng(7);
    const ints = new Set(Array.from({ length: 500 }, () => prng.int(1, 4)));
    const betweens = new Set(Array.from({ length: 500 }, () => prng.between(1, 4)));
    expect([...ints].sort()).toEqual([1, 2, 3]);
    expect([...betweens].sort()).toEqual([1, 2, 3, 4]);
  });

  it('refuses to pick from an empty list', () => {
    expect(() => new Prng(1).pick([])).toThrow('pick from an empty list');
  });
});
