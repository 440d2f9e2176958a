import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  ageOn,
  bedDecider,
  bedStreamId,
  DomainError,
  referralDecider,
  referralStreamId,
  requireReferralOpen,
} from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import {
  ApiCommand,
  commandResult,
  CommandResult,
  DecisionOutcome,
  DomainEvent,
  loadStream,
  recordedHere,
} from '../commands/command';
import { decideOnStream, handle } from '../commands/handle';
import { UnitDirectory } from '../directory/unit-directory';
import { EVENT_STORE } from '../store/store.module';
import type { UpdateNeedsDto, WithdrawReferralDto } from './referral-changes.dto';
import { childStateOf, needsFor } from './referrals.handlers';

export class WithdrawReferralCommand extends ApiCommand<WithdrawReferralDto & { referralId: string }> {}
export class UpdateNeedsCommand extends ApiCommand<
  UpdateNeedsDto & {
    referralId: string;
    /** The client sent an Idempotency-Key: a repeat of it is a retry whatever happened since. */
    clientKey: boolean;
  }
> {}

/**
 * A referral no longer looking for a placement. Refused once a child is placed under it (the
 * child's record decides, even before the referral's closing append). The referral's stream is
 * written first, then each bed still held for it is released (`referral-closed`); a crash between
 * leaves holds the reconciler releases, as it does for any hold whose referral is withdrawn.
 */
@CommandHandler(WithdrawReferralCommand)
export class WithdrawReferralHandler implements ICommandHandler<WithdrawReferralCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: WithdrawReferralCommand): Promise<CommandResult> {
    const referral = await loadStream(this.store, referralDecider, referralStreamId(body.referralId));
    if (referral.state.status === 'NotReceived')
      throw new DomainError('NOT_FOUND', `referral ${body.referralId} was not received`);
    const withdrawn = await handle(
      this.store,
      referralDecider,
      referralStreamId(body.referralId),
      ctx,
      async (state) => {
        if (state.status !== 'NotReceived') requireReferralOpen(state, await childStateOf(this.store, state));
        return {
          type: 'WithdrawReferral' as const,
          data: { referralId: body.referralId, reason: body.reason, at: ctx.at },
        };
      },
      { loaded: referral },
    );
    const outcomes: DecisionOutcome<DomainEvent>[] = [withdrawn];
    await this.directory.caughtUp();
    for (const { settingId, bedId } of this.directory.bedsHeldFor(body.referralId)) {
      const streamId = bedStreamId(settingId, bedId);
      const bed = await loadStream(this.store, bedDecider, streamId);
      const heldHere = bed.state.status === 'Added' && bed.state.hold?.referralId === body.referralId;
      if (!heldHere && !recordedHere(bed, ctx)) continue;
      const release = {
        type: 'ReleaseBedHold' as const,
        data: { settingId, bedId, referralId: body.referralId, reason: 'referral-closed' as const, at: ctx.at },
      };
      outcomes.push(await handle(this.store, bedDecider, streamId, ctx, () => release, { loaded: bed }));
    }
    return commandResult(body.referralId, ...outcomes);
  }
}

/**
 * The child's needs as they are now (NeedsUpdated). Matches proposed and meetings held before are
 * kept, marked as made on the earlier needs: a match from before no longer authorises a planned
 * placement, so the officer proposes again and the meeting reconsiders. Refused once placed.
 */
@CommandHandler(UpdateNeedsCommand)
export class UpdateNeedsHandler implements ICommandHandler<UpdateNeedsCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: UpdateNeedsCommand): Promise<CommandResult> {
    const streamId = referralStreamId(body.referralId);
    const referral = await loadStream(this.store, referralDecider, streamId);
    if (referral.state.status === 'NotReceived')
      throw new DomainError('NOT_FOUND', `referral ${body.referralId} was not received`);
    const facts = referral.state.referral;
    const childState = await childStateOf(this.store, referral.state);
    if (childState.status === 'Unknown') throw new DomainError('NOT_FOUND', `child ${facts.childId} is not registered`);
    const { child } = childState;
    // Without a client key the command is keyed by the record it was decided on, as a child's details
    // are: needs A, then B, then A again are three decisions; two racing copies of one request are one.
    const command = body.clientKey
      ? ctx
      : { ...ctx, commandId: `${ctx.commandId}@${String(referral.expectedRevision)}` };
    if (!recordedHere(referral, command)) requireReferralOpen(referral.state, childState);
    const update = {
      type: 'UpdateNeeds' as const,
      data: {
        referralId: body.referralId,
        needs: needsFor(body.needs, child.sex, ageOn(child.dateOfBirth, facts.startDate)),
        at: ctx.at,
      },
    };
    // One attempt: the command id names the revision read, so a decision on a fresh read is another command.
    const outcome = await decideOnStream(this.store, referralDecider, streamId, update, command, { loaded: referral });
    return commandResult(body.referralId, outcome);
  }
}
