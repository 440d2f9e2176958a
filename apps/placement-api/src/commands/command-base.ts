import type { AuthenticatedActor } from '../auth/token-registry';
import type { Clock } from '@placement/event-store';
import { commandContext, CommandContext } from './command-context';
import { commandDigest } from './command-digest';
import type { RequestMeta } from './request-context';

/**
 * Every command on the bus carries its body (the validated request with its route
 * parameters) and who asked, with the id that makes retries idempotent and the request's
 * digest that tells a retry from a reused id.
 */
export abstract class ApiCommand<TBody> {
  readonly ctx: CommandContext;

  constructor(
    readonly body: TBody,
    ctx: CommandContext,
  ) {
    this.ctx = ctx.digest ? ctx : { ...ctx, digest: commandDigest(ctx.commandId, body) };
  }
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
