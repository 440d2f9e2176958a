export { parseAsOf, recordedBy } from './as-of';
export {
  describe as describeDecision,
  unitWords,
  asAuditable,
  type AuditableEvent,
  type Description,
  type ChosenUnit,
} from './describe';
export { childRelated, referralRelated, type RelatedSelector } from './related';
export { buildTimeline, type AuditEntry, type OptionsOnTable, type SystemAction } from './timeline';
export {
  readChildAudit,
  readReferralAudit,
  readBedAudit,
  type AuditSubject,
  type AuditHistory,
  type ChildAudit,
  type ReferralAudit,
  type BedAudit,
  type AsOfOptions,
} from './replay';
export { statesBefore } from './states-before';
