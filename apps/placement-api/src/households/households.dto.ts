import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { AgeRangeDto } from '../http/shared-dtos';
import { IsBusinessDate, IsNested, IsPostcode } from '../http/dto-rules';

export const FOSTER_PLACEMENT_TYPES = ['emergency', 'short-term', 'long-term', 'respite'] as const;

export class ApprovalTermsDto {
  @ApiProperty({ type: AgeRangeDto })
  @IsNested(() => AgeRangeDto)
  ageRange!: AgeRangeDto;

  @ApiProperty({ minimum: 1, maximum: 10 })
  @IsInt()
  @Min(1)
  @Max(10)
  maxChildren!: number;

  @ApiProperty({ description: 'Approved for sibling groups / exempt from the usual limit of 3' })
  @IsBoolean()
  siblingGroup!: boolean;

  @ApiProperty({ enum: FOSTER_PLACEMENT_TYPES, isArray: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(FOSTER_PLACEMENT_TYPES, { each: true })
  placementTypes!: (typeof FOSTER_PLACEMENT_TYPES)[number][];

  @ApiProperty()
  @IsBoolean()
  connectedPerson!: boolean;

  @ApiProperty({ enum: ['in-house', 'ifa'] })
  @IsIn(['in-house', 'ifa'])
  provider!: 'in-house' | 'ifa';

  @ApiPropertyOptional({ type: String, nullable: true, description: "The agency's name for an IFA household" })
  @ValidateIf((o: ApprovalTermsDto) => o.agencyName !== null && o.agencyName !== undefined)
  @IsString()
  @MaxLength(120)
  agencyName!: string | null;

  @ApiProperty({ enum: ['M', 'F', 'any'] })
  @IsIn(['M', 'F', 'any'])
  sexes!: 'M' | 'F' | 'any';

  @IsPostcode()
  postcode!: string;
}

/** Reinstated, or resigned, from a date (today or earlier). */
export class HouseholdDateDto {
  @IsBusinessDate()
  date!: string;
}

/** A body's approval terms: an object (a list is refused), its fields validated as `ApprovalTermsDto`. */
export function IsApprovalTerms() {
  // Applied in the order the decorators stood on each field (bottom first).
  return applyDecorators(
    IsNested(() => ApprovalTermsDto),
    ApiProperty({ type: ApprovalTermsDto }),
  );
}
