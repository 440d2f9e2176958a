import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { referralDecider, referralStreamId, requireReferralOpen } from '@placement/domain';
import type { ExcludedOption, MatchOption, UnitRef } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { DEFAULT_MATCHING_POLICY } from '@placement/matching';
import type {
  Caution,
  ExclusionCode,
  IndexedMatchResult,
  MatchDetail,
  ProviderRoute,
  Reason,
  RankedUnit,
  ScorePart,
  UnitKind,
} from '@placement/matching';
import { CommandOnBus, commandDigest, commandResult, CommandResult } from '../commands/command';
import { decideOnStream } from '../commands/handle';
import { requireChild, requireReferral } from '../referrals/referrals.handlers';
import { EVENT_STORE } from '../store/store.module';
import { CapacityProjection, type CapacityIndex } from './capacity-projection';
import { DEFAULT_MATCHES_LIMIT, type MatchesQueryDto, type ProposeMatchesDto } from './matches.dto';
import { engineNeeds } from './placement-exclusions';

/** A full list larger than this is not written into one event; record the summary instead. */
export const MAX_RECORDED_UNITS = 5_000;

/** An error the problem filter maps by kind (conflict → 409, rule → 422). */
export class MatchingError extends Error {
  constructor(
    readonly code: 'MATCH_INPUTS_CHANGED' | 'PROPOSAL_TOO_LARGE',
    readonly kind: 'conflict' | 'rule',
    message: string,
  ) {
    super(message);
    this.name = 'MatchingError';
  }
}

export interface RankedView {
  rank: number;
  unitId: string;
  unit: UnitRef;
  settingId: string;
  kind: UnitKind;
  route: ProviderRoute;
  distanceKm: number | null;
  weeklyCostPence: number;
  score: ScorePart[];
  cautions: Caution[];
}

export interface ExcludedView {
  unitId: string;
  unit: UnitRef;
  settingId: string;
  kind: UnitKind;
  route: ProviderRoute;
  reasons: Reason[];
}

export interface MatchesView {
  referralId: string;
  engineVersion: string;
  /** SHA-256 of the needs, the capacity snapshot and the policy: the same inputs give the same hash and list. */
  inputsHash: string;
  /** The instant the capacity snapshot describes. */
  asAt: string;
  /** The last event log position the snapshot reflects. */
  position: string;
  detail: MatchDetail;
  /** Units in the estate; each is ranked or excluded. */
  units: number;
  rankedTotal: number;
  excludedTotal: number;
  /** Every excluded unit counted once, under its first reason. */
  excludedByReason: Partial<Record<ExclusionCode, number>>;
  /**
   * After the view's filters (`kind`, `route`, `include`); the totals above are the whole list's. A summary
   * holds the best `limit` ranked and no excluded; a full page holds `limit` units, the ranked before the excluded.
   */
  ranked: RankedView[];
  excluded: ExcludedView[];
  /** detail=full: the next page's URL (relative to this server, also in `Link`), or null on the last page. */
  next: string | null;
}

/** Where a full list's page starts: the list's inputs hash (the same inputs give the same list) and an offset. */
export interface MatchesPageStart {
  inputsHash: string;
  offset: number;
}

/** A page of the list, and the offset of the next one (null: this is the last). */
export interface MatchesAnswer {
  view: Omit<MatchesView, 'next'>;
  nextOffset: number | null;
}

export class GetMatchesQuery {
  constructor(
    readonly referralId: string,
    readonly query: MatchesQueryDto,
    readonly start: MatchesPageStart | null = null,
  ) {}
}

export class ProposeMatchesCommand extends CommandOnBus<ProposeMatchesDto & { referralId: string }> {}

interface Computed {
  result: IndexedMatchResult;
  capacity: CapacityIndex;
}

