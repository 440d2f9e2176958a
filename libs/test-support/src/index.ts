export * from './bodies';
export { Prng, seedFrom } from './prng';
export * from './recorded';
