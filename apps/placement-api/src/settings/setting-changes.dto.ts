import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { EMERGENCY_ADMISSIONS, RISKS_TO_OTHERS, RISKS_TO_SELF } from '@placement/domain';
import { ArrayUnique, IsArray, IsIn, IsObject, Matches, ValidateIf, ValidateNested } from 'class-validator';
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

const RISKS = [...RISKS_TO_SELF, ...RISKS_TO_OTHERS] as const;

/** A home's statement-of-purpose matching terms: the risks it does not accept and its emergency admissions. */
export class StatementOfPurposeDto {
  @ApiProperty({ enum: RISKS, isArray: true, description: "Risks to self or to others, in the referral's words" })
  @IsArray()
  @ArrayUnique()
  @IsIn(RISKS, { each: true })
  risksNotAccepted!: (typeof RISKS)[number][];

  @ApiProperty({ enum: EMERGENCY_ADMISSIONS })
  @IsIn(EMERGENCY_ADMISSIONS)
  emergencyAdmissions!: (typeof EMERGENCY_ADMISSIONS)[number];
}
