import { ForbiddenException } from '@nestjs/common';
import type { ListScope } from '@placement/projections';
import type { AuthenticatedActor } from './token-registry';

/**
 * What a caller's lists include. Placement officers, auditors and admins list everything; a
 * residential manager lists the homes they keep and the children living in them (with those
 * children's placements and step-downs, and the referrals considered for their homes).
 */
export function listScopeOf(actor: AuthenticatedActor): ListScope {
  return actor.role === 'residential-manager' ? { settingIds: actor.settingIds } : null;
}

/** A residential manager who asks for another home's list is refused, not answered with an empty page. */
export function assertMayListSetting(actor: AuthenticatedActor, settingId: string | undefined): void {
  if (settingId !== undefined && actor.role === 'residential-manager' && !actor.settingIds.includes(settingId))
    throw new ForbiddenException('A residential manager may only list the homes they keep');
}
