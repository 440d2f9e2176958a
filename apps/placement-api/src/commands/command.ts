import { createHash, randomUUID } from 'node:crypto';
import { createParamDecorator, ExecutionContext, Global, Inject, Injectable, Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { currentSchemaVersion, upcast } from '@placement/domain';
import type {
  Clock,
  CommandDigest,
  EventMetadataInput,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
} from '@placement/event-store';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { actorOf } from '../auth/current-actor';
import type { AuthenticatedActor } from '../auth/token-registry';
import { UnitDirectory } from '../directory/unit-directory';
import { documentCommandParameter } from '../http/openapi';
import { RequestValidationException } from '../http/validation';
import { requestIdOf } from '../logging/logger';
import { CLOCK, EVENT_STORE } from '../store/store.module';

/*
 * What every command passes through, from its route to the rows it appends: the request's
 * headers, who asked and the command's id (its context), the request's digest, the id check
 * before the handler runs, the events as the store takes them, a stream loaded for a decision,
 * and the route's answer. A single-stream command is decided by `handle` (handle.ts); one
 * that writes several streams by the flow runner (flow-runner.ts).
 */

// --- The request's headers ---

export interface RequestMeta {
  idempotencyKey?: string;
  correlationId?: string;
}

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
/** What `X-Correlation-Id` may hold (the same shape as an `Idempotency-Key`). */
export const CORRELATION_ID_PATTERN = KEY_PATTERN;

function header(req: AuthenticatedRequest, name: string): string | undefined {
  const value = req.header(name);
  if (value === undefined) return undefined;
  if (!KEY_PATTERN.test(value)) {
    throw new RequestValidationException([
      { field: name, rule: 'matches', message: `${name} must be 1–128 letters, digits, _ . : or -` },
    ]);
  }
  return value;
}

/**
 * The Idempotency-Key and X-Correlation-Id headers; a malformed one is a 400, not ignored.
 * Without X-Correlation-Id the command is correlated by the request id, so its events and
 * its log lines name the same id.
 */
function requestMetaOf(req: AuthenticatedRequest): RequestMeta {
  return {
    idempotencyKey: header(req, 'Idempotency-Key'),
    correlationId: header(req, 'X-Correlation-Id') ?? requestIdOf(req),
  };
}

// --- Who asked, and the command's id ---

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
   * The request's digest (see `commandDigest`), recorded on every event the command writes so
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
  // Version 5 and the RFC 9562 variant bits, so the id reads as a UUID.
  const variant = ((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

// --- The request's digest ---

/** Hex characters kept of each leaf's SHA-256: 64 bits, so two different values never pass for one. */
const HASH_CHARS = 16;

/**
 * The digest of a command as the API received it — the validated body with the route's
 * parameters, never who sent it or when: each leaf field's path (`unit.bedId`,
 * `milestones[0].kind`) → a short SHA-256 of the command id, the path and the value. Every
 * event the command writes carries it in its metadata, so the same command id sent again can
 * be told from the same id reused for another request, and the first field that differs can
 * be named without copying a value into the metadata.
 *
 * It is not encryption: a value with few possibilities (a date) can be found from its hash by
 * trial, as it can be read from the event's data anyway. The command id in the hash keeps
 * equal values in different commands from looking alike. An absent field and `null` are the
 * same (the handlers treat them so); an empty list or object is a leaf of its own.
 */
export function commandDigest(commandId: string, command: unknown): CommandDigest {
  const digest: Record<string, string> = {};
  const leaf = (path: string, value: unknown) => {
    digest[path] = createHash('sha256')
      .update(`${commandId}\u0000${path}\u0000${JSON.stringify(value)}`)
      .digest('hex')
      .slice(0, HASH_CHARS);
  };
  const walk = (value: unknown, path: string): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      if (value.length === 0) leaf(path, []);
      value.forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    if (typeof value === 'object') {
      const entries = Object.entries(value).filter(([, v]) => v !== null && v !== undefined);
      if (entries.length === 0) leaf(path, {});
      for (const [key, v] of entries) walk(v, path === '' ? key : `${path}.${key}`);
      return;
    }
    leaf(path, value);
  };
  walk(command, '');
  return digest;
}

/**
 * The first field whose value differs between a recorded digest and a new one, in the order
 * the new request gives its fields (then any field only the recorded one has); null when the
 * two are the same request.
 */
export function firstDifference(recorded: CommandDigest, sent: CommandDigest): string | null {
  for (const [path, hash] of Object.entries(sent)) if (recorded[path] !== hash) return path;
  for (const path of Object.keys(recorded)) if (!(path in sent)) return path;
  return null;
}

// --- The command on the bus ---

/**
 * Every command on the bus carries its body (the validated request with its route
 * parameters) and who asked, with the id that makes retries idempotent and the request's
 * digest that tells a retry from a reused id.
 */
export abstract class CommandOnBus<TBody> {
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

// --- A client-supplied id that already stands for something else ---

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

// --- Ids that name one thing across streams ---

/*
 * Client-chosen ids that name one thing across streams: a placement id is one child's
 * placement, a step-down id one child's step-down, a meeting id one referral's meeting. The
 * streams keyed by them cannot see each other, so the directory (fed from $all, caught up
 * first) answers whose they are. Reused under the same command id, the request digest already
 * names the field; these catch reuse under another command id (another Idempotency-Key).
 */

export async function assertPlacementIdIsFor(
  directory: UnitDirectory,
  placementId: string,
  childId: string,
  field: string,
): Promise<void> {
  await directory.caughtUp();
  const entry = directory.placement(placementId);
  if (entry !== undefined && entry.childId !== childId) {
    throw new IdInUseError(placementId, field, `placement ${placementId} is another child's placement`);
  }
}

export async function assertStepDownIdIsFor(
  directory: UnitDirectory,
  stepDownId: string,
  childId: string,
): Promise<void> {
  await directory.caughtUp();
  const owner = directory.childOfStepDown(stepDownId);
  if (owner !== undefined && owner !== childId) {
    throw new IdInUseError(stepDownId, 'childId', `step-down ${stepDownId} is another child's step-down`);
  }
}

export async function assertMeetingIdIsFor(
  directory: UnitDirectory,
  meetingId: string,
  referralId: string,
): Promise<void> {
  await directory.caughtUp();
  const owner = directory.referralOfMeeting(meetingId);
  if (owner !== undefined && owner !== referralId) {
    throw new IdInUseError(meetingId, 'referralId', `meeting ${meetingId} was recorded for another referral`);
  }
}

// --- Sending a command ---

/**
 * How a controller sends a command: before the handler runs, the command's id is looked up in
 * the log — a command may have written first to a stream this request would not touch (a bed
 * other than the one now named, another child's record, another resource under a reused
 * Idempotency-Key) — and a different request under a used id is refused `ID_IN_USE` before any
 * rule is checked or any unit taken. The lookup waits until the directory has seen the log's
 * head. Each handler's `handle()` checks again on the streams it writes.
 */
@Injectable()
export class Commands {
  constructor(
    private readonly bus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
  ) {}

  async execute<R>(command: CommandOnBus<unknown>): Promise<R> {
    await this.assertIdMeansThisRequest(command);
    return this.bus.execute<CommandOnBus<unknown>, R>(command);
  }

  private async assertIdMeansThisRequest({ ctx }: CommandOnBus<unknown>): Promise<void> {
    if (ctx.digest === undefined) return;
    await this.directory.caughtUp();
    const streamId = this.directory.streamOfCommand(ctx.commandId);
    if (streamId === undefined) return;
    assertSameRequest(await this.store.readStream(streamId), ctx);
  }
}

@Global()
@Module({ providers: [Commands], exports: [Commands] })
export class CommandsModule {}

// --- A command's route ---

/** Who sent a command's request, and its headers: the route's part of the command's context. */
export interface CommandSender {
  readonly actor: AuthenticatedActor;
  readonly meta: RequestMeta;
}

/**
 * A command route's parameter for who sent the request and its headers: the actor as
 * `@CurrentActor()` gives it and the headers as `requestMetaOf` reads them (a malformed one
 * is a 400), documented in the OpenAPI document as a command's headers.
 */
export const Sender = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): CommandSender => {
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    return { actor: actorOf(req), meta: requestMetaOf(req) };
  },
  [documentCommandParameter],
);

/**
 * What a command's route needs: `Commands`, to send the command (after the id check), and the
 * clock its context is dated by. Each command's route extends it and sends its command with
 * `send` (see docs/architecture.md):
 *
 *     hold(@IdParam('id') referralId: string, @Body() body: HoldBedDto, @Sender() sender: CommandSender) {
 *       return this.send(HoldBedCommand, { ...body, referralId }, sender, `hold:${referralId}:…`);
 *     }
 */
export abstract class CommandRoute {
  constructor(
    protected readonly commands: Commands,
    @Inject(CLOCK) protected readonly clock: Clock,
  ) {}

  /**
   * Sends the command of type `Command` with `body` (the validated request with the route's
   * parameters), in the context of `sender`'s request; `naturalKey` is its command id when no
   * Idempotency-Key is given (see `commandContext`).
   */
  protected send<B, R = CommandResult>(
    Command: new (body: B, ctx: CommandContext) => CommandOnBus<B>,
    body: B,
    sender: CommandSender,
    naturalKey: string,
  ): Promise<R> {
    return this.commands.execute<R>(new Command(body, contextFor(sender.actor, sender.meta, naturalKey, this.clock)));
  }
}

// --- A stream loaded for a decision, and the events a command appends ---

export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

export interface StreamDecider<C, E extends DomainEvent, S> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  initialState: S;
}

