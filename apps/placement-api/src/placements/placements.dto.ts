import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsBoolean, IsIn, IsObject, IsOptional, Matches, ValidateIf, ValidateNested } from 'class-validator';
import {
  AFTER_PLACEMENT,
  LEGAL_STATUS_CODES,
  PLACE_CODES,
  PLACE_PROVIDER_CODES,
  REASON_PLACE_CHANGE_CODES,
  REC_CODES,
  type AfterPlacement,
} from '@placement/domain';
import { IsBusinessDate, IsId, IsPostcode, OnlyFieldsOfKind } from '../http/dto-rules';
import { ProviderDto } from '../http/shared-dtos';
import { FOSTER_PLACEMENT_TYPES } from '../households/households.dto';

export const UNIT_KINDS = ['bed', 'household', 'block-bed', 'external'] as const;

/** Where the child goes: one of our beds, a household, a block-booked bed, or an external (spot) setting. */
export class UnitDto {
  @ApiProperty({ enum: UNIT_KINDS })
  @IsIn(UNIT_KINDS)
  @OnlyFieldsOfKind({
    bed: ['settingId', 'bedId'],
    household: ['householdId'],
    'block-bed': ['contractId', 'bedRef'],
    external: ['urn', 'provider'],
  })
  kind!: (typeof UNIT_KINDS)[number];

  @ApiPropertyOptional({ description: 'kind = bed' })
  @ValidateIf((o: UnitDto) => o.kind === 'bed')
  @IsId()
  settingId?: string;

  @ApiPropertyOptional({ description: 'kind = bed' })
  @ValidateIf((o: UnitDto) => o.kind === 'bed')
  @IsId()
  bedId?: string;

  @ApiPropertyOptional({ description: 'kind = household' })
  @ValidateIf((o: UnitDto) => o.kind === 'household')
  @IsId()
  householdId?: string;

  @ApiPropertyOptional({ description: 'kind = block-bed' })
  @ValidateIf((o: UnitDto) => o.kind === 'block-bed')
  @IsId()
  contractId?: string;

  @ApiPropertyOptional({ description: 'kind = block-bed' })
  @ValidateIf((o: UnitDto) => o.kind === 'block-bed')
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, { message: '$property must be 1–32 letters, digits, _ or -' })
  bedRef?: string;

  @ApiPropertyOptional({ type: String, description: 'kind = external: Ofsted URN or null', nullable: true })
  @ValidateIf((o: UnitDto) => o.kind === 'external' && o.urn !== null)
  @Matches(/^SC\d{6}$/, { message: '$property must be an Ofsted URN: SC followed by 6 digits' })
  urn?: string | null;

  @ApiPropertyOptional({ type: ProviderDto, description: 'kind = external' })
  @ValidateIf((o: UnitDto) => o.kind === 'external')
  @IsObject()
  @ValidateNested()
  @Type(() => ProviderDto)
  provider?: ProviderDto;
}

export class StartPlacementDto {
  @IsId()
  placementId!: string;

  @IsId()
  childId!: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsId()
  referralId?: string | null;

  @ApiProperty({ type: UnitDto })
  @IsObject()
  @ValidateNested()
  @Type(() => UnitDto)
  unit!: UnitDto;

  @ApiProperty({ enum: PLACE_CODES, description: 'SSDA903 PLACE' })
  @IsIn(PLACE_CODES)
  place!: (typeof PLACE_CODES)[number];

  @ApiProperty({ enum: PLACE_PROVIDER_CODES, description: 'SSDA903 PLACE_PROVIDER' })
  @IsIn(PLACE_PROVIDER_CODES)
  placeProvider!: (typeof PLACE_PROVIDER_CODES)[number];

  @ApiPropertyOptional({
    enum: LEGAL_STATUS_CODES,
    description: "SSDA903 LS; defaults to the child's current legal status",
  })
  @IsOptional()
  @IsIn(LEGAL_STATUS_CODES)
  legalStatus?: (typeof LEGAL_STATUS_CODES)[number];

  @IsBusinessDate()
  startDate!: string;

  @ApiProperty()
  @IsBoolean()
  emergency!: boolean;

  @ApiPropertyOptional({ enum: FOSTER_PLACEMENT_TYPES, description: 'For a household: the type sought' })
  @IsOptional()
  @IsIn(FOSTER_PLACEMENT_TYPES)
  placementType?: (typeof FOSTER_PLACEMENT_TYPES)[number];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsId()
  siblingGroupId?: string | null;

  @ApiPropertyOptional({ nullable: true, description: "SSDA903 PL_POST; defaults to the unit's postcode" })
  @IsOptional()
  @IsPostcode()
  placementPostcode?: string | null;
}

export class EndPlacementDto {
  @IsBusinessDate()
  endDate!: string;

  @ApiPropertyOptional({ enum: REASON_PLACE_CHANGE_CODES, nullable: true })
  @IsOptional()
  @IsIn(REASON_PLACE_CHANGE_CODES)
  reasonForChange?: (typeof REASON_PLACE_CHANGE_CODES)[number] | null;

  @ApiPropertyOptional({ enum: REC_CODES, nullable: true, description: 'SSDA903 REC when care ends' })
  @IsOptional()
  @IsIn(REC_CODES)
  reasonEpisodeCeased?: (typeof REC_CODES)[number] | null;

  @ApiPropertyOptional({
    enum: AFTER_PLACEMENT,
    nullable: true,
    description:
      'What follows: another placement (a move; needs reasonForChange, no E-code) or leaving care (needs an ' +
      'E-code reasonEpisodeCeased). Omitted: an E-code says leaving care; otherwise nothing is said and the ' +
      'child shows on the NO_OPEN_PLACEMENT queue until a placement starts',
  })
  @IsOptional()
  @IsIn(AFTER_PLACEMENT)
  next?: AfterPlacement | null;
}

export class RevisePlannedEndDto {
  @ApiProperty({ description: 'The new end date; the planned end being revised must not have happened yet' })
  @IsBusinessDate()
  endDate!: string;

  @ApiPropertyOptional({
    enum: REASON_PLACE_CHANGE_CODES,
    nullable: true,
    description: 'Omitted: the reason the planned end was recorded with',
  })
  @IsOptional()
  @IsIn(REASON_PLACE_CHANGE_CODES)
  reasonForChange?: (typeof REASON_PLACE_CHANGE_CODES)[number] | null;

  @ApiPropertyOptional({
    enum: REC_CODES,
    nullable: true,
    description: 'Omitted: the REC the planned end was recorded with',
  })
  @IsOptional()
  @IsIn(REC_CODES)
  reasonEpisodeCeased?: (typeof REC_CODES)[number] | null;

  @ApiPropertyOptional({
    enum: AFTER_PLACEMENT,
    nullable: true,
    description: 'Omitted: what the planned end said follows, unless new codes are given',
  })
  @IsOptional()
  @IsIn(AFTER_PLACEMENT)
  next?: AfterPlacement | null;
}

/**
 * Withdrawing a planned end takes no fields: the placement is open-ended again. The body is `{}`;
 * any field is refused (400). The validation pipe refuses a body whose class declares no rule at
 * all, so the class declares one: its one (hidden) field must be absent.
 */
export class WithdrawPlannedEndDto {
  @ApiHideProperty()
  @IsOptional()
  @Equals(undefined, { message: 'withdrawing a planned end takes no fields' })
  readonly none?: never;
}
