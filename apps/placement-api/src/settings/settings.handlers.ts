import { Inject, Injectable } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  bedDayOf,
  bedDecider,
  bedStreamId,
  childDecider,
  childStreamId,
  DomainError,
  londonDateOf,
  settingDecider,
  settingStreamId,
} from '@placement/domain';
import type { BedDay, BedIdentity, BedState, BusinessDate, SettingState } from '@placement/domain';
import type { Clock, EventStore } from '@placement/event-store';
import { loadStream } from '../commands/command';
import { UnitDirectory } from '../directory/unit-directory';
import { NO_FLAGS, occupantFlags, type OccupantFlags } from '../flags/occupant-flags';
import { CLOCK, EVENT_STORE } from '../store/store.module';

export class GetSettingQuery {
  constructor(readonly settingId: string) {}
}

export async function requireSetting(
  store: EventStore,
  settingId: string,
): Promise<Exclude<SettingState, { status: 'Unregistered' }>> {
  const { state } = await loadStream(store, settingDecider, settingStreamId(settingId));
  if (state.status === 'Unregistered') throw new DomainError('NOT_FOUND', `setting ${settingId} is not registered`);
  return state;
}

/** A bed of a home, as its stream stands. */
export interface HomeBed {
  readonly bedId: string;
  readonly state: Extract<BedState, { status: 'Added' }>;
}

/** A registered home as the setting's page and its diary read it. */
export interface Home {
  readonly setting: Exclude<SettingState, { status: 'Unregistered' }>;
  /** The instant the home is read at, and its London date. */
  readonly now: Date;
  readonly today: BusinessDate;
  readonly beds: readonly HomeBed[];
}

/** Reads a home and its beds, for the setting's page and its diary. */
@Injectable()
export class Homes {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: UnitDirectory,
  ) {}

  /**
   * The home and its beds as their streams stand (a bed the directory names but whose stream
   * holds no bed is left out), read once the directory has caught up.
   */
  async read(settingId: string): Promise<Home> {
    const setting = await requireSetting(this.store, settingId);
    await this.directory.caughtUp();
    const now = this.clock.now();
    const today = londonDateOf(now);
    const beds: HomeBed[] = [];
    for (const bedId of this.directory.bedsOf(settingId)) {
      const { state } = await loadStream(this.store, bedDecider, bedStreamId(settingId, bedId));
      if (state.status === 'Added') beds.push({ bedId, state });
    }
    return { setting, now, today, beds };
  }
}

/** A bed on one night (`status`, what holds it, the next change), with its identity and its whole diary. */
export type BedNightView = BedDay & { readonly bed: BedIdentity; readonly on: BusinessDate };

export interface SettingView {
  setting: SettingState;
  /** Any of its beds' flags, today (London). */
  flags: OccupantFlags;
  /** Each bed tonight (an occupant's `unmatchedEmergency` is the live flag), its flags and its whole diary. */
  beds: { bedId: string; state: BedNightView; diary: BedState; flags: OccupantFlags }[];
}

/** What a bed is tonight (London), as a person reads it: a planned departure still shows the child living there. */
export function bedNight(state: BedState, on: BusinessDate, now: Date): BedNightView | null {
  const day = bedDayOf(state, on, now.toISOString());
  return day === null || state.status !== 'Added' ? null : { ...day, bed: state.bed, on };
}

@QueryHandler(GetSettingQuery)
export class GetSettingHandler implements IQueryHandler<GetSettingQuery, SettingView> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly homes: Homes,
  ) {}

  async execute({ settingId }: GetSettingQuery): Promise<SettingView> {
    const home = await this.homes.read(settingId);
    const { setting, now, today } = home;
    const beds: SettingView['beds'] = [];
    for (const { bedId, state: diary } of home.beds) {
      const night = bedNight(diary, today, now);
      if (night === null) continue;
      if (night.status !== 'Occupied') {
        beds.push({ bedId, state: night, diary, flags: NO_FLAGS });
        continue;
      }
      const { occupant } = night;
      const child = (await loadStream(this.store, childDecider, childStreamId(occupant.childId))).state;
      const flags =
        child.status === 'Unknown'
          ? NO_FLAGS
          : await occupantFlags(
              this.store,
              {
                unit: { kind: 'bed', settingId, bedId },
                referralId: occupant.referralId,
                unmatchedEmergency: occupant.unmatchedEmergency,
                dateOfBirth: child.child.dateOfBirth,
                registeredAges: setting.setting.registration.ageRange,
              },
              today,
            );
      beds.push({
        bedId,
        state: { ...night, occupant: { ...occupant, unmatchedEmergency: flags.unmatchedEmergency } },
        diary,
        flags,
      });
    }
    return {
      setting,
      flags: {
        unmatchedEmergency: beds.some((b) => b.flags.unmatchedEmergency),
        aged18InHomeRegisteredTo17: beds.some((b) => b.flags.aged18InHomeRegisteredTo17),
      },
      beds,
    };
  }
}
