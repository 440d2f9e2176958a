import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { IsBusinessDate } from '../http/dto-rules';
import { RegistrationDto } from './settings.dto';

/** A new registration (max children, ages, sexes) and URN from a date. */
export class ChangeRegistrationDto {
  @ApiProperty({ type: RegistrationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => RegistrationDto)
  registration!: RegistrationDto;

  @ApiProperty({ nullable: true, description: 'Ofsted URN: SC + 6 digits, or null', example: 'SC123456' })
  @ValidateIf((o: ChangeRegistrationDto) => o.urn !== null)
  @Matches(/^SC\d{6}$/, { message: '$property must be an Ofsted URN: SC followed by 6 digits' })
  urn!: string | null;

  @IsBusinessDate()
  effectiveDate!: string;
}

export const CLOSING_REASONS = ['deregistered', 'decommissioned', 'other'] as const;

/** The setting takes no one from `date`. */
export class CloseSettingDto {
  @IsBusinessDate()
  date!: string;

  @ApiProperty({ enum: CLOSING_REASONS })
  @IsIn(CLOSING_REASONS)
  reason!: (typeof CLOSING_REASONS)[number];
}
