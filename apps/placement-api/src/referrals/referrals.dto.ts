import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { BINDING_EXCLUSIONS, CIN_CODES, RISKS_TO_OTHERS, RISKS_TO_SELF } from '@placement/domain';
import type { BindingExclusion } from '@placement/domain';
import { IsBusinessDate, IsConsistentChildDetail, IsId, IsPostcode, IsUpn, OnlyFieldsOfKind } from '../http/dto-rules';
import { FOSTER_PLACEMENT_TYPES } from '../households/households.dto';

/** SSDA903 MOTHER: '1' the child is a mother, '0' she is not. */
export const MOTHER_CODES = ['0', '1'] as const;
const SUITABILITY = ['preferred', 'suitable', 'unsuitable'] as const;
type SuitabilityValue = (typeof SUITABILITY)[number];
const CAN_LIVE_WITH = ['solo', 'with-others', 'older', 'younger'] as const;
/** Needs are recorded as codes, never free text: the record must be safe to show and log. */
const CODE_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export class ChildFactsDto {
  @ApiProperty({ enum: ['M', 'F', 'U'] })
  @IsIn(['M', 'F', 'U'])
  sex!: 'M' | 'F' | 'U';

  @IsBusinessDate()
  dateOfBirth!: string;

  @ApiProperty({ example: 'E08000018', description: 'ONS code of the responsible authority' })
  @Matches(/^E\d{8}$/, { message: '$property must be an ONS local authority code such as E08000018' })
  localAuthority!: string;

  @IsPostcode()
  homePostcode!: string;

  @ApiProperty({ enum: CIN_CODES, description: 'SSDA903 CIN category of need' })
  @IsIn(CIN_CODES)
  categoryOfNeed!: (typeof CIN_CODES)[number];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'DfE ethnicity code, e.g. WBRI' })
  @IsOptional()
  @Matches(/^[A-Z]{4}$/, { message: '$property must be a 4-letter DfE ethnicity code' })
  ethnicity?: string | null;

  @IsOptional()
  @IsUpn()
  upn?: string | null;

  @ApiPropertyOptional({
    enum: MOTHER_CODES,
    nullable: true,
    description: "SSDA903 MOTHER, for a female child only: '1' she is a mother, '0' she is not",
  })
  @IsOptional()
  @IsIn(MOTHER_CODES)
  @IsConsistentChildDetail('mother')
  mother?: '0' | '1' | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    description: "SSDA903 MC_DOB: her child's date of birth; required exactly when mother is '1'",
  })
  @ValidateIf((o: ChildFactsDto) => (o.motherChildDateOfBirth ?? null) !== null || o.mother === '1')
  @IsBusinessDate()
  @IsConsistentChildDetail('motherChildDateOfBirth')
  motherChildDateOfBirth?: string | null;
}

export class SiblingGroupDto {
  @IsId()
  id!: string;

  @ApiProperty({ minimum: 1, maximum: 8 })
  @IsInt()
  @Min(1)
  @Max(8)
  size!: number;
}

export class PreferredAreaDto {
  @ApiPropertyOptional({ nullable: true, example: 'S60' })
  @ValidateIf((o: PreferredAreaDto) => o.postcodeDistrict !== null && o.postcodeDistrict !== undefined)
  @Matches(/^[A-Z]{1,2}[0-9][A-Z0-9]?$/, { message: '$property must be a postcode district such as S60' })
  postcodeDistrict!: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @ValidateIf((o: PreferredAreaDto) => o.maxDistanceKm !== null && o.maxDistanceKm !== undefined)
  @IsInt()
  @Min(1)
  @Max(1000)
  maxDistanceKm!: number | null;
}

export class SuitabilityDto {
  @IsOptional() @IsIn(SUITABILITY) foster?: SuitabilityValue;
  @IsOptional() @IsIn(SUITABILITY) 'connected-person'?: SuitabilityValue;
  @IsOptional() @IsIn(SUITABILITY) 'childrens-home'?: SuitabilityValue;
  @IsOptional() @IsIn(SUITABILITY) 'supported-accommodation'?: SuitabilityValue;
  @IsOptional() @IsIn(SUITABILITY) secure?: SuitabilityValue;
}

