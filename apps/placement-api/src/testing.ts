/**
 * What black-box tests and the operator CLI may take from the API app: the same bootstrap
 * `npm start` runs, so they exercise exactly the production wiring.
 */
export { bootstrapApplication } from './bootstrap';
export type { BootstrapOptions } from './bootstrap';
export { createOperatorContext } from './operator-context';
export { Seeder } from './seed/seeder';
export { CLOCK, EVENT_STORE, LOG_TAIL } from './store/store.module';
export type { LogTail } from './store/log-tail';
export { ProjectionsService } from './projections/projections.service';
export { applyImportPlan, exportSsda903, importedSettingId, readChildHistories } from './exports/ssda903-store';
export type { ImportWriteSummary, ImportWriter } from './exports/ssda903-store';
export { englandPostcodeDistricts } from './seed/reference-data';
export { AccessLog, accessEntryHash } from './access/access-log';
export type { AccessEntry, AccessInput, AccessVerifyResult } from './access/access-log';
export { accessLogPathOf } from './config/environment';
export { bodyValidator } from './http/body-validator';
export type { CommandResult } from './commands/command';
export type { ProblemDetails } from './http/problem';
export type * from './http/response-bodies';
