import type { Viewer } from './board.port';

/** Sign-in with the council's identity provider (OpenID Connect, authorisation code with PKCE). */
export interface OidcOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** This service's callback as registered with the provider: https://…/sign-in/callback. */
  readonly redirectUri: string;
  /** The ID token claim naming the role (a role name, or a list holding exactly one). */
  readonly roleClaim: string;
  /** The claim listing a residential manager's homes (setting ids). */
  readonly settingsClaim: string;
}

export interface WebOptions {
  /** In production: `Secure` cookies, no demo sign-in. */
  readonly production: boolean;
  /** Signs the session cookie. */
  readonly sessionSecret: string;
  /** The sessions' SQLite file. */
  readonly sessionFile: string;
  readonly sessionMaxAgeMinutes: number;
  readonly oidc: OidcOptions | null;
  /** Outside production: the four demo people, the same actors as the demo tokens. */
  readonly demoViewers: readonly Viewer[] | null;
}

export const WEB_OPTIONS = Symbol('WEB_OPTIONS');
