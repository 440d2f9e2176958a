import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { instanceOf, ProblemDetails, problemType, sendProblem } from './problem';

/**
 * JSON body parsing with a hard size limit. Errors are answered here as problem+json:
 * body-parser runs before Nest's routing, so Nest's exception filters never see them.
 */
/**
 * Keys that could reach an object's prototype are refused outright, wherever they are nested.
 * That is every name Object.prototype owns, not only `__proto__` and `constructor`:
 * class-transformer silently drops a key such as `toString`, so forbidNonWhitelisted never saw it.
 */
const FORBIDDEN_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
const FORBIDDEN_KEY_MARK = 'forbidden-key:';
/**
 * No request body nests deeper than a handful of levels; deeper input overflowed class-transformer's recursion
 * (a 500).
 */
export const MAX_BODY_DEPTH = 32;
const TOO_DEEP_MARK = 'too-deep';

function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new Error(`${FORBIDDEN_KEY_MARK}${key}`);
  return value;
}

/** Counts bracket depth outside strings, before JSON.parse runs (body-parser's `verify` hook). */
function refuseDeepNesting(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_BODY_DEPTH) throw Object.assign(new Error(TOO_DEEP_MARK), { status: 400 });
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** The media types a request body may have: JSON only. */
const JSON_TYPES = ['application/json', 'application/*+json'];

/** A body is present when it is chunked or declares a length above zero (an empty POST is left to validation). */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}

function unsupportedMediaType(): ProblemDetails {
  return {
    type: problemType('unsupported-media-type'),
    title: 'Unsupported media type',
    status: 415,
    detail: 'A request body must be JSON, sent with Content-Type: application/json.',
  };
}

function tooLarge(limitBytes: number): ProblemDetails {
  return {
    type: problemType('body-too-large'),
    title: 'Request body too large',
    status: 413,
    detail: `The body exceeds the limit of ${limitBytes} bytes.`,
  };
}

export function jsonBodyParser(limitBytes: number): RequestHandler {
  const parse = json({
    limit: limitBytes,
    strict: true,
    type: ['application/json', 'application/*+json'],
    reviver: refusePrototypeKeys,
    verify: refuseDeepNesting,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    // Every problem answered here names the request it answers, like those of the exception filter.
    const refuse = (problem: ProblemDetails) => sendProblem(res, { ...problem, instance: instanceOf(req) });
    // A declared length over the limit is refused at once and the connection closed: body-parser
    // alone would first read (and discard) the whole body, however large, before answering.
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
      res.setHeader('connection', 'close');
      res.on('finish', () => req.socket.destroySoon());
      return refuse(tooLarge(limitBytes));
    }
    // body-parser passes over a body it does not parse, which then failed validation as if empty (400).
    if (hasBody(req) && !req.is(JSON_TYPES)) {
      res.setHeader('connection', 'close');
      res.on('finish', () => req.socket.destroySoon());
      return refuse(unsupportedMediaType());
    }
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const e = error as { type?: string; status?: number };
      if (e.type === 'entity.too.large') {
        return refuse(tooLarge(limitBytes));
      }
      const message = (error as { message?: unknown }).message;
      if (e.type === 'entity.parse.failed' && typeof message === 'string' && message.startsWith(FORBIDDEN_KEY_MARK)) {
        const key = message.slice(FORBIDDEN_KEY_MARK.length);
        return refuse({
          type: problemType('validation'),
          title: 'Invalid request',
          status: 400,
          detail: `${key}: this key is not allowed anywhere in a request body`,
          errors: [{ field: key, rule: 'forbiddenKey', message: `${key} is not allowed anywhere in a request body` }],
        });
      }
      if (e.type === 'entity.verify.failed' && message === TOO_DEEP_MARK) {
        return refuse({
          type: problemType('validation'),
          title: 'Invalid request',
          status: 400,
          detail: `The body nests deeper than ${MAX_BODY_DEPTH} levels.`,
          errors: [
            { field: '', rule: 'maxDepth', message: `objects and arrays may nest at most ${MAX_BODY_DEPTH} deep` },
          ],
        });
      }
      if (e.type === 'entity.parse.failed') {
        return refuse({
          type: problemType('invalid-json'),
          title: 'Invalid JSON',
          status: 400,
          detail: 'The request body is not valid JSON.',
        });
      }
      return refuse({
        type: problemType('unreadable-body'),
        title: 'Unreadable request body',
        status: typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400,
        detail: 'The request body could not be read.',
      });
    });
  };
}
