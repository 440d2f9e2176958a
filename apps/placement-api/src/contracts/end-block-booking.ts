import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { contractDecider, contractStreamId, DomainError } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { CurrentActor } from '../auth/current-actor';
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

/** The block booking ends on `date`, before its contracted end (or on it). */
export class EndBlockBookingDto {
  @IsBusinessDate()
  date!: string;
}

export class EndBlockBookingCommand extends CommandOnBus<EndBlockBookingDto & { contractId: string }> {}

@ApiTags('foster households and block bookings')
@ApiBearerAuth()
@Controller('v1')
export class EndBlockBookingRoute extends CommandRoute {
  @Post('block-bookings/:id/end')
  @ApiCommand('End a block booking early (void bed-nights stop at the new end)', {
    422: ['CONTRACT_HAS_ALLOCATIONS', 'CONTRACT_ENDED', 'INVALID_DATES'],
  })
  @HttpCode(201)
  @Roles('admin')
  endBlockBooking(
    @IdParam('id') contractId: string,
    @Body() body: EndBlockBookingDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new EndBlockBookingCommand(
        { ...body, contractId },
        contextFor(actor, meta, `end-block-booking:${contractId}`, this.clock),
      ),
    );
  }
}

/**
 * A block booking ended before its contracted end (`terminated`), or on it (`expired`). Refused
 * while a child holds one of its beds after the date; the utilisation stops counting void
 * bed-nights at the new end.
 */
@CommandHandler(EndBlockBookingCommand)
export class EndBlockBookingHandler implements ICommandHandler<EndBlockBookingCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, ctx }: EndBlockBookingCommand): Promise<CommandResult> {
    const outcome = await handle(this.store, contractDecider, contractStreamId(body.contractId), ctx, (contract) => {
      if (contract.status === 'NotContracted')
        throw new DomainError('NOT_FOUND', `block booking ${body.contractId} was not contracted`);
      const reason = body.date === contract.contract.endDate ? ('expired' as const) : ('terminated' as const);
      return { type: 'EndBlockBooking' as const, data: { contractId: body.contractId, date: body.date, reason } };
    });
    return commandResult(body.contractId, outcome);
  }
}
