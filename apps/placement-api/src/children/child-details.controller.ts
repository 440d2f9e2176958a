import { createHash } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Clock } from '@placement/event-store';
import { CurrentActor } from '../auth/current-actor';
import { Roles } from '../auth/roles';
import type { AuthenticatedActor } from '../auth/token-registry';
import { contextFor, type CommandResult, RequestMeta, RequestMetaParam, Commands } from '../commands/command';
import { IdParam } from '../http/id-param';
import { RequestValidationException } from '../http/validation';
import { CLOCK } from '../store/store.module';
import { UpdateChildDetailsDto } from './child-details.dto';
import { UpdateChildDetailsCommand } from './child-details.handlers';
import { ApiCommand } from '../http/openapi';
import { ChangeLegalStatusDto } from './legal-status.dto';
import { ChangeLegalStatusCommand } from './legal-status.handlers';
import { RecordCareLeaverDto } from './care-leaver.dto';
import { RecordCareLeaverCommand } from './care-leaver.handlers';

const FIELDS = ['upn', 'mother', 'motherChildDateOfBirth'] as const;

@ApiTags('children')
@ApiBearerAuth()
@Controller('v1/children')
export class ChildDetailsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly checkedCommands: Commands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A change of legal status (SSDA903 LS) from a date: a decision already made, so today or earlier. */
  @Post(':id/legal-status')
  @ApiCommand("Change a child's legal status (SSDA903 LS) from a date", {
    422: ['DATE_IN_FUTURE', 'INVALID_STATE'],
  })
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  legalStatus(
    @IdParam('id') childId: string,
    @Body() body: ChangeLegalStatusDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.checkedCommands.execute(
      new ChangeLegalStatusCommand(
        { ...body, childId },
        contextFor(actor, meta, `legal-status:${childId}:${body.legalStatus}:${body.date}`, this.clock),
      ),
    );
  }

  /**
   * A care leaver's accommodation from a date: a young person who ceased care at 18 or over, or at
   * 16–17 to independent living (REC E5, E6). Staying put and 16+ supported accommodation are counted in the trends.
   */
  @Post(':id/care-leaver')
  @ApiCommand("Record a care leaver's accommodation (staying put, 16+ supported, independent, other) from a date", {
    422: ['NOT_A_CARE_LEAVER', 'INVALID_DATES', 'DATE_IN_FUTURE', 'INVALID_INPUT'],
  })
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  careLeaver(
    @IdParam('id') childId: string,
    @Body() body: RecordCareLeaverDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    return this.checkedCommands.execute(
      new RecordCareLeaverCommand(
        { ...body, childId },
        contextFor(actor, meta, `care-leaver:${childId}:${body.accommodation}:${body.from}`, this.clock),
      ),
    );
  }

  /** Records the child's UPN (or UN1–UN5), MOTHER and MC_DOB, as the DfE's return needs them. */
  @Post(':id/details')
  @ApiCommand("Record or correct a child's details for the DfE return (UPN, MOTHER, MC_DOB)", {
    422: ['INVALID_INPUT', 'INVALID_DATES'],
  })
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  details(
    @IdParam('id') childId: string,
    @Body() body: UpdateChildDetailsDto,
    @CurrentActor() actor: AuthenticatedActor,
    @RequestMetaParam() meta: RequestMeta,
  ): Promise<CommandResult> {
    const given = FIELDS.filter((field) => body[field] !== undefined);
    if (given.length === 0)
      throw new RequestValidationException([
        { field: 'body', rule: 'atLeastOne', message: `give at least one of ${FIELDS.join(', ')}` },
      ]);
    // The values are personal data: the command id carries a digest of them, never the values.
    const digest = createHash('sha256')
      .update(JSON.stringify(FIELDS.map((field) => (body[field] === undefined ? '<keep>' : body[field]))))
      .digest('hex')
      .slice(0, 16);
    return this.commands.execute(
      new UpdateChildDetailsCommand(
        { ...body, childId, clientKey: meta.idempotencyKey !== undefined },
        contextFor(actor, meta, `child-details:${childId}:${digest}`, this.clock),
      ),
    );
  }
}
