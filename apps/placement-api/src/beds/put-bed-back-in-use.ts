import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { bedDecider, bedStreamId } from '@placement/domain';
import { assertKeepsSetting } from '../auth/current-actor';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { StoreHandler } from '../commands/handle';
import { IsBusinessDate } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';

export class BedBackInUseDto {
  @ApiProperty({
    description: 'The first date back in use: not before the out-of-use date (422), a future date takes effect then',
  })
  @IsBusinessDate()
  date!: string;
}

export class PutBedBackInUseCommand extends CommandOnBus<BedBackInUseDto & { settingId: string; bedId: string }> {}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class PutBedBackInUseRoute extends CommandRoute {
  @Post(':id/beds/:bedId/back-in-use')
  @ApiCommand('Put a bed back in use from a date', { 422: ['BED_IN_USE', 'INVALID_DATES'] })
  @HttpCode(201)
  @Roles('admin', 'residential-manager')
  backInUse(
    @IdParam('id') settingId: string,
    @IdParam('bedId') bedId: string,
    @Body() body: BedBackInUseDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    assertKeepsSetting(sender.actor, settingId);
    const naturalKey = `bed-back-in-use:${settingId}.${bedId}:${body.date}`;
    return this.send(PutBedBackInUseCommand, { ...body, settingId, bedId }, sender, naturalKey);
  }
}

@CommandHandler(PutBedBackInUseCommand)
export class PutBedBackInUseHandler extends StoreHandler<PutBedBackInUseCommand> {
  async execute({ body, ctx }: PutBedBackInUseCommand): Promise<CommandResult> {
    const command = { type: 'PutBedBackInUse' as const, data: { ...body } };
    return this.decide(body.bedId, bedDecider, bedStreamId(body.settingId, body.bedId), ctx, () => command);
  }
}
