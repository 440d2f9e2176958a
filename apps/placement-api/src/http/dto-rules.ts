import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, ValidateBy, ValidationOptions } from 'class-validator';
import { isBusinessDate, isInstant } from '@placement/domain';

/** Ids are client-supplied (so retries are idempotent) and become part of stream names. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function IsId(description = 'Client-supplied id: letters, digits, _ and -, up to 64') {
  return applyDecorators(
    ApiProperty({ description, pattern: ID_PATTERN.source, example: 'a1b2c3' }),
    IsString(),
    Matches(ID_PATTERN, { message: '$property must be 1–64 letters, digits, _ or -, starting with a letter or digit' }),
  );
}

/** A Europe/London calendar date, `YYYY-MM-DD`, that exists (no 31 February). */
export function IsBusinessDate(options?: ValidationOptions) {
  return applyDecorators(
    ApiProperty({ type: String, format: 'date', example: '2026-11-27' }),
    ValidateBy(
      {
        name: 'isBusinessDate',
        validator: {
          validate: (v) => isBusinessDate(v),
          defaultMessage: () => '$property must be a real calendar date as YYYY-MM-DD',
        },
      },
      options,
    ),
  );
}

/** An instant names its zone: without one, Date.parse would read it in the server's own time zone. */
const ZONED_INSTANT = /(?:Z|[+-]\d{2}:\d{2})$/;

export function IsInstant(options?: ValidationOptions) {
  return applyDecorators(
    ApiProperty({ type: String, format: 'date-time', example: '2026-11-27T18:00:00Z' }),
    ValidateBy(
      {
        name: 'isInstant',
        validator: {
          validate: (v) => isInstant(v) && ZONED_INSTANT.test(v),
          defaultMessage: () => '$property must be an ISO-8601 date-time with its zone, such as 2026-11-27T18:00:00Z',
        },
      },
      options,
    ),
  );
}

/** A UK postcode in the `S60 1AA` form. */
export function IsPostcode() {
  return applyDecorators(
    ApiProperty({ example: 'S60 1AA' }),
    IsString(),
    MaxLength(8),
    Matches(/^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/, {
      message: '$property must be a full UK postcode such as S60 1AA',
    }),
  );
}
