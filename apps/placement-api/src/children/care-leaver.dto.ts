import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { CARE_LEAVER_ACCOMMODATION, type CareLeaverAccommodation } from '@placement/domain';
import { IsBusinessDate } from '../http/dto-rules';

/** A care leaver's accommodation from a date (today or earlier, on or after care ceased). */
export class RecordCareLeaverDto {
  @ApiProperty({
    enum: CARE_LEAVER_ACCOMMODATION,
    description:
      'staying-put (with the former foster carer), supported-16-plus (16+ supported accommodation), independent, other',
    example: 'staying-put',
  })
  @IsIn(CARE_LEAVER_ACCOMMODATION)
  accommodation!: CareLeaverAccommodation;

  @IsBusinessDate()
  from!: string;
}
