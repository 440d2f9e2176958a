import { requireDate } from '../shared/dates';
import { require_ } from '../shared/errors';
import { requireNotInFuture } from '../shared/past';
import { isLegalStatusCode } from '../ssda903-codes';
import { registered } from './file';
import type { ChangeLegalStatus, ChildEvent, ChildState } from './types';

export function changeLegalStatus(command: ChangeLegalStatus, state: ChildState): ChildEvent[] {
  const d = command.data;
  const child = registered(state);
  require_(isLegalStatusCode(d.legalStatus), 'INVALID_CODE', 'unknown legal status (LS) code');
  requireDate(d.date, 'date');
  if (command.at !== undefined) requireNotInFuture(d.date, command.at, 'a change of legal status');
  require_(child.legalStatus !== d.legalStatus, 'INVALID_STATE', 'the child already has this legal status');
  return [{ type: 'LegalStatusChanged', data: { childId: child.childId, legalStatus: d.legalStatus, date: d.date } }];
}
