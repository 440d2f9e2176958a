import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type nunjucks from 'nunjucks';
import { BoardRefusal, type BoardRequest } from '../board.port';
import { NotSignedIn } from '../session/signed-in.guard';
import { renderPage, ruleMessage } from './page';

export const VIEWS = Symbol('VIEWS');

const TITLES: Record<number, string> = {
  400: 'There is a problem with the request',
  403: 'You cannot do this',
  404: 'Page not found',
  409: 'Someone else changed this first',
  422: 'This breaks a rule',
  503: 'Sorry, the service is unavailable',
};

/**
 * Errors on the board's pages are pages, not problem+json: not signed in → the sign-in page;
 * a refusal → a GOV.UK error page with the rule in plain English. An unexpected error's message
 * is never shown or logged (it may carry a child's data): only its type.
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Web');

  constructor(@Inject(VIEWS) private readonly views: nunjucks.Environment) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<BoardRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof NotSignedIn) {
      res.redirect(303, '/sign-in');
      return;
    }
    let status = 500;
    let message = 'Try again later.';
    if (exception instanceof BoardRefusal) {
      status = exception.problem.status;
      message = ruleMessage(exception.problem);
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      const text = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      if (typeof text === 'string') message = text;
    } else if (isHttpError(exception)) {
      // csrf-sync's refusal (http-errors): a form without its token, or from another site.
      status = exception.status;
      message = 'The form has expired or did not come from this service. Go back, reload the page and try again.';
    } else {
      const name = exception instanceof Error ? exception.name : typeof exception;
      this.logger.error({ msg: 'page failed', error: name, method: req.method });
    }
    renderPage(
      this.views,
      req,
      res,
      'pages/error.njk',
      { status, title: TITLES[status] ?? 'Sorry, there is a problem', message },
      status,
    );
  }
}

function isHttpError(error: unknown): error is { status: number } {
  return (
    error instanceof Error &&
    typeof (error as { status?: unknown }).status === 'number' &&
    (error as { expose?: unknown }).expose === true
  );
}
