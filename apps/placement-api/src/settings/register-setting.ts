import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { settingDecider, settingStreamId } from '@placement/domain';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { StoreHandler } from '../commands/handle';
import { ApiCommand } from '../http/openapi';
import { IsIn, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsBusinessDate, IsId, IsNested, IsPostcode } from '../http/dto-rules';
import { RegistrationDto, SettingProviderDto } from './settings.dto';

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
  @IsNested(() => SettingProviderDto)
  provider!: SettingProviderDto;

  @ApiProperty({ enum: ['childrens-home', 'secure', 'supported-accommodation', 'residential-school', 'other'] })
  @IsIn(['childrens-home', 'secure', 'supported-accommodation', 'residential-school', 'other'])
  type!: 'childrens-home' | 'secure' | 'supported-accommodation' | 'residential-school' | 'other';

  @ApiProperty({ type: RegistrationDto })
  @IsNested(() => RegistrationDto)
  registration!: RegistrationDto;

  @IsPostcode()
  postcode!: string;

  @ApiProperty({ description: 'ONS code of the local authority the setting is in', example: 'E08000018' })
  @Matches(/^E\d{8}$/, { message: '$property must be an ONS local authority code such as E08000018' })
  localAuthority!: string;

  @IsBusinessDate()
  registeredOn!: string;
}

export class RegisterSettingCommand extends CommandOnBus<RegisterSettingDto> {}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class RegisterSettingRoute extends CommandRoute {
  @Post()
  @ApiCommand(
    "Register a setting (children's home or unit) with its Ofsted URN",
    {
      409: ['ALREADY_EXISTS'],
      422: ['INVALID_INPUT', 'OUTSIDE_REGISTRATION'],
    },
    'registerSetting',
  )
  @HttpCode(201)
  @Roles('admin')
  register(@Body() body: RegisterSettingDto, @Sender() sender: CommandSender): Promise<CommandResult> {
    return this.send(RegisterSettingCommand, body, sender, `register-setting:${body.settingId}`);
  }
}

@CommandHandler(RegisterSettingCommand)
export class RegisterSettingHandler extends StoreHandler<RegisterSettingCommand> {
  execute({ body, ctx }: RegisterSettingCommand): Promise<CommandResult> {
    return this.decide(body.settingId, settingDecider, settingStreamId(body.settingId), ctx, () => ({
      type: 'RegisterSetting' as const,
      data: { ...body },
    }));
  }
}
