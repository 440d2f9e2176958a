import { DomainError } from '@placement/domain';
import { IdInUseError } from '../commands/command';
import type { UnitDirectory } from '../directory/unit-directory';

/** The child and unit of a placement, by its id; an id recorded for two children cannot be acted on by it. */
export async function placementEntry(directory: UnitDirectory, placementId: string) {
  await directory.caughtUp();
  const entry = directory.placement(placementId);
  if (!entry) throw new DomainError('NOT_FOUND', `placement ${placementId} is not known`);
  if (entry.alsoRecordedFor.length > 0)
    throw new IdInUseError(
      placementId,
      'placementId',
      `placement ${placementId} is recorded for more than one child; it cannot be ended by its id`,
    );
  return entry;
}
