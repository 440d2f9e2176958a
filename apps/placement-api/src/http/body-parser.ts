import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { problemType, sendProblem } from './problem';

/**
 * JSON body parsing with a hard size limit. Errors are answered here as problem+json:
 * body-parser runs before Nest's routing, so Nest's exception filters never see them.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const FORBIDDEN_KEY_MARK = 'forbidden-key:';

/** Keys that could reach an object's prototype are refused outright, wherever they are nested. */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new Error(`${FORBIDDEN_KEY_MARK}${key}`);
  return value;
}

export function jsonBodyParser(limitBytes: number): RequestHandler {
  const parse = json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'], reviver: refusePrototypeKeys });
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
      const message = (error as { message?: unknown }).message;
      if (e.type === 'entity.parse.failed' && typeof message === 'string' && message.startsWith(FORBIDDEN_KEY_MARK)) {
        const key = message.slice(FORBIDDEN_KEY_MARK.length);
        return sendProblem(res, {
          type: problemType('validation'),
          title: 'Invalid request',
          status: 400,
          detail: `${key}: this key is not allowed anywhere in a request body`,
          errors: [{ field: key, rule: 'forbiddenKey', message: `${key} is not allowed anywhere in a request body` }],
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
