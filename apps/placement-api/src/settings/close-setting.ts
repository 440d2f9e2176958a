import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { settingDecider, settingStreamId } from '@placement/domain';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { DirectoryHandler } from '../commands/handle';
import { ApiCommand } from '../http/openapi';
import { IsIn } from 'class-validator';
import { IdParam } from '../http/id-param';
import { IsBusinessDate } from '../http/dto-rules';
import { residentsOf } from './setting-residents';

export const CLOSING_REASONS = ['deregistered', 'decommissioned', 'other'] as const;

/** The setting takes no one from `date`. */
export class CloseSettingDto {
  @IsBusinessDate()
  date!: string;

  @ApiProperty({ enum: CLOSING_REASONS })
  @IsIn(CLOSING_REASONS)
  reason!: (typeof CLOSING_REASONS)[number];
}

export class CloseSettingCommand extends CommandOnBus<CloseSettingDto & { settingId: string }> {}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class CloseSettingRoute extends CommandRoute {
  /** The setting takes no one from the date; refused while children live or are booked there. */
  @Post(':id/close')
  @ApiCommand('Close a setting from a date', { 422: ['SETTING_HAS_RESIDENTS', 'SETTING_CLOSED'] }, 'closeSetting')
  @HttpCode(201)
  @Roles('admin')
  close(
    @IdParam('id') settingId: string,
    @Body() body: CloseSettingDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(CloseSettingCommand, { ...body, settingId }, sender, `close-setting:${settingId}`);
  }
}

/** Refused while children live or are booked there on or after the date (SETTING_HAS_RESIDENTS, naming them). */
@CommandHandler(CloseSettingCommand)
export class CloseSettingHandler extends DirectoryHandler<CloseSettingCommand> {
  async execute({ body, ctx }: CloseSettingCommand): Promise<CommandResult> {
    const { residents } = await residentsOf(this.store, this.directory, body.settingId);
    const command = {
      type: 'CloseSetting' as const,
      data: { settingId: body.settingId, date: body.date, reason: body.reason },
      residents,
    };
    return this.decide(body.settingId, settingDecider, settingStreamId(body.settingId), ctx, () => command);
  }
}
