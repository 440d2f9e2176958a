import { ForbiddenException, Inject, Injectable, type Type } from '@nestjs/common';
import type { MessageEvent } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { londonDateOf } from '@placement/domain';
import type { Clock } from '@placement/event-store';
import { QueryBus } from '@nestjs/cqrs';
import type { CapacityView, ChildAudit, SufficiencyTrends, UtilisationReport } from '@placement/projections';
import {
  BoardRefusal,
  type AccessLogPage,
  type Body,
  type BoardPort,
  type BoardRequest,
  type CommandOutcome,
  type HomePage,
  type MatchesPage,
  type VerifyPage,
} from '@placement/web';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { AccessController } from '../access/access.controller';
import { AlertsController } from '../alerts/alerts.controller';
import { AuditController } from '../audit/audit.controller';
import { HoldBedRoute } from '../beds/hold-bed';
import { PutBedBackInUseRoute } from '../beds/put-bed-back-in-use';
import { TakeBedOutOfUseRoute } from '../beds/take-bed-out-of-use';
import { ROLES_KEY, type Role } from '../auth/roles';
import type { AuthenticatedActor } from '../auth/token-registry';
import type { CommandSender } from '../commands/command';
import { DiariesController } from '../diaries/diaries.controller';
import { ExportsController } from '../exports/exports.controller';
import { ID_PATTERN } from '../http/dto-rules';
import { MAX_PAGE_SIZE } from '../http/pagination';
import { problemOf } from '../http/problem-details.filter';
import { createValidationPipe, RequestValidationException } from '../http/validation';
import { MatchesController } from '../matching/matches.controller';
import { MAX_PAGE_LIMIT } from '../matching/matches.dto';
import { StartPlacementRoute } from '../placements/start-placement';
import { ProjectionsController } from '../projections/projections.controller';
import { CapacityQueryDto } from '../projections/capacity-query.dto';
import { GetCapacityQuery } from '../projections/projections.queries';
import { RecordMatchingMeetingRoute } from '../referrals/record-matching-meeting';
import { ReferralsController } from '../referrals/referrals.controller';
import { SettingsController } from '../settings/settings.controller';
import { CompleteStepDownRoute } from '../step-downs/complete-step-down';
import { ListStepDownsRoute } from '../step-downs/list-step-downs';
import { PlanStepDownRoute } from '../step-downs/plan-step-down';
import { RecordStepDownMilestoneRoute } from '../step-downs/record-step-down-milestone';
import { CLOCK } from '../store/store.module';

/** `?minPosition=` of the person's latest write: a read model answers once it has applied it. */
function seen(req: BoardRequest): { minPosition?: string } {
  return req.minPosition === undefined ? {} : { minPosition: req.minPosition };
}

/** A controller's route handlers by name. */
type RouteOf<C> = { [K in keyof C]: C[K] extends (...args: never[]) => unknown ? K : never }[keyof C] & string;
/** What a route handler answers, once awaited. */
type Answer<C, M extends keyof C> = C[M] extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * What the board hands a route for its parameter of type `P`: an id as a string; the sender's
 * placeholder for a `@Sender()`; the page's request for a `@Req()` and its signed-in person for a
 * `@CurrentActor()` (`route` refuses a request without one); the dropped response for a `@Res()`;
 * else the request's DTO before validation, by its own fields.
 */
type BoardArg<P> = [P] extends [string]
  ? string
  : [P] extends [CommandSender]
    ? typeof SENDER
    : [P] extends [Response]
      ? Response
      : [P] extends [Request]
        ? BoardRequest
        : [P] extends [AuthenticatedActor]
          ? BoardRequest['actor']
          : { readonly [K in keyof P]?: unknown };
/** A route handler's arguments as the board hands them, one for each of its parameters, in order. */
type BoardArgs<C, M extends keyof C> = C[M] extends (...params: infer P) => unknown
  ? { [I in keyof P]: BoardArg<P[I]> }
  : never;

/** Built-in types a route parameter may have that are not request DTOs. */
const NOT_DTOS: readonly unknown[] = [String, Number, Boolean, Object, Array, Promise];

/** Headers a route sets on its response (Link, Cache-Control) mean nothing to a page: dropped. */
const NO_RESPONSE = { setHeader: () => undefined } as unknown as Response;

/**
 * Where a command route takes its `@Sender()`: `route` puts the signed-in actor there, with no
 * request headers (a page's form is not an API request; its command id is the route's natural key).
 */
const SENDER = Symbol('the command sender');

/**
 * The board's port, answered by the API's own route handlers: each call goes through the same
 * role check the bearer guard makes (the route's `@Roles`), the same validation pipe on the
 * same DTO classes, and then the route's handler itself — the same command through `Commands`
 * (ID_IN_USE and all), the same need-to-know rule and access-log entry (recording the page's
 * route), the same query. A page can do nothing its route would refuse, and no rule lives twice.
 */
