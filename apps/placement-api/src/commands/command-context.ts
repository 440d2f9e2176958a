import { createHash, randomUUID } from 'node:crypto';
import type { CommandDigest, EventMetadataInput } from '@placement/event-store';
import type { AuthenticatedActor } from '../auth/token-registry';

/**
 * Who asked for a command, and the id that makes a retry of it idempotent: the client's
 * Idempotency-Key when given, otherwise derived from the client-supplied resource id.
 */
export interface CommandContext {
  readonly commandId: string;
  /** The id as the client knows it, for answers: the Idempotency-Key, else the ids in the natural key. */
  readonly clientId: string;
  readonly correlationId: string;
  /** A person's actor id and role, or the system's own (the reconciler). */
  readonly actor: { readonly id: string; readonly role: string; readonly settingIds?: readonly string[] };
  /** ISO instant from the injected clock: the time the command was decided. */
  readonly at: string;
  /**
   * The request's digest (see command-digest.ts), recorded on every event the command writes so
   * a repeated command id is a replay only when it carries the same request. Absent for the
   * system's own commands (the reconciler), which no client can repeat.
   */
  readonly digest?: CommandDigest;
}

export function commandContext(input: {
  actor: AuthenticatedActor;
  idempotencyKey?: string;
  naturalKey: string;
  correlationId?: string;
  now: Date;
}): CommandContext {
  const commandId = input.idempotencyKey ? `key:${input.actor.id}:${input.idempotencyKey}` : input.naturalKey;
  return {
    commandId,
    clientId: input.idempotencyKey ?? input.naturalKey.slice(input.naturalKey.indexOf(':') + 1),
    correlationId: input.correlationId ?? randomUUID(),
    actor: input.actor,
    at: input.now.toISOString(),
  };
}

export function metadataFor(
  ctx: CommandContext,
  causationId: string = ctx.commandId,
  effectiveAt?: string,
): EventMetadataInput {
  return {
    commandId: ctx.commandId,
    correlationId: ctx.correlationId,
    causationId,
    actor: { id: ctx.actor.id, role: ctx.actor.role },
    ...(effectiveAt ? { effectiveAt } : {}),
    ...(ctx.digest ? { commandDigest: ctx.digest } : {}),
  };
}

/**
 * Event ids derive from the command id, the stream and the event's index, so two racing
 * retries of one command produce the same ids and the store writes them once.
 */
export function deterministicEventId(commandId: string, streamId: string, index: number): string {
  const h = createHash('sha256').update(`${commandId}\u0000${streamId}\u0000${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}
