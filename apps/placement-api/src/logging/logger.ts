import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
// nestjs-pino's request context (pinned 4.6.1), bound by bindRequestLogs below rather than by
// LoggerModule's middleware, which Nest would mount as a catch-all route for every HTTP method.
import { Store, storage } from 'nestjs-pino/storage';
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Environment } from '../config/environment';

/** Nest's level names (LOG_LEVEL) in pino's words. */
const PINO_LEVEL = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
} as const satisfies Record<Environment['LOG_LEVEL'], string>;

/**
 * Removed wherever they appear, one level deep: no line names a header or a field holding a
 * token, a session or a request body. The lines this app writes never carry them (they are
 * flat: method, route, status, ids, counts); this is the guard against the next line that would.
 */
export const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'body',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  '*.authorization',
  '*.cookie',
  '*.body',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
];

/**
 * The app's one pino logger: JSON lines with an ISO `time`, the level by name (`"level":"warn"`),
 * at LOG_LEVEL or above; `false` writes nothing. Every line in a request also carries `requestId`.
 */
export function createAppLogger(level: Environment['LOG_LEVEL'] | false, destination?: DestinationStream): Logger {
  return pino(
    {
      level: level === false ? 'silent' : PINO_LEVEL[level],
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, remove: true },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/*
 * A request id or correlation id is logged as given only when it cannot be a child's name, a
 * date or free text: a UUID, or 16-64 hex digits (what proxies such as nginx and Envoy send).
 */
const LOGGABLE_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,64})$/i;

/** The client's `X-Request-Id` when it has a loggable shape, else a fresh UUID. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && LOGGABLE_ID.test(header) ? header : randomUUID();
}

/**
 * How a correlation id appears in the logs: as given when loggable; otherwise (the API accepts
 * any 1-128 of `A-Z a-z 0-9 _ . : -`, which could spell a name) as `sha256:` and the first 16
 * hex digits of its digest, which still matches the id stored in the events' metadata.
 */
export function loggableCorrelationId(correlationId: string): string {
  if (LOGGABLE_ID.test(correlationId)) return correlationId;
  return `sha256:${createHash('sha256').update(correlationId).digest('hex').slice(0, 16)}`;
}

/** The route pattern a request matched (`/v1/children/:id`), safe to log where the concrete path is not. */
export function routeOf(req: Request | IncomingMessage): string {
  const express = req as Request;
  const pattern = (express.route as { path?: unknown } | undefined)?.path;
  // A catch-all (the board's own 404 page, `{*path}`) names no route: the path it caught is not logged either.
  if (typeof pattern !== 'string' || pattern.includes('*')) return '(no route)';
  return `${express.baseUrl ?? ''}${pattern}`;
}

/** The id the request logger gave this request (echoed as `X-Request-Id`). */
export function requestIdOf(req: IncomingMessage): string | undefined {
  const id = (req as IncomingMessage & { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * One line per request when it ends: method, matched route pattern, status and duration. Never
 * bodies, query strings, headers or the concrete path: ids are chosen by clients and a client
 * may use a UPN or a name as a child id (`/v1/children/:id` is logged, not the id). Installed
 * first, so even a request the body parser refuses has its id and its line.
 */
export function requestLogger(logger: Logger): HttpLogger {
  const fields = (req: IncomingMessage, res: ServerResponse, responseTime: unknown) => ({
    method: req.method,
    route: routeOf(req),
    status: res.statusCode,
    ms: typeof responseTime === 'number' ? responseTime : undefined,
  });
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdFor(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId' },
    // An orchestrator probes these every few seconds; it sees their answers, the log need not.
    autoLogging: { ignore: (req) => req.method === 'GET' && /^\/health\/(live|ready)\/?(\?|$)/.test(req.url ?? '') },
    // Lines in a request carry its id only, never the serialised request or response.
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_req, res, error) => (error !== undefined || res.statusCode >= 500 ? 'warn' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customSuccessObject: (req, res, val: { responseTime?: unknown }) => fields(req, res, val.responseTime),
    // A 5xx's cause is logged once, by type, by the problem filter; this line is the request's.
    customErrorObject: (req, res, _error, val: { responseTime?: unknown }) => fields(req, res, val.responseTime),
  });
}

/**
 * nestjs-pino's PinoLogger, bound to one app: inside a request it writes the request's child
 * logger (so the line has `requestId`, and `assign` reaches the request line); outside one, this
 * app's logger. nestjs-pino's own falls back to one process-wide logger, the first app's, so a
 * second app in the process (a restart in a test, a bench) would write its start-up and
 * background lines to the first one's destination, at the first one's level.
 */
export class AppPinoLogger extends PinoLogger {
  constructor(private readonly appLogger: Logger) {
    super({ pinoHttp: { logger: appLogger } });
  }

  override get logger(): Logger {
    return storage.getStore()?.logger ?? this.appLogger;
  }
}

/**
 * Runs the rest of the request inside nestjs-pino's context, so Nest's Logger writes this
 * request's child logger (with `requestId`), and `PinoLogger.assign` reaches the request line.
 * Installed right after `requestLogger`, as plain Express middleware.
 */
export function bindRequestLogs(req: Request, res: Response, next: NextFunction): void {
  const withLogs = req as Request & { log?: Logger };
  const responseWithLog = res as Response & { log?: Logger };
  if (withLogs.log === undefined) {
    next();
    return;
  }
  storage.run(new Store(withLogs.log, responseWithLog.log), next);
}
