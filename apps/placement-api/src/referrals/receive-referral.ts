import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, ValidateIf } from 'class-validator';
import {
  ageOn,
  childDecider,
  childStreamId,
  CIN_CODES,
  DomainError,
  referralDecider,
  referralStreamId,
} from '@placement/domain';
import type { ChildState } from '@placement/domain';
import type { RecordedEvent } from '@placement/event-store';
import { Roles } from '../auth/roles';
import {
  CommandOnBus,
  CommandRoute,
  commandResult,
  IdInUseError,
  loadStream,
  recordedHere,
  type CommandResult,
  Sender,
  type CommandSender,
  type DecisionOutcome,
  type DomainEvent,
} from '../commands/command';
import { handle, StoreHandler } from '../commands/handle';
import { IsBusinessDate, IsConsistentChildDetail, IsId, IsNested, IsPostcode, IsUpn } from '../http/dto-rules';
import { ApiCommand } from '../http/openapi';
import { CODE_PATTERN, IsMotherCode, NeedsDto, needsFor } from './referrals.dto';

export class ChildFactsDto {
  @ApiProperty({ enum: ['M', 'F', 'U'] })
  @IsIn(['M', 'F', 'U'])
  sex!: 'M' | 'F' | 'U';

  @IsBusinessDate()
  dateOfBirth!: string;

  @ApiProperty({ example: 'E08000018', description: 'ONS code of the responsible authority' })
  @Matches(/^E\d{8}$/, { message: '$property must be an ONS local authority code such as E08000018' })
  localAuthority!: string;

  @IsPostcode()
  homePostcode!: string;

  @ApiProperty({ enum: CIN_CODES, description: 'SSDA903 CIN category of need' })
  @IsIn(CIN_CODES)
  categoryOfNeed!: (typeof CIN_CODES)[number];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'DfE ethnicity code, e.g. WBRI' })
  @IsOptional()
  @Matches(/^[A-Z]{4}$/, { message: '$property must be a 4-letter DfE ethnicity code' })
  ethnicity?: string | null;

  @IsOptional()
  @IsUpn()
  upn?: string | null;

  @IsMotherCode()
  @IsConsistentChildDetail('mother')
  mother?: '0' | '1' | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    description: "SSDA903 MC_DOB: her child's date of birth; required exactly when mother is '1'",
  })
  @ValidateIf((o: ChildFactsDto) => (o.motherChildDateOfBirth ?? null) !== null || o.mother === '1')
  @IsBusinessDate()
  @IsConsistentChildDetail('motherChildDateOfBirth')
  motherChildDateOfBirth?: string | null;
}

export class RequestedByDto {
  @ApiProperty({ example: 'social-worker' })
  @Matches(CODE_PATTERN, { message: '$property must be a role code such as social-worker' })
  role!: string;

  @ApiProperty({ example: 'children-in-care-north' })
  @Matches(CODE_PATTERN, { message: '$property must be a team code' })
  team!: string;
}

export class ReceiveReferralDto {
  @IsId()
  referralId!: string;

  @IsId()
  childId!: string;

  @ApiPropertyOptional({
    type: ChildFactsDto,
    description: 'Required when the child is not yet known: registers the child',
  })
  @IsOptional()
  @IsNested(() => ChildFactsDto)
  child?: ChildFactsDto;

  @ApiProperty({ enum: ['emergency', 'planned'] })
  @IsIn(['emergency', 'planned'])
  urgency!: 'emergency' | 'planned';

  @IsBusinessDate()
  startDate!: string;

  @ApiProperty({ type: NeedsDto })
  @IsNested(() => NeedsDto)
  needs!: NeedsDto;

  @ApiProperty({ type: RequestedByDto })
  @IsNested(() => RequestedByDto)
  requestedBy!: RequestedByDto;
}

export class ReceiveReferralCommand extends CommandOnBus<ReceiveReferralDto> {}

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('v1')
export class ReceiveReferralRoute extends CommandRoute {
  @Post('referrals')
  @ApiCommand(
    'Receive a referral for a child who needs a placement',
    {
      404: ['NOT_FOUND'],
      409: ['ALREADY_EXISTS'],
      422: ['INVALID_INPUT'],
    },
    'receiveReferral',
  )
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  receive(@Body() body: ReceiveReferralDto, @Sender() sender: CommandSender): Promise<CommandResult> {
    return this.send(ReceiveReferralCommand, body, sender, `referral:${body.referralId}`);
  }
}

