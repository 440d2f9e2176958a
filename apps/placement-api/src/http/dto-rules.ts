import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { childDetailsProblems, isBusinessDate, isInstant, upnProblem, UPN_UNKNOWN_CODES } from '@placement/domain';

/**
 * An optional code from the list `codes` (absent and null alike: the route says what that means),
 * documented with `description`.
 */
export function IsOptionalCode(codes: readonly string[], description?: string) {
  // Applied in the order the decorators stood on each field (bottom first).
  return applyDecorators(
    IsIn(codes),
    IsOptional(),
    ApiPropertyOptional({ enum: codes, nullable: true, ...(description === undefined ? {} : { description }) }),
  );
}

/**
 * A field holding an object validated as the DTO `type` returns (`{ each: true }`: a list of them,
 * beside the field's @IsArray). @ValidateNested alone would pass `[]` for an object: @IsObject refuses it.
 */
export function IsNested(type: () => new () => object, each?: { each: true }) {
  // Applied in the order the decorators stood on each field (bottom first).
  return applyDecorators(Type(type), ValidateNested(each), IsObject(each));
}

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

/** A unique pupil number whose check letter agrees with its digits (the DfE's formula), or one of UN1–UN5. */
export function IsUpn() {
  return applyDecorators(
    ApiProperty({
      type: String,
      nullable: true,
      example: 'W372200125001',
      description:
        'Unique pupil number (13 characters; the first is the DfE check letter), ' +
        `or the DfE's code for why it is not known: ${UPN_UNKNOWN_CODES.join(', ')}`,
    }),
    ValidateBy({
      name: 'isUpn',
      validator: {
        validate: (v) => typeof v === 'string' && upnProblem(v) === null,
        defaultMessage: (args) =>
          `$property ${typeof args?.value === 'string' ? upnProblem(args.value) : 'must be a string'}`,
      },
    }),
  );
}

/**
 * UPN, MOTHER and MC_DOB checked together with the child's sex and date of birth, by the child
 * record's own rules (MOTHER for a female child only; MC_DOB exactly for a mother, after her own birth).
 */
export function IsConsistentChildDetail(field: 'mother' | 'motherChildDateOfBirth') {
  return ValidateBy({
    name: 'childDetails',
    validator: {
      validate: (_v, args) => childDetailProblem(args?.object, field) === null,
      defaultMessage: (args) => childDetailProblem(args?.object, field) ?? '',
    },
  });
}

function childDetailProblem(object: unknown, field: 'mother' | 'motherChildDateOfBirth'): string | null {
  const o = object as Record<string, unknown>;
  const sex = o['sex'];
  const dateOfBirth = o['dateOfBirth'];
  // Shape errors are other rules' to report: this one judges well-formed values only.
  if ((sex !== 'M' && sex !== 'F' && sex !== 'U') || !isBusinessDate(dateOfBirth)) return null;
  const mother = o['mother'] ?? null;
  const mcDob = o['motherChildDateOfBirth'] ?? null;
  if ((mother !== null && mother !== '0' && mother !== '1') || (mcDob !== null && !isBusinessDate(mcDob))) return null;
  const problem = childDetailsProblems(
    { sex, dateOfBirth },
    { upn: null, mother: mother as '0' | '1' | null, motherChildDateOfBirth: mcDob as string | null },
  ).find((p) => p.field === field);
  return problem?.message ?? null;
}

/**
 * On the `kind` of a tagged object: the fields of another kind are refused, not ignored (a
 * `settingId` beside `kind: "household"` is a mistake, and would make one request read two ways).
 */
export function OnlyFieldsOfKind(fieldsByKind: Readonly<Record<string, readonly string[]>>) {
  const misplaced = (object: Record<string, unknown>): string[] => {
    const own = fieldsByKind[String(object['kind'])] ?? [];
    return Object.values(fieldsByKind)
      .flat()
      .filter((field) => !own.includes(field) && object[field] !== undefined);
  };
  return ValidateBy({
    name: 'onlyFieldsOfKind',
    validator: {
      validate: (_kind, args) => args === undefined || misplaced(args.object as Record<string, unknown>).length === 0,
      defaultMessage: (args) =>
        `$property "${String(args?.value)}" takes none of ${misplaced((args?.object ?? {}) as Record<string, unknown>)
          .map((field) => `"${field}"`)
          .join(', ')}: those belong to another kind`,
    },
  });
}
