// One mulberry32 for the whole repository: the domain's (pure, so production libs draw from it too).
export { Prng } from '@placement/domain';

/** A seed from the environment (to reproduce) or a fresh one. */
export function seedFrom(envName: string): number {
  const given = process.env[envName];
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isInteger(n)) throw new Error(`${envName} must be a whole number`);
    return n;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