/**
 * A referral is how a child enters the record: an unknown child is registered with it. Both
 * sides are decided before anything is written, so a referral id that is taken (another
 * child's, or received already) never leaves a child registered behind a refusal; facts sent
 * for a child already registered must be the facts on their record.
 */
@CommandHandler(ReceiveReferralCommand)
export class ReceiveReferralHandler extends StoreHandler<ReceiveReferralCommand> {
  async execute({ body, ctx }: ReceiveReferralCommand): Promise<CommandResult> {
    const referral = await loadStream(this.store, referralDecider, referralStreamId(body.referralId));
    const referralHere = recordedHere(referral, ctx);
    if (!referralHere && referral.state.status !== 'NotReceived' && referral.state.referral.childId !== body.childId)
      throw new IdInUseError(body.referralId, 'childId', `referral ${body.referralId} is another child's referral`);
    const child = await loadStream(this.store, childDecider, childStreamId(body.childId));
    const registering = child.state.status === 'Unknown' || recordedHere(child, ctx);
    if (registering && !body.child)
      throw new DomainError(
        'NOT_FOUND',
        `child ${body.childId} is not registered: include child facts to register them`,
      );
    if (!registering && body.child) assertFactsOnRecord(body.childId, body.child, child.recorded, child.state);
    const facts =
      child.state.status === 'Registered'
        ? child.state.child
        : (body.child as NonNullable<ReceiveReferralDto['child']>);
    const receive = {
      type: 'ReceiveReferral' as const,
      data: {
        referralId: body.referralId,
        childId: body.childId,
        urgency: body.urgency,
        startDate: body.startDate,
        needs: needsFor(body.needs, facts.sex, ageOn(facts.dateOfBirth, body.startDate)),
        requestedBy: body.requestedBy,
        at: ctx.at,
      },
    };
    // Refused here (already received, bad needs) means nothing is written, the child included.
    if (!referralHere) referralDecider.decide(receive, referral.state);

    const outcomes: DecisionOutcome<DomainEvent>[] = [];
    if (registering && body.child) {
      const given = body.child;
      const register = {
        type: 'RegisterChild' as const,
        data: {
          childId: body.childId,
          sex: given.sex,
          dateOfBirth: given.dateOfBirth,
          localAuthority: given.localAuthority,
          homePostcode: given.homePostcode,
          categoryOfNeed: given.categoryOfNeed,
          ethnicity: given.ethnicity ?? null,
          upn: given.upn ?? null,
          // MOTHER and MC_DOB only when given, so a registration without them reads as before.
          ...((given.mother ?? null) === null ? {} : { mother: given.mother }),
          ...((given.motherChildDateOfBirth ?? null) === null
            ? {}
            : { motherChildDateOfBirth: given.motherChildDateOfBirth }),
        },
      };
      outcomes.push(
        await handle(this.store, childDecider, childStreamId(body.childId), ctx, () => register, { loaded: child }),
      );
    }
    outcomes.push(
      await handle(this.store, referralDecider, referralStreamId(body.referralId), ctx, () => receive, {
        loaded: referral,
      }),
    );
    return commandResult(body.referralId, ...outcomes);
  }
}

/** The facts a referral sends about a registered child are the facts on the child's record, field by field. */
function assertFactsOnRecord(
  childId: string,
  given: NonNullable<ReceiveReferralDto['child']>,
  recorded: readonly RecordedEvent[],
  state: ChildState,
): void {
  const firstRecorded = recorded.find((r) => r.type === 'ChildRegistered')?.data as Record<string, unknown> | undefined;
  if (firstRecorded === undefined) return;
  // UPN, MOTHER and MC_DOB may have been updated since registration: the record's latest values count.
  const registered: Record<string, unknown> =
    state.status === 'Registered'
      ? {
          ...firstRecorded,
          upn: state.child.upn,
          mother: state.child.mother,
          motherChildDateOfBirth: state.child.motherChildDateOfBirth,
        }
      : firstRecorded;
  for (const [field, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    if ((registered[field] ?? null) !== value)
      throw new IdInUseError(
        childId,
        `child.${field}`,
        `child ${childId} is registered with another ${field}; the referral must carry the facts on their record`,
      );
  }
}
