import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { contractDecider, contractStreamId } from '@placement/domain';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { StoreHandler } from '../commands/handle';
import { IsBusinessDate, IsId, IsNested, IsPostcode } from '../http/dto-rules';
import { ApiCommand } from '../http/openapi';

export class BlockProviderDto {
  @ApiProperty()
  @IsString()
  @MaxLength(120)
  name!: string;

  @ApiProperty({ enum: ['PR2', 'PR3', 'PR4', 'PR5'] })
  @IsIn(['PR2', 'PR3', 'PR4', 'PR5'])
  code!: 'PR2' | 'PR3' | 'PR4' | 'PR5';
}

export class ContractBlockBookingDto {
  @IsId()
  contractId!: string;

  @ApiProperty()
  @IsNested(() => BlockProviderDto)
  provider!: BlockProviderDto;

  @ApiProperty({ description: "The provider's setting name" })
  @IsString()
  @MaxLength(120)
  settingName!: string;

  @ApiProperty({ nullable: true, example: 'SC654321' })
  @ValidateIf((o: ContractBlockBookingDto) => o.settingUrn !== null)
  @Matches(/^SC\d{6}$/, { message: '$property must be an Ofsted URN: SC followed by 6 digits' })
  settingUrn!: string | null;

  @IsPostcode()
  settingPostcode!: string;

  @ApiProperty({ type: [String], description: "The contracted beds, by the provider's reference" })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, {
    each: true,
    message: 'each bed reference must be 1–32 letters, digits, _ or -',
  })
  beds!: string[];

  @IsBusinessDate()
  startDate!: string;

  @IsBusinessDate()
  endDate!: string;

  @ApiProperty({ description: 'Pence per bed per week', example: 383000 })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  weeklyPricePerBed!: number;
}

export class ContractBlockBookingCommand extends CommandOnBus<ContractBlockBookingDto> {}

@ApiTags('foster households and block bookings')
@ApiBearerAuth()
@Controller('v1')
export class ContractBlockBookingRoute extends CommandRoute {
  @Post('block-bookings')
  @ApiCommand('Contract a block booking of beds in a setting', {
    409: ['ALREADY_EXISTS'],
    422: ['INVALID_DATES', 'INVALID_INPUT'],
  })
  @HttpCode(201)
  @Roles('admin')
  contract(@Body() body: ContractBlockBookingDto, @Sender() sender: CommandSender): Promise<CommandResult> {
    return this.send(ContractBlockBookingCommand, body, sender, `block-booking:${body.contractId}`);
  }
}

@CommandHandler(ContractBlockBookingCommand)
export class ContractBlockBookingHandler extends StoreHandler<ContractBlockBookingCommand> {
  async execute({ body, ctx }: ContractBlockBookingCommand): Promise<CommandResult> {
    const command = { type: 'ContractBlockBooking' as const, data: { ...body } };
    return this.decide(body.contractId, contractDecider, contractStreamId(body.contractId), ctx, () => command);
  }
}
