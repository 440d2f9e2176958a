import { exhaustive, isHouseholdPlaceCode, type ChildCommand, type UnitRef } from '@placement/domain';
import type { ImportCommand } from './import';

export interface ToDomainContext {
  /** The importing authority's code (ChildRegistered.localAuthority), e.g. E08000018. */
  readonly localAuthority: string;
}

/**
 * Where an imported placement was: a return names no bed or household, only PLACE, provider,
 * URN and (through RNE) whether the carer stayed the same. A foster placement becomes a
 * household ref keyed by the imported carer; anything else an external setting keyed by URN
 * and carer, so the domain's `sameCarer` agrees with the return's T/U.
 */
export function importedUnit(command: Extract<ImportCommand, { kind: 'StartPlacement' }>): UnitRef {
  // A3/A5 are adoption by the current foster carers: the same household as the foster placement before.
  if (isHouseholdPlaceCode(command.place)) return { kind: 'household', householdId: command.carerId };
  return {
    kind: 'external',
    urn: command.urn,
    provider: { name: command.carerId, code: command.placeProvider ?? 'PR1' },
  };
}

/** The child-stream command for one import command; the caller appends to `child-{childId}` with the command's id. */
export function importCommandToDomain(command: ImportCommand, context: ToDomainContext): ChildCommand {
  switch (command.kind) {
    case 'RegisterChild':
      return {
        type: 'RegisterChild',
        data: {
          childId: command.childId,
          sex: command.sex,
          dateOfBirth: command.dateOfBirth,
          localAuthority: context.localAuthority,
          homePostcode: command.homePostcode,
          categoryOfNeed: command.categoryOfNeed,
          ethnicity: command.ethnicity,
          upn: command.upn,
          ...(command.mother === null ? {} : { mother: command.mother }),
          ...(command.motherChildDateOfBirth === null
            ? {}
            : { motherChildDateOfBirth: command.motherChildDateOfBirth }),
        },
      };
    case 'StartPlacement':
      return {
        type: 'StartPlacement',
        data: {
          childId: command.childId,
          placementId: command.placementId,
          unit: importedUnit(command),
          place: command.place,
          // The domain always carries a provider; the return has none for T0–T4/Z1, and the export drops it again.
          placeProvider: command.placeProvider ?? 'PR1',
          legalStatus: command.legalStatus,
          startDate: command.startDate,
          emergency: false,
          unmatchedEmergency: false,
          referralId: null,
          placementPostcode: command.postcode,
          urn: command.urn,
          // The placement that starts a period (or the return's first known episode of one) carries the period's CIN,
          // HOME_POST and RNE.
          ...(command.startsPeriodOfCare || command.firstEpisodeReason !== null
            ? {
                periodOfCare: {
                  categoryOfNeed: command.categoryOfNeed,
                  homePostcode: command.homePostcode,
                  importedReasonNewEpisode: command.firstEpisodeReason,
                },
              }
            : {}),
        },
      };
    case 'ChangeLegalStatus':
      return {
        type: 'ChangeLegalStatus',
        data: { childId: command.childId, legalStatus: command.legalStatus, date: command.effectiveDate },
      };
    case 'EndPlacement':
      return {
        type: 'EndPlacement',
        data: {
          childId: command.childId,
          placementId: command.placementId,
          endDate: command.endDate,
          reasonForChange: command.reasonForChange,
          reasonEpisodeCeased: command.reasonCareEnded,
        },
      };
    default:
      return exhaustive(command);
  }
}