export interface LoadedStream<E extends DomainEvent, S> {
  state: S;
  recorded: RecordedEvent[];
  expectedRevision: ExpectedRevision;
  events: E[];
}

export async function loadStream<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: StreamDecider<C, E, S>,
  streamId: string,
): Promise<LoadedStream<E, S>> {
  const recorded = await store.readStream(streamId);
  // Every stored event is read in its current shape: events written by earlier builds still load.
  const events = recorded.map((r) => upcast<E>(r));
  const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState);
  const last = recorded[recorded.length - 1];
  return { state, recorded, events, expectedRevision: last ? last.revision : 'no_stream' };
}

/**
 * A command decided on a stale read is decided again, by `handle` or the flow runner; a run of
 * lost races this long is a conflict.
 */
export const MAX_ATTEMPTS = 8;

export interface DecisionOutcome<E> {
  /** The events this command wrote, or, on a retry, the events its first attempt wrote. */
  events: E[];
  /** True when the command had already been handled: nothing new was written. */
  replayed: boolean;
  position: bigint;
}

/** Whether this command (its id) already wrote to the loaded stream. */
export function recordedHere(loaded: { recorded: readonly RecordedEvent[] }, ctx: CommandContext): boolean {
  return loaded.recorded.some((r) => r.metadata.commandId === ctx.commandId);
}

