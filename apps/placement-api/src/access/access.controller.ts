import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiRead } from '../http/openapi';
import type { Request, Response } from 'express';
import { Roles } from '../auth/roles';
import { RequestValidationException } from '../http/validation';
import type { AccessEntry, AccessLog } from './access-log';
import { ACCESS_PAGE_DEFAULT, AccessQueryDto, cursorOf, fromInstant, seqOfCursor, toInstant } from './access.dto';
import { ACCESS_LOG } from './child-record-access';

export interface AccessPage {
  /** Oldest first. */
  readonly entries: readonly AccessEntry[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly next: string | null;
}

/**
 * "Who has looked at this child's record": the access log, for auditors only. The log watches
 * everyone who reads children's records, admins included, so it is read by the role whose job
 * is oversight and written by nobody through the API (entries come only from reads).
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit/access')
export class AccessController {
  constructor(@Inject(ACCESS_LOG) private readonly log: AccessLog) {}

  @Get()
  @Roles('auditor')
  @ApiRead(
    "Who read which child's record (child, audit timeline, exports), when and through which route; paged",
    'AccessLogPage',
  )
  list(@Query() q: AccessQueryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): AccessPage {
    const from = q.from === undefined ? undefined : fromInstant(q.from);
    const to = q.to === undefined ? undefined : toInstant(q.to);
    if (from !== undefined && to !== undefined && from >= to)
      throw new RequestValidationException([
        { field: 'to', rule: 'isAfterFrom', message: 'to must be later than from' },
      ]);
    const limit = q.limit ?? ACCESS_PAGE_DEFAULT;
    const afterSeq = q.cursor === undefined ? undefined : (seqOfCursor(q.cursor) ?? undefined);
    const { entries, more } = this.log.query({ childId: q.childId, from, to, afterSeq, limit });
    const next = more ? cursorOf(entries[entries.length - 1].seq) : null;
    // Who looked at a child is itself sensitive: never kept by a shared cache.
    res.setHeader('Cache-Control', 'no-store');
    if (next !== null) {
      const url = new URL(req.originalUrl, 'http://placeholder');
      url.searchParams.set('cursor', next);
      res.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
    }
    return { entries, next };
  }
}
