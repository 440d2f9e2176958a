import { createParamDecorator, ExecutionContext, ForbiddenException } from '@nestjs/common';
import type { AuthenticatedRequest } from './auth.guard';
import type { AuthenticatedActor } from './token-registry';

/** The actor the auth guard authenticated for this request. */
export function actorOf(req: AuthenticatedRequest): AuthenticatedActor {
  if (!req.actor) throw new ForbiddenException('No authenticated actor');
  return req.actor;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedActor =>
  actorOf(ctx.switchToHttp().getRequest<AuthenticatedRequest>()),
);

/** Residential managers keep only their own settings; other writers are not limited by setting. */
export function assertKeepsSetting(actor: AuthenticatedActor, settingId: string): void {
  if (actor.role === 'residential-manager' && !actor.settingIds.includes(settingId)) {
    throw new ForbiddenException('A residential manager may only change their own settings');
  }
}
