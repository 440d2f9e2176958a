import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { problemType, sendProblem } from './problem';

/**
 * JSON body parsing with a hard size limit. Errors are answered here as problem+json:
 * body-parser runs before Nest's routing, so Nest's exception filters never see them.
 */
export function jsonBodyParser(limitBytes: number): RequestHandler {
  const parse = json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const e = error as { type?: string; status?: number };
      if (e.type === 'entity.too.large') {
        return sendProblem(res, {
          type: problemType('body-too-large'),
          title: 'Request body too large',
          status: 413,
          detail: `The body exceeds the limit of ${limitBytes} bytes.`,
        });
      }
      if (e.type === 'entity.parse.failed') {
        return sendProblem(res, { type: problemType('invalid-json'), title: 'Invalid JSON', status: 400, detail: 'The request body is not valid JSON.' });
      }
      return sendProblem(res, {
        type: problemType('unreadable-body'),
        title: 'Unreadable request body',
        status: typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400,
        detail: 'The request body could not be read.',
      });
    });
  };
}
