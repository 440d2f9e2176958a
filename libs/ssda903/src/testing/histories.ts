import type { ChildHistory, PlacementSpell } from '../history';

/**
 * A child looked after from 1 June 2024 (on a care order, C2, for abuse or neglect, N1) in one
 * open placement: `child` names the child, `placement` the placement's codes and carer.
 */
export function aChildInCare(
  child: Pick<ChildHistory, 'childId' | 'sex' | 'dateOfBirth'>,
  placement: Pick<PlacementSpell, 'place' | 'placeProvider' | 'urn' | 'postcode' | 'carerId'>,
): ChildHistory {
  return {
    ...child,
    homePostcode: 'S60 1AA',
    periods: [
      {
        startDate: '2024-06-01',
        endDate: null,
        reasonCeased: null,
        categoryOfNeed: 'N1',
        legalStatuses: [{ legalStatus: 'C2', from: '2024-06-01' }],
        placements: [{ ...placement, startDate: '2024-06-01', endDate: null, reasonForChange: null }],
      },
    ],
  };
}
