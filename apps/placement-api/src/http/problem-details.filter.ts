import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IdempotencyConflictError, StoreUnavailableError, WrongExpectedVersionError } from '@placement/event-store';
import type { DomainErrorKind } from '@placement/domain';
import { IdInUseError } from '../commands/command';
import { routeOf } from '../logging/logger';
import { instanceOf, ProblemDetails, problemType, sendProblem } from './problem';
import { RequestValidationException } from './validation';

/** How each kind of domain error is answered; the one list of kinds the filter knows (a new kind will not compile). */
const DOMAIN_ANSWER = {
  conflict: { status: HttpStatus.CONFLICT, title: 'Conflict' },
  rule: { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'Rule broken' },
  not_found: { status: HttpStatus.NOT_FOUND, title: 'Not found' },
} as const satisfies Record<DomainErrorKind, { status: HttpStatus; title: string }>;

interface CodedDomainError {
  code: string;
  kind: DomainErrorKind;
  message: string;
  /** Extension members (codes only), e.g. `exclusions` of EXCLUDED_BY_MATCHING. */
  extensions?: Readonly<Record<string, readonly string[]>>;
}

function isDomainError(error: unknown): error is CodedDomainError {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Record<string, unknown>;
  return typeof e['code'] === 'string' && typeof e['kind'] === 'string' && Object.hasOwn(DOMAIN_ANSWER, e['kind']);
}

/**
 * Every error leaves as RFC 9457 problem+json. Domain errors keep their stable code; the
 * message of an unexpected error is never echoed (it may carry child data), only logged by type.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const problem = problemOf(exception);
    problem.instance = instanceOf(req);
    if (problem.status >= 500) {
      const name = exception instanceof Error ? exception.name : typeof exception;
      this.logger.error({ msg: 'unhandled error', error: name, route: routeOf(req), method: req.method });
    }
    if (res.headersSent) return;
    sendProblem(res, problem);
  }
}

/** The problem+json an exception is answered with (also what the board's pages show for a refusal). */
export function problemOf(exception: unknown): ProblemDetails {
  if (exception instanceof RequestValidationException) {
    const first = exception.violations[0];
    return {
      type: problemType('validation'),
      title: 'Invalid request',
      status: 400,
      detail: first ? `${first.field}: ${first.message}` : 'The request did not pass validation',
      errors: exception.violations,
    };
  }
  if (exception instanceof IdInUseError) {
    return { ...conflict('id-in-use', exception.code, exception.message), id: exception.id, field: exception.field };
  }
  if (isDomainError(exception)) {
    return {
      ...exception.extensions,
      type: problemType(exception.code.toLowerCase().replace(/_/g, '-')),
      ...DOMAIN_ANSWER[exception.kind],
      code: exception.code,
      detail: exception.message,
    };
  }
  if (exception instanceof WrongExpectedVersionError) {
    return conflict(
      'concurrency',
      'CONCURRENT_UPDATE',
      'Another change to the same record was accepted first; reload and try again.',
    );
  }
  if (exception instanceof IdempotencyConflictError) {
    return conflict(
      'idempotency-conflict',
      exception.code,
      'This id or Idempotency-Key was already used for a different request.',
    );
  }
  if (exception instanceof StoreUnavailableError) {
    return {
      type: problemType('store-unavailable'),
      title: 'Service unavailable',
      status: 503,
      code: exception.code,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const detail = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return {
      type: problemType(`http-${status}`),
      title: HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'Error',
      status,
      detail: Array.isArray(detail) ? detail.join('; ') : typeof detail === 'string' ? detail : undefined,
    };
  }
  return {
    type: problemType('internal'),
    title: 'Internal error',
    status: 500,
    detail: 'An unexpected error occurred; it has been logged.',
  };
}

/** A 409: the request clashes with what is already recorded. */
function conflict(slug: string, code: string, detail: string): ProblemDetails {
  return { type: problemType(slug), title: 'Conflict', status: 409, code, detail };
}
