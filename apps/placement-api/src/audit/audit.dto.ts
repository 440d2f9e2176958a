import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, ValidateBy } from 'class-validator';
import { IsBusinessDate } from '../http/dto-rules';
import { parseAsOf } from '@placement/projections';

export class AsOfQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-03-07T12:00:00Z',
    description:
      'Replay the record as it stood at this instant: events recorded later are invisible, even if back-dated. ' +
      'Omit for now.',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isAsOfInstant',
    validator: {
      validate: (v) => typeof v === 'string' && parseAsOf(v) !== null,
      defaultMessage: () => '$property must be an ISO-8601 instant with a zone, such as 2026-03-07T12:00:00Z',
    },
  })
  asOf?: string;
}

export class BedAuditQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date',
    example: '2026-03-10',
    description:
      'The night to read the bed for (the business axis): defaults to the London date of asOf, or today. ' +
      'With asOf: what the record, as it stood then, said about that night.',
  })
  @IsOptional()
  @IsBusinessDate()
  on?: string;
}

export const HEAD_PATTERN = /^(\d+):([0-9a-fA-F]{64})$/;

export class VerifyQueryDto {
  @ApiPropertyOptional({
    example: '1234:3f6c…',
    description:
      'A head printed by an earlier verify, `<position>:<sha-256 hex>`; verify fails if it is gone or changed.',
  })
  @IsOptional()
  @Matches(HEAD_PATTERN, { message: '$property must be <position>:<64 hex digits>, as printed by verify' })
  head?: string;

  @ApiPropertyOptional({
    example: '57:9b1e…',
    description:
      "The access log's head printed by an earlier verify, `<seq>:<sha-256 hex>`; fails if it is gone or changed.",
  })
  @IsOptional()
  @Matches(HEAD_PATTERN, { message: '$property must be <seq>:<64 hex digits>, as printed by verify' })
  accessHead?: string;
}