/** Runs the engine for a referral on the current capacity index. */
async function computeMatches(
  store: EventStore,
  projection: CapacityProjection,
  referralId: string,
  detail: MatchDetail,
  limit: number | undefined,
  until: string | undefined,
): Promise<Computed> {
  const state = await requireReferral(store, referralId);
  const childState = await requireChild(store, state.referral.childId);
  // Matches are for a referral still looking for a placement; once placed under, there is nothing to rank.
  const referral = requireReferralOpen(state, childState);
  const { child } = childState;
  // Units are read on the referral's start date and after it: availability from then on, and the residents then.
  // A start date already past is looked for from today: a match is offered for a placement still to be made.
  const today = projection.today();
  const capacity = await projection.current(referral.startDate < today ? today : referral.startDate);
  const needs = { ...engineNeeds(projection, referral, child), ...(until === undefined ? {} : { endDate: until }) };
  const result = capacity.index.match(needs, DEFAULT_MATCHING_POLICY, {
    detail,
    limit: detail === 'summary' ? limit : undefined,
  });
  return { result, capacity };
}

function unitRefOf(capacity: CapacityIndex, unitId: string): UnitRef {
  const ref = capacity.unitRefs.get(unitId);
  // Every unit id comes from the same snapshot as the map; a miss is a bug, not bad input.
  if (!ref) throw new Error('matching returned a unit the capacity snapshot does not name');
  return ref;
}

function rankedView(capacity: CapacityIndex, r: RankedUnit): RankedView {
  return {
    rank: r.rank,
    unitId: r.unitId,
    unit: unitRefOf(capacity, r.unitId),
    settingId: r.settingId,
    kind: r.kind,
    route: r.route,
    distanceKm: r.distanceKm,
    weeklyCostPence: r.weeklyCostPence,
    score: r.score,
    cautions: r.cautions,
  };
}

@QueryHandler(GetMatchesQuery)
export class GetMatchesHandler implements IQueryHandler<GetMatchesQuery, MatchesAnswer> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projection: CapacityProjection,
  ) {}

  async execute({ referralId, query, start }: GetMatchesQuery): Promise<MatchesAnswer> {
    const detail = query.detail ?? 'summary';
    const limit = query.limit ?? DEFAULT_MATCHES_LIMIT;
    const filtered = query.kind !== undefined || query.route !== undefined;
    // A filtered summary asks the engine for every ranked unit, so the filter cannot empty the top of the list.
    const engineLimit = filtered ? Number.MAX_SAFE_INTEGER : limit;
    const { result, capacity } = await computeMatches(
      this.store,
      this.projection,
      referralId,
      detail,
      engineLimit,
      query.until,
    );
    if (start !== null && start.inputsHash !== result.inputsHash) {
      // The pages before were cut from another list: a page of this one would skip or repeat units.
      throw new MatchingError(
        'MATCH_INPUTS_CHANGED',
        'conflict',
        'capacity or the referral changed since the first page; fetch the matches again without the cursor',
      );
    }
    const keep = (u: { kind: UnitKind; route: ProviderRoute }): boolean =>
      (query.kind === undefined || u.kind === query.kind) && (query.route === undefined || u.route === query.route);
    const include = query.include ?? 'all';
    const ranked = include === 'excluded' ? [] : result.ranked.filter(keep);
    const excluded = include === 'ranked' ? [] : result.excluded.filter(keep);
    // One list, the ranked then the excluded; a summary is its first `limit` ranked.
    const offset = start?.offset ?? 0;
    const end = offset + limit;
    const excludedFrom = Math.max(0, offset - ranked.length);
    const pageRanked = ranked.slice(offset, end);
    const pageExcluded =
      detail === 'summary' ? [] : excluded.slice(excludedFrom, excludedFrom + limit - pageRanked.length);
    return {
      view: {
        referralId,
        engineVersion: result.engineVersion,
        inputsHash: result.inputsHash,
        asAt: result.asAt,
        position: capacity.position.toString(),
        detail: result.detail,
        units: capacity.index.unitCount,
        rankedTotal: result.rankedTotal,
        excludedTotal: result.excludedTotal,
        excludedByReason: result.excludedByReason,
        ranked: pageRanked.map((r) => rankedView(capacity, r)),
        excluded: pageExcluded.map((e) => ({
          unitId: e.unitId,
          unit: unitRefOf(capacity, e.unitId),
          settingId: e.settingId,
          kind: e.kind,
          route: e.route,
          reasons: e.reasons,
        })),
      },
      nextOffset: detail === 'full' && end < ranked.length + excluded.length ? end : null,
    };
  }
}

