import { ForbiddenException, Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { DomainError } from '@placement/domain';
import type { Clock, EventStore } from '@placement/event-store';
import { isChildKnownToHomes, readReferralChild } from '@placement/projections';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import type { AuthenticatedActor } from '../auth/token-registry';
import { routeOf } from '../logging/logger';
import { ProjectionsService } from '../projections/projections.service';
import { requireReferral } from '../referrals/referrals.handlers';
import { CLOCK, EVENT_STORE } from '../store/store.module';
import type { AccessLog, AccessOutcome } from './access-log';

export const ACCESS_LOG = Symbol('ACCESS_LOG');

/** The need-to-know read model; a manager's read waits for it to reach the log's head. */
const CHILD_HOMES = 'child-homes';

/**
 * Reads of a child's record go through here: the need-to-know rule first, then the access log.
 *
 * Need to know: placement officers, auditors and admins read every child; a residential manager
 * reads only the children who live, lived or were referred to the homes they keep (a bed held
 * there, a proposal ranking one of its beds, or a matching meeting that considered it: the
 * child-homes read model). Outside that, the answer is 404, worded the same whether or not the
 * child exists, so a refusal never confirms that a child is known to the authority.
 *
 * The access log: a read is recorded (who, role, when, route, child) before the record is
 * returned; if it cannot be recorded the record is not returned (503). A need-to-know refusal
 * is recorded too, as `refused`.
 */
@Injectable()
export class ChildRecordAccess {
  private readonly logger = new Logger('AccessLog');

  constructor(
    @Inject(ACCESS_LOG) private readonly log: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  /** Throws 404 for a residential manager when the child is not known to the homes they keep. */
  async assertMayReadChild(req: AuthenticatedRequest, childId: string): Promise<void> {
    const actor = actorOf(req);
    if (actor.role !== 'residential-manager') return;
    await this.needToKnowCaughtUp();
    if (isChildKnownToHomes(this.projections.readModels, childId, actor.settingIds)) return;
    this.record(req, [childId], 'refused');
    throw new DomainError('NOT_FOUND', `child ${childId} is not among the children of the homes you keep`);
  }

  /** The same rule for a referral: a residential manager reads it only when its child is theirs to know. */
  async assertMayReadReferral(req: AuthenticatedRequest, referralId: string): Promise<void> {
    const actor = actorOf(req);
    if (actor.role !== 'residential-manager') return;
    await this.needToKnowCaughtUp();
    const childId = readReferralChild(this.projections.readModels, referralId);
    if (childId !== null && isChildKnownToHomes(this.projections.readModels, childId, actor.settingIds)) return;
    if (childId !== null) this.record(req, [childId], 'refused');
    throw new DomainError(
      'NOT_FOUND',
      `referral ${referralId} is not among the referrals of the children of the homes you keep`,
    );
  }

  /** Records that the caller read these children's records; throws 503 (nothing shown) if the log cannot be written. */
  recordRead(req: AuthenticatedRequest, childIds: readonly string[]): void {
    this.record(req, childIds, 'read');
  }

  /** The child a referral is for, from the log (a referral's child never changes). */
  async childOfReferral(referralId: string): Promise<string> {
    return (await requireReferral(this.store, referralId)).referral.childId;
  }

  private record(req: AuthenticatedRequest, childIds: readonly string[], outcome: AccessOutcome): void {
    const actor = actorOf(req);
    const route = `${req.method} ${routeOf(req)}`;
    try {
      this.log.append(
        childIds.map((childId) => ({ actorId: actor.id, role: actor.role, route, childId, outcome })),
        this.clock.now(),
      );
    } catch (error) {
      // The error's name only: its message could quote an entry.
      this.logger.error({ msg: 'access log not written', error: error instanceof Error ? error.name : typeof error });
      throw new ServiceUnavailableException(
        "The access log could not be written, so the child's record is not shown; retry shortly.",
      );
    }
  }

  private async needToKnowCaughtUp(): Promise<void> {
    // Everything recorded before this read (a hold, a placement) counts: wait for the read model to reach it.
    await this.projections.readyPosition(CHILD_HOMES, (await this.store.headPosition()).toString());
  }
}

function actorOf(req: AuthenticatedRequest): AuthenticatedActor {
  if (!req.actor) throw new ForbiddenException('No authenticated actor');
  return req.actor;
}
