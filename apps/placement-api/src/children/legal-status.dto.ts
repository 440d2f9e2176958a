import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { LEGAL_STATUS_CODES, type LegalStatusCode } from '@placement/domain';
import { IsBusinessDate } from '../http/dto-rules';

/** A change of the child's legal status (SSDA903 LS), from the date it took effect: today or earlier. */
export class ChangeLegalStatusDto {
  @ApiProperty({ enum: LEGAL_STATUS_CODES, description: 'SSDA903 LS code', example: 'C2' })
  @IsIn(LEGAL_STATUS_CODES)
  legalStatus!: LegalStatusCode;

  @IsBusinessDate()
  date!: string;
}
