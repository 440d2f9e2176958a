export { parseAsOf, recordedBy } from './as-of';
export {
  describe as describeDecision,
  unitWords,
  asAuditable,
  type AuditableEvent,
  type Description,
  type ChosenUnit,
} from './describe';
export { childRelated, referralRelated, type RelatedSeed, type RelatedSelector } from './related';
export { AUDIT_INDEX, auditIndexProjection } from './audit-index.projection';
export { readIndexedHistory, type IndexedEvent, type IndexedHistory, type IndexedSubject } from './audit-index.query';
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
