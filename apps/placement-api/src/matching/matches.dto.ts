import { IsBusinessDate } from '../http/dto-rules';
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { MatchDetail, ProviderRoute, UnitKind } from '@placement/matching';

export const DETAILS = ['full', 'summary'] as const satisfies readonly MatchDetail[];
export const UNIT_KINDS = [
  'residential-bed',
  'emergency-bed',
  'foster-household',
  'supported-accommodation',
] as const satisfies readonly UnitKind[];
export const ROUTES = ['in-house', 'block-booked', 'framework', 'spot'] as const satisfies readonly ProviderRoute[];
export const INCLUDES = ['all', 'ranked', 'excluded'] as const;
export const MAX_LIMIT = 100_000;
/** A read answers at most this many units (summary: the best ranked; full: one page of ranked then excluded). */
export const MAX_PAGE_LIMIT = 200;
export const DEFAULT_MATCHES_LIMIT = 20;

/**
 * `until`, asked of a read and of a proposal alike: the day a short placement would end (optional),
 * which lets a unit free only until a planned arrival be offered.
 */
function ShortPlacementEnd() {
  // Applied in the order the decorators stood on each field (bottom first): the optional property's
  // description is the last word over the business date's.
  return applyDecorators(
    IsBusinessDate(),
    IsOptional(),
    ApiPropertyOptional({
      type: String,
      format: 'date',
      description:
        'For a short placement (a short break, respite): the day it would end. A unit free from the start date only ' +
        'until a planned arrival is then offered, with a caution, if the placement ends by then; without it such a ' +
        'unit is excluded (BOOKED_FROM).',
    }),
  );
}

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

/** `GET /v1/referrals/:id/matches` query: which list, and a view of it (the inputs hash is the whole list's). */
export class MatchesQueryDto {
  @ApiPropertyOptional({
    enum: DETAILS,
    default: 'summary',
    description:
      'summary: the best `limit` ranked, exclusions counted by reason; full: every unit, ranked then excluded with ' +
      'all its reasons, `limit` to a page (the `next` link, also in `Link`, carries the cursor)',
  })
  @IsOptional()
  @IsIn(DETAILS)
  detail?: MatchDetail;

  @ApiPropertyOptional({ enum: UNIT_KINDS })
  @IsOptional()
  @IsIn(UNIT_KINDS)
  kind?: UnitKind;

  @ApiPropertyOptional({ enum: ROUTES })
  @IsOptional()
  @IsIn(ROUTES)
  route?: ProviderRoute;

  @ApiPropertyOptional({ enum: INCLUDES, default: 'all' })
  @IsOptional()
  @IsIn(INCLUDES)
  include?: (typeof INCLUDES)[number];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_PAGE_LIMIT,
    default: DEFAULT_MATCHES_LIMIT,
    description: 'summary: this many of the best ranked; full: this many units to a page',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({
    description:
      'Opaque, detail=full only: the `next` link of the previous page carries it. A page after the inputs changed ' +
      'is refused (409 MATCH_INPUTS_CHANGED): start again without it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: '$property must be a cursor this list returned' })
  cursor?: string;

  @ShortPlacementEnd()
  until?: string;
}

/** `POST /v1/referrals/:id/matches/proposals`: record the list the team is deciding from. */
export class ProposeMatchesDto {
  @ApiPropertyOptional({ enum: DETAILS, default: 'full' })
  @IsOptional()
  @IsIn(DETAILS)
  detail?: MatchDetail;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_LIMIT,
    description: 'Record at most this many ranked options (summary default 100; full default all)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({
    description: 'The inputs hash of the list the team saw; refused with 409 if the inputs have changed since',
  })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: '$property must be a SHA-256 hex digest' })
  inputsHash?: string;

  @ShortPlacementEnd()
  until?: string;
}
