export * from './shared';
export * from './ssda903-codes';
export * from './setting/types';
export * from './bed/types';
export * from './household/types';
export * from './contract/types';
export * from './referral/types';
export * from './child/types';

// Each stream type as a namespace (Setting.decide, Bed.streamId, …) and as a flat decider object.
export * as Setting from './setting/setting';
export * as Bed from './bed/bed';
export * as Household from './household/household';
export * as Contract from './contract/contract';
export * as Referral from './referral/referral';
export * as Child from './child/child';
export {
  settingDecider,
  streamId as settingStreamId,
  occupyFactsOf,
  isOpenOn as settingIsOpenOn,
} from './setting/setting';
export {
  bedDecider,
  streamId as bedStreamId,
  meetingCoversResidents,
  residentsToAssess,
  isFreeFor as bedIsFreeFor,
  residentsOn,
  bookingsOf as bedBookingsOf,
  holdExpired,
  liveHold,
  dayOf as bedDayOf,
  occupantOn,
} from './bed/bed';
export {
  householdDecider,
  streamId as householdStreamId,
  placementsOn as householdPlacementsOn,
  householdMemberAgesOn,
} from './household/household';
export {
  checkHouseholdFit,
  termsOn,
  USUAL_FOSTERING_LIMIT,
  type HouseholdFitInput,
  type HouseholdBooking,
} from './household/terms';
export {
  contractDecider,
  streamId as contractStreamId,
  allocationOn as blockBedAllocationOn,
  allocationsOfBed,
} from './contract/contract';
export {
  referralDecider,
  streamId as referralStreamId,
  latestMeeting,
  meetingFor,
  overriddenBy,
} from './referral/referral';
export { childDecider, streamId as childStreamId, openPlacement, placementOn } from './child/child';
export {
  childDetailsProblems,
  isUpnUnknownCode,
  isValidUpn,
  upnCheckLetter,
  upnProblem,
  UPN_LETTERS,
  UPN_UNKNOWN_CODES,
  type ChildDetails,
  type ChildDetailsProblem,
  type MotherCode,
  type UpnUnknownCode,
} from './child/details';
export * from './placement';
export { upcast, currentSchemaVersion, type StoredEvent } from './upcasting';
export { STREAM_DECIDERS, streamKindOf, type StreamKind } from './streams';
export type { DomainEvent } from './events';
