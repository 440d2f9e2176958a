import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { AgeRangeDto, ProviderDto } from '../http/shared-dtos';
import { IsNested } from '../http/dto-rules';

export class SettingProviderDto extends ProviderDto {
  @ApiProperty({ enum: ['in-house', 'external'] })
  @IsIn(['in-house', 'external'])
  kind!: 'in-house' | 'external';
}

export class RegistrationDto {
  @ApiProperty({ type: AgeRangeDto })
  @IsNested(() => AgeRangeDto)
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
