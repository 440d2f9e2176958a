import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { RISKS_TO_OTHERS, RISKS_TO_SELF, type ReferralNeeds } from '@placement/domain';
import { IsId, IsNested, IsPostcode } from '../http/dto-rules';
import { FOSTER_PLACEMENT_TYPES } from '../households/households.dto';

/** SSDA903 MOTHER: '1' the child is a mother, '0' she is not. */
export const MOTHER_CODES = ['0', '1'] as const;

/** SSDA903 MOTHER as a child's facts carry it, optional and nullable (a referral's child, a child's details). */
export const IsMotherCode = () =>
  applyDecorators(
    ApiPropertyOptional({
      enum: MOTHER_CODES,
      nullable: true,
      description: "SSDA903 MOTHER, for a female child only: '1' she is a mother, '0' she is not",
    }),
    IsOptional(),
    IsIn(MOTHER_CODES),
  );

const SUITABILITY = ['preferred', 'suitable', 'unsuitable'] as const;
type SuitabilityValue = (typeof SUITABILITY)[number];
const CAN_LIVE_WITH = ['solo', 'with-others', 'older', 'younger'] as const;
/** Needs are recorded as codes, never free text: the record must be safe to show and log. */
export const CODE_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export class SiblingGroupDto {
  @IsId()
  id!: string;

  @ApiProperty({ minimum: 1, maximum: 8 })
  @IsInt()
  @Min(1)
  @Max(8)
  size!: number;
}

export class PreferredAreaDto {
  @ApiPropertyOptional({ nullable: true, example: 'S60' })
  @ValidateIf((o: PreferredAreaDto) => o.postcodeDistrict !== null && o.postcodeDistrict !== undefined)
  @Matches(/^[A-Z]{1,2}[0-9][A-Z0-9]?$/, { message: '$property must be a postcode district such as S60' })
  postcodeDistrict!: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @ValidateIf((o: PreferredAreaDto) => o.maxDistanceKm !== null && o.maxDistanceKm !== undefined)
  @IsInt()
  @Min(1)
  @Max(1000)
  maxDistanceKm!: number | null;
}

export class SuitabilityDto {
  @IsOptional() @IsIn(SUITABILITY) foster?: SuitabilityValue;
  @IsOptional() @IsIn(SUITABILITY) 'connected-person'?: SuitabilityValue;
  @IsOptional() @IsIn(SUITABILITY) 'childrens-home'?: SuitabilityValue;
  @IsOptional() @IsIn(SUITABILITY) 'supported-accommodation'?: SuitabilityValue;
  @IsOptional() @IsIn(SUITABILITY) secure?: SuitabilityValue;
}

export class NeedsDto {
  @ApiPropertyOptional({ type: SiblingGroupDto, nullable: true })
  @IsOptional()
  @IsNested(() => SiblingGroupDto)
  siblingGroup?: SiblingGroupDto | null;

  @ApiProperty({ type: PreferredAreaDto })
  @IsNested(() => PreferredAreaDto)
  preferredArea!: PreferredAreaDto;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsPostcode()
  schoolPostcode?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsPostcode()
  familyContactPostcode?: string | null;

  @ApiProperty({ type: [String], description: 'Codes such as bsl, interpreter-urdu' })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(CODE_PATTERN, { each: true, message: 'each communication need must be a lower-case code' })
  communicationNeeds!: string[];

  @ApiProperty({ type: [String], description: 'Codes such as wheelchair, ground-floor-bedroom' })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(CODE_PATTERN, { each: true, message: 'each adaptation must be a lower-case code' })
  adaptations!: string[];

  @ApiProperty({ enum: CAN_LIVE_WITH, isArray: true })
  @IsArray()
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(CAN_LIVE_WITH, { each: true })
  canLiveWith!: (typeof CAN_LIVE_WITH)[number][];

  @ApiProperty({ type: SuitabilityDto })
  @IsNested(() => SuitabilityDto)
  placementTypeSuitability!: SuitabilityDto;

  @ApiProperty({ enum: FOSTER_PLACEMENT_TYPES })
  @IsIn(FOSTER_PLACEMENT_TYPES)
  fosterPlacementType!: (typeof FOSTER_PLACEMENT_TYPES)[number];

  @ApiProperty({ enum: RISKS_TO_SELF, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(RISKS_TO_SELF, { each: true })
  risksToSelf!: (typeof RISKS_TO_SELF)[number][];

  @ApiProperty({ enum: RISKS_TO_OTHERS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(RISKS_TO_OTHERS, { each: true })
  risksToOthers!: (typeof RISKS_TO_OTHERS)[number][];

  @ApiProperty()
  @IsBoolean()
  deprivationOfLiberty!: boolean;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Pence per week' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  weeklyBudget?: number | null;
}

/** The needs as the referral records them: the child's sex and age at the start come from their record. */
export function needsFor(dto: NeedsDto, sex: 'M' | 'F' | 'U', ageAtStart: number): ReferralNeeds {
  return {
    sex,
    ageAtStart,
    siblingGroup: dto.siblingGroup ?? null,
    preferredArea: {
      postcodeDistrict: dto.preferredArea.postcodeDistrict ?? null,
      maxDistanceKm: dto.preferredArea.maxDistanceKm ?? null,
    },
    schoolPostcode: dto.schoolPostcode ?? null,
    familyContactPostcode: dto.familyContactPostcode ?? null,
    communicationNeeds: dto.communicationNeeds,
    adaptations: dto.adaptations,
    canLiveWith: dto.canLiveWith,
    placementTypeSuitability: { ...dto.placementTypeSuitability },
    fosterPlacementType: dto.fosterPlacementType,
    risksToSelf: dto.risksToSelf,
    risksToOthers: dto.risksToOthers,
    deprivationOfLiberty: dto.deprivationOfLiberty,
    weeklyBudget: dto.weeklyBudget ?? null,
  };
}
