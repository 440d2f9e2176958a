import type { ProviderRoute, UnitKind } from './model';
import type { RankingCriterion } from './policy';

/** Why a unit cannot be offered. Codes are stable: the API and audit depend on them. */
export type ExclusionCode =
  | 'OUT_OF_USE'
  | 'OCCUPIED'
  | 'HELD'
  | 'SETTING_FULL'
  | 'HOUSEHOLD_FULL'
  | 'AGE_OUTSIDE_REGISTRATION'
  | 'SEX_OUTSIDE_REGISTRATION'
  | 'APPROVAL_TERMS'
  | 'SIBLINGS_NOT_APPROVED'
  | 'SIBLING_GROUP_SPLIT'
  | 'PLACEMENT_TYPE_UNSUITABLE'
  | 'SUPPORTED_ACCOMMODATION_UNDER_16'
  | 'EMERGENCY_BED_PLANNED_REFERRAL'
  | 'NOT_EMERGENCY_APPROVED'
  | 'RESIDENT_RISK'
  | 'HOUSEHOLD_MEMBER_RISK'
  | 'RISK_NOT_ACCEPTED'
  | 'CANNOT_LIVE_WITH'
  | 'ADAPTATIONS_MISSING'
  | 'OUT_OF_DISTANCE'
  | 'OVER_BUDGET'
  | 'BOOKED_FROM';

export const EXCLUSION_CODES: readonly ExclusionCode[] = [
  'OUT_OF_USE',
  'OCCUPIED',
  'HELD',
  'SETTING_FULL',
  'HOUSEHOLD_FULL',
  'AGE_OUTSIDE_REGISTRATION',
  'SEX_OUTSIDE_REGISTRATION',
  'APPROVAL_TERMS',
  'SIBLINGS_NOT_APPROVED',
  'SIBLING_GROUP_SPLIT',
  'PLACEMENT_TYPE_UNSUITABLE',
  'SUPPORTED_ACCOMMODATION_UNDER_16',
  'EMERGENCY_BED_PLANNED_REFERRAL',
  'NOT_EMERGENCY_APPROVED',
  'RESIDENT_RISK',
  'HOUSEHOLD_MEMBER_RISK',
  'RISK_NOT_ACCEPTED',
  'CANNOT_LIVE_WITH',
  'ADAPTATIONS_MISSING',
  'OUT_OF_DISTANCE',
  'OVER_BUDGET',
  'BOOKED_FROM',
];

/** Things the panel must know about a unit it may still offer. */
export type CautionCode =
  | 'HELD_FOR_THIS_REFERRAL'
  | 'OVER_BUDGET'
  | 'OUT_OF_AREA'
  | 'OUTSIDE_APPROVAL_TERMS_EMERGENCY'
  | 'SIBLING_GROUP_SPLIT'
  | 'FREE_UNTIL';

export interface Reason<C extends string = ExclusionCode> {
  code: C;
  message: string;
}

export type Caution = Reason<CautionCode>;

interface UnitSummary {
  unitId: string;
  settingId: string;
  kind: UnitKind;
  route: ProviderRoute;
}

export interface ExcludedUnit extends UnitSummary {
  outcome: 'excluded';
  reasons: Reason[];
}

/** One named part of a ranked unit's score; `tier` is what is compared (lower is better). */
export interface ScorePart {
  criterion: RankingCriterion;
  tier: number;
  value: string | number | boolean | null;
  explanation: string;
}

export interface RankedUnit extends UnitSummary {
  outcome: 'ranked';
  /** 1 is the best match. */
  rank: number;
  distanceKm: number | null;
  weeklyCostPence: number;
  /** In the policy's order. */
  score: ScorePart[];
  cautions: Caution[];
}

export interface MatchResult {
  engineVersion: string;
  inputsHash: string;
  referralId: string;
  asAt: string;
  ranked: RankedUnit[];
  /** In unit id order. Every unit of the snapshot is in `ranked` or here, exactly once. */
  excluded: ExcludedUnit[];
}
