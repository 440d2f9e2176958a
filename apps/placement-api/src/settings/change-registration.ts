import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { settingDecider, settingStreamId } from '@placement/domain';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { DirectoryHandler } from '../commands/handle';
import { ApiCommand } from '../http/openapi';
import { createHash } from 'node:crypto';
import { Matches, ValidateIf } from 'class-validator';
import { IdParam } from '../http/id-param';
import { IsBusinessDate, IsNested } from '../http/dto-rules';
import { residentsOf } from './setting-residents';
import { RegistrationDto } from './settings.dto';

/** A new registration (max children, ages, sexes) and URN from a date. */
export class ChangeRegistrationDto {
  @ApiProperty({ type: RegistrationDto })
  @IsNested(() => RegistrationDto)
  registration!: RegistrationDto;

  @ApiProperty({ nullable: true, description: 'Ofsted URN: SC + 6 digits, or null', example: 'SC123456' })
  @ValidateIf((o: ChangeRegistrationDto) => o.urn !== null)
  @Matches(/^SC\d{6}$/, { message: '$property must be an Ofsted URN: SC followed by 6 digits' })
  urn!: string | null;

  @IsBusinessDate()
  effectiveDate!: string;
}

export class ChangeRegistrationCommand extends CommandOnBus<ChangeRegistrationDto & { settingId: string }> {}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class ChangeRegistrationRoute extends CommandRoute {
  /** A new registration from a date; refused if it would put a child living or booked there outside it. */
  @Post(':id/registration')
  @ApiCommand(
    "Change a setting's registration (max children, ages, sexes) from a date",
    {
      422: ['OUTSIDE_REGISTRATION', 'SETTING_CLOSED', 'INVALID_INPUT'],
    },
    'changeRegistration',
  )
  @HttpCode(201)
  @Roles('admin')
  changeRegistration(
    @IdParam('id') settingId: string,
    @Body() body: ChangeRegistrationDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    const digest = createHash('sha256')
      .update(JSON.stringify([body.registration, body.urn]))
      .digest('hex')
      .slice(0, 16);
    const naturalKey = `setting-registration:${settingId}:${body.effectiveDate}:${digest}`;
    return this.send(ChangeRegistrationCommand, { ...body, settingId }, sender, naturalKey);
  }
}

/** Refused if it would put a child living in or booked into the home outside it, naming them. */
@CommandHandler(ChangeRegistrationCommand)
export class ChangeRegistrationHandler extends DirectoryHandler<ChangeRegistrationCommand> {
  async execute({ body, ctx }: ChangeRegistrationCommand): Promise<CommandResult> {
    const { residents, beds } = await residentsOf(this.store, this.directory, body.settingId);
    const command = {
      type: 'ChangeSettingRegistration' as const,
      data: {
        settingId: body.settingId,
        registration: { ...body.registration, ageRange: { ...body.registration.ageRange } },
        urn: body.urn,
        effectiveDate: body.effectiveDate,
      },
      residents,
      beds,
    };
    return this.decide(body.settingId, settingDecider, settingStreamId(body.settingId), ctx, () => command);
  }
}
