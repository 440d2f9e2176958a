import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { bedDecider, bedStreamId, referralDecider, referralStreamId, requireReferralOpen } from '@placement/domain';
import type { BedState } from '@placement/domain';
import { Roles } from '../auth/roles';
import {
  CommandOnBus,
  CommandRoute,
  commandResult,
  type CommandResult,
  Sender,
  type CommandSender,
} from '../commands/command';
import { DirectoryHandler, handle, handleWhenDue } from '../commands/handle';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { childStateOf, loadReferral } from './referrals.handlers';

export const WITHDRAWAL_REASONS = ['no-longer-needed', 'duplicate', 'other'] as const;

export class WithdrawReferralDto {
  @ApiProperty({ enum: WITHDRAWAL_REASONS })
  @IsIn(WITHDRAWAL_REASONS)
  reason!: (typeof WITHDRAWAL_REASONS)[number];
}

export class WithdrawReferralCommand extends CommandOnBus<WithdrawReferralDto & { referralId: string }> {}

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('v1')
export class WithdrawReferralRoute extends CommandRoute {
  /** The referral no longer looks for a placement: its holds are released. Refused once a child is placed under it. */
  @Post('referrals/:id/withdraw')
  @ApiCommand('Withdraw a referral, releasing the beds held for it', { 422: ['REFERRAL_NOT_OPEN'] }, 'withdrawReferral')
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  withdraw(
    @IdParam('id') referralId: string,
    @Body() body: WithdrawReferralDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(WithdrawReferralCommand, { ...body, referralId }, sender, `withdraw-referral:${referralId}`);
  }
}

/**
 * A referral no longer looking for a placement. Refused once a child is placed under it (the
 * child's record decides, even before the referral's closing append). The referral's stream is
 * written first, then each bed still held for it is released (`referral-closed`); a crash between
 * leaves holds the reconciler releases, as it does for any hold whose referral is withdrawn.
 */
@CommandHandler(WithdrawReferralCommand)
export class WithdrawReferralHandler extends DirectoryHandler<WithdrawReferralCommand> {
  async execute({ body, ctx }: WithdrawReferralCommand): Promise<CommandResult> {
    const referral = await loadReferral(this.store, body.referralId);
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
    await this.directory.caughtUp();
    const heldHere = (bed: BedState) => bed.status === 'Added' && bed.hold?.referralId === body.referralId;
    const releases = [];
    for (const { settingId, bedId } of this.directory.bedsHeldFor(body.referralId)) {
      const release = {
        type: 'ReleaseBedHold' as const,
        data: { settingId, bedId, referralId: body.referralId, reason: 'referral-closed' as const, at: ctx.at },
      };
      releases.push(
        await handleWhenDue(this.store, bedDecider, bedStreamId(settingId, bedId), ctx, heldHere, () => release),
      );
    }
    return commandResult(body.referralId, withdrawn, ...releases.filter((released) => released !== null));
  }
}