export interface ProposalResult extends CommandResult {
  inputsHash: string;
  engineVersion: string;
  options: number;
  excluded: number;
}

/**
 * Records the list the team decides from as `MatchesProposed` on the referral stream: the
 * engine's version, the inputs hash, the ranked options and (in full detail) every excluded
 * unit with its reasons. The same inputs, detail and limit are recorded once (the command
 * id is derived from them), so a re-run after nothing changed writes nothing new.
 */
@CommandHandler(ProposeMatchesCommand)
export class ProposeMatchesHandler implements ICommandHandler<ProposeMatchesCommand, ProposalResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projection: CapacityProjection,
  ) {}

  async execute({ body, ctx }: ProposeMatchesCommand): Promise<ProposalResult> {
    const detail = body.detail ?? 'full';
    const { result, capacity } = await computeMatches(
      this.store,
      this.projection,
      body.referralId,
      detail,
      body.limit,
      body.until,
    );
    if (body.inputsHash !== undefined && body.inputsHash !== result.inputsHash) {
      throw new MatchingError(
        'MATCH_INPUTS_CHANGED',
        'conflict',
        'capacity or the referral changed since that list was computed; fetch the matches again',
      );
    }
    const ranked = body.limit === undefined ? result.ranked : result.ranked.slice(0, body.limit);
    if (ranked.length + result.excluded.length > MAX_RECORDED_UNITS) {
      throw new MatchingError(
        'PROPOSAL_TOO_LARGE',
        'rule',
        `a full list of ${ranked.length + result.excluded.length} units is too large to record; ` +
          'record detail=summary with a limit',
      );
    }
    const options: MatchOption[] = ranked.map((r) => ({
      rank: r.rank,
      unit: unitRefOf(capacity, r.unitId),
      score: standing(r.rank, result.rankedTotal),
      reasons: [
        ...r.score.map((p) => `${p.criterion}: ${p.explanation}`),
        ...r.cautions.map((c) => `${c.code}: ${c.message}`),
      ],
    }));
    const excluded: ExcludedOption[] = result.excluded.map((e) => ({
      unit: unitRefOf(capacity, e.unitId),
      reasons: e.reasons.map((r) => `${r.code}: ${r.message}`),
    }));
    const command = {
      type: 'ProposeMatches' as const,
      data: {
        referralId: body.referralId,
        engineVersion: result.engineVersion,
        inputsHash: result.inputsHash,
        options,
        excluded,
        at: ctx.at,
      },
    };
    // Keyed by what was computed, so a retry or an identical re-run is recorded once. The id
    // then holds the whole request but `inputsHash`, a precondition checked above: the digest
    // leaves it out, so a re-run that sends it is the same request as one that did not.
    const proposalCtx = ctx.commandId.startsWith('key:')
      ? ctx
      : {
          ...ctx,
          commandId: `${ctx.commandId}:${result.inputsHash}:${detail}:${body.limit ?? 'all'}`,
          digest: commandDigest(ctx.commandId, { referralId: body.referralId, detail, limit: body.limit }),
        };
    const outcome = await decideOnStream(
      this.store,
      referralDecider,
      referralStreamId(body.referralId),
      command,
      proposalCtx,
    );
    return {
      ...commandResult(body.referralId, outcome),
      inputsHash: result.inputsHash,
      engineVersion: result.engineVersion,
      options: options.length,
      excluded: excluded.length,
    };
  }
}

/**
 * The domain records one number per option. The engine orders by named criteria in turn
 * (recorded as the option's reasons), not by a weighted sum, so the number is the option's
 * standing: 1 for the best, falling evenly to 1/n for the last of n ranked units.
 */
export function standing(rank: number, rankedTotal: number): number {
  return Math.round(((rankedTotal - rank + 1) / rankedTotal) * 10_000) / 10_000;
}
