import { Injectable } from '@nestjs/common';
import {
  exhaustive,
  type ChildState,
  type ExclusionFound,
  type ReferralFacts,
  type ReferralState,
  type UnitRef,
} from '@placement/domain';
import {
  DEFAULT_MATCHING_POLICY,
  bedUnitId,
  blockBedUnitId,
  householdUnitId,
  matchingNeeds,
  type ChildForMatching,
  type ReferralNeeds,
} from '@placement/matching';
import { CapacityProjection } from './capacity-projection';

/** The capacity snapshot's id for a unit, or null for a unit the engine does not read (a spot purchase). */
export function engineUnitId(unit: UnitRef): string | null {
  switch (unit.kind) {
    case 'bed':
      return bedUnitId(unit.settingId, unit.bedId);
    case 'household':
      return householdUnitId(unit.householdId);
    case 'block-bed':
      return blockBedUnitId(unit.contractId, unit.bedRef);
    case 'external':
      return null;
    default:
      return exhaustive(unit);
  }
}

/** The engine's view of a referral, its preferred area placed by the projection's district centroids. */
export function engineNeeds(
  projection: CapacityProjection,
  referral: ReferralFacts,
  child: ChildForMatching,
): ReferralNeeds {
  const code = referral.needs.preferredArea.postcodeDistrict;
  const district = code ? projection.district(code) : undefined;
  const area = district
    ? { postcodeDistrict: district.district, easting: district.easting, northing: district.northing }
    : undefined;
  return matchingNeeds(referral, child, area);
}

/**
 * What the matching engine says of one unit for a placement: the same engine, policy and
 * capacity the matches route ranks from (GET /v1/referrals/:id/matches), read on the
 * placement's start date with the child's age on that date. A back-dated start is judged the same
 * way, on its own night: against the children living there on the start date and those who have
 * arrived since (the set reg 14's impact assessment covers). The domain's placement flow decides
 * which of these reasons bind.
 */
@Injectable()
export class PlacementExclusions {
  constructor(private readonly projection: CapacityProjection) {}

  /**
   * The engine's reasons for excluding `unit` (empty if it would offer it), or null when it has
   * no view: no referral, a referral or child the flow will refuse anyway, or a unit outside the
   * estate it reads.
   */
  async of(
    referral: ReferralState | null,
    child: ChildState,
    unit: UnitRef,
    startDate: string,
  ): Promise<ExclusionFound[] | null> {
    const unitId = engineUnitId(unit);
    if (referral?.status !== 'Open' || child.status === 'Unknown' || unitId === null) return null;
    const capacity = await this.projection.current(startDate);
    const needs = { ...engineNeeds(this.projection, referral.referral, child.child), startDate };
    const judged = capacity.index.judge(needs, unitId, DEFAULT_MATCHING_POLICY);
    return judged === undefined ? null : judged.reasons.map((r) => ({ code: r.code, message: r.message }));
  }
}
