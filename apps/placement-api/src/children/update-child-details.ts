import { createHash } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus, CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { childDecider, childStreamId, DomainError } from '@placement/domain';
import type { Clock } from '@placement/event-store';
import { Roles } from '../auth/roles';
import {
  CommandOnBus,
  commandResult,
  contextFor,
  loadStream,
  Sender,
  type CommandResult,
  type CommandSender,
} from '../commands/command';
import { decideOnStream, StoreHandler } from '../commands/handle';
import { IsBusinessDate, IsUpn } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { RequestValidationException } from '../http/validation';
import { IsMotherCode } from '../referrals/referrals.dto';
import { CLOCK } from '../store/store.module';

/**
 * The child's facts the SSDA903 header needs beyond registration. A field left out keeps its
 * value; null records that it is not known (or no longer applies). The child's sex and date of
 * birth are on the record, so MOTHER-for-a-girl-only and the MC_DOB rules are the child
 * record's to apply (422 INVALID_INPUT / INVALID_DATES, naming the field).
 */
export class UpdateChildDetailsDto {
  @IsOptional()
  @IsUpn()
  upn?: string | null;

  @IsMotherCode()
  mother?: '0' | '1' | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    description: "SSDA903 MC_DOB: her child's date of birth; recorded exactly when mother is '1'",
  })
  @IsOptional()
  @IsBusinessDate()
  motherChildDateOfBirth?: string | null;
}

/** The body's fields sit at the top, as the client sent them, so an ID_IN_USE names `upn`, not a wrapper. */
export class UpdateChildDetailsCommand extends CommandOnBus<
  UpdateChildDetailsDto & {
    readonly childId: string;
    /** The client sent an Idempotency-Key: a repeat of it is a retry whatever happened since. */
    readonly clientKey: boolean;
  }
> {}

const FIELDS = ['upn', 'mother', 'motherChildDateOfBirth'] as const;

@ApiTags('children')
@ApiBearerAuth()
@Controller('v1/children')
export class UpdateChildDetailsRoute {
  // Straight to the bus, without the id check of `Commands`:
  // the handler keys the command by the revision it decides on.
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records the child's UPN (or UN1–UN5), MOTHER and MC_DOB, as the DfE's return needs them. */
  @Post(':id/details')
  @ApiCommand(
    "Record or correct a child's details for the DfE return (UPN, MOTHER, MC_DOB)",
    {
      422: ['INVALID_INPUT', 'INVALID_DATES'],
    },
    'updateChildDetails',
  )
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  details(
    @IdParam('id') childId: string,
    @Body() body: UpdateChildDetailsDto,
    @Sender() sender: CommandSender,
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
        { ...body, childId, clientKey: sender.meta.idempotencyKey !== undefined },
        contextFor(sender.actor, sender.meta, `child-details:${childId}:${digest}`, this.clock),
      ),
    );
  }
}

@CommandHandler(UpdateChildDetailsCommand)
export class UpdateChildDetailsHandler extends StoreHandler<UpdateChildDetailsCommand> {
  async execute({ body, ctx }: UpdateChildDetailsCommand): Promise<CommandResult> {
    const streamId = childStreamId(body.childId);
    const loaded = await loadStream(this.store, childDecider, streamId);
    if (loaded.state.status === 'Unknown')
      throw new DomainError('NOT_FOUND', `child ${body.childId} is not registered`);
    // Setting values is naturally idempotent (the decider records nothing when nothing changes), so
    // without a client key the command is keyed by the record it was decided on: the same values sent
    // again later (A, then B, then A again) are a new decision, while two racing copies of one request
    // get one id and are written once.
    const command = body.clientKey ? ctx : { ...ctx, commandId: `${ctx.commandId}@${String(loaded.expectedRevision)}` };
    const details = body;
    const outcome = await decideOnStream(
      this.store,
      childDecider,
      streamId,
      {
        type: 'UpdateChildDetails',
        data: {
          childId: body.childId,
          ...(details.upn === undefined ? {} : { upn: details.upn }),
          ...(details.mother === undefined ? {} : { mother: details.mother }),
          ...(details.motherChildDateOfBirth === undefined
            ? {}
            : { motherChildDateOfBirth: details.motherChildDateOfBirth }),
        },
      },
      command,
      { loaded },
    );
    return commandResult(body.childId, outcome);
  }
}
