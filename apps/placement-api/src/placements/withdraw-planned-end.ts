import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHideProperty, ApiTags } from '@nestjs/swagger';
import { Equals, IsOptional } from 'class-validator';
import { decideChangePlannedEnd } from '@placement/domain';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { PlacementFlowHandler } from './placement-entry';

/**
 * Withdrawing a planned end takes no fields: the placement is open-ended again. The body is `{}`;
 * any field is refused (400). The validation pipe refuses a body whose class declares no rule at
 * all, so the class declares one: its one (hidden) field must be absent.
 */
export class WithdrawPlannedEndDto {
  @ApiHideProperty()
  @IsOptional()
  @Equals(undefined, { message: 'withdrawing a planned end takes no fields' })
  readonly none?: never;
}

export class WithdrawPlannedEndCommand extends CommandOnBus<{ placementId: string }> {}

@ApiTags('placements and step-downs')
@ApiBearerAuth()
@Controller('v1')
export class WithdrawPlannedEndRoute extends CommandRoute {
  /** Takes back a planned end before it happens: the placement is open-ended again. */
  @Post('placements/:id/end/withdraw')
  @ApiCommand("Withdraw a placement's planned end", {
    409: ['ALREADY_EXISTS', 'BED_NOT_VACANT', 'OVERLAPPING_PLACEMENT', 'HOUSEHOLD_FULL', 'BLOCK_BED_ALLOCATED'],
    422: ['INVALID_STATE', 'END_HAS_HAPPENED', 'APPROVAL_TERMS_EXCEEDED', 'CONTRACT_ENDED'],
  })
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  withdrawEnd(
    @IdParam('id') placementId: string,
    @Body() _body: WithdrawPlannedEndDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(WithdrawPlannedEndCommand, { placementId }, sender, `withdraw-end:${placementId}`);
  }
}

@CommandHandler(WithdrawPlannedEndCommand)
export class WithdrawPlannedEndHandler extends PlacementFlowHandler<WithdrawPlannedEndCommand> {
  execute({ body, ctx }: WithdrawPlannedEndCommand): Promise<CommandResult> {
    const request = {
      placementId: body.placementId,
      endDate: null,
      reasonForChange: null,
      reasonEpisodeCeased: null,
      at: ctx.at,
    };
    return this.runOnPlacement(body.placementId, ctx, (childId, unit, child) =>
      decideChangePlannedEnd({ childId, ...request }, unit, child),
    );
  }
}
