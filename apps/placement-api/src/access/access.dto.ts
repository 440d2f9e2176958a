import { TZDate } from '@date-fns/tz';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { isBusinessDate } from '@placement/domain';
import { parseAsOf } from '@placement/projections';
import { ID_PATTERN } from '../http/dto-rules';

export const ACCESS_PAGE_DEFAULT = 100;
export const ACCESS_PAGE_MAX = 500;

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;

const isDateOrInstant = (v: unknown): boolean => typeof v === 'string' && (isBusinessDate(v) || parseAsOf(v) !== null);

const WHEN = {
  name: 'isDateOrInstant',
  validator: {
    validate: isDateOrInstant,
    defaultMessage: () => '$property must be a date (YYYY-MM-DD, a London day) or an ISO-8601 instant with a zone',
  },
};

/** `GET /v1/audit/access`: who read which child's record, and when. */
export class AccessQueryDto {
  @ApiPropertyOptional({ description: "Only reads of this child's record", pattern: ID_PATTERN.source })
  @IsOptional()
  @Matches(ID_PATTERN, { message: '$property must be 1–64 letters, digits, _ or -' })
  childId?: string;

  @ApiPropertyOptional({
    example: '2026-11-01',
    description: 'From this instant, or the start of this London day (inclusive)',
  })
  @IsOptional()
  @ValidateBy(WHEN)
  from?: string;

  @ApiPropertyOptional({
    example: '2026-11-30',
    description: 'Before this instant, or up to the end of this London day',
  })
  @IsOptional()
  @ValidateBy(WHEN)
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: ACCESS_PAGE_MAX, default: ACCESS_PAGE_DEFAULT })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(ACCESS_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next` of the previous page (opaque)' })
  @IsOptional()
  @ValidateBy({
    name: 'isAccessCursor',
    validator: {
      validate: (v) => typeof v === 'string' && seqOfCursor(v) !== null,
      defaultMessage: () => '$property must be the `next` value of an earlier page',
    },
  })
  cursor?: string;
}

/** The first instant of a London day, as an ISO instant. */
function londonDayStart(date: string, addDays = 0): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(new TZDate(y, m - 1, d + addDays, 'Europe/London').getTime()).toISOString();
}

/** `from` as an inclusive instant: a date means the start of that London day. */
export function fromInstant(value: string): string {
  return isBusinessDate(value) ? londonDayStart(value) : (parseAsOf(value) as string);
}

/** `to` as an exclusive instant: a date means the end of that London day (the start of the next). */
export function toInstant(value: string): string {
  return isBusinessDate(value) ? londonDayStart(value, 1) : (parseAsOf(value) as string);
}

export function cursorOf(seq: number): string {
  return Buffer.from(`access:${seq}`, 'utf8').toString('base64url');
}

export function seqOfCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return null;
  const match = /^access:([1-9]\d{0,14})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}
