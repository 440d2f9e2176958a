import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AgeRangeDto, ProviderDto } from '../http/shared-dtos';
import { IsBusinessDate, IsId, IsPostcode } from '../http/dto-rules';

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

export class RegisterSettingDto {
  @IsId()
  settingId!: string;

  @ApiProperty({ description: "The setting's name (a home, never a child)" })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name!: string;

  @ApiProperty({
    nullable: true,
    description: 'Ofsted URN: SC + 6 digits, or null for an unregistered setting',
    example: 'SC123456',
  })
  @ValidateIf((o: RegisterSettingDto) => o.urn !== null)
  @Matches(/^SC\d{6}$/, { message: '$property must be an Ofsted URN: SC followed by 6 digits' })
  urn!: string | null;

  @ApiProperty({ type: SettingProviderDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SettingProviderDto)
  provider!: SettingProviderDto;

  @ApiProperty({ enum: ['childrens-home', 'secure', 'supported-accommodation', 'residential-school', 'other'] })
  @IsIn(['childrens-home', 'secure', 'supported-accommodation', 'residential-school', 'other'])
  type!: 'childrens-home' | 'secure' | 'supported-accommodation' | 'residential-school' | 'other';

  @ApiProperty({ type: RegistrationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => RegistrationDto)
  registration!: RegistrationDto;

  @IsPostcode()
  postcode!: string;

  @ApiProperty({ description: 'ONS code of the local authority the setting is in', example: 'E08000018' })
  @Matches(/^E\d{8}$/, { message: '$property must be an ONS local authority code such as E08000018' })
  localAuthority!: string;

  @IsBusinessDate()
  registeredOn!: string;
}
