import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { AgeRangeDto, ProviderDto } from '../http/shared-dtos';

export class SettingProviderDto extends ProviderDto {
  @ApiProperty({ enum: ['in-house', 'external'] })
  @IsIn(['in-house', 'external'])
  kind!: 'in-house' | 'external';
}

export class RegistrationDto {
  @ApiProperty({ type: AgeRangeDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AgeRangeDto)
  ageRange!: AgeRangeDto;

  @ApiProperty({ enum: ['M', 'F', 'any'] })
  @IsIn(['M', 'F', 'any'])
  sexes!: 'M' | 'F' | 'any';

  @ApiProperty({ minimum: 1, maximum: 50 })
  @IsInt()
  @Min(1)
  @Max(50)
  maxChildren!: number;
}
