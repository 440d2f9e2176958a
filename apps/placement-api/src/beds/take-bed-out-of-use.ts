import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { bedDecider, bedStreamId } from '@placement/domain';
import { assertKeepsSetting } from '../auth/current-actor';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { StoreHandler } from '../commands/handle';
import { IsBusinessDate } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';

export class BedOutOfUseDto {
  @ApiProperty({ enum: ['maintenance', 'staffing', 'damage', 'registration', 'other'] })
  @IsIn(['maintenance', 'staffing', 'damage', 'registration', 'other'])
  reason!: 'maintenance' | 'staffing' | 'damage' | 'registration' | 'other';

  @ApiProperty({ description: 'The first night out of use; a future date takes effect then' })
  @IsBusinessDate()
  from!: string;

  @ApiPropertyOptional({
    nullable: true,
    description: 'The first date the bed is back in use (after `from`); omitted or null: until further notice',
  })
  @IsOptional()
  @IsBusinessDate()
  to?: string | null;
}

export class TakeBedOutOfUseCommand extends CommandOnBus<BedOutOfUseDto & { settingId: string; bedId: string }> {}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class TakeBedOutOfUseRoute extends CommandRoute {
  @Post(':id/beds/:bedId/out-of-use')
  @ApiCommand('Take a bed out of use from a date', {
    409: ['BED_NOT_VACANT'],
    422: ['BED_OCCUPIED', 'INVALID_STATE', 'INVALID_DATES'],
  })
  @HttpCode(201)
  @Roles('admin', 'residential-manager')
  outOfUse(
    @IdParam('id') settingId: string,
    @IdParam('bedId') bedId: string,
    @Body() body: BedOutOfUseDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    assertKeepsSetting(sender.actor, settingId);
    const naturalKey = `bed-out-of-use:${settingId}.${bedId}:${body.from}:${body.reason}`;
    return this.send(TakeBedOutOfUseCommand, { ...body, settingId, bedId }, sender, naturalKey);
  }
}

@CommandHandler(TakeBedOutOfUseCommand)
export class TakeBedOutOfUseHandler extends StoreHandler<TakeBedOutOfUseCommand> {
  async execute({ body, ctx }: TakeBedOutOfUseCommand): Promise<CommandResult> {
    const command = { type: 'TakeBedOutOfUse' as const, data: { ...body, to: body.to ?? null }, at: ctx.at };
    return this.decide(body.bedId, bedDecider, bedStreamId(body.settingId, body.bedId), ctx, () => command);
  }
}
