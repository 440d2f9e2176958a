import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  bedDayOf,
  bedDecider,
  bedStreamId,
  childDecider,
  childStreamId,
  DomainError,
  settingDecider,
  settingStreamId,
} from '@placement/domain';
import type { BedDay, BedIdentity, BedState, BusinessDate, SettingState } from '@placement/domain';
import type { Clock, EventStore } from '@placement/event-store';
import { ApiCommand } from '../commands/command-base';
import { commandResult, CommandResult } from '../commands/command-result';
import { handle, loadStream } from '../commands/stream-decider';
import { UnitDirectory } from '../directory/unit-directory';
import { NO_FLAGS, occupantFlags, type OccupantFlags } from '../flags/occupant-flags';
import { londonDate } from '../http/london-date';
import { CLOCK, EVENT_STORE } from '../store/store.module';
import type { AddBedDto, BedBackInUseDto, BedOutOfUseDto, RegisterSettingDto } from './settings.dto';

export class RegisterSettingCommand extends ApiCommand<RegisterSettingDto> {}
export class AddBedCommand extends ApiCommand<AddBedDto & { settingId: string }> {}
export class TakeBedOutOfUseCommand extends ApiCommand<BedOutOfUseDto & { settingId: string; bedId: string }> {}
export class PutBedBackInUseCommand extends ApiCommand<BedBackInUseDto & { settingId: string; bedId: string }> {}
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

@CommandHandler(RegisterSettingCommand)
export class RegisterSettingHandler implements ICommandHandler<RegisterSettingCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: RegisterSettingCommand): Promise<CommandResult> {
    const outcome = await handle(this.store, settingDecider, settingStreamId(body.settingId), ctx, () => ({
      type: 'RegisterSetting' as const,
      data: { ...body },
    }));
    return commandResult(body.settingId, outcome);
  }
}

/**
 * A home never has more beds than its registered maximum number of children. Each bed is
 * its own stream, so two placements into different beds cannot see each other; with no
 * more beds than the registration allows, no set of bed decisions can over-fill the home.
 */
@CommandHandler(AddBedCommand)
export class AddBedHandler implements ICommandHandler<AddBedCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: AddBedCommand): Promise<CommandResult> {
    const setting = await requireSetting(this.store, body.settingId);
    if (setting.status === 'Closed') throw new DomainError('SETTING_CLOSED', `setting ${body.settingId} is closed`);
    await this.directory.caughtUp();
    const beds = this.directory.bedsOf(body.settingId);
    const max = setting.setting.registration.maxChildren;
    if (!beds.includes(body.bedId) && beds.length >= max) {
      throw new DomainError(
        'OUTSIDE_REGISTRATION',
        `the setting is registered for ${max} children and already has ${beds.length} beds`,
      );
    }
    const outcome = await handle(this.store, bedDecider, bedStreamId(body.settingId, body.bedId), ctx, () => ({
      type: 'AddBed' as const,
      data: { ...body },
    }));
    return commandResult(body.bedId, outcome);
  }
}

@CommandHandler(TakeBedOutOfUseCommand)
export class TakeBedOutOfUseHandler implements ICommandHandler<TakeBedOutOfUseCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: TakeBedOutOfUseCommand): Promise<CommandResult> {
    const command = { type: 'TakeBedOutOfUse' as const, data: { ...body, to: body.to ?? null }, at: ctx.at };
    const outcome = await handle(this.store, bedDecider, bedStreamId(body.settingId, body.bedId), ctx, () => command);
    return commandResult(body.bedId, outcome);
  }
}

@CommandHandler(PutBedBackInUseCommand)
export class PutBedBackInUseHandler implements ICommandHandler<PutBedBackInUseCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: PutBedBackInUseCommand): Promise<CommandResult> {
    const outcome = await handle(this.store, bedDecider, bedStreamId(body.settingId, body.bedId), ctx, () => ({
      type: 'PutBedBackInUse' as const,
      data: { ...body },
    }));
    return commandResult(body.bedId, outcome);
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
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ settingId }: GetSettingQuery): Promise<SettingView> {
    const setting = await requireSetting(this.store, settingId);
    await this.directory.caughtUp();
    const now = this.clock.now();
    const today = londonDate(now);
    const beds: SettingView['beds'] = [];
    for (const bedId of this.directory.bedsOf(settingId)) {
      const diary = (await loadStream(this.store, bedDecider, bedStreamId(settingId, bedId))).state;
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
