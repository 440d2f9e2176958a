import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, Matches, ValidateIf } from 'class-validator';
import {
  childDecider,
  childStreamId,
  DomainError,
  householdDecider,
  householdStreamId,
  MILESTONE_KINDS,
  openPlacement,
} from '@placement/domain';
import type { FosterPlacementType, HouseholdFitFacts } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { Roles } from '../auth/roles';
import {
  CommandOnBus,
  CommandRoute,
  type CommandResult,
  assertStepDownIdIsFor,
  loadStream,
  Sender,
  type CommandSender,
} from '../commands/command';
import { DirectoryHandler } from '../commands/handle';
import { FOSTER_PLACEMENT_TYPES } from '../households/households.dto';
import { IsBusinessDate, IsId, IsNested } from '../http/dto-rules';
import { ApiCommand } from '../http/openapi';
import { assertManagerKeeps, registered } from './step-down-child';

export class SafetyPlanDto {
  @ApiProperty({ description: 'A safety plan document exists and was shared' })
  @IsBoolean()
  summaryProvided!: boolean;

  @IsBusinessDate()
  reviewDate!: string;

  @ApiProperty()
  @IsBoolean()
  contingencyAgreed!: boolean;

  @ApiProperty({ example: 'supervising-social-worker' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: '$property must be a role code' })
  leadRole!: string;
}

export class MilestoneDto {
  @IsId()
  milestoneId!: string;

  @ApiProperty({ enum: MILESTONE_KINDS })
  @IsIn(MILESTONE_KINDS)
  kind!: (typeof MILESTONE_KINDS)[number];

  @IsBusinessDate()
  dueDate!: string;
}

export class PlanStepDownDto {
  @IsId()
  stepDownId!: string;

  @IsId()
  childId!: string;

  @IsId()
  toHouseholdId!: string;

  @ApiProperty({ enum: FOSTER_PLACEMENT_TYPES })
  @IsIn(FOSTER_PLACEMENT_TYPES)
  placementType!: (typeof FOSTER_PLACEMENT_TYPES)[number];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsId()
  siblingGroupId?: string | null;

  @IsBusinessDate()
  plannedDate!: string;

  @ApiProperty({
    type: SafetyPlanDto,
    nullable: true,
    description: 'Required: a step-down without a safety plan is refused (SAFETY_PLAN_REQUIRED)',
  })
  @ValidateIf((o: PlanStepDownDto) => o.safetyPlan !== null)
  @IsNested(() => SafetyPlanDto)
  safetyPlan!: SafetyPlanDto | null;

  @ApiProperty({ type: [MilestoneDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsNested(() => MilestoneDto, { each: true })
  milestones!: MilestoneDto[];
}

export class PlanStepDownCommand extends CommandOnBus<PlanStepDownDto> {}

@ApiTags('placements and step-downs')
@ApiBearerAuth()
@Controller('v1')
export class PlanStepDownRoute extends CommandRoute {
  @Post('step-downs')
  @ApiCommand('Plan a step-down from residential care to family', {
    404: ['NOT_FOUND'],
    409: ['ALREADY_EXISTS', 'HOUSEHOLD_FULL'],
    422: [
      'SAFETY_PLAN_REQUIRED',
      'NOT_RESIDENTIAL',
      'INVALID_DATES',
      'INVALID_INPUT',
      'HOUSEHOLD_NOT_AVAILABLE',
      'APPROVAL_TERMS_EXCEEDED',
    ],
  })
  @HttpCode(201)
  @Roles('residential-manager', 'placement-officer', 'admin')
  plan(@Body() body: PlanStepDownDto, @Sender() sender: CommandSender): Promise<CommandResult> {
    return this.send(PlanStepDownCommand, body, sender, `step-down:${body.stepDownId}`);
  }
}

/** The receiving household's terms and bookings, as the child's decider checks the fit. */
async function receivingHousehold(store: EventStore, householdId: string): Promise<HouseholdFitFacts> {
  const { state } = await loadStream(store, householdDecider, householdStreamId(householdId));
  if (state.status === 'NotApproved') throw new DomainError('NOT_FOUND', `household ${householdId} is not approved`);
  return { householdId, status: state.status, termsHistory: state.termsHistory, bookings: state.placements };
}

/** Decided on the child's stream, from the open placement (whose home a manager must keep) to the household. */
@CommandHandler(PlanStepDownCommand)
export class PlanStepDownHandler extends DirectoryHandler<PlanStepDownCommand> {
  async execute({ body, ctx }: PlanStepDownCommand): Promise<CommandResult> {
    await assertStepDownIdIsFor(this.directory, body.stepDownId, body.childId);
    const loaded = await loadStream(this.store, childDecider, childStreamId(body.childId));
    const from = openPlacement(registered(body.childId, loaded.state));
    if (!from) throw new DomainError('NOT_RESIDENTIAL', 'the child has no open placement to step down from');
    assertManagerKeeps(ctx, from.unit);
    const toHousehold = await receivingHousehold(this.store, body.toHouseholdId);
    return this.decide(
      body.stepDownId,
      childDecider,
      childStreamId(body.childId),
      ctx,
      () => ({
        type: 'PlanStepDown' as const,
        data: {
          childId: body.childId,
          stepDownId: body.stepDownId,
          fromPlacementId: from.placementId,
          toHousehold,
          placementType: body.placementType as FosterPlacementType,
          siblingGroupId: body.siblingGroupId ?? null,
          plannedDate: body.plannedDate,
          safetyPlan: body.safetyPlan,
          milestones: body.milestones,
        },
      }),
      { loaded },
    );
  }
}
