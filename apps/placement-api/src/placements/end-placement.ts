import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  AFTER_PLACEMENT,
  decideEndPlacement,
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

export class EndPlacementDto {
  @IsBusinessDate()
  endDate!: string;

  @IsOptionalCode(REASON_PLACE_CHANGE_CODES)
  reasonForChange?: (typeof REASON_PLACE_CHANGE_CODES)[number] | null;

  @IsOptionalCode(REC_CODES, 'SSDA903 REC when care ends')
  reasonEpisodeCeased?: (typeof REC_CODES)[number] | null;

  @IsOptionalCode(
    AFTER_PLACEMENT,
    'What follows: another placement (a move; needs reasonForChange, no E-code) or leaving care (needs an ' +
      'E-code reasonEpisodeCeased). Omitted: an E-code says leaving care; otherwise nothing is said and the ' +
      'child shows on the NO_OPEN_PLACEMENT queue until a placement starts',
  )
  next?: AfterPlacement | null;
}

export class EndPlacementCommand extends CommandOnBus<EndPlacementDto & { placementId: string }> {}

@ApiTags('placements and step-downs')
@ApiBearerAuth()
@Controller('v1')
export class EndPlacementRoute extends CommandRoute {
  @Post('placements/:id/end')
  @ApiCommand('End a placement', { 409: ['ALREADY_EXISTS'], 422: ['INVALID_DATES', 'INVALID_CODE'] })
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  end(
    @IdParam('id') placementId: string,
    @Body() body: EndPlacementDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(EndPlacementCommand, { ...body, placementId }, sender, `end-placement:${placementId}`);
  }
}

/** Ending is recorded on the child first (the fact), then the unit's booking ends on the same date. */
@CommandHandler(EndPlacementCommand)
export class EndPlacementHandler extends PlacementFlowHandler<EndPlacementCommand> {
  execute({ body, ctx }: EndPlacementCommand): Promise<CommandResult> {
    return this.runOnPlacement(body.placementId, ctx, (childId, unit, child) =>
      decideEndPlacement(endRequest(childId, body), unit, child),
    );
  }
}
