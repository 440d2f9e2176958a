import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  AFTER_PLACEMENT,
  decideChangePlannedEnd,
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

export class RevisePlannedEndDto {
  @ApiProperty({ description: 'The new end date; the planned end being revised must not have happened yet' })
  @IsBusinessDate()
  endDate!: string;

  @ApiPropertyOptional({
    enum: REASON_PLACE_CHANGE_CODES,
    nullable: true,
    description: 'Omitted: the reason the planned end was recorded with',
  })
  @IsOptional()
  @IsIn(REASON_PLACE_CHANGE_CODES)
  reasonForChange?: (typeof REASON_PLACE_CHANGE_CODES)[number] | null;

  @ApiPropertyOptional({
    enum: REC_CODES,
    nullable: true,
    description: 'Omitted: the REC the planned end was recorded with',
  })
  @IsOptional()
  @IsIn(REC_CODES)
  reasonEpisodeCeased?: (typeof REC_CODES)[number] | null;

  @ApiPropertyOptional({
    enum: AFTER_PLACEMENT,
    nullable: true,
    description: 'Omitted: what the planned end said follows, unless new codes are given',
  })
  @IsOptional()
  @IsIn(AFTER_PLACEMENT)
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
export class RevisePlannedEndHandler implements ICommandHandler<RevisePlannedEndCommand, CommandResult> {
  constructor(
    private readonly runner: FlowRunner,
    private readonly directory: UnitDirectory,
  ) {}

  async execute({ body, ctx }: RevisePlannedEndCommand): Promise<CommandResult> {
    const entry = await placementEntry(this.directory, body.placementId);
    const request = {
      childId: entry.childId,
      placementId: body.placementId,
      endDate: body.endDate,
      reasonForChange: body.reasonForChange ?? null,
      reasonEpisodeCeased: body.reasonEpisodeCeased ?? null,
      next: body.next ?? null,
      at: ctx.at,
    };
    const written = await this.runner.run(ctx, async (load) =>
      decideChangePlannedEnd(request, await load.unit(entry.unit), await load.child(entry.childId)),
    );
    return commandResult(body.placementId, ...written);
  }
}
