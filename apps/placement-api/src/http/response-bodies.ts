/**
 * Every JSON body a read route answers with, by the name the OpenAPI document gives its schema.
 *
 * The schemas are generated from these TypeScript types, not written twice:
 * `npm run openapi:schemas` writes `response-schemas.json` beside this file, and the OpenAPI
 * spec fails while that file is stale. A read route names its body with `ApiRead(summary,
 * codes, 'Name')`; the e2e suite checks that the seeded estate's answers match the schemas.
 */
import type { ReferralState } from '@placement/domain';
import type {
  AlertPage,
  BedAudit,
  CapacityView,
  ChildAudit,
  ChildPage,
  ContractPage,
  ContractRecord,
  HouseholdPage,
  HouseholdRecord,
  PlacementPage,
  ReferralAudit,
  ReferralPage,
  SettingPage,
  StepDownPage,
  SufficiencyTrends,
  UtilisationReport,
} from '@placement/projections';
import type { AccessPage } from '../access/access.controller';
import type { VerifyReport } from '../audit/audit.queries';
import type { HouseholdDiary, SettingDiary } from '../diaries/diaries.queries';
import type { Ssda903Report } from '../exports/exports.queries';
import type { MatchesView } from '../matching/matches.handlers';
import type { ChildView } from '../referrals/referrals.handlers';
import type { SettingView } from '../settings/settings.handlers';
import type { AtPosition } from './pagination';

/**
 * A page of the night's units (filtered) with the whole estate's totals, and the next page's URL
 * (null on the last).
 */
export type CapacityBody = CapacityView & { readonly next: string | null };
export type UtilisationBody = UtilisationReport;
export type SufficiencyTrendsBody = SufficiencyTrends;
export type SettingBody = SettingView;
export type SettingDiaryBody = SettingDiary;
export type HouseholdBody = AtPosition<HouseholdRecord>;
export type HouseholdDiaryBody = HouseholdDiary;
export type ContractBody = AtPosition<ContractRecord>;
export type ReferralBody = ReferralState;
export type MatchesBody = MatchesView;
export type ChildBody = ChildView;
export type ChildAuditBody = ChildAudit;
export type ReferralAuditBody = ReferralAudit;
export type BedAuditBody = BedAudit;
export type VerifyBody = VerifyReport;
export type AccessLogPage = AccessPage;
export type Ssda903ReportBody = Ssda903Report;
/** Each list's page, declared with `ListBody` in the projections, where the board's port names it too. */
export type {
  AlertPage,
  ChildPage,
  ContractPage,
  HouseholdPage,
  PlacementPage,
  ReferralPage,
  SettingPage,
  StepDownPage,
};

/** The names a read route may give its body (each a schema in the document). */
export interface ResponseBodies {
  CapacityBody: CapacityBody;
  UtilisationBody: UtilisationBody;
  SufficiencyTrendsBody: SufficiencyTrendsBody;
  SettingPage: SettingPage;
  SettingBody: SettingBody;
  SettingDiaryBody: SettingDiaryBody;
  HouseholdPage: HouseholdPage;
  HouseholdBody: HouseholdBody;
  HouseholdDiaryBody: HouseholdDiaryBody;
  ContractPage: ContractPage;
  ContractBody: ContractBody;
  ReferralPage: ReferralPage;
  ReferralBody: ReferralBody;
  MatchesBody: MatchesBody;
  ChildPage: ChildPage;
  ChildBody: ChildBody;
  PlacementPage: PlacementPage;
  StepDownPage: StepDownPage;
  AlertPage: AlertPage;
  ChildAuditBody: ChildAuditBody;
  ReferralAuditBody: ReferralAuditBody;
  BedAuditBody: BedAuditBody;
  VerifyBody: VerifyBody;
  AccessLogPage: AccessLogPage;
  Ssda903ReportBody: Ssda903ReportBody;
}

export type ResponseBodyName = keyof ResponseBodies;
