import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { HOUSEHOLD_MEMBER_RELATIONSHIPS } from '@placement/domain';
import { ArrayMaxSize, IsArray, IsIn, IsObject, Matches, ValidateNested } from 'class-validator';
import { IsBusinessDate } from '../http/dto-rules';
import { ApprovalTermsDto } from './households.dto';

export const SUSPENSION_REASONS = ['allegation', 'standards', 'carer-request', 'other'] as const;

/** Suspended from a date (today or earlier): matching excludes the household and it takes no new child. */
export class SuspendHouseholdDto {
  @IsBusinessDate()
  date!: string;

  @ApiProperty({ enum: SUSPENSION_REASONS })
  @IsIn(SUSPENSION_REASONS)
  reason!: (typeof SUSPENSION_REASONS)[number];
}

/** Reinstated, or resigned, from a date (today or earlier). */
export class HouseholdDateDto {
  @IsBusinessDate()
  date!: string;
}

/** New approval terms from a date (ahead of today too: the terms are dated). */
export class ChangeApprovalTermsDto {
  @ApiProperty({ type: ApprovalTermsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ApprovalTermsDto)
  terms!: ApprovalTermsDto;

  @IsBusinessDate()
  effectiveDate!: string;
}

/** Someone who lives with the carers besides the children placed: month of birth and relationship, never a name. */
export class HouseholdMemberDto {
  @ApiProperty({ description: 'Year and month of birth, YYYY-MM (no later than this month)', example: '2019-04' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'bornIn must be a year and month, YYYY-MM' })
  bornIn!: string;

  @ApiProperty({ enum: HOUSEHOLD_MEMBER_RELATIONSHIPS })
  @IsIn(HOUSEHOLD_MEMBER_RELATIONSHIPS)
  relationship!: (typeof HOUSEHOLD_MEMBER_RELATIONSHIPS)[number];
}

/** The whole list of the household's members other than the carers (empty: nobody else lives there). */
export class HouseholdMembersDto {
  @ApiProperty({ type: [HouseholdMemberDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => HouseholdMemberDto)
  members!: HouseholdMemberDto[];
}
