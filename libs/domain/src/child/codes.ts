import { require_ } from '../shared/errors';
import type { UnitRef } from '../shared/types';
import {
  endsPeriodOfCare,
  isHouseholdPlaceCode,
  isLegalStatusCode,
  isPlaceCode,
  isPlaceProviderCode,
  isReasonPlaceChangeCode,
  isRecCode,
  type LegalStatusCode,
  type PlaceCode,
  type PlaceProviderCode,
  type ReasonPlaceChangeCode,
  type RecCode,
} from '../ssda903-codes';
import { AFTER_PLACEMENT, type AfterPlacement, type ChildFile } from './types';

/**
 * A household fosters (U1–U6) or adopts the child it fosters (A3/A5, with the current foster carers);
 * nothing else is a household.
 */
export function checkPlaceFitsUnit(unit: UnitRef, place: string): asserts place is PlaceCode {
  require_(isPlaceCode(place), 'INVALID_CODE', 'unknown PLACE code');
  require_(
    (unit.kind === 'household') === isHouseholdPlaceCode(place),
    'INVALID_CODE',
    unit.kind === 'household'
      ? 'a household placement has a foster PLACE code (U1–U6) or A3/A5 (adoption by the current foster carers)'
      : 'a foster PLACE code (U1–U6, A3, A5) needs a household',
  );
}

export function checkPlaceProvider(placeProvider: string): asserts placeProvider is PlaceProviderCode {
  require_(isPlaceProviderCode(placeProvider), 'INVALID_CODE', 'unknown PLACE_PROVIDER code');
}

/** The legal status a placement starts under: the one given, else the child's current one. */
export function legalStatusFor(child: ChildFile, given: string | null): LegalStatusCode {
  const legalStatus = given ?? child.legalStatus;
  require_(
    legalStatus !== null && isLegalStatusCode(legalStatus),
    'INVALID_CODE',
    'unknown or missing legal status (LS) code',
  );
  return legalStatus;
}

const isAfterPlacement = (value: unknown): value is AfterPlacement =>
  (AFTER_PLACEMENT as readonly unknown[]).includes(value);

export interface EndCodes {
  reasonForChange: ReasonPlaceChangeCode | null;
  rec: RecCode | null;
  next: AfterPlacement | null;
}

/** The codes that end a placement, checked against each other and against what follows it. */
export function checkEndCodes(
  reasonForChange: string | null,
  rec: string | null,
  next: string | null = null,
): EndCodes {
  require_(rec === null || isRecCode(rec), 'INVALID_CODE', 'unknown reason episode ceased (REC) code');
  require_(
    reasonForChange === null || isReasonPlaceChangeCode(reasonForChange),
    'INVALID_CODE',
    'unknown REASON_PLACE_CHANGE code',
  );
  // A child who stays looked after moves for a recorded reason; leaving care is explained by the REC code.
  require_(
    endsPeriodOfCare(rec) || reasonForChange !== null,
    'INVALID_CODE',
    'reasonForChange: a placement change while still looked after needs REASON_PLACE_CHANGE',
  );
  // Saying what follows binds the codes to it: a move keeps the period of care, leaving care ends it.
  require_(
    next === null || isAfterPlacement(next),
    'INVALID_CODE',
    'next: another placement (placement) or leaving care (leaves-care)',
  );
  require_(
    next !== 'leaves-care' || endsPeriodOfCare(rec),
    'INVALID_CODE',
    'reasonEpisodeCeased: leaving care needs the E-code REC saying why care ceased',
  );
  require_(
    next !== 'placement' || !endsPeriodOfCare(rec),
    'INVALID_CODE',
    'reasonEpisodeCeased: an E-code ends the period of care, so no placement follows within it',
  );
  require_(
    next !== 'placement' || reasonForChange !== null,
    'INVALID_CODE',
    'reasonForChange: a move to another placement needs REASON_PLACE_CHANGE',
  );
  // An E-code says by itself that the child leaves care.
  return { reasonForChange, rec, next: next ?? (endsPeriodOfCare(rec) ? 'leaves-care' : null) };
}
