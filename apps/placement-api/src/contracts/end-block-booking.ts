import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { contractDecider, contractStreamId, DomainError } from '@placement/domain';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { StoreHandler } from '../commands/handle';
import { IsBusinessDate } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';

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
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(EndBlockBookingCommand, { ...body, contractId }, sender, `end-block-booking:${contractId}`);
  }
}

/**
 * A block booking ended before its contracted end (`terminated`), or on it (`expired`). Refused
 * while a child holds one of its beds after the date; the utilisation stops counting void
 * bed-nights at the new end.
 */
@CommandHandler(EndBlockBookingCommand)
export class EndBlockBookingHandler extends StoreHandler<EndBlockBookingCommand> {
  async execute({ body, ctx }: EndBlockBookingCommand): Promise<CommandResult> {
    return this.decide(body.contractId, contractDecider, contractStreamId(body.contractId), ctx, (contract) => {
      if (contract.status === 'NotContracted')
        throw new DomainError('NOT_FOUND', `block booking ${body.contractId} was not contracted`);
      const reason = body.date === contract.contract.endDate ? ('expired' as const) : ('terminated' as const);
      return { type: 'EndBlockBooking' as const, data: { contractId: body.contractId, date: body.date, reason } };
    });
  }
}
