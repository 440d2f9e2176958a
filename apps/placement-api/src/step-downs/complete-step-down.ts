import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { decideStepDownCompletion, DomainError, PLACE_PROVIDER_CODES } from '@placement/domain';
import { Roles } from '../auth/roles';
import {
  CommandOnBus,
  CommandRoute,
  commandResult,
  type CommandResult,
  assertPlacementIdIsFor,
  Sender,
  type CommandSender,
} from '../commands/command';
import { FlowRunner } from '../commands/flow-runner';
import { UnitDirectory } from '../directory/unit-directory';
import { IsBusinessDate, IsId } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { assertManagerKeeps, childOfStepDown, registered } from './step-down-child';

export class CompleteStepDownDto {
  @IsId()
  newPlacementId!: string;

  @IsBusinessDate()
  date!: string;

  @ApiProperty({ enum: ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'], description: 'SSDA903 PLACE for the foster placement' })
  @IsIn(['U1', 'U2', 'U3', 'U4', 'U5', 'U6'])
  place!: 'U1' | 'U2' | 'U3' | 'U4' | 'U5' | 'U6';

  @ApiPropertyOptional({
    enum: PLACE_PROVIDER_CODES,
    description: 'Defaults from the household: PR1 in-house, PR4 IFA',
  })
  @IsOptional()
  @IsIn(PLACE_PROVIDER_CODES)
  placeProvider?: (typeof PLACE_PROVIDER_CODES)[number];
}

export class CompleteStepDownCommand extends CommandOnBus<CompleteStepDownDto & { stepDownId: string }> {}

@ApiTags('placements and step-downs')
@ApiBearerAuth()
@Controller('v1')
export class CompleteStepDownRoute extends CommandRoute {
  @Post('step-downs/:id/complete')
  @ApiCommand('Complete a step-down (the child moves)', {
    409: ['ALREADY_EXISTS', 'HOUSEHOLD_FULL'],
    422: [
      'STEP_DOWN_NOT_ACTIVE',
      'INVALID_DATES',
      'DATE_IN_FUTURE',
      'HOUSEHOLD_NOT_AVAILABLE',
      'APPROVAL_TERMS_EXCEEDED',
    ],
  })
  @HttpCode(201)
  @Roles('residential-manager', 'placement-officer', 'admin')
  complete(
    @IdParam('id') stepDownId: string,
    @Body() body: CompleteStepDownDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(CompleteStepDownCommand, { ...body, stepDownId }, sender, `complete-step-down:${stepDownId}`);
  }
}

/**
 * One command the user sees, run as the domain's step-down flow: the household place is taken
 * first (the contended unit), then the child's record ends the residential placement and starts
 * the foster one, then the bed's booking ends. Each stream is read once per attempt, by the
 * runner; a crash between steps is finished by a retry or repaired by the reconciler.
 */
@CommandHandler(CompleteStepDownCommand)
export class CompleteStepDownHandler implements ICommandHandler<CompleteStepDownCommand, CommandResult> {
  constructor(
    private readonly directory: UnitDirectory,
    private readonly runner: FlowRunner,
  ) {}

  async execute({ body, ctx }: CompleteStepDownCommand): Promise<CommandResult> {
    const childId = await childOfStepDown(this.directory, body.stepDownId);
    const written = await this.runner.run(ctx, async (load) => {
      const child = await load.child(childId);
      const file = registered(childId, child);
      const stepDown = file.stepDowns.find((s) => s.stepDownId === body.stepDownId);
      if (!stepDown) throw new DomainError('NOT_FOUND', `step-down ${body.stepDownId} is not known`);
      const from = file.placements.find((p) => p.placementId === stepDown.fromPlacementId);
      if (from) assertManagerKeeps(ctx, from.unit);
      await assertPlacementIdIsFor(this.directory, body.newPlacementId, childId, 'newPlacementId');
      if (!from) throw new DomainError('STEP_DOWN_NOT_ACTIVE', 'the placement stepped down from is not known');
      const householdId = stepDown.toHouseholdId;
      return decideStepDownCompletion(
        {
          childId,
          stepDownId: body.stepDownId,
          newPlacementId: body.newPlacementId,
          date: body.date,
          place: body.place,
          placeProvider: body.placeProvider ?? null,
          at: ctx.at,
          placementType: null,
          siblingGroupId: null,
        },
        { kind: 'household', householdId, state: await load.household(householdId) },
        await load.unit(from.unit),
        child,
      );
    });
    return commandResult(body.stepDownId, ...written);
  }
}