@Injectable()
export class BoardAdapter implements BoardPort {
  private readonly pipe = createValidationPipe();

  constructor(
    private readonly modules: ModuleRef,
    private readonly reflector: Reflector,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The capacity query itself, with its arguments spelled out (a night, read-your-writes): the
   * whole estate, whatever the route's paging defaults. Any signed-in role reads it, as the route.
   */
  async capacity(req: BoardRequest, on?: string): Promise<CapacityView> {
    const q = (await this.validated(req, CapacityQueryDto, { ...(on === undefined ? {} : { on }), ...seen(req) })) as {
      on?: string;
      minPosition?: string;
    };
    return this.queries.execute(new GetCapacityQuery(q.minPosition, q.on));
  }

  capacityStream(): Observable<MessageEvent> {
    return this.controller(ProjectionsController).capacityStream();
  }

  referrals(req: BoardRequest, filter: { status?: string; cursor?: string }) {
    return this.route(req, ReferralsController, 'list', [{ ...filter, ...seen(req) }, req.actor, req, NO_RESPONSE]);
  }

  referral(req: BoardRequest, referralId: string) {
    return this.route(req, ReferralsController, 'get', [this.id('id', referralId), req]);
  }

  /** The page shows every unit, ranked or excluded: the full list, its pages followed to the end. */
  async matches(req: BoardRequest, referralId: string): Promise<MatchesPage> {
    const id = this.id('id', referralId);
    const query = { detail: 'full', limit: MAX_PAGE_LIMIT };
    let page = await this.route(req, MatchesController, 'matches', [id, query, req, NO_RESPONSE]);
    const ranked = [...page.ranked];
    const excluded = [...page.excluded];
    while (page.next !== null) {
      const cursor = new URLSearchParams(page.next.slice(page.next.indexOf('?') + 1)).get('cursor');
      page = await this.route(req, MatchesController, 'matches', [id, { ...query, cursor }, req, NO_RESPONSE]);
      ranked.push(...page.ranked);
      excluded.push(...page.excluded);
    }
    return { ...page, ranked, excluded };
  }

  hold(req: BoardRequest, referralId: string, body: Body): Promise<CommandOutcome> {
    return this.route(req, HoldBedRoute, 'hold', [this.id('id', referralId), body, SENDER]);
  }

  recordMeeting(req: BoardRequest, referralId: string, body: Body): Promise<CommandOutcome> {
    return this.route(req, RecordMatchingMeetingRoute, 'meeting', [this.id('id', referralId), body, SENDER]);
  }

  place(req: BoardRequest, body: Body): Promise<CommandOutcome> {
    return this.route(req, StartPlacementRoute, 'start', [body, SENDER]);
  }

  homes(req: BoardRequest) {
    return this.route(req, SettingsController, 'list', [{ limit: 200, ...seen(req) }, req.actor, req, NO_RESPONSE]);
  }

  home(req: BoardRequest, settingId: string): Promise<HomePage> {
    return this.route(req, SettingsController, 'get', [this.id('id', settingId), req.actor]);
  }

  settingDiary(req: BoardRequest, settingId: string, from: string, to: string) {
    return this.route(req, DiariesController, 'setting', [this.id('id', settingId), { from, to }, req.actor]);
  }

  outOfUse(req: BoardRequest, settingId: string, bedId: string, body: Body): Promise<CommandOutcome> {
    return this.route(req, TakeBedOutOfUseRoute, 'outOfUse', this.bedCommand(settingId, bedId, body));
  }

  backInUse(req: BoardRequest, settingId: string, bedId: string, body: Body): Promise<CommandOutcome> {
    return this.route(req, PutBedBackInUseRoute, 'backInUse', this.bedCommand(settingId, bedId, body));
  }

  stepDowns(req: BoardRequest, filter: { status?: string }) {
    return this.route(req, ListStepDownsRoute, 'stepDowns', [
      { ...filter, limit: 200, ...seen(req) },
      req.actor,
      req,
      NO_RESPONSE,
    ]);
  }

  planStepDown(req: BoardRequest, body: Body): Promise<CommandOutcome> {
    return this.route(req, PlanStepDownRoute, 'plan', [body, SENDER]);
  }

  recordMilestone(req: BoardRequest, stepDownId: string, body: Body): Promise<CommandOutcome> {
    return this.route(req, RecordStepDownMilestoneRoute, 'milestone', [this.id('id', stepDownId), body, SENDER]);
  }

  completeStepDown(req: BoardRequest, stepDownId: string, body: Body): Promise<CommandOutcome> {
    return this.route(req, CompleteStepDownRoute, 'complete', [this.id('id', stepDownId), body, SENDER]);
  }

  alerts(req: BoardRequest, cursor?: string) {
    const query = { limit: MAX_PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }), ...seen(req) };
    return this.route(req, AlertsController, 'list', [query, req.actor, req, NO_RESPONSE]);
  }

  childTimeline(req: BoardRequest, childId: string, asOf: string | undefined): Promise<ChildAudit> {
    const query = asOf === undefined ? {} : { asOf };
    return this.route(req, AuditController, 'child', [this.id('childId', childId), query, req]);
  }

  verify(req: BoardRequest): Promise<VerifyPage> {
    return this.route(req, AuditController, 'verify', [{}]);
  }

  accessLog(req: BoardRequest, query: { childId?: string; cursor?: string }): Promise<AccessLogPage> {
    return this.route(req, AccessController, 'list', [query, req, NO_RESPONSE]);
  }

  async ssda903Episodes(req: BoardRequest, year: string): Promise<{ filename: string; csv: string }> {
    const csv = await this.route(req, ExportsController, 'episodes', [{ year }, req, NO_RESPONSE]);
    return { filename: `ssda903-${year}-episodes.csv`, csv };
  }

  utilisation(req: BoardRequest, from: string, to: string): Promise<UtilisationReport> {
    return this.route(req, ProjectionsController, 'utilisation', [{ from, to, ...seen(req) }]);
  }

  trends(req: BoardRequest, months: number): Promise<SufficiencyTrends> {
    return this.route(req, ProjectionsController, 'trends', [{ months: String(months), ...seen(req) }]);
  }

  today(): string {
    return londonDateOf(this.clock.now());
  }

  now(): Date {
    return this.clock.now();
  }

  private controller<T>(type: Type<T>): T {
    return this.modules.get(type, { strict: false });
  }

  /** A bed command route's arguments: the setting's and the bed's ids, checked, the form's body and the sender. */
  private bedCommand(settingId: string, bedId: string, body: Body): [string, string, Body, typeof SENDER] {
    return [this.id('id', settingId), this.id('bedId', bedId), body, SENDER];
  }

  /** A route id, checked as the route's IdParam checks it. */
  private id(name: string, value: string): string {
    if (!ID_PATTERN.test(value))
      throw new BoardRefusal(
        problemOf(
          new RequestValidationException([
            { field: name, rule: 'matches', message: `${name} must be 1–64 letters, digits, _ or -` },
          ]),
        ),
      );
    return value;
  }

  /** A query's arguments checked by the route's DTO: a refusal names the field and the rule, as the route's would. */
  private async validated(req: BoardRequest, dto: Type<unknown>, query: Record<string, unknown>): Promise<unknown> {
    try {
      if (!req.actor) throw new ForbiddenException('No authenticated actor');
      return await this.pipe.transform(query, { type: 'query', metatype: dto });
    } catch (error) {
      throw new BoardRefusal(problemOf(error));
    }
  }

  /** Calls a route's handler as the HTTP pipeline would: role check, validation of its DTOs, the handler. */
  private async route<C, M extends RouteOf<C>>(
    req: BoardRequest,
    type: Type<C>,
    method: M,
    args: BoardArgs<C, M>,
  ): Promise<Answer<C, M>> {
    const controller = this.controller(type);
    const handler = controller[method] as (...a: unknown[]) => Promise<Answer<C, M>> | Answer<C, M>;
    try {
      const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [handler, type]);
      const actor = req.actor;
      if (!actor) throw new ForbiddenException('No authenticated actor');
      if (roles && !roles.includes(actor.role)) throw new ForbiddenException(`The ${actor.role} role may not do this`);
      const types = (Reflect.getMetadata('design:paramtypes', type.prototype as object, method) ?? []) as unknown[];
      const sender: CommandSender = { actor, meta: {} };
      const validated = await Promise.all(
        (args as readonly unknown[]).map((arg, i) => {
          if (arg === SENDER) return sender;
          const metatype = types[i];
          if (typeof metatype !== 'function' || NOT_DTOS.includes(metatype) || typeof arg !== 'object' || arg === null)
            return arg;
          if (arg === req || arg === req.actor || arg === NO_RESPONSE) return arg;
          return this.pipe.transform(arg, { type: 'body', metatype: metatype as Type<unknown> });
        }),
      );
      return await handler.apply(controller, validated);
    } catch (error) {
      const problem = problemOf(error);
      // An unexpected error stays itself: the page logs its type and shows no detail.
      if (problem.status >= 500 && problem.status !== 503) throw error;
      throw new BoardRefusal(problem);
    }
  }
}
