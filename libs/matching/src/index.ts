export * from './model';
export * from './policy';
export * from './result';
export { ageOn } from './age';
export { distanceKm } from './evaluate';
export { ENGINE_VERSION, canonicalJson, inputsHash, snapshotDigest } from './inputs-hash';
export { InconsistentSnapshotError, match } from './match';
export {
  DEFAULT_SUMMARY_LIMIT,
  MatchingIndex,
  type IndexedMatchOptions,
  type IndexedMatchResult,
  type MatchDetail,
} from './matching-index';
// The seed-national command draws from the same PRNG as the synthetic estate.
export { seededRandom } from '@placement/domain';
// The synthetic estate is part of the build so the bench and the national seed can use it.
export {
  ROTHERHAM,
  syntheticEstate,
  syntheticReferrals,
  type EstateScale,
  type PostcodeDistrict,
  type SyntheticEstate,
  type SyntheticEstateOptions,
} from './synthetic/synthetic-estate';
// The capacity the engine reads, folded from the domain's events (docs/architecture.md, "A query's path").
export {
  districtOf,
  evolve,
  holdEnds,
  initialCapacity,
  type CapacityEvent,
  type CapacityState,
  type DistrictCentroid,
} from './capacity/capacity';
export {
  ASSUMED_BLOCK_REGISTRATION,
  WEEKLY_COST_PENCE,
  bedUnitId,
  blockBedUnitId,
  householdUnitId,
  snapshotAt,
  type CapacityView,
} from './capacity/snapshot';
export {
  canLiveWith,
  matchingNeeds,
  matchingRisksToOthers,
  matchingRisksToSelf,
  type ChildForMatching,
} from './capacity/referral-needs';
