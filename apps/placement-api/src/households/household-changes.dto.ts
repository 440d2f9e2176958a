import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, ValidateNested } from 'class-validator';
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

/** The block booking ends on `date`, before its contracted end (or on it). */
export class EndBlockBookingDto {
  @IsBusinessDate()
  date!: string;
}