/**
 * Events as the store takes them: ids derived from `idBase` (the command id, or the command id
 * and the revision for a second write to one stream), this build's schema version of each type,
 * and the command's metadata.
 */
export function toAppend(
  events: readonly DomainEvent[],
  streamId: string,
  ctx: CommandContext,
  idBase: string = ctx.commandId,
  effectiveAt?: string,
): EventToAppend[] {
  return events.map((e, i) => ({
    id: deterministicEventId(idBase, streamId, i),
    type: e.type,
    schemaVersion: currentSchemaVersion(e.type),
    data: e.data,
    metadata: metadataFor(ctx, ctx.commandId, effectiveAt),
  }));
}

// --- The route's answer ---

/** What a command route answers: the resource id, the events written and where. */
export interface CommandResult {
  id: string;
  events: string[];
  /** Global position of the last event written, for read-your-writes on projections. */
  position: string;
  /** True when this was a retry of a command already handled: nothing new was written. */
  replayed: boolean;
}

export function commandResult(id: string, ...outcomes: DecisionOutcome<DomainEvent>[]): CommandResult {
  const position = outcomes.reduce((max, o) => (o.position > max ? o.position : max), -1n);
  return {
    id,
    events: outcomes.flatMap((o) => o.events.map((e) => e.type)),
    position: position.toString(),
    replayed: outcomes.length > 0 && outcomes.every((o) => o.replayed),
  };
}
