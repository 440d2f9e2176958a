import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { BINDING_EXCLUSIONS, referralDecider, referralStreamId, requireReferralTakesMeeting } from '@placement/domain';
import type { BindingExclusion, UnitConsidered } from '@placement/domain';
import { assertKeepsSetting } from '../auth/current-actor';
import { Roles } from '../auth/roles';
import {
  CommandOnBus,
  assertMeetingIdIsFor,
  CommandRoute,
  type CommandResult,
  Sender,
  type CommandSender,
} from '../commands/command';
import { DirectoryHandler } from '../commands/handle';
import { IdParam } from '../http/id-param';
import { IsBusinessDate, IsId, IsNested, OnlyFieldsOfKind } from '../http/dto-rules';
import { ApiCommand } from '../http/openapi';
import { CODE_PATTERN } from './referrals.dto';
import { childStateOf, loadReferral } from './referrals.handlers';

const ATTENDEE_ROLES = [
  'social-worker',
  'team-manager',
  'registered-manager',
  'placement-officer',
  'supervising-social-worker',
  'independent-reviewing-officer',
  'health',
  'education',
  'other',
] as const;

export class AttendeeDto {
  @ApiProperty({ enum: ATTENDEE_ROLES })
  @IsIn(ATTENDEE_ROLES)
  role!: (typeof ATTENDEE_ROLES)[number];
}

export class UnitConsideredDto {
  @ApiProperty({ enum: ['setting', 'household', 'other'] })
  @IsIn(['setting', 'household', 'other'])
  @OnlyFieldsOfKind({ setting: ['settingId'], household: ['householdId'], other: ['ref'] })
  kind!: 'setting' | 'household' | 'other';

  @ApiPropertyOptional()
  @ValidateIf((o: UnitConsideredDto) => o.kind === 'setting')
  @IsId()
  settingId?: string;

  @ApiPropertyOptional()
  @ValidateIf((o: UnitConsideredDto) => o.kind === 'household')
  @IsId()
  householdId?: string;

  @ApiPropertyOptional()
  @ValidateIf((o: UnitConsideredDto) => o.kind === 'other')
  @IsId()
  ref?: string;
}

export class ImpactAssessmentDto {
  @IsId()
  residentChildId!: string;

  @ApiProperty({ enum: ['no-concerns', 'manageable', 'unacceptable'] })
  @IsIn(['no-concerns', 'manageable', 'unacceptable'])
  outcome!: 'no-concerns' | 'manageable' | 'unacceptable';

  @ApiProperty({ type: [String], description: 'Risk codes considered' })
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(CODE_PATTERN, { each: true, message: 'each risk considered must be a lower-case code' })
  risksConsidered!: string[];
}

