import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { settingDecider, settingStreamId } from '@placement/domain';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { StoreHandler } from '../commands/handle';
import { ApiCommand } from '../http/openapi';
import { createHash } from 'node:crypto';
import { EMERGENCY_ADMISSIONS, RISKS_TO_OTHERS, RISKS_TO_SELF } from '@placement/domain';
import { ArrayUnique, IsArray, IsIn } from 'class-validator';
import { IdParam } from '../http/id-param';

const RISKS = [...RISKS_TO_SELF, ...RISKS_TO_OTHERS] as const;

/** A home's statement-of-purpose matching terms: the risks it does not accept and its emergency admissions. */
export class StatementOfPurposeDto {
  @ApiProperty({ enum: RISKS, isArray: true, description: "Risks to self or to others, in the referral's words" })
  @IsArray()
  @ArrayUnique()
  @IsIn(RISKS, { each: true })
  risksNotAccepted!: (typeof RISKS)[number][];

  @ApiProperty({ enum: EMERGENCY_ADMISSIONS })
  @IsIn(EMERGENCY_ADMISSIONS)
  emergencyAdmissions!: (typeof EMERGENCY_ADMISSIONS)[number];
}

export class RecordStatementOfPurposeCommand extends CommandOnBus<StatementOfPurposeDto & { settingId: string }> {}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class RecordStatementOfPurposeRoute extends CommandRoute {
  /**
   * The statement of purpose's matching terms, replacing those on record: matching excludes the home for a
   * child with a risk it does not accept (RISK_NOT_ACCEPTED), and for an emergency unless it takes them
   * (NOT_EMERGENCY_APPROVED). The same statement again writes nothing.
   */
  @Post(':id/statement-of-purpose')
  @ApiCommand(
    "Record a home's statement-of-purpose terms (risks not accepted, emergency admissions)",
    {
      422: ['SETTING_CLOSED'],
    },
    'recordStatementOfPurpose',
  )
  @HttpCode(201)
  @Roles('admin')
  recordStatementOfPurpose(
    @IdParam('id') settingId: string,
    @Body() body: StatementOfPurposeDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
    const naturalKey = `statement-of-purpose:${settingId}:${digest}:${this.clock.now().toISOString()}`;
    return this.send(RecordStatementOfPurposeCommand, { ...body, settingId }, sender, naturalKey);
  }
}

/** Replaces the statement on record (the same statement writes nothing); matching reads it from the next request. */
@CommandHandler(RecordStatementOfPurposeCommand)
export class RecordStatementOfPurposeHandler extends StoreHandler<RecordStatementOfPurposeCommand> {
  execute({ body, ctx }: RecordStatementOfPurposeCommand): Promise<CommandResult> {
    const { settingId, emergencyAdmissions } = body;
    const command = {
      type: 'RecordStatementOfPurpose' as const,
      data: { settingId, risksNotAccepted: [...body.risksNotAccepted], emergencyAdmissions },
    };
    return this.decide(settingId, settingDecider, settingStreamId(settingId), ctx, () => command);
  }
}
