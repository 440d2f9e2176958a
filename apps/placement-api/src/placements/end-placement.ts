import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  AFTER_PLACEMENT,
  decideEndPlacement,
  REASON_PLACE_CHANGE_CODES,
  REC_CODES,
  type AfterPlacement,
} from '@placement/domain';
import { Roles } from '../auth/roles';
import {
  ApiCommand as CommandOnBus,
  CommandRoute,
  commandResult,
  type CommandResult,
  Sender,
  type CommandSender,
} from '../commands/command';
import { FlowRunner } from '../commands/flow-runner';
import { UnitDirectory } from '../directory/unit-directory';
import { IsBusinessDate } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { placementEntry } from './placement-entry';

export class EndPlacementDto {
  @IsBusinessDate()
  endDate!: string;

  @ApiPropertyOptional({ enum: REASON_PLACE_CHANGE_CODES, nullable: true })
  @IsOptional()
  @IsIn(REASON_PLACE_CHANGE_CODES)
  reasonForChange?: (typeof REASON_PLACE_CHANGE_CODES)[number] | null;

  @ApiPropertyOptional({ enum: REC_CODES, nullable: true, description: 'SSDA903 REC when care ends' })
  @IsOptional()
  @IsIn(REC_CODES)
  reasonEpisodeCeased?: (typeof REC_CODES)[number] | null;

  @ApiPropertyOptional({
    enum: AFTER_PLACEMENT,
    nullable: true,
    description:
      'What follows: another placement (a move; needs reasonForChange, no E-code) or leaving care (needs an ' +
      'E-code reasonEpisodeCeased). Omitted: an E-code says leaving care; otherwise nothing is said and the ' +
      'child shows on the NO_OPEN_PLACEMENT queue until a placement starts',
  })
  @IsOptional()
  @IsIn(AFTER_PLACEMENT)
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
export class EndPlacementHandler implements ICommandHandler<EndPlacementCommand, CommandResult> {
  constructor(
    private readonly runner: FlowRunner,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: EndPlacementCommand): Promise<CommandResult> {
    const entry = await placementEntry(this.directory, body.placementId);
    const request = {
      childId: entry.childId,
      placementId: body.placementId,
      endDate: body.endDate,
      reasonForChange: body.reasonForChange ?? null,
      reasonEpisodeCeased: body.reasonEpisodeCeased ?? null,
      next: body.next ?? null,
    };
    const written = await this.runner.run(ctx, async (load) =>
      decideEndPlacement(request, await load.unit(entry.unit), await load.child(entry.childId)),
    );
    return commandResult(body.placementId, ...written);
  }
}