export class ReasonDto {
  @ApiProperty({ example: 'NEEDS_MET' })
  @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: '$property must be an upper-case reason code' })
  code!: string;

  @ApiProperty({ description: 'Short plain words for the record (kept out of logs)' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  text!: string;
}

export class ExclusionOverrideDto {
  @ApiProperty({
    enum: BINDING_EXCLUSIONS,
    description:
      'An exclusion code of the matching engine that binds a placement (safeguarding, registration or approval). ' +
      'SUPPORTED_ACCOMMODATION_UNDER_16 is refused: no meeting can authorise it.',
  })
  @IsIn(BINDING_EXCLUSIONS)
  code!: BindingExclusion;

  @ApiProperty({
    description: 'Why the meeting sets the exclusion aside, in plain words for the record (kept out of logs)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @Matches(/\S/, { message: '$property must not be blank' })
  reason!: string;

  @ApiProperty({ type: AttendeeDto, description: 'The role that authorised the override; it attended the meeting' })
  @IsNested(() => AttendeeDto)
  authorisedBy!: AttendeeDto;
}

export class MatchingMeetingDto {
  @IsId()
  meetingId!: string;

  @IsBusinessDate()
  heldOn!: string;

  @ApiProperty({ type: [AttendeeDto] })
  @IsArray()
  @ArrayMaxSize(30)
  @IsNested(() => AttendeeDto, { each: true })
  attendees!: AttendeeDto[];

  @ApiProperty({ type: UnitConsideredDto })
  @IsNested(() => UnitConsideredDto)
  unitConsidered!: UnitConsideredDto;

  @ApiProperty({ type: [ImpactAssessmentDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsNested(() => ImpactAssessmentDto, { each: true })
  impactAssessments!: ImpactAssessmentDto[];

  @ApiProperty({ enum: ['matched', 'not-matched', 'deferred'] })
  @IsIn(['matched', 'not-matched', 'deferred'])
  decision!: 'matched' | 'not-matched' | 'deferred';

  @ApiProperty({ type: [ReasonDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsNested(() => ReasonDto, { each: true })
  reasons!: ReasonDto[];

  @ApiPropertyOptional({
    type: [ExclusionOverrideDto],
    description:
      'Exclusions of the matching engine a matched meeting sets aside for the unit it considered, one per code, ' +
      'each recorded as a MatchingExclusionOverridden event. Without them, a placement into a unit the engine ' +
      'excludes for a binding reason is 422 EXCLUDED_BY_MATCHING.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsNested(() => ExclusionOverrideDto, { each: true })
  overrides?: ExclusionOverrideDto[];
}

export class RecordMatchingMeetingCommand extends CommandOnBus<MatchingMeetingDto & { referralId: string }> {}

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('v1')
export class RecordMatchingMeetingRoute extends CommandRoute {
  @Post('referrals/:id/matching-meetings')
  @ApiCommand(
    "Record a matching meeting's decision on a referral",
    {
      409: ['ALREADY_EXISTS'],
      422: ['REFERRAL_NOT_OPEN', 'DATE_IN_FUTURE', 'INVALID_INPUT', 'IMPACT_UNACCEPTABLE', 'OVERRIDE_NOT_ALLOWED'],
    },
    'recordMatchingMeeting',
  )
  @HttpCode(201)
  @Roles('placement-officer', 'residential-manager', 'admin')
  meeting(
    @IdParam('id') referralId: string,
    @Body() body: MatchingMeetingDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    // A manager's meeting can satisfy MATCHING_REQUIRED for the home it names: only their own homes.
    if (sender.actor.role === 'residential-manager')
      assertKeepsSetting(
        sender.actor,
        body.unitConsidered.kind === 'setting' ? (body.unitConsidered.settingId ?? '') : '',
      );
    return this.send(
      RecordMatchingMeetingCommand,
      { ...body, referralId },
      sender,
      `meeting:${referralId}:${body.meetingId}`,
    );
  }
}

/**
 * A matching meeting is for an open referral, or the meeting that follows an emergency
 * placement made under it, about the unit the child went to (requireReferralTakesMeeting).
 */
@CommandHandler(RecordMatchingMeetingCommand)
export class RecordMatchingMeetingHandler extends DirectoryHandler<RecordMatchingMeetingCommand> {
  async execute({ body, ctx }: RecordMatchingMeetingCommand): Promise<CommandResult> {
    await assertMeetingIdIsFor(this.directory, body.meetingId, body.referralId);
    const loaded = await loadReferral(this.store, body.referralId);
    const { unitConsidered: u, overrides, ...meeting } = body;
    const unitConsidered: UnitConsidered =
      u.kind === 'setting'
        ? { kind: 'setting', settingId: u.settingId ?? '' }
        : u.kind === 'household'
          ? { kind: 'household', householdId: u.householdId ?? '' }
          : { kind: 'other', ref: u.ref ?? '' };
    const command = {
      type: 'RecordMatchingMeeting' as const,
      data: { ...meeting, unitConsidered },
      overrides: overrides ?? [],
      at: ctx.at,
    };
    const streamId = referralStreamId(body.referralId);
    return this.decide(
      body.meetingId,
      referralDecider,
      streamId,
      ctx,
      async (referral) => {
        if (referral.status !== 'NotReceived')
          requireReferralTakesMeeting(referral, await childStateOf(this.store, referral), unitConsidered);
        return command;
      },
      { loaded },
    );
  }
}
