import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { HouseholdHandler, type WithHousehold } from './household-command';
import { createHash } from 'node:crypto';
import { HOUSEHOLD_MEMBER_RELATIONSHIPS } from '@placement/domain';
import { ArrayMaxSize, IsArray, IsIn, Matches } from 'class-validator';
import { IsNested } from '../http/dto-rules';

/** Someone who lives with the carers besides the children placed: month of birth and relationship, never a name. */
export class HouseholdMemberDto {
  @ApiProperty({ description: 'Year and month of birth, YYYY-MM (no later than this month)', example: '2019-04' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'bornIn must be a year and month, YYYY-MM' })
  bornIn!: string;

  @ApiProperty({ enum: HOUSEHOLD_MEMBER_RELATIONSHIPS })
  @IsIn(HOUSEHOLD_MEMBER_RELATIONSHIPS)
  relationship!: (typeof HOUSEHOLD_MEMBER_RELATIONSHIPS)[number];
}

/** The whole list of the household's members other than the carers (empty: nobody else lives there). */
export class HouseholdMembersDto {
  @ApiProperty({ type: [HouseholdMemberDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsNested(() => HouseholdMemberDto, { each: true })
  members!: HouseholdMemberDto[];
}

export class RecordHouseholdMembersCommand extends CommandOnBus<WithHousehold<HouseholdMembersDto>> {}

@ApiTags('foster households and block bookings')
@ApiBearerAuth()
@Controller('v1')
export class RecordHouseholdMembersRoute extends CommandRoute {
  /**
   * Who lives with the carers besides the children placed (the whole list). A list differs from the one on
   * record or writes nothing, so a retry without an Idempotency-Key is harmless and a list recorded again
   * after another is recorded again.
   */
  @Post('foster-households/:id/members')
  @ApiCommand(
    "Record a foster household's members other than the carers (month of birth and relationship)",
    {
      422: ['HOUSEHOLD_NOT_AVAILABLE', 'DATE_IN_FUTURE'],
    },
    'recordHouseholdMembers',
  )
  @HttpCode(201)
  @Roles('admin')
  recordMembers(
    @IdParam('id') householdId: string,
    @Body() body: HouseholdMembersDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    const digest = createHash('sha256').update(JSON.stringify(body.members)).digest('hex').slice(0, 16);
    const naturalKey = `household-members:${householdId}:${digest}:${this.clock.now().toISOString()}`;
    return this.send(RecordHouseholdMembersCommand, { ...body, householdId }, sender, naturalKey);
  }
}

/** The whole list each time; the list already on record writes nothing. Matching reads the members' ages. */
@CommandHandler(RecordHouseholdMembersCommand)
export class RecordHouseholdMembersHandler extends HouseholdHandler<RecordHouseholdMembersCommand> {
  execute({ body, ctx }: RecordHouseholdMembersCommand): Promise<CommandResult> {
    const { householdId } = body;
    const members = body.members.map(({ bornIn, relationship }) => ({ bornIn, relationship }));
    return this.onHousehold(
      householdId,
      { type: 'RecordHouseholdMembers', data: { householdId, members }, at: ctx.at },
      ctx,
    );
  }
}
