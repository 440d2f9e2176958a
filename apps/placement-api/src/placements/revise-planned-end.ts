import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  AFTER_PLACEMENT,
  decideChangePlannedEnd,
  REASON_PLACE_CHANGE_CODES,
  REC_CODES,
  type AfterPlacement,
} from '@placement/domain';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { IsBusinessDate, IsOptionalCode } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { endRequest, PlacementFlowHandler } from './placement-entry';

export class RevisePlannedEndDto {
  @ApiProperty({ description: 'The new end date; the planned end being revised must not have happened yet' })
  @IsBusinessDate()
  endDate!: string;

  @IsOptionalCode(REASON_PLACE_CHANGE_CODES, 'Omitted: the reason the planned end was recorded with')
  reasonForChange?: (typeof REASON_PLACE_CHANGE_CODES)[number] | null;

  @IsOptionalCode(REC_CODES, 'Omitted: the REC the planned end was recorded with')
  reasonEpisodeCeased?: (typeof REC_CODES)[number] | null;

  @IsOptionalCode(AFTER_PLACEMENT, 'Omitted: what the planned end said follows, unless new codes are given')
  next?: AfterPlacement | null;
}

export class RevisePlannedEndCommand extends CommandOnBus<RevisePlannedEndDto & { placementId: string }> {}

@ApiTags('placements and step-downs')
@ApiBearerAuth()
@Controller('v1')
export class RevisePlannedEndRoute extends CommandRoute {
  /** Moves a planned end (an end dated after today) before it happens; the unit's next booking is respected. */
  @Post('placements/:id/end/revise')
  @ApiCommand("Revise a placement's planned end date", {
    409: ['ALREADY_EXISTS', 'BED_NOT_VACANT', 'OVERLAPPING_PLACEMENT', 'HOUSEHOLD_FULL', 'BLOCK_BED_ALLOCATED'],
    422: [
      'INVALID_STATE',
      'END_HAS_HAPPENED',
      'INVALID_DATES',
      'INVALID_CODE',
      'APPROVAL_TERMS_EXCEEDED',
      'CONTRACT_ENDED',
    ],
  })
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  reviseEnd(
    @IdParam('id') placementId: string,
    @Body() body: RevisePlannedEndDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(
      RevisePlannedEndCommand,
      { ...body, placementId },
      sender,
      `revise-end:${placementId}:${body.endDate}`,
    );
  }
}

/** A planned end moved (or withdrawn) before it happens: the unit's booking first, then the child's record. */
@CommandHandler(RevisePlannedEndCommand)
export class RevisePlannedEndHandler extends PlacementFlowHandler<RevisePlannedEndCommand> {
  execute({ body, ctx }: RevisePlannedEndCommand): Promise<CommandResult> {
    return this.runOnPlacement(body.placementId, ctx, (childId, unit, child) =>
      decideChangePlannedEnd({ ...endRequest(childId, body), at: ctx.at }, unit, child),
    );
  }
}
