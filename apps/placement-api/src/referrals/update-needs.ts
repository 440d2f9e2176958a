import { createHash } from 'node:crypto';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ageOn, DomainError, referralDecider, referralStreamId, requireReferralOpen } from '@placement/domain';
import { Roles } from '../auth/roles';
import {
  CommandOnBus,
  CommandRoute,
  commandResult,
  recordedHere,
  type CommandResult,
  Sender,
  type CommandSender,
} from '../commands/command';
import { decideOnStream, StoreHandler } from '../commands/handle';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { NeedsDto, needsFor } from './referrals.dto';
import { childStateOf, loadReferral } from './referrals.handlers';
import { IsNested } from '../http/dto-rules';

/** The referral's needs in full, as at today: they replace the needs on record. */
export class UpdateNeedsDto {
  @ApiProperty({ type: NeedsDto })
  @IsNested(() => NeedsDto)
  needs!: NeedsDto;
}

export class UpdateNeedsCommand extends CommandOnBus<
  UpdateNeedsDto & {
    referralId: string;
    /** The client sent an Idempotency-Key: a repeat of it is a retry whatever happened since. */
    clientKey: boolean;
  }
> {}

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('v1')
export class UpdateNeedsRoute extends CommandRoute {
  /** Replaces the referral's needs; earlier proposals and meetings are kept, marked as made on the earlier needs. */
  @Post('referrals/:id/needs')
  @ApiCommand(
    "Update a referral's needs (earlier proposals become stale)",
    {
      422: ['REFERRAL_NOT_OPEN', 'INVALID_INPUT'],
    },
    'updateNeeds',
  )
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  updateNeeds(
    @IdParam('id') referralId: string,
    @Body() body: UpdateNeedsDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    // The needs are about a child: the command id carries a digest of them, never the values.
    const digest = createHash('sha256').update(JSON.stringify(body.needs)).digest('hex').slice(0, 16);
    return this.send(
      UpdateNeedsCommand,
      { ...body, referralId, clientKey: sender.meta.idempotencyKey !== undefined },
      sender,
      `needs:${referralId}:${digest}`,
    );
  }
}

/**
 * The child's needs as they are now (NeedsUpdated). Matches proposed and meetings held before are
 * kept, marked as made on the earlier needs: a match from before no longer authorises a planned
 * placement, so the officer proposes again and the meeting reconsiders. Refused once placed.
 */
@CommandHandler(UpdateNeedsCommand)
export class UpdateNeedsHandler extends StoreHandler<UpdateNeedsCommand> {
  async execute({ body, ctx }: UpdateNeedsCommand): Promise<CommandResult> {
    const streamId = referralStreamId(body.referralId);
    const referral = await loadReferral(this.store, body.referralId);
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
