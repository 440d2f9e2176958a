import type { UnitDirectory } from '../directory/unit-directory';
import { IdInUseError } from './id-in-use';

/*
 * Client-chosen ids that name one thing across streams: a placement id is one child's
 * placement, a step-down id one child's step-down, a meeting id one referral's meeting. The
 * streams keyed by them cannot see each other, so the directory (fed from $all, caught up
 * first) answers whose they are. Reused under the same command id, the request digest already
 * names the field; these catch reuse under another command id (another Idempotency-Key).
 */

export async function assertPlacementIdIsFor(
  directory: UnitDirectory,
  placementId: string,
  childId: string,
  field: string,
): Promise<void> {
  await directory.caughtUp();
  const entry = directory.placement(placementId);
  if (entry !== undefined && entry.childId !== childId) {
    throw new IdInUseError(placementId, field, `placement ${placementId} is another child's placement`);
  }
}

export async function assertStepDownIdIsFor(
  directory: UnitDirectory,
  stepDownId: string,
  childId: string,
): Promise<void> {
  await directory.caughtUp();
  const owner = directory.childOfStepDown(stepDownId);
  if (owner !== undefined && owner !== childId) {
    throw new IdInUseError(stepDownId, 'childId', `step-down ${stepDownId} is another child's step-down`);
  }
}

export async function assertMeetingIdIsFor(
  directory: UnitDirectory,
  meetingId: string,
  referralId: string,
): Promise<void> {
  await directory.caughtUp();
  const owner = directory.referralOfMeeting(meetingId);
  if (owner !== undefined && owner !== referralId) {
    throw new IdInUseError(meetingId, 'referralId', `meeting ${meetingId} was recorded for another referral`);
  }
}
