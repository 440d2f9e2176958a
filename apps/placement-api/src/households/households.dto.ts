import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AgeRangeDto } from '../http/shared-dtos';
import { IsBusinessDate, IsId, IsPostcode } from '../http/dto-rules';

export const FOSTER_PLACEMENT_TYPES = ['emergency', 'short-term', 'long-term', 'respite'] as const;

export class ApprovalTermsDto {
  @ApiProperty({ type: AgeRangeDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AgeRangeDto)
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

export class ApproveHouseholdDto {
  @IsId()
  householdId!: string;

  @ApiProperty({ description: 'A household reference such as FH-012, never a carer name' })
  @Matches(/^[A-Za-z0-9 _-]{1,32}$/, {
    message: '$property must be a short reference (letters, digits, space, _ or -)',
  })
  reference!: string;

  @ApiProperty({ type: ApprovalTermsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ApprovalTermsDto)
  terms!: ApprovalTermsDto;

  @IsBusinessDate()
  approvedOn!: string;
}
