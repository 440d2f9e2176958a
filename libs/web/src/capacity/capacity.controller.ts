import { Controller, Get, Query, Req, Res, Sse, UseFilters, UseGuards } from '@nestjs/common';
import type { MessageEvent } from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { isBusinessDate } from '@placement/domain';
import { type BoardRequest } from '../board.port';
import { BoardPages } from '../pages/board-pages';
import { dateParts, dateQuery, enteredDate } from '../pages/form';
import { renderPage } from '../pages/page';
import { WebExceptionFilter } from '../pages/web-exception.filter';
import { SignedInGuard } from '../session/signed-in.guard';
import { ukDate, ukDateTime } from '../views';
import { WebRoutes } from '../web-routes';
import { AGE_BANDS, boardRows, filterRows, type BoardFilters } from './board-rows';

const KINDS = ['residential', 'emergency', 'foster', 'block-booked'] as const;
const PROVISIONS = ['in-house', 'external'] as const;
const SEXES = ['M', 'F'] as const;

function oneOf<T extends string>(values: readonly T[], value: unknown): T | undefined {
  return values.includes(value as T) ? (value as T) : undefined;
}

/** The capacity board, for everyone: the 16 + 2 summary, then every unit, on any night; live over SSE. */
@Controller()
@WebRoutes()
@UseGuards(SignedInGuard)
@UseFilters(WebExceptionFilter)
export class CapacityController extends BoardPages {
  @Get()
  async page(@Req() req: BoardRequest, @Res() res: Response, @Query() q: Record<string, unknown>): Promise<void> {
    const filters: BoardFilters = {
      kind: oneOf(KINDS, q['kind']),
      provision: oneOf(PROVISIONS, q['provision']),
      ageBand: oneOf(AGE_BANDS, q['ageBand']),
      sex: oneOf(SEXES, q['sex']),
    };
    const asked = dateQuery(q, 'on');
    const today = this.board.today();
    // A date that is no date is said in the error summary, and tonight's board is shown under it.
    const invalid = asked !== '' && !isBusinessDate(asked);
    const on = asked === '' || invalid ? today : asked;
    const view = await this.board.capacity(req, on);
    const rows = filterRows(view, boardRows(view, ukDateTime, ukDate), filters);
    renderPage(
      this.views,
      req,
      res,
      'pages/capacity.njk',
      {
        view,
        rows,
        filters,
        filtered: Object.values(filters).some((v) => v !== undefined),
        night: ukDate(view.on),
        tonight: view.on === today,
        onParts: invalid ? enteredDate(q, 'on', asked) : dateParts(view.on),
        dateError: invalid ? 'Enter a real date, for example 15 12 2026' : undefined,
        errors: invalid ? [{ text: 'Enter a real date, for example 15 12 2026', href: '#on-day' }] : undefined,
        kinds: KINDS,
        ageBands: AGE_BANDS,
      },
      invalid ? 400 : 200,
    );
  }

  /**
   * Server-sent capacity for the board's live updates. It authenticates with the session cookie
   * (an EventSource cannot send a bearer token). Each event carries `id:` (the read model's
   * position); a browser that lost the connection reconnects by itself and is sent a fresh
   * snapshot, so it never misses a change.
   */
  @Sse('capacity/stream')
  stream(): Observable<MessageEvent> {
    // A keep-alive comment stays one: with a `retry` it would be given an id.
    return this.board.capacityStream().pipe(map((event) => (event.comment ? event : { ...event, retry: 3000 })));
  }
}
