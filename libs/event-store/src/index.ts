export * from './port';
export * from './errors';
export { canonicalJson } from './canonical-json';
export { everyEvent } from './every-event';
export { eventHash, eventHashFromCanonicalText, globalHash, sha256Hex, type HashedEvent } from './hashing';
export * from './sqlite';
export * from './eventstoredb';
export * from './copy';
