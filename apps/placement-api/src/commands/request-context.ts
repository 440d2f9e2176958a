import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { RequestValidationException } from '../http/validation';
import { requestIdOf } from '../logging/logger';

export interface RequestMeta {
  idempotencyKey?: string;
  correlationId?: string;
}

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
/** What `X-Correlation-Id` may hold (the same shape as an `Idempotency-Key`). */
export const CORRELATION_ID_PATTERN = KEY_PATTERN;

function header(req: AuthenticatedRequest, name: string): string | undefined {
  const value = req.header(name);
  if (value === undefined) return undefined;
  if (!KEY_PATTERN.test(value)) {
    throw new RequestValidationException([
      { field: name, rule: 'matches', message: `${name} must be 1–128 letters, digits, _ . : or -` },
    ]);
  }
  return value;
}

/**
 * The Idempotency-Key and X-Correlation-Id headers; a malformed one is a 400, not ignored.
 * Without X-Correlation-Id the command is correlated by the request id, so its events and
 * its log lines name the same id.
 */
export const RequestMetaParam = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  return {
    idempotencyKey: header(req, 'Idempotency-Key'),
    correlationId: header(req, 'X-Correlation-Id') ?? requestIdOf(req),
  };
});
