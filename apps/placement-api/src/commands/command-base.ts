import type { AuthenticatedActor } from '../auth/token-registry';
import type { Clock } from '@placement/event-store';
import { commandContext, CommandContext } from './command-context';
import type { RequestMeta } from './request-context';

/** Every command on the bus carries its body and who asked, with the id that makes retries idempotent. */
export abstract class ApiCommand<TBody> {
  constructor(
    readonly body: TBody,
    readonly ctx: CommandContext,
  ) {}
}

export function contextFor(
  actor: AuthenticatedActor,
  meta: RequestMeta,
  naturalKey: string,
  clock: Clock,
): CommandContext {
  return commandContext({
    actor,
    idempotencyKey: meta.idempotencyKey,
    correlationId: meta.correlationId,
    naturalKey,
    now: clock.now(),
  });
}
