import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { bedDecider, bedStreamId, childDecider, childStreamId, requireReferralOpen } from '@placement/domain';
import { Roles } from '../auth/roles';
import {
  CommandOnBus,
  CommandRoute,
  type CommandResult,
  loadStream,
  Sender,
  type CommandSender,
} from '../commands/command';
import { StoreHandler } from '../commands/handle';
import { IsId, IsInstant } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { requireReferral } from '../referrals/referrals.handlers';

/** A hold on a bed: the bed, and the instant the hold ends (releasing a hold names it so too). */
export class HoldBedDto {
  @IsId()
  settingId!: string;

  @IsId()
  bedId!: string;

  @IsInstant()
  until!: string;
}

export class HoldBedForReferralCommand extends CommandOnBus<HoldBedDto & { referralId: string }> {}

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('v1')
export class HoldBedRoute extends CommandRoute {
  @Post('referrals/:id/holds')
  @ApiCommand('Hold a bed for a referral until a date', {
    409: ['BED_NOT_VACANT'],
    422: ['REFERRAL_NOT_OPEN', 'INVALID_DATES'],
  })
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  hold(
    @IdParam('id') referralId: string,
    @Body() body: HoldBedDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    const naturalKey = `hold:${referralId}:${body.settingId}.${body.bedId}:${body.until}`;
    return this.send(HoldBedForReferralCommand, { ...body, referralId }, sender, naturalKey);
  }
}

/**
 * A hold is for a referral still looking for a placement: open, and nobody placed under it
 * (the child's record decides, even before the referral's closing append). A retry of a hold
 * already recorded is answered from the bed's stream whatever happened since.
 */
@CommandHandler(HoldBedForReferralCommand)
export class HoldBedForReferralHandler extends StoreHandler<HoldBedForReferralCommand> {
  async execute({ body, ctx }: HoldBedForReferralCommand): Promise<CommandResult> {
    const referral = await requireReferral(this.store, body.referralId);
    const { childId, startDate } = referral.referral;
    return this.decide(body.bedId, bedDecider, bedStreamId(body.settingId, body.bedId), ctx, async () => {
      requireReferralOpen(referral, (await loadStream(this.store, childDecider, childStreamId(childId))).state);
      return {
        type: 'HoldBed' as const,
        data: {
          settingId: body.settingId,
          bedId: body.bedId,
          referralId: body.referralId,
          childId,
          until: body.until,
          at: ctx.at,
        },
        // The bed must be free on the night the referral's placement would begin (or tonight, if that has passed).
        from: startDate,
      };
    });
  }
}
