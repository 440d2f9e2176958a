import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, ValidateNested } from 'class-validator';
import { NeedsDto } from './referrals.dto';

export const WITHDRAWAL_REASONS = ['no-longer-needed', 'duplicate', 'other'] as const;

export class WithdrawReferralDto {
  @ApiProperty({ enum: WITHDRAWAL_REASONS })
  @IsIn(WITHDRAWAL_REASONS)
  reason!: (typeof WITHDRAWAL_REASONS)[number];
}

/** The referral's needs in full, as at today: they replace the needs on record. */
export class UpdateNeedsDto {
  @ApiProperty({ type: NeedsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => NeedsDto)
  needs!: NeedsDto;
}
