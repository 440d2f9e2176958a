import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Clock } from '@placement/event-store';
import type { Response } from 'express';
import { ChildRecordAccess } from '../access/child-record-access';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { Roles } from '../auth/roles';
import { Commands, contextFor, Sender, type CommandSender } from '../commands/command';
import { IdParam } from '../http/id-param';
import { CLOCK } from '../store/store.module';
import { DEFAULT_MATCHES_LIMIT, MatchesQueryDto, ProposeMatchesDto } from './matches.dto';
import { GetMatchesQuery, MatchesAnswer, MatchesView, ProposalResult, ProposeMatchesCommand } from './matches.handlers';
import { Pager } from '../http/pagination';
import { RequestValidationException } from '../http/validation';
import { ApiCommand, ApiRead } from '../http/openapi';

/**
 * Matching reads (DESIGN §7 `GET /v1/referrals/:id/matches`) never write: a GET that
 * appended to the record would surprise a client, a cache and an auditor alike. What the
 * team decides from is recorded by `POST .../matches/proposals` as `MatchesProposed`.
 */
@ApiTags('matching')
@ApiBearerAuth()
@Controller('v1/referrals/:id/matches')
export class MatchesController {
  constructor(
    private readonly commands: Commands,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: ChildRecordAccess,
  ) {}

  @Get()
  @ApiRead('Rank the beds that could take the referred child, with the reasons', 'MatchesBody', {
    422: ['REFERRAL_NOT_OPEN'],
  })
  @Roles('placement-officer', 'residential-manager', 'admin', 'auditor')
  async matches(
    @IdParam('id') referralId: string,
    @Query() query: MatchesQueryDto,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MatchesView> {
    // The reasons a unit is excluded are the child's needs and risks: need to know, and the access log.
    await this.access.assertMayReadReferral(req, referralId);
    const { detail = 'summary', kind, route, include, until } = query;
    // A cursor is [the list's inputs hash, the offset of its page], for this referral and view only.
    const pager = Pager.of(
      req,
      `matches:${referralId}`,
      { detail, kind, route, include, until },
      { limit: query.limit ?? DEFAULT_MATCHES_LIMIT, cursor: query.cursor },
      ['string', 'number'],
    );
    const after = pager.request.after;
    const start = after === null ? null : { inputsHash: String(after[0]), offset: Number(after[1]) };
    if (start !== null && start.offset < 0)
      throw new RequestValidationException([
        { field: 'cursor', rule: 'isCursor', message: 'cursor must be a cursor this list returned' },
      ]);
    const answer: MatchesAnswer = await this.queries.execute(new GetMatchesQuery(referralId, query, start));
    this.access.recordRead(req, [await this.access.childOfReferral(referralId)]);
    const nextAfter = answer.nextOffset === null ? null : [answer.view.inputsHash, answer.nextOffset];
    return { ...answer.view, next: pager.next(res, nextAfter) };
  }

  @Post('proposals')
  @ApiCommand(
    'Propose matches for a referral to a matching meeting',
    {
      // MatchingError's codes (matches.handlers.ts) are not in the domain's catalogue of codes.
      409: ['MATCH_INPUTS_CHANGED'],
      422: ['REFERRAL_NOT_OPEN', 'PROPOSAL_TOO_LARGE'],
    },
    'proposeMatches',
  )
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  propose(
    @IdParam('id') referralId: string,
    @Body() body: ProposeMatchesDto,
    @Sender() sender: CommandSender,
  ): Promise<ProposalResult> {
    return this.commands.execute(
      new ProposeMatchesCommand(
        { ...body, referralId },
        contextFor(sender.actor, sender.meta, `matches:${referralId}`, this.clock),
      ),
    );
  }
}
