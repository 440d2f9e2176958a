import type { PlacementEnded, PlacementStarted, UnitRef } from '@placement/domain';

/**
 * A child's placement events as the child decider writes them: a planned placement in a home's
 * bed (K2, in-house, C2) starting a period of care unless a test sets otherwise.
 */
export const placementStartedIn = (
  childId: string,
  placementId: string,
  unit: UnitRef,
  startDate: string,
  data: Partial<PlacementStarted['data']> = {},
): PlacementStarted => ({
  type: 'PlacementStarted',
  data: {
    childId,
    placementId,
    unit,
    place: 'K2',
    placeProvider: 'PR1',
    legalStatus: 'C2',
    startDate,
    emergency: false,
    unmatchedEmergency: false,
    referralId: null,
    placementPostcode: null,
    urn: null,
    sameCarerAsPrevious: false,
    startsPeriodOfCare: true,
    stepDownId: null,
    ...data,
  },
});

/** A placement ended by the local authority's request, the child still looked after. */
export const placementEndedIn = (
  childId: string,
  placementId: string,
  unit: UnitRef,
  endDate: string,
  data: Partial<PlacementEnded['data']> = {},
): PlacementEnded => ({
  type: 'PlacementEnded',
  data: {
    childId,
    placementId,
    unit,
    endDate,
    reasonForChange: 'LAREQ',
    reasonEpisodeCeased: null,
    next: null,
    ...data,
  },
});
