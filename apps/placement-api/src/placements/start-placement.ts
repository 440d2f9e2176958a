import { Body, Controller, HttpCode, Inject, Logger, Post } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, Matches, ValidateIf } from 'class-validator';
import {
  decidePlacement,
  LEGAL_STATUS_CODES,
  PLACE_CODES,
  PLACE_PROVIDER_CODES,
  referralDecider,
  referralStreamId,
  exhaustive,
} from '@placement/domain';
import type { ReferralState, UnitRef } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { Roles } from '../auth/roles';
import {
  CommandOnBus,
  type CommandContext,
  CommandRoute,
  commandResult,
  type CommandResult,
  assertPlacementIdIsFor,
  DecisionOutcome,
  DomainEvent,
  Sender,
  type CommandSender,
} from '../commands/command';
import { handleWhenDue } from '../commands/handle';
import { FlowRunner } from '../commands/flow-runner';
import { UnitDirectory } from '../directory/unit-directory';
import { FOSTER_PLACEMENT_TYPES } from '../households/households.dto';
import { IsBusinessDate, IsId, IsNested, IsPostcode, OnlyFieldsOfKind } from '../http/dto-rules';
import { ApiCommand } from '../http/openapi';
import { ProviderDto } from '../http/shared-dtos';
import { PlacementExclusions } from '../matching/placement-exclusions';
import { EVENT_STORE } from '../store/store.module';

export const UNIT_KINDS = ['bed', 'household', 'block-bed', 'external'] as const;

/** Where the child goes: one of our beds, a household, a block-booked bed, or an external (spot) setting. */
export class UnitDto {
  @ApiProperty({ enum: UNIT_KINDS })
  @IsIn(UNIT_KINDS)
  @OnlyFieldsOfKind({
    bed: ['settingId', 'bedId'],
    household: ['householdId'],
    'block-bed': ['contractId', 'bedRef'],
    external: ['urn', 'provider'],
  })
  kind!: (typeof UNIT_KINDS)[number];

  @ApiPropertyOptional({ description: 'kind = bed' })
  @ValidateIf((o: UnitDto) => o.kind === 'bed')
  @IsId()
  settingId?: string;

  @ApiPropertyOptional({ description: 'kind = bed' })
  @ValidateIf((o: UnitDto) => o.kind === 'bed')
  @IsId()
  bedId?: string;

  @ApiPropertyOptional({ description: 'kind = household' })
  @ValidateIf((o: UnitDto) => o.kind === 'household')
  @IsId()
  householdId?: string;

  @ApiPropertyOptional({ description: 'kind = block-bed' })
  @ValidateIf((o: UnitDto) => o.kind === 'block-bed')
  @IsId()
  contractId?: string;

  @ApiPropertyOptional({ description: 'kind = block-bed' })
  @ValidateIf((o: UnitDto) => o.kind === 'block-bed')
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, { message: '$property must be 1–32 letters, digits, _ or -' })
  bedRef?: string;

  @ApiPropertyOptional({ type: String, description: 'kind = external: Ofsted URN or null', nullable: true })
  @ValidateIf((o: UnitDto) => o.kind === 'external' && o.urn !== null)
  @Matches(/^SC\d{6}$/, { message: '$property must be an Ofsted URN: SC followed by 6 digits' })
  urn?: string | null;

  @ApiPropertyOptional({ type: ProviderDto, description: 'kind = external' })
  @ValidateIf((o: UnitDto) => o.kind === 'external')
  @IsNested(() => ProviderDto)
  provider?: ProviderDto;
}

export class StartPlacementDto {
  @IsId()
  placementId!: string;

  @IsId()
  childId!: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsId()
  referralId?: string | null;

  @ApiProperty({ type: UnitDto })
  @IsNested(() => UnitDto)
  unit!: UnitDto;

  @ApiProperty({ enum: PLACE_CODES, description: 'SSDA903 PLACE' })
  @IsIn(PLACE_CODES)
  place!: (typeof PLACE_CODES)[number];

  @ApiProperty({ enum: PLACE_PROVIDER_CODES, description: 'SSDA903 PLACE_PROVIDER' })
  @IsIn(PLACE_PROVIDER_CODES)
  placeProvider!: (typeof PLACE_PROVIDER_CODES)[number];

  @ApiPropertyOptional({
    enum: LEGAL_STATUS_CODES,
    description: "SSDA903 LS; defaults to the child's current legal status",
  })
  @IsOptional()
  @IsIn(LEGAL_STATUS_CODES)
  legalStatus?: (typeof LEGAL_STATUS_CODES)[number];

  @IsBusinessDate()
  startDate!: string;

  @ApiProperty()
  @IsBoolean()
  emergency!: boolean;

  @ApiPropertyOptional({ enum: FOSTER_PLACEMENT_TYPES, description: 'For a household: the type sought' })
  @IsOptional()
  @IsIn(FOSTER_PLACEMENT_TYPES)
  placementType?: (typeof FOSTER_PLACEMENT_TYPES)[number];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsId()
  siblingGroupId?: string | null;

