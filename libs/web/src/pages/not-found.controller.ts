import { All, Controller, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type nunjucks from 'nunjucks';
import type { BoardRequest } from '../board.port';
import { renderPage } from './page';
import { VIEWS } from './web-exception.filter';
import { WebRoutes } from '../web-routes';

/** The API's own paths: an unknown one stays a problem+json 404. */
const API_PATHS = /^\/(v1|docs|health)(\/|$)/;

/**
 * Registered last: a path nobody answers. A person gets the board's "Page not found"; a client of
 * the API gets the API's problem+json 404, as before.
 */
@Controller()
@WebRoutes()
export class NotFoundController {
  constructor(@Inject(VIEWS) private readonly views: nunjucks.Environment) {}

  @All('{*path}')
  notFound(@Req() req: BoardRequest, @Res() res: Response): void {
    if (API_PATHS.test(req.path)) throw new NotFoundException(`Cannot ${req.method} ${req.path}`);
    req.actor = req.session?.viewer;
    renderPage(
      this.views,
      req,
      res,
      'pages/error.njk',
      { status: 404, title: 'Page not found', message: 'If you typed the web address, check it is correct.' },
      404,
    );
  }
}
