import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const logger = new Logger('Request');

/**
 * One structured line per request: method, matched route pattern, status, duration. Never
 * bodies, query strings, headers or the concrete path: ids are chosen by clients and a
 * client may use a UPN or a name as a child id (`/v1/children/:id` is logged, not the id).
 */
export function requestLog(req: Request, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.log({
      msg: 'request',
      method: req.method,
      route: routeOf(req),
      status: res.statusCode,
      ms: Math.round(ms * 10) / 10,
    });
  });
  next();
}

/** The route pattern a request matched (`/v1/children/:id`), safe to log where the concrete path is not. */
export function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : '(no route)';
}
