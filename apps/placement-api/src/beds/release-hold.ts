import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { bedDecider, bedStreamId } from '@placement/domain';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { StoreHandler } from '../commands/handle';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { requireReferral } from '../referrals/referrals.handlers';
import { HoldBedDto } from './hold-bed';

/** The hold to release: the bed, and the end of the hold as the officer saw it (a later hold is another). */
export class ReleaseHoldDto extends HoldBedDto {}

export class ReleaseHoldCommand extends CommandOnBus<ReleaseHoldDto & { referralId: string }> {}

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('v1')
export class ReleaseHoldRoute extends CommandRoute {
  /** Gives a held bed back before the hold lapses; the hold is named by its end, as the officer saw it. */
  @Post('referrals/:id/holds/release')
  @ApiCommand("Release a bed held for a referral before the hold's end", { 422: ['HOLD_NOT_FOUND'] })
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  releaseHold(
    @IdParam('id') referralId: string,
    @Body() body: ReleaseHoldDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    const until = new Date(body.until).toISOString();
    const naturalKey = `release-hold:${referralId}:${body.settingId}.${body.bedId}:${until}`;
    return this.send(ReleaseHoldCommand, { ...body, referralId }, sender, naturalKey);
  }
}

/** A person gives a bed back before the hold lapses: the bed is free at once (the capacity view shows it so). */
@CommandHandler(ReleaseHoldCommand)
export class ReleaseHoldHandler extends StoreHandler<ReleaseHoldCommand> {
  async execute({ body, ctx }: ReleaseHoldCommand): Promise<CommandResult> {
    await requireReferral(this.store, body.referralId);
    const release = {
      type: 'ReleaseBedHold' as const,
      data: {
        settingId: body.settingId,
        bedId: body.bedId,
        referralId: body.referralId,
        reason: 'released' as const,
        at: ctx.at,
      },
      heldUntil: body.until,
    };
    return this.decide(body.bedId, bedDecider, bedStreamId(body.settingId, body.bedId), ctx, () => release);
  }
}
