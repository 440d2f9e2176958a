import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { BoardRequest, ViewerRole } from '../board.port';
import { PAGE_ROLES_KEY } from '../web-routes';

/** Not signed in: the filter sends the browser to the sign-in page. */
export class NotSignedIn extends Error {
  constructor() {
    super('Sign in to use the placement board');
    this.name = 'NotSignedIn';
  }
}

/**
 * A page needs a signed-in session; `@PageRoles` narrows it further (an auditor sees no write
 * form, and a POST from one is refused here before anything runs). The person rides on the
 * request as `actor`, where the API's own routes find it.
 */
@Injectable()
export class SignedInGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<BoardRequest>();
    const viewer = req.session?.viewer;
    if (!viewer) throw new NotSignedIn();
    const allowed = this.reflector.getAllAndOverride<ViewerRole[] | undefined>(PAGE_ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (allowed && !allowed.includes(viewer.role))
      throw new ForbiddenException(`The ${viewer.role} role may not do this`);
    req.actor = viewer;
    req.minPosition = req.session.lastWrite;
    return true;
  }
}
