import { bedDecider, bedStreamId } from '@placement/domain';
import type { SettingResident } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { loadStream } from '../commands/command';
import { UnitDirectory } from '../directory/unit-directory';
import { requireChild } from '../referrals/referrals.handlers';

/**
 * Every booking of a setting's beds, with each child's sex and date of birth from their record:
 * what a registration change or a closing is decided on. Each bed is its own stream, so a
 * placement recorded while this is read is not seen; the placement's own check then holds it to
 * whichever registration it reads (the same limit as adding a bed: see AddBedHandler).
 */
export async function residentsOf(
  store: EventStore,
  directory: UnitDirectory,
  settingId: string,
): Promise<{ residents: SettingResident[]; beds: number }> {
  await directory.caughtUp();
  const bedIds = directory.bedsOf(settingId);
  const residents: SettingResident[] = [];
  for (const bedId of bedIds) {
    const { state } = await loadStream(store, bedDecider, bedStreamId(settingId, bedId));
    if (state.status !== 'Added') continue;
    for (const o of state.occupancies) {
      const { child } = await requireChild(store, o.childId);
      residents.push({
        childId: o.childId,
        bedId,
        sex: child.sex,
        dateOfBirth: child.dateOfBirth,
        from: o.from,
        to: o.to,
      });
    }
  }
  return { residents, beds: bedIds.length };
}
