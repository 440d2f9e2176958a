import type { BusinessDate } from './dates';
import { exhaustive } from './exhaustive';
import type { PlaceProviderCode } from '../ssda903-codes';

/** SSDA903 SEX from 2024/25: M, F or U (unknown/indeterminate). */
export type ChildSex = 'M' | 'F' | 'U';
/** Which sexes a registration or approval accepts. */
export type SexesAccepted = 'M' | 'F' | 'any';

/** Inclusive, in completed years. */
export interface AgeRange {
  readonly min: number;
  readonly max: number;
}

export type FosterPlacementType = 'emergency' | 'short-term' | 'long-term' | 'respite';

/** The facts about a child a registration or approval check needs. */
export interface ChildFacts {
  readonly childId: string;
  readonly dateOfBirth: BusinessDate;
  readonly sex: ChildSex;
}

export interface ProviderRef {
  readonly name: string;
  readonly code: PlaceProviderCode;
}

/** Where a child is placed: the contended unit whose stream is appended first. */
export type UnitRef =
  | { readonly kind: 'bed'; readonly settingId: string; readonly bedId: string }
  | { readonly kind: 'household'; readonly householdId: string }
  | { readonly kind: 'block-bed'; readonly contractId: string; readonly bedRef: string }
  /** A spot purchase: no stream of ours holds the place, so nothing to contend. */
  | { readonly kind: 'external'; readonly urn: string | null; readonly provider: ProviderRef };

/**
 * A unit's reference alone: its kind and ids, without anything else the value carries (a loaded unit's
 * state, the fields of an event that names it).
 */
export function unitRefOf(unit: UnitRef): UnitRef {
  switch (unit.kind) {
    case 'bed':
      return { kind: 'bed', settingId: unit.settingId, bedId: unit.bedId };
    case 'household':
      return { kind: 'household', householdId: unit.householdId };
    case 'block-bed':
      return { kind: 'block-bed', contractId: unit.contractId, bedRef: unit.bedRef };
    case 'external':
      return { kind: 'external', urn: unit.urn, provider: unit.provider };
    default:
      return exhaustive(unit);
  }
}

export function sameUnit(a: UnitRef, b: UnitRef): boolean {
  switch (a.kind) {
    case 'bed':
      return b.kind === 'bed' && a.settingId === b.settingId && a.bedId === b.bedId;
    case 'household':
      return b.kind === 'household' && a.householdId === b.householdId;
    case 'block-bed':
      return b.kind === 'block-bed' && a.contractId === b.contractId && a.bedRef === b.bedRef;
    case 'external':
      return b.kind === 'external' && a.urn === b.urn && a.provider.name === b.provider.name;
    default:
      return exhaustive(a);
  }
}

/** Same carer for RNE: the same home (any bed of it), household, contract setting or external setting. */
export function sameCarer(a: UnitRef, b: UnitRef): boolean {
  if (a.kind === 'bed' && b.kind === 'bed') return a.settingId === b.settingId;
  if (a.kind === 'block-bed' && b.kind === 'block-bed') return a.contractId === b.contractId;
  return sameUnit(a, b);
}

export function acceptsSex(accepted: SexesAccepted, sex: ChildSex): boolean {
  return accepted === 'any' || accepted === sex;
}

export function isValidAgeRange(range: AgeRange): boolean {
  return (
    Number.isInteger(range.min) &&
    Number.isInteger(range.max) &&
    range.min >= 0 &&
    range.max <= 25 &&
    range.min <= range.max
  );
}

export const withinAgeRange = (range: AgeRange, age: number): boolean => age >= range.min && age <= range.max;
