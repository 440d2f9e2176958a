import { createParamDecorator, ExecutionContext, ForbiddenException } from '@nestjs/common';
import type { AuthenticatedRequest } from './auth.guard';
import type { AuthenticatedActor } from './token-registry';

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedActor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new ForbiddenException('No authenticated actor');
  return actor;
});

/** Residential managers keep only their own settings; other writers are not limited by setting. */
export function assertKeepsSetting(actor: AuthenticatedActor, settingId: string): void {
  if (actor.role === 'residential-manager' && !actor.settingIds.includes(settingId)) {
    throw new ForbiddenException('A residential manager may only change their own settings');
  }
}
