import { require_ } from '../shared/errors';
import { ageOn, isBefore, requireDate } from '../shared/dates';
import { requireNotInFuture } from '../shared/past';
import { endsPeriodOfCare, isFosterPlaceCode, type RecCode } from '../ssda903-codes';
import { lastPlacement, registered } from './file';
import {
  CARE_LEAVER_ACCOMMODATION,
  type CareLeaverAccommodation,
  type ChildEvent,
  type ChildState,
  type RecordCareLeaver,
} from './types';

/** REC codes for leaving care at 16–17 to independent living (with or without formalised support). */
const TO_INDEPENDENCE: readonly RecCode[] = ['E5', 'E6'];

/**
 * A care leaver ceased care at 18 or over, or at 16–17 to independent living; the care that ceased
 * is the last placement's, ended with an E-code, and no placement has started since.
 */
export function recordCareLeaver(command: RecordCareLeaver, state: ChildState): ChildEvent[] {
  const d = command.data;
  const child = registered(state);
  require_(
    (CARE_LEAVER_ACCOMMODATION as readonly string[]).includes(d.accommodation),
    'INVALID_INPUT',
    `accommodation: one of ${CARE_LEAVER_ACCOMMODATION.join(', ')}`,
  );
  const accommodation = d.accommodation as CareLeaverAccommodation;
  const last = lastPlacement(child);
  const ceased = last?.endDate != null && endsPeriodOfCare(last.reasonEpisodeCeased) ? last : undefined;
  require_(
    ceased?.endDate != null && ceased.reasonEpisodeCeased !== null,
    'NOT_A_CARE_LEAVER',
    'the child is still looked after (no period of care has ceased since the last placement)',
  );
  const ceasedCareOn = ceased.endDate;
  const rec = ceased.reasonEpisodeCeased;
  const age = ageOn(child.dateOfBirth, ceasedCareOn);
  require_(
    age >= 18 || (age >= 16 && TO_INDEPENDENCE.includes(rec)),
    'NOT_A_CARE_LEAVER',
    `care ceased on ${ceasedCareOn} aged ${age} (${rec}): a care leaver ceased care at 18 or over, ` +
      'or at 16–17 to independent living (E5, E6)',
  );
  // Staying put (Children and Families Act 2014, s.98) is living on with the former foster carer.
  require_(
    accommodation !== 'staying-put' || isFosterPlaceCode(ceased.place),
    'INVALID_INPUT',
    'accommodation: staying put is with a former foster carer; ' +
      `the care that ceased was not foster care (${ceased.place})`,
  );
  requireDate(d.from, 'from');
  require_(!isBefore(d.from, ceasedCareOn), 'INVALID_DATES', `from: on or after care ceased (${ceasedCareOn})`);
  requireNotInFuture(d.from, command.at, 'a care leaver’s accommodation');
  if (child.careLeaver?.accommodation === accommodation && child.careLeaver.from === d.from) return [];
  return [
    {
      type: 'CareLeaverRecorded',
      data: { childId: child.childId, accommodation, from: d.from, ceasedCareOn, reasonEpisodeCeased: rec },
    },
  ];
}
