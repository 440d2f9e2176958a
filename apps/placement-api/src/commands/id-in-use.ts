import type { RecordedEvent } from '@placement/event-store';
import type { CommandContext } from './command-context';
import { firstDifference } from './command-digest';

/**
 * A client-supplied id already stands for something else: the same command id with another
 * request, or a resource id that belongs to another child, referral or step-down. Answered
 * `409` with code `ID_IN_USE`, the id and the first field that differs; nothing is written.
 * The message names fields, never values (they may be a child's data).
 */
export class IdInUseError extends Error {
  readonly code = 'ID_IN_USE';

  constructor(
    /** The id as the client sent it: the Idempotency-Key, or the resource id. */
    readonly id: string,
    /** The first field of the request that differs from what the id already stands for. */
    readonly field: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'IdInUseError';
  }
}

/**
 * Events recorded under this command's id must carry the same request. Events recorded before
 * requests were digested carry no digest: they are taken as the same request (a replay), as
 * they always were.
 */
export function assertSameRequest(recorded: readonly RecordedEvent[], ctx: CommandContext): void {
  if (ctx.digest === undefined) return;
  const earlier = recorded.find((r) => r.metadata.commandId === ctx.commandId && r.metadata.commandDigest);
  const digest = earlier?.metadata.commandDigest;
  if (digest === undefined) return;
  const field = firstDifference(digest, ctx.digest);
  if (field !== null) {
    throw new IdInUseError(
      ctx.clientId,
      field,
      `${ctx.clientId} was already used for a different request: ${field} differs. ` +
        'Send the first request again to get its answer, or use a new id.',
    );
  }
}
