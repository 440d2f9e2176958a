import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { bedDecider, bedStreamId, DomainError } from '@placement/domain';
import { assertKeepsSetting } from '../auth/current-actor';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { DirectoryHandler } from '../commands/handle';
import { IsId } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { requireSetting } from '../settings/settings.handlers';

export class AddBedDto {
  @IsId()
  bedId!: string;

  @ApiProperty({ enum: ['residential', 'emergency'] })
  @IsIn(['residential', 'emergency'])
  kind!: 'residential' | 'emergency';

  @ApiProperty({ description: 'Label shown to staff, e.g. "Room 2"' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  label!: string;
}

export class AddBedCommand extends CommandOnBus<AddBedDto & { settingId: string }> {}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class AddBedRoute extends CommandRoute {
  @Post(':id/beds')
  @ApiCommand('Add a bed to a setting', {
    409: ['ALREADY_EXISTS'],
    422: ['SETTING_CLOSED', 'OUTSIDE_REGISTRATION', 'INVALID_INPUT'],
  })
  @HttpCode(201)
  @Roles('admin', 'residential-manager')
  addBed(
    @IdParam('id') settingId: string,
    @Body() body: AddBedDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    assertKeepsSetting(sender.actor, settingId);
    return this.send(AddBedCommand, { ...body, settingId }, sender, `add-bed:${settingId}.${body.bedId}`);
  }
}

/**
 * A home never has more beds than its registered maximum number of children. Each bed is
 * its own stream, so two placements into different beds cannot see each other; with no
 * more beds than the registration allows, no set of bed decisions can over-fill the home.
 */
@CommandHandler(AddBedCommand)
export class AddBedHandler extends DirectoryHandler<AddBedCommand> {
  async execute({ body, ctx }: AddBedCommand): Promise<CommandResult> {
    const setting = await requireSetting(this.store, body.settingId);
    if (setting.status === 'Closed') throw new DomainError('SETTING_CLOSED', `setting ${body.settingId} is closed`);
    await this.directory.caughtUp();
    const beds = this.directory.bedsOf(body.settingId);
    const max = setting.setting.registration.maxChildren;
    if (!beds.includes(body.bedId) && beds.length >= max) {
      throw new DomainError(
        'OUTSIDE_REGISTRATION',
        `the setting is registered for ${max} children and already has ${beds.length} beds`,
      );
    }
    return this.decide(body.bedId, bedDecider, bedStreamId(body.settingId, body.bedId), ctx, () => ({
      type: 'AddBed' as const,
      data: { ...body },
    }));
  }
}
