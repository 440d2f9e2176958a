import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { bedDecider, bedStreamId, settingDecider, settingStreamId } from '@placement/domain';
import type { SettingResident } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { ApiCommand, commandResult, CommandResult, loadStream } from '../commands/command';
import { handle } from '../commands/handle';
import { UnitDirectory } from '../directory/unit-directory';
import { requireChild } from '../referrals/referrals.handlers';
import { EVENT_STORE } from '../store/store.module';
import type { ChangeRegistrationDto, CloseSettingDto, StatementOfPurposeDto } from './setting-changes.dto';

export class ChangeRegistrationCommand extends ApiCommand<ChangeRegistrationDto & { settingId: string }> {}
export class CloseSettingCommand extends ApiCommand<CloseSettingDto & { settingId: string }> {}
export class RecordStatementOfPurposeCommand extends ApiCommand<StatementOfPurposeDto & { settingId: string }> {}

/**
 * Every booking of a setting's beds, with each child's sex and date of birth from their record:
 * what a registration change or a closing is decided on. Each bed is its own stream, so a
 * placement recorded while this is read is not seen; the placement's own check then holds it to
 * whichever registration it reads (the same limit as adding a bed: see AddBedHandler).
 */
async function residentsOf(
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

/** Refused if it would put a child living in or booked into the home outside it, naming them. */
@CommandHandler(ChangeRegistrationCommand)
export class ChangeRegistrationHandler implements ICommandHandler<ChangeRegistrationCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: ChangeRegistrationCommand): Promise<CommandResult> {
    const { residents, beds } = await residentsOf(this.store, this.directory, body.settingId);
    const command = {
      type: 'ChangeSettingRegistration' as const,
      data: {
        settingId: body.settingId,
        registration: { ...body.registration, ageRange: { ...body.registration.ageRange } },
        urn: body.urn,
        effectiveDate: body.effectiveDate,
      },
      residents,
      beds,
    };
    const outcome = await handle(this.store, settingDecider, settingStreamId(body.settingId), ctx, () => command);
    return commandResult(body.settingId, outcome);
  }
}

/** Refused while children live or are booked there on or after the date (SETTING_HAS_RESIDENTS, naming them). */
@CommandHandler(CloseSettingCommand)
export class CloseSettingHandler implements ICommandHandler<CloseSettingCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: CloseSettingCommand): Promise<CommandResult> {
    const { residents } = await residentsOf(this.store, this.directory, body.settingId);
    const command = {
      type: 'CloseSetting' as const,
      data: { settingId: body.settingId, date: body.date, reason: body.reason },
      residents,
    };
    const outcome = await handle(this.store, settingDecider, settingStreamId(body.settingId), ctx, () => command);
    return commandResult(body.settingId, outcome);
  }
}

/** Replaces the statement on record (the same statement writes nothing); matching reads it from the next request. */
@CommandHandler(RecordStatementOfPurposeCommand)
export class RecordStatementOfPurposeHandler implements ICommandHandler<
  RecordStatementOfPurposeCommand,
  CommandResult
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: RecordStatementOfPurposeCommand): Promise<CommandResult> {
    const { settingId, emergencyAdmissions } = body;
    const command = {
      type: 'RecordStatementOfPurpose' as const,
      data: { settingId, risksNotAccepted: [...body.risksNotAccepted], emergencyAdmissions },
    };
    const outcome = await handle(this.store, settingDecider, settingStreamId(settingId), ctx, () => command);
    return commandResult(settingId, outcome);
  }
}
