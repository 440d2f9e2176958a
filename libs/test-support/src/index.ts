export * from './bodies';
export { Prng, seedFrom } from './prng';
export * from './recorded';
export { ACTOR_OF_TOKEN, TOKENS } from './tokens';