  @ApiPropertyOptional({ nullable: true, description: "SSDA903 PL_POST; defaults to the unit's postcode" })
  @IsOptional()
  @IsPostcode()
  placementPostcode?: string | null;
}

export class StartPlacementCommand extends CommandOnBus<StartPlacementDto> {}

@ApiTags('placements and step-downs')
@ApiBearerAuth()
@Controller('v1')
export class StartPlacementRoute extends CommandRoute {
  @Post('placements')
  @ApiCommand('Start a placement in a bed or foster household', {
    404: ['NOT_FOUND'],
    409: ['ALREADY_EXISTS', 'OVERLAPPING_PLACEMENT', 'BED_NOT_VACANT', 'HOUSEHOLD_FULL', 'BLOCK_BED_ALLOCATED'],
    422: [
      'INVALID_INPUT',
      'INVALID_DATES',
      'INVALID_CODE',
      'REFERRAL_NOT_OPEN',
      'EXCLUDED_BY_MATCHING',
      'SETTING_CLOSED',
      'OUTSIDE_REGISTRATION',
      'MATCHING_REQUIRED',
      'HOUSEHOLD_NOT_AVAILABLE',
      'APPROVAL_TERMS_EXCEEDED',
      'CONTRACT_ENDED',
      'OUTSIDE_CONTRACT',
    ],
  })
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  start(@Body() body: StartPlacementDto, @Sender() sender: CommandSender): Promise<CommandResult> {
    return this.send(StartPlacementCommand, body, sender, `placement:${body.placementId}`);
  }
}

const logger = new Logger('Placements');

export function unitRef(dto: UnitDto): UnitRef {
  switch (dto.kind) {
    case 'bed':
      return { kind: 'bed', settingId: dto.settingId ?? '', bedId: dto.bedId ?? '' };
    case 'household':
      return { kind: 'household', householdId: dto.householdId ?? '' };
    case 'block-bed':
      return { kind: 'block-bed', contractId: dto.contractId ?? '', bedRef: dto.bedRef ?? '' };
    case 'external':
      return {
        kind: 'external',
        urn: dto.urn ?? null,
        provider: { name: dto.provider?.name ?? '', code: dto.provider?.code ?? 'PR4' },
      };
    default:
      return exhaustive(dto.kind);
  }
}

/** Closing the referral is bookkeeping after the placement stands; a failure here is repaired later, not surfaced. */
async function closeReferralAsPlaced(
  store: EventStore,
  referralId: string | null,
  placementId: string,
  ctx: CommandContext,
): Promise<DecisionOutcome<DomainEvent> | null> {
  if (!referralId) return null;
  try {
    const close = {
      type: 'CloseReferral' as const,
      data: { referralId, outcome: 'placed' as const, placementId, at: ctx.at },
    };
    const open = (referral: ReferralState) => referral.status === 'Open';
    return await handleWhenDue(store, referralDecider, referralStreamId(referralId), ctx, open, () => close);
  } catch (error) {
    logger.warn({
      msg: 'referral left open after placement',
      placementId,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return null;
  }
}

/** The domain's placement flow: the unit over the placement's dates first, then the child's record. */
@CommandHandler(StartPlacementCommand)
export class StartPlacementHandler implements ICommandHandler<StartPlacementCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: FlowRunner,
    private readonly directory: UnitDirectory,
    private readonly exclusions: PlacementExclusions,
  ) {}

  async execute({ body, ctx }: StartPlacementCommand): Promise<CommandResult> {
    await assertPlacementIdIsFor(this.directory, body.placementId, body.childId, 'childId');
    const referralId = body.referralId ?? null;
    const unit = unitRef(body.unit);
    const written = await this.runner.run(ctx, async (load) => {
      const [child, referral] = [await load.child(body.childId), referralId ? await load.referral(referralId) : null];
      return decidePlacement(
        {
          placementId: body.placementId,
          childId: body.childId,
          referralId,
          emergency: body.emergency,
          startDate: body.startDate,
          at: ctx.at,
          place: body.place,
          placeProvider: body.placeProvider,
          legalStatus: body.legalStatus ?? null,
          placementPostcode: body.placementPostcode ?? null,
          placementType: body.placementType ?? null,
          siblingGroupId: body.siblingGroupId ?? null,
        },
        {
          unit: await load.unit(unit),
          child,
          referral,
          home: unit.kind === 'bed' ? await load.home(unit.settingId, unit.bedId) : null,
          // The engine's judgement of this unit on the start date; the flow decides which reasons bind.
          exclusions: await this.exclusions.of(referral, child, unit, body.startDate),
        },
      );
    });
    // A retry's answer from the flow already lists what this command wrote on the referral it read
    // (its ReferralClosed): closing again would only replay it, and list it twice.
    const closedBefore = written.some((o) => o.replayed && o.events.some((e) => e.type === 'ReferralClosed'));
    const closed = closedBefore ? null : await closeReferralAsPlaced(this.store, referralId, body.placementId, ctx);
    return commandResult(body.placementId, ...written, ...(closed ? [closed] : []));
  }
}
