import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { PUBLIC_KEY, Role, ROLES_KEY } from './roles';
import { AuthenticatedActor, TokenRegistry } from './token-registry';

export const TOKEN_REGISTRY = Symbol('TOKEN_REGISTRY');

export interface AuthenticatedRequest extends Request {
  actor?: AuthenticatedActor;
}

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly limiter = new FailedAuthLimiter();

  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_REGISTRY) private readonly tokens: TokenRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const client = req.ip ?? 'unknown';
    const now = Date.now();
    if (this.limiter.isBlocked(client, now)) {
      res.setHeader('Retry-After', String(this.limiter.retryAfterSeconds(client, now)));
      throw new HttpException(
        { message: `Too many failed authentications; retry after ${this.limiter.retryAfterSeconds(client, now)} s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S{1,512})$/i.exec(header);
    const unauthorized = (message: string) => {
      this.limiter.recordFailure(client, now);
      // RFC 9110: a 401 names the authentication scheme it expects.
      res.setHeader('WWW-Authenticate', 'Bearer realm="placement-api"');
      return new UnauthorizedException(message);
    };
    if (!match) throw unauthorized('A bearer token is required');
    const result = this.tokens.check(match[1], new Date(now));
    if (!result.ok)
      throw unauthorized(result.reason === 'unknown' ? 'The token is not recognised' : `The token is ${result.reason}`);
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (allowed && !allowed.includes(result.actor.role)) {
      throw new ForbiddenException(`The ${result.actor.role} role may not do this`);
    }
    req.actor = result.actor;
    return true;
  }
}
