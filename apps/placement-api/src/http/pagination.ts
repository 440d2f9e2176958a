import { createHash } from 'node:crypto';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { KeyValue, ListBody, ListScope, Page, PageRequest } from '@placement/projections';
import type { Request, Response } from 'express';
import { ReadYourWritesDto } from '../projections/projections.dto';
import { ID_PATTERN } from './dto-rules';
import { RequestValidationException } from './validation';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `limit`, `cursor` and `minPosition`, shared by every list. */
export class ListQueryDto extends ReadYourWritesDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque: the `next` link of the previous page carries it' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: '$property must be a cursor this list returned' })
  cursor?: string;
}

/** An optional id filter (`?settingId=`): the same pattern as ids everywhere. */
export function IdFilter(description: string) {
  return applyDecorators(
    ApiPropertyOptional({ description, pattern: ID_PATTERN.source }),
    IsOptional(),
    IsString(),
    Matches(ID_PATTERN, {
      message: '$property must be 1–64 letters, digits, _ or -, starting with a letter or digit',
    }),
  );
}

/** An optional filter with a fixed set of values (`?status=open`). */
export function OneOfFilter(values: readonly string[], description: string) {
  return applyDecorators(
    ApiPropertyOptional({ enum: values, description }),
    IsOptional(),
    IsIn(values, { message: `$property must be one of: ${values.join(', ')}` }),
  );
}

/**
 * A list read on the query bus: the filter, whose rows the caller may see, the page, and the log
 * position the read model must have reached (read-your-writes). Each list's query extends it.
 */
export abstract class ListQuery<F> {
  constructor(
    readonly filter: F,
    readonly scope: ListScope,
    readonly page: PageRequest,
    readonly minPosition?: string,
  ) {}
}

/** What a list answers: declared with each list's page in the projections, where the board's port names them too. */
export type { ListBody } from '@placement/projections';

/** One record from a read model, with the position it was read at (pass it as `?minPosition=` to read your writes). */
export type AtPosition<T> = T & { readonly position: string };

type Filters = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Keyset paging over HTTP. The cursor is the last row's sort key with a digest of the list
 * and its filters, base64url-encoded: opaque to clients, refused (400) if it was made for
 * another list or other filters, or is not one of ours at all. It grants nothing: filters
 * and the caller's scope are applied again on every page.
 */
export class Pager {
  private constructor(
    private readonly path: string,
    private readonly filters: Filters,
    private readonly digest: string,
    readonly request: PageRequest,
  ) {}

  /** `keyTypes` is the shape of the list's sort key, so a forged cursor cannot reach SQL with another shape. */
  static of(
    req: Request,
    list: string,
    filters: Filters,
    query: ListQueryDto,
    keyTypes: readonly ('string' | 'number')[],
  ): Pager {
    const digest = digestOf(list, filters);
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, digest, keyTypes);
    return new Pager(req.baseUrl + req.path, filters, digest, { limit: query.limit ?? DEFAULT_PAGE_SIZE, after });
  }

  /** The body, with the RFC 8288 `Link: <…>; rel="next"` header set when another page follows. */
  respond<T>(res: Response, page: Page<T>): ListBody<T> {
    return { position: page.position, items: page.items, next: this.next(res, page.nextAfter) };
  }

  /** The next page's URL after that sort key (null: this is the last page), also set as the `Link` header. */
  next(res: Response, nextAfter: readonly KeyValue[] | null): string | null {
    if (nextAfter === null) return null;
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(this.filters)) if (value !== undefined) params.set(name, String(value));
    params.set('limit', String(this.request.limit));
    params.set('cursor', encodeCursor(nextAfter, this.digest));
    const next = `${this.path}?${params.toString()}`;
    res.setHeader('Link', `<${next}>; rel="next"`);
    return next;
  }
}

function digestOf(list: string, filters: Filters): string {
  const canonical = Object.keys(filters)
    .sort()
    .filter((k) => filters[k] !== undefined)
    .map((k) => [k, filters[k]]);
  return createHash('sha256')
    .update(JSON.stringify([list, canonical]))
    .digest('base64url')
    .slice(0, 16);
}

function encodeCursor(after: readonly KeyValue[], digest: string): string {
  return Buffer.from(JSON.stringify({ k: after, f: digest }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, digest: string, keyTypes: readonly ('string' | 'number')[]): KeyValue[] {
  const refuse = (message: string) => new RequestValidationException([{ field: 'cursor', rule: 'isCursor', message }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('cursor must be a cursor this list returned');
  }
  const { k, f } = (typeof decoded === 'object' && decoded !== null ? decoded : {}) as { k?: unknown; f?: unknown };
  if (
    !Array.isArray(k) ||
    k.length !== keyTypes.length ||
    !k.every((v, i) => typeof v === keyTypes[i] && (typeof v !== 'number' || Number.isSafeInteger(v)))
  )
    throw refuse('cursor must be a cursor this list returned');
  if (f !== digest) throw refuse('cursor belongs to another list or to other filters: start again without it');
  return k as KeyValue[];
}
