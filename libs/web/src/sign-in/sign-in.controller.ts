import { Body, Controller, Get, Inject, Logger, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import type nunjucks from 'nunjucks';
import type { BoardRequest, Viewer, ViewerRole } from '../board.port';
import { renderPage } from '../pages/page';
import { VIEWS, WebExceptionFilter } from '../pages/web-exception.filter';
import { WEB_OPTIONS, type WebOptions } from '../web-options';
import { WebRoutes } from '../web-routes';
import { OidcSignIn, SignInRefused } from './oidc-sign-in';

/** Where each role starts its day. */
const HOME_OF: Record<ViewerRole, string> = {
  'placement-officer': '/referrals',
  'residential-manager': '/homes',
  auditor: '/audit',
  admin: '/',
};

const DEMO_DESCRIPTIONS: Record<ViewerRole, string> = {
  'placement-officer': 'Take referrals, hold beds, record matching meetings and place children',
  'residential-manager': 'Keep the beds of homes rmbc-ch-01 to rmbc-ch-04 and their step-downs',
  auditor: 'Read everything, including who read which record; change nothing',
  admin: 'Register homes, beds, foster households and block bookings',
};

function regenerate(req: BoardRequest): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
}

function save(req: BoardRequest): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
}

/**
 * Sign-in: the council's identity provider over OpenID Connect when configured; outside
 * production, a page offering the four demo people (the actors of the demo tokens). A new
 * session id is issued at sign-in, so a session fixed before it is worth nothing after.
 */
@Controller()
@WebRoutes()
@UseFilters(WebExceptionFilter)
export class SignInController {
  private readonly logger = new Logger('SignIn');
  private readonly oidc: OidcSignIn | null;

  constructor(
    @Inject(VIEWS) private readonly views: nunjucks.Environment,
    @Inject(WEB_OPTIONS) private readonly options: WebOptions,
  ) {
    this.oidc = options.oidc ? new OidcSignIn(options.oidc) : null;
  }

  @Get('sign-in')
  page(@Req() req: BoardRequest, @Res() res: Response): void {
    this.show(req, res);
  }

  private show(req: BoardRequest, res: Response, error?: string): void {
    if (req.session.viewer && !error) return res.redirect(303, HOME_OF[req.session.viewer.role]);
    const demo = (this.options.demoViewers ?? []).map((v) => ({
      value: v.role,
      hint: DEMO_DESCRIPTIONS[v.role],
    }));
    renderPage(this.views, req, res, 'pages/sign-in.njk', { oidc: this.oidc !== null, demo, error }, error ? 400 : 200);
  }

  /** The demo sign-in (never in production): pick one of the four demo people. */
  @Post('sign-in')
  async demoSignIn(@Req() req: BoardRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const viewer = (this.options.demoViewers ?? []).find((v) => v.role === body['role']);
    if (!this.options.demoViewers) return res.redirect(303, '/sign-in');
    if (!viewer) return this.show(req, res, 'Select who you are signing in as');
    await this.signIn(req, viewer);
    res.redirect(303, HOME_OF[viewer.role]);
  }

  @Get('sign-in/oidc')
  async startOidc(@Req() req: BoardRequest, @Res() res: Response) {
    if (!this.oidc) return res.redirect(303, '/sign-in');
    try {
      const { url, pending } = await this.oidc.start();
      req.session.oidc = pending;
      await save(req);
      res.redirect(303, url);
    } catch (error) {
      this.logger.error({
        msg: 'identity provider unavailable',
        error: error instanceof Error ? error.name : 'unknown',
      });
      this.show(req, res, 'The council sign-in service is not answering. Try again in a few minutes.');
    }
  }

  @Get('sign-in/callback')
  async finishOidc(@Req() req: BoardRequest, @Res() res: Response) {
    const pending = req.session.oidc;
    if (!this.oidc || !pending) return res.redirect(303, '/sign-in');
    let viewer: Viewer;
    try {
      viewer = await this.oidc.finish(req.originalUrl, pending);
    } catch (error) {
      // The reason's words only when they are ours; a library's message may quote a token.
      const why = error instanceof SignInRefused ? error.message : 'The sign-in could not be completed.';
      this.logger.warn({ msg: 'sign-in refused', error: error instanceof Error ? error.name : 'unknown' });
      delete req.session.oidc;
      return this.show(req, res, `${why} Try again, or ask your system administrator.`);
    }
    await this.signIn(req, viewer);
    res.redirect(303, HOME_OF[viewer.role]);
  }

  @Post('sign-out')
  async signOut(@Req() req: BoardRequest, @Res() res: Response) {
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie('board.sid');
    res.redirect(303, '/sign-in');
  }

  private async signIn(req: BoardRequest, viewer: Viewer): Promise<void> {
    await regenerate(req);
    req.session.viewer = viewer;
    this.logger.log({ msg: 'signed in', actor: viewer.id, role: viewer.role });
    await save(req);
  }
}
