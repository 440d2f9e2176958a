import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import type nunjucks from 'nunjucks';
import type { BoardRequest } from '../board.port';
import { renderPage } from '../pages/page';
import { VIEWS } from '../pages/web-exception.filter';
import { csrf } from './csrf';

/**
 * Every POST to a page must carry the session's CSRF token. A refusal is answered here with the
 * board's error page (a middleware's error would otherwise reach the API's JSON problem filter);
 * nothing behind it runs.
 */
@Injectable()
export class CsrfMiddleware implements NestMiddleware {
  constructor(@Inject(VIEWS) private readonly views: nunjucks.Environment) {}

  use(req: BoardRequest, res: Response, next: NextFunction): void {
    csrf.csrfSynchronisedProtection(req, res, (error?: unknown) => {
      if (error === undefined) return next();
      renderPage(
        this.views,
        req,
        res,
        'pages/error.njk',
        {
          status: 403,
          title: 'You cannot do this',
          message: 'The form has expired or did not come from this service. Go back, reload the page and try again.',
        },
        403,
      );
    });
  }
}
