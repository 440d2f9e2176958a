import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { bedDecider, bedStreamId } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { assertKeepsSetting, CurrentActor } from '../auth/current-actor';
import { Roles } from '../auth/roles';
import type { AuthenticatedActor } from '../auth/token-registry';
import {
  ApiCommand as CommandOnBus,
  contextFor,
  CommandRoute,
  commandResult,
  type CommandResult,
  RequestMeta,
  RequestMetaParam,
} from '../commands/command';
import { handle } from '../commands/handle';
import { IsBusinessDate } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { EVENT_STORE } from '../store/store.module';

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
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    assertKeepsSetting(actor, settingId);
    const naturalKey = `bed-back-in-use:${settingId}.${bedId}:${body.date}`;
    return this.commands.execute(
      new PutBedBackInUseCommand({ ...body, settingId, bedId }, contextFor(actor, meta, naturalKey, this.clock)),
    );
  }
}

@CommandHandler(PutBedBackInUseCommand)
export class PutBedBackInUseHandler implements ICommandHandler<PutBedBackInUseCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: PutBedBackInUseCommand): Promise<CommandResult> {
    const command = { type: 'PutBedBackInUse' as const, data: { ...body } };
    const outcome = await handle(this.store, bedDecider, bedStreamId(body.settingId, body.bedId), ctx, () => command);
    return commandResult(body.bedId, outcome);
  }
}
