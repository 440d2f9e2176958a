import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { PinoLogger } from 'nestjs-pino';
import type { Observable } from 'rxjs';
import { CORRELATION_ID_PATTERN } from '../commands/command';
import { loggableCorrelationId, requestIdOf } from './logger';

/**
 * Puts the request's correlation id (the one its command's events will carry in their metadata:
 * `X-Correlation-Id`, or else the request id) on every later line of the request, the request
 * line included. A malformed header is left out here; the command refuses it with a 400.
 */
@Injectable()
export class CorrelationLogInterceptor implements NestInterceptor {
  constructor(private readonly logger: PinoLogger) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      const header = req.header('X-Correlation-Id');
      const correlationId = header === undefined ? requestIdOf(req) : header;
      if (correlationId !== undefined && CORRELATION_ID_PATTERN.test(correlationId)) {
        this.logger.assign({ correlationId: loggableCorrelationId(correlationId) });
      }
    }
    return next.handle();
  }
}
