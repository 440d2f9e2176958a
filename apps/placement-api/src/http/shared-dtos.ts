import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PLACE_PROVIDER_CODES } from '@placement/domain';

export class AgeRangeDto {
  @ApiProperty({ minimum: 0, maximum: 25 })
  @IsInt()
  @Min(0)
  @Max(25)
  min!: number;

  @ApiProperty({ minimum: 0, maximum: 25 })
  @IsInt()
  @Min(0)
  @Max(25)
  max!: number;
}

export class ProviderDto {
  @ApiProperty({ description: 'Provider organisation name (not a person)' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name!: string;

  @ApiProperty({ enum: PLACE_PROVIDER_CODES, description: 'SSDA903 PLACE_PROVIDER' })
  @IsIn(PLACE_PROVIDER_CODES)
  code!: (typeof PLACE_PROVIDER_CODES)[number];
}