export class NeedsDto {
  @ApiPropertyOptional({ type: SiblingGroupDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SiblingGroupDto)
  siblingGroup?: SiblingGroupDto | null;

  @ApiProperty({ type: PreferredAreaDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PreferredAreaDto)
  preferredArea!: PreferredAreaDto;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsPostcode()
  schoolPostcode?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsPostcode()
  familyContactPostcode?: string | null;

  @ApiProperty({ type: [String], description: 'Codes such as bsl, interpreter-urdu' })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(CODE_PATTERN, { each: true, message: 'each communication need must be a lower-case code' })
  communicationNeeds!: string[];

  @ApiProperty({ type: [String], description: 'Codes such as wheelchair, ground-floor-bedroom' })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(CODE_PATTERN, { each: true, message: 'each adaptation must be a lower-case code' })
  adaptations!: string[];

  @ApiProperty({ enum: CAN_LIVE_WITH, isArray: true })
  @IsArray()
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(CAN_LIVE_WITH, { each: true })
  canLiveWith!: (typeof CAN_LIVE_WITH)[number][];

  @ApiProperty({ type: SuitabilityDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SuitabilityDto)
  placementTypeSuitability!: SuitabilityDto;

  @ApiProperty({ enum: FOSTER_PLACEMENT_TYPES })
  @IsIn(FOSTER_PLACEMENT_TYPES)
  fosterPlacementType!: (typeof FOSTER_PLACEMENT_TYPES)[number];

  @ApiProperty({ enum: RISKS_TO_SELF, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(RISKS_TO_SELF, { each: true })
  risksToSelf!: (typeof RISKS_TO_SELF)[number][];

  @ApiProperty({ enum: RISKS_TO_OTHERS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(RISKS_TO_OTHERS, { each: true })
  risksToOthers!: (typeof RISKS_TO_OTHERS)[number][];

  @ApiProperty()
  @IsBoolean()
  deprivationOfLiberty!: boolean;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Pence per week' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  weeklyBudget?: number | null;
}

export class RequestedByDto {
  @ApiProperty({ example: 'social-worker' })
  @Matches(CODE_PATTERN, { message: '$property must be a role code such as social-worker' })
  role!: string;

  @ApiProperty({ example: 'children-in-care-north' })
  @Matches(CODE_PATTERN, { message: '$property must be a team code' })
  team!: string;
}

export class ReceiveReferralDto {
  @IsId()
  referralId!: string;

  @IsId()
  childId!: string;

  @ApiPropertyOptional({
    type: ChildFactsDto,
    description: 'Required when the child is not yet known: registers the child',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ChildFactsDto)
  child?: ChildFactsDto;

  @ApiProperty({ enum: ['emergency', 'planned'] })
  @IsIn(['emergency', 'planned'])
  urgency!: 'emergency' | 'planned';

  @IsBusinessDate()
  startDate!: string;

  @ApiProperty({ type: NeedsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => NeedsDto)
  needs!: NeedsDto;

  @ApiProperty({ type: RequestedByDto })
  @IsObject()
  @ValidateNested()
  @Type(() => RequestedByDto)
  requestedBy!: RequestedByDto;
}

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
  @IsObject()
  @ValidateNested()
  @Type(() => AttendeeDto)
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
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AttendeeDto)
  attendees!: AttendeeDto[];

  @ApiProperty({ type: UnitConsideredDto })
  @IsObject()
  @ValidateNested()
  @Type(() => UnitConsideredDto)
  unitConsidered!: UnitConsideredDto;

  @ApiProperty({ type: [ImpactAssessmentDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ImpactAssessmentDto)
  impactAssessments!: ImpactAssessmentDto[];

  @ApiProperty({ enum: ['matched', 'not-matched', 'deferred'] })
  @IsIn(['matched', 'not-matched', 'deferred'])
  decision!: 'matched' | 'not-matched' | 'deferred';

  @ApiProperty({ type: [ReasonDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ReasonDto)
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
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ExclusionOverrideDto)
  overrides?: ExclusionOverrideDto[];
}
