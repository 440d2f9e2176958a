import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsBusinessDate, IsUpn } from '../http/dto-rules';
import { MOTHER_CODES } from '../referrals/referrals.dto';

/**
 * The child's facts the SSDA903 header needs beyond registration. A field left out keeps its
 * value; null records that it is not known (or no longer applies). The child's sex and date of
 * birth are on the record, so MOTHER-for-a-girl-only and the MC_DOB rules are the child
 * record's to apply (422 INVALID_INPUT / INVALID_DATES, naming the field).
 */
export class UpdateChildDetailsDto {
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
  mother?: '0' | '1' | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    description: "SSDA903 MC_DOB: her child's date of birth; recorded exactly when mother is '1'",
  })
  @IsOptional()
  @IsBusinessDate()
  motherChildDateOfBirth?: string | null;
}
