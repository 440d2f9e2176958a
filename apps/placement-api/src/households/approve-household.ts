import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { IsBusinessDate, IsId } from '../http/dto-rules';
import { ApiCommand } from '../http/openapi';
import { HouseholdHandler } from './household-command';
import { ApprovalTermsDto, IsApprovalTerms } from './households.dto';

export class ApproveHouseholdDto {
  @IsId()
  householdId!: string;

  @ApiProperty({ description: 'A household reference such as FH-012, never a carer name' })
  @Matches(/^[A-Za-z0-9 _-]{1,32}$/, {
    message: '$property must be a short reference (letters, digits, space, _ or -)',
  })
  reference!: string;

  @IsApprovalTerms()
  terms!: ApprovalTermsDto;

  @IsBusinessDate()
  approvedOn!: string;
}

export class ApproveHouseholdCommand extends CommandOnBus<ApproveHouseholdDto> {}

@ApiTags('foster households and block bookings')
@ApiBearerAuth()
@Controller('v1')
export class ApproveHouseholdRoute extends CommandRoute {
  @Post('foster-households')
  @ApiCommand(
    'Approve a foster household with its terms',
    { 409: ['ALREADY_EXISTS'], 422: ['INVALID_INPUT'] },
    'approveHousehold',
  )
  @HttpCode(201)
  @Roles('admin')
  approve(@Body() body: ApproveHouseholdDto, @Sender() sender: CommandSender): Promise<CommandResult> {
    return this.send(ApproveHouseholdCommand, body, sender, `approve-household:${body.householdId}`);
  }
}

@CommandHandler(ApproveHouseholdCommand)
export class ApproveHouseholdHandler extends HouseholdHandler<ApproveHouseholdCommand> {
  execute({ body, ctx }: ApproveHouseholdCommand): Promise<CommandResult> {
    const data = { ...body, terms: { ...body.terms, agencyName: body.terms.agencyName ?? null } };
    return this.onHousehold(body.householdId, { type: 'ApproveFosterHousehold', data }, ctx);
  }
}
