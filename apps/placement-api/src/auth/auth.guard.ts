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
import type { Clock } from '@placement/event-store';
import { WEB_ROUTE_KEY } from '@placement/web';
import type { Request, Response } from 'express';
import { CLOCK } from '../store/store.module';
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
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    // The board's pages authenticate by session cookie, with their own guard.
    if (this.reflector.getAllAndOverride<boolean>(WEB_ROUTE_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    // With TRUST_PROXY set, req.ip is the client's address as the trusted proxies forwarded it.
    const client = req.ip ?? 'unknown';
    const now = this.clock.now();
    const match = /^Bearer\s+(\S{1,512})$/i.exec(req.headers.authorization ?? '');
    const result = match ? this.tokens.check(match[1], now) : null;
    if (result === null || !result.ok) {
      // Only failures are limited: a valid token is served even from an address that is blocked
      // (behind one proxy or NAT, colleagues share an address with whoever is failing).
      const blocked = this.limiter.isBlocked(client, now.getTime());
      this.limiter.recordFailure(client, now.getTime());
      if (blocked) {
        const retryAfter = this.limiter.retryAfterSeconds(client, now.getTime());
        res.setHeader('Retry-After', String(retryAfter));
        throw new HttpException(
          { message: `Too many failed authentications; retry after ${retryAfter} s` },
          HttpStatus.TOO_MANY_REQUESTS,
        );
      }
      // RFC 9110: a 401 names the authentication scheme it expects.
      res.setHeader('WWW-Authenticate', 'Bearer realm="placement-api"');
      if (result === null) throw new UnauthorizedException('A bearer token is required');
      throw new UnauthorizedException(
        result.reason === 'unknown' ? 'The token is not recognised' : `The token is ${result.reason}`,
      );
    }
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (allowed && !allowed.includes(result.actor.role)) {
      throw new ForbiddenException(`The ${result.actor.role} role may not do this`);
    }
    req.actor = result.actor;
    return true;
  }
}
