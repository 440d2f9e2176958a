import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Clock } from '@placement/event-store';
import { CurrentActor } from '../auth/current-actor';
import { Roles } from '../auth/roles';
import type { AuthenticatedActor } from '../auth/token-registry';
import { contextFor } from '../commands/command-base';
import { Commands } from '../commands/commands';
import type { CommandResult } from '../commands/command-result';
import { RequestMeta, RequestMetaParam } from '../commands/request-context';
import { CLOCK } from '../store/store.module';
import { ApproveHouseholdDto, ContractBlockBookingDto } from './households.dto';
import { ApproveHouseholdCommand, ContractBlockBookingCommand } from './households.handlers';

@ApiTags('foster households and block bookings')
@ApiBearerAuth()
@Controller('v1')
export class HouseholdsController {
  constructor(
    private readonly commands: Commands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('foster-households')
  @HttpCode(201)
  @Roles('admin')
  approve(
    @Body() body: ApproveHouseholdDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ApproveHouseholdCommand(body, contextFor(actor, meta, `approve-household:${body.householdId}`, this.clock)),
    );
  }

  @Post('block-bookings')
  @HttpCode(201)
  @Roles('admin')
  contract(
    @Body() body: ContractBlockBookingDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ContractBlockBookingCommand(body, contextFor(actor, meta, `block-booking:${body.contractId}`, this.clock)),
    );
  }
}
